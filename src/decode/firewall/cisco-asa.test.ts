import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeAll } from '../testing.js';
import { ciscoAsa, ciscoAsaWith } from './cisco-asa.js';
import { parseAsaEnvelope } from './cisco-asa-envelope.js';

const FIXTURE = fs.readFileSync(path.join(process.cwd(), 'test/fixtures/firewall/cisco_asa_syslog_first_lines.log'));
const ENV = 'Oct 10 2018 12:34:56 fw1 CiscoASA[999]: ';
const T0 = Date.UTC(2018, 9, 10, 12, 34, 56) * 1000;
const run = (lines: string[], def = ciscoAsa) => decodeAll(def, Buffer.from(lines.join('\n') + '\n'));
const extra = (r: Record<string, unknown>) => JSON.parse(r.extra as string) as Record<string, unknown>;

test('the Elastic ASA sample: pairs, unpaired halves, the deny and the ignored NAT messages', () => {
  const out = decodeAll(ciscoAsa, FIXTURE, { chunkSize: 777 });
  assert.deepEqual(out.skips, []);
  assert.deepEqual(out.ignored, { 'asa-305011': 17, 'asa-305012': 7 });
  assert.equal(out.rows.firewall.length, 2);
  // Every connection id seen in a build or a teardown gives exactly one row.
  const lines = FIXTURE.toString().split('\n');
  const builds = new Set(lines.filter((l) => /302013|302015/.test(l)).map((l) => /connection (\d+)/.exec(l)![1]));
  const tears = new Set(lines.filter((l) => /302014|302016/.test(l)).map((l) => /connection (\d+)/.exec(l)![1]));
  const union = new Set([...builds, ...tears]);
  assert.equal(out.rows.connections.length, union.size);

  const paired = out.rows.connections.find((r) => r.uid === '11777')!;
  assert.equal(paired.ts, T0);
  assert.equal(paired.end_ts, T0);
  assert.equal(paired.duration, 0);
  assert.equal(paired.orig_h, '172.31.98.44');
  assert.equal(paired.orig_p, 1453);
  assert.equal(paired.resp_h, '100.66.133.112');
  assert.equal(paired.resp_p, 80);
  assert.equal(paired.proto, 'tcp');
  assert.equal(paired.ip_proto, 6);
  assert.equal(paired.action, 'allow');
  assert.equal(paired.state_reason, 'TCP FINs');
  assert.equal(paired.source_type, 'cisco-asa');
  assert.equal(paired.sensor, 'localhost');
  assert.equal(paired.orig_bytes, null);
  assert.equal(paired.resp_bytes, null);
  assert.match(paired.community_id as string, /^1:[A-Za-z0-9+/]{27}=$/);
  assert.deepEqual(extra(paired), {
    direction: 'outbound',
    orig_iface: 'inside',
    resp_iface: 'outside',
    orig_mapped_h: '172.31.98.44',
    orig_mapped_p: 1453,
    resp_mapped_h: '100.66.133.112',
    resp_mapped_p: 80,
    bytes_total: 862,
    built_id: 302013,
    teardown_id: 302014,
  });

  const lone = out.rows.connections.find((r) => r.uid === '11749')!;
  assert.equal(lone.ts, T0 - 67e6, 'start = teardown time - duration');
  assert.equal(lone.end_ts, T0);
  assert.equal(lone.duration, 67);
  assert.equal(lone.orig_h, '172.31.98.44');
  assert.equal(lone.resp_p, 80);
  assert.equal(lone.state_reason, 'TCP Reset-I');
  assert.equal(extra(lone).direction_guessed, true);
  assert.equal(extra(lone).bytes_total, 38110);

  const open = out.rows.connections.find((r) => r.uid === '11757')!;
  assert.equal(open.state_reason, 'open');
  assert.equal(open.end_ts, null);
  assert.equal(open.duration, null);

  const deny = out.rows.firewall[0];
  assert.equal(deny.ts, T0);
  assert.equal(deny.action, 'deny');
  assert.equal(deny.rule, 'inbound');
  assert.equal(deny.orig_h, '100.66.19.254');
  assert.equal(deny.orig_p, 80);
  assert.equal(deny.resp_h, '172.31.98.44');
  assert.equal(deny.resp_p, 8277);
  assert.equal(deny.in_iface, 'outside');
  assert.equal(deny.out_iface, 'inside');
  assert.equal(deny.message, lines[84]);
  assert.deepEqual(extra(deny), { asa_id: 106023, severity: 4 });
});

test('each decision message id becomes one firewall row with its fields', () => {
  const msgs = [
    '%ASA-2-106001: Inbound TCP connection denied from 10.1.1.1/4321 to 10.2.2.2/80 flags SYN  on interface outside',
    '%ASA-2-106006: Deny inbound UDP from 10.1.1.1/4321 to 10.2.2.2/161 on interface outside',
    '%ASA-2-106007: Deny inbound UDP from 10.1.1.1/53 to 10.2.2.2/4000 due to DNS Response',
    '%ASA-3-106014: Deny inbound icmp src outside:10.1.1.1 dst inside:10.2.2.2 (type 8, code 0)',
    '%ASA-6-106015: Deny TCP (no connection) from 10.1.1.1/443 to 10.2.2.2/5555 flags RST  on interface inside',
    '%ASA-4-106023: Deny udp src dmz:10.3.3.3/5000 dst outside:8.8.8.8/53 by access-group "dmz_in" [0x0, 0x0]',
    '%ASA-4-106023: Deny icmp src outside:10.1.1.1 dst inside:10.2.2.2 (type 3, code 1) by access-group "outside_in" [0x1, 0x2]',
    '%ASA-4-106023: Deny protocol 47 src outside:10.1.1.1 dst inside:10.2.2.2 by access-group "outside_in" [0x0, 0x0]',
    '%ASA-6-106100: access-list inside_in permitted tcp inside/10.0.0.5(51000) -> outside/93.184.216.34(443) hit-cnt 1 first hit [0xaa, 0x0]',
    '%ASA-4-106100: access-list outside_in denied udp outside/203.0.113.9(123) -> inside/10.0.0.5(123) hit-cnt 7 300-second interval [0xbb, 0x0]',
    '%ASA-3-710003: TCP access denied by ACL from 198.51.100.7/40000 to outside:203.0.113.1/22',
  ];
  const out = run(msgs.map((m) => ENV + m));
  assert.deepEqual(out.skips, []);
  const rows = out.rows.firewall;
  assert.equal(rows.length, msgs.length);
  const pick = (r: Record<string, unknown>) => [r.action, r.proto, r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.rule, r.in_iface, r.out_iface];
  assert.deepEqual(pick(rows[0]), ['deny', 'tcp', '10.1.1.1', 4321, '10.2.2.2', 80, null, 'outside', null]);
  assert.equal(extra(rows[0]).tcp_flags, 'SYN');
  assert.deepEqual(pick(rows[1]), ['deny', 'udp', '10.1.1.1', 4321, '10.2.2.2', 161, null, 'outside', null]);
  assert.deepEqual(pick(rows[2]), ['deny', 'udp', '10.1.1.1', 53, '10.2.2.2', 4000, null, null, null]);
  assert.equal(extra(rows[2]).reason, 'DNS Response');
  assert.deepEqual(pick(rows[3]), ['deny', 'icmp', '10.1.1.1', 8, '10.2.2.2', 0, null, 'outside', 'inside']);
  assert.deepEqual(pick(rows[4]), ['deny', 'tcp', '10.1.1.1', 443, '10.2.2.2', 5555, null, 'inside', null]);
  assert.equal(extra(rows[4]).tcp_flags, 'RST');
  assert.deepEqual(pick(rows[5]), ['deny', 'udp', '10.3.3.3', 5000, '8.8.8.8', 53, 'dmz_in', 'dmz', 'outside']);
  assert.deepEqual(pick(rows[6]), ['deny', 'icmp', '10.1.1.1', 3, '10.2.2.2', 1, 'outside_in', 'outside', 'inside']);
  assert.deepEqual(pick(rows[7]), ['deny', '47', '10.1.1.1', null, '10.2.2.2', null, 'outside_in', 'outside', 'inside']);
  assert.equal(rows[7].ip_proto, 47);
  assert.deepEqual(pick(rows[8]), ['allow', 'tcp', '10.0.0.5', 51000, '93.184.216.34', 443, 'inside_in', 'inside', 'outside']);
  assert.deepEqual(extra(rows[8]), { asa_id: 106100, severity: 6, verdict: 'permitted', hit_count: 1 });
  assert.deepEqual(pick(rows[9]), ['deny', 'udp', '203.0.113.9', 123, '10.0.0.5', 123, 'outside_in', 'outside', 'inside']);
  assert.deepEqual(pick(rows[10]), ['deny', 'tcp', '198.51.100.7', 40000, '203.0.113.1', 22, null, 'outside', null]);
  for (const r of rows) {
    assert.equal(r.ts, T0);
    assert.equal(r.sensor, 'fw1');
    assert.ok((r.message as string).startsWith(ENV));
  }
});

const built = (id: number, proto = 'TCP', t = '12:34:56') =>
  `Oct 10 2018 ${t} fw1 : %ASA-6-${proto === 'TCP' ? 302013 : 302015}: Built inbound ${proto} connection ${id} for outside:198.51.100.1/40000 (198.51.100.1/40000) to dmz:10.9.9.9/443 (203.0.113.9/443)`;
const teardown = (id: number, dur: string, t = '12:35:56', proto = 'TCP') =>
  `Oct 10 2018 ${t} fw1 : %ASA-6-${proto === 'TCP' ? 302014 : 302016}: Teardown ${proto} connection ${id} for outside:198.51.100.1/40000 to dmz:10.9.9.9/443 duration ${dur} bytes 5000 TCP FINs`;

test('built then teardown pair into one row with the build time, teardown end and duration', () => {
  const out = run([built(1), teardown(1, '0:01:00')]);
  assert.equal(out.rows.connections.length, 1);
  const r = out.rows.connections[0];
  assert.equal(r.ts, T0);
  assert.equal(r.end_ts, T0 + 60e6);
  assert.equal(r.duration, 60);
  assert.equal(r.orig_h, '198.51.100.1', 'inbound: the for side originated');
  assert.equal(r.resp_h, '10.9.9.9');
  assert.equal(r.state_reason, 'TCP FINs');
  const x = extra(r);
  assert.equal(x.resp_mapped_h, '203.0.113.9');
  assert.equal(x.resp_translated, true);
  assert.equal(x.orig_translated, undefined);
  assert.equal(x.direction, 'inbound');
});

test('a teardown without build, a build without teardown, and a reused id', () => {
  const out = run([teardown(7, '1:00:05'), built(8), built(9), built(9, 'TCP', '12:40:00'), teardown(9, '0:00:10', '12:40:10')]);
  const by = (uid: string) => out.rows.connections.filter((r) => r.uid === uid);
  assert.equal(by('7').length, 1);
  assert.equal(by('7')[0].ts, T0 + 60e6 - 3605e6);
  assert.equal(by('7')[0].duration, 3605);
  assert.equal(by('8').length, 1);
  assert.equal(by('8')[0].state_reason, 'open');
  const nine = by('9');
  assert.equal(nine.length, 2, 'the first id 9 stays open when the id is built again');
  assert.deepEqual(
    nine.map((r) => [r.ts, r.state_reason, r.duration]),
    [
      [T0, 'open', null],
      [Date.UTC(2018, 9, 10, 12, 40, 0) * 1000, 'TCP FINs', 10],
    ],
  );
});

test('the pairing table is bounded: the oldest build is written as open and counted', () => {
  const def = ciscoAsaWith({ maxPending: 2 });
  const out = run([built(1), built(2), built(3), teardown(1, '0:00:05'), teardown(3, '0:00:05')], def);
  assert.deepEqual(out.ignored, { 'asa-pair-evicted': 1 });
  const rows = out.rows.connections;
  assert.deepEqual(
    rows.map((r) => [r.uid, r.state_reason, extra(r).evicted ?? false, extra(r).built_id ?? null]),
    [
      ['1', 'open', true, 302013],
      ['1', 'TCP FINs', false, null],
      ['3', 'TCP FINs', false, 302013],
      ['2', 'open', false, 302013],
    ],
  );
});

test('ICMP built and teardown pair by their addresses; UDP pairs by id', () => {
  const out = run([
    `${ENV}%ASA-6-302020: Built outbound ICMP connection for faddr 8.8.8.8/0 gaddr 203.0.113.5/1 laddr 10.0.0.5/1 type 8 code 0`,
    `${ENV}%ASA-6-302015: Built outbound UDP connection 55 for outside:8.8.8.8/53 (8.8.8.8/53) to inside:10.0.0.5/5353 (203.0.113.5/6000)`,
    `Oct 10 2018 12:34:58 fw1 CiscoASA[999]: %ASA-6-302021: Teardown ICMP connection for faddr 8.8.8.8/0 gaddr 203.0.113.5/1 laddr 10.0.0.5/1 type 0 code 0`,
    `Oct 10 2018 12:34:59 fw1 CiscoASA[999]: %ASA-6-302016: Teardown UDP connection 55 for outside:8.8.8.8/53 to inside:10.0.0.5/5353 duration 0:00:03 bytes 120`,
  ]);
  assert.deepEqual(out.skips, []);
  const [icmp, udp] = out.rows.connections;
  assert.deepEqual([icmp.proto, icmp.orig_h, icmp.orig_p, icmp.resp_h, icmp.resp_p, icmp.duration, icmp.state_reason], ['icmp', '10.0.0.5', 8, '8.8.8.8', 0, 2, null]);
  assert.equal(extra(icmp).orig_mapped_h, '203.0.113.5');
  assert.deepEqual([udp.proto, udp.orig_h, udp.orig_p, udp.resp_h, udp.resp_p, udp.duration, udp.state_reason], ['udp', '10.0.0.5', 5353, '8.8.8.8', 53, 3, null]);
  assert.equal(extra(udp).orig_mapped_p, 6000);
  assert.equal(extra(udp).bytes_total, 120);
});

test('malformed and unknown lines are counted, never thrown', () => {
  const out = run([
    'Oct 10 2018 12:34:56 fw1 sshd[1]: Accepted password for root',
    'Oct 10 2018 12:34:56 fw1 : %ASA-X-302013: Built',
    'garbage time fw1 : %ASA-6-302013: Built inbound TCP connection 1 for a:1.1.1.1/1 (1.1.1.1/1) to b:2.2.2.2/2 (2.2.2.2/2)',
    `${ENV}%ASA-6-302013: Built sideways TCP connection 1 for a:1.1.1.1/1 to b:2.2.2.2/2`,
    `${ENV}%ASA-6-302014: Teardown TCP connection 1 for a:1.1.1.1/99999 to b:2.2.2.2/2 duration 0:00:01 bytes 1`,
    `${ENV}%ASA-4-106023: Deny tcp from nowhere`,
    `${ENV}%ASA-6-113008: AAA transaction status ACCEPT : user = bob`,
  ]);
  assert.deepEqual(
    out.skips.map((s) => [s.reason, s.position, s.detail]),
    [
      ['not_asa', 1, undefined],
      ['bad_header', 2, undefined],
      ['bad_timestamp', 3, undefined],
      ['bad_message', 4, 'asa-302013'],
      ['bad_message', 5, 'asa-302014'],
      ['bad_message', 6, 'asa-106023'],
    ],
  );
  assert.deepEqual(out.ignored, { 'asa-113008': 1 });
  assert.equal(out.rows.connections.length + out.rows.firewall.length, 0);
});

test('envelopes: RFC 5424 with an offset, the ASA timestamp alone, and a year-less BSD time', () => {
  assert.deepEqual(parseAsaEnvelope('<166>1 2018-10-10T14:34:56.250+02:00 asa1 - - - ', 0), { tsMicros: T0 + 250_000, host: 'asa1' });
  assert.deepEqual(parseAsaEnvelope('<166>Oct 10 2018 12:34:56: ', 0), { tsMicros: T0, host: null });
  const now = Date.UTC(2019, 0, 2) * 1000;
  assert.deepEqual(parseAsaEnvelope('Dec 31 23:59:59 relay ', now), { tsMicros: Date.UTC(2018, 11, 31, 23, 59, 59) * 1000, host: 'relay' });
  assert.deepEqual(parseAsaEnvelope('Jan  1 00:00:01 relay ', now), { tsMicros: Date.UTC(2019, 0, 1, 0, 0, 1) * 1000, host: 'relay' });
  assert.ok(Number.isNaN(parseAsaEnvelope('Foo 10 12:00:00 x ', now).tsMicros));
});

test('sniff claims ASA syslog and nothing else', () => {
  assert.equal(ciscoAsa.sniff(FIXTURE), 0.9);
  const others = ['panos_traffic_csv_first27.log', 'fortigate_kv_first25.log', 'crowdsec_panos_threat.log'];
  for (const f of others) assert.equal(ciscoAsa.sniff(fs.readFileSync(path.join(process.cwd(), 'test/fixtures/firewall', f))), 0, f);
  assert.equal(ciscoAsa.sniff(Buffer.from('#separator \\x09\n#path\tconn\n')), 0);
  assert.equal(ciscoAsa.sniff(Buffer.from('{"event_type":"flow","src_ip":"1.1.1.1"}\n')), 0);
  assert.equal(ciscoAsa.sniff(Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0])), 0);
});

test('variants: a message class in the tag, user and security group in parentheses, per-user ACLs, host names, 106010, ICMPv6', () => {
  const buf = fs.readFileSync(path.join(process.cwd(), 'test/fixtures/firewall/cisco_asa_written_variants.log'));
  assert.equal(ciscoAsa.sniff(Buffer.from(buf.toString('latin1').split('\n').slice(0, 2).join('\n') + '\n', 'latin1')), 0.9);
  const out = decodeAll(ciscoAsa, buf);
  assert.deepEqual(out.skips.map((s) => [s.reason, s.position, s.detail]), [
    ['name_not_address', 7, 'asa-302013'],
    ['name_not_address', 8, 'asa-106023'],
  ]);
  const conns = out.rows.connections.map((r) => [r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.proto, r.duration, extra(r).bytes_total]);
  assert.deepEqual(conns, [
    ['192.0.2.30', 51000, '198.51.100.20', 443, 'tcp', 4, 5120],
    ['198.51.100.21', 5060, '192.0.2.31', 5060, 'udp', 1, 900],
  ]);
  const fw = out.rows.firewall.map((r) => [r.action, r.rule, r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.proto, extra(r).user, extra(r).asa_id]);
  assert.deepEqual(fw, [
    ['allow', 'vpn_filter', '198.51.100.22', 50000, '192.0.2.32', 53, 'udp', 'carol', 106102],
    ['deny', 'vpn_filter', '198.51.100.23', 50001, '192.0.2.33', 22, 'tcp', 'erin lab', 106103],
    ['deny', null, '198.51.100.25', 5114, '192.0.2.35', 2905, 'sctp', undefined, 106010],
    ['deny', null, '198.51.100.26', 8, '192.0.2.36', 0, 'icmp', undefined, 106014],
    ['deny', 'outside_in', '2001:db8::26', 128, '2001:db8:1::36', 0, 'icmp6', undefined, 106023],
    ['deny', null, '198.51.100.27', null, '192.0.2.37', null, 'tcp', undefined, 106021],
  ]);
  assert.equal(extra(out.rows.firewall[3]).resp_user, undefined, '(type 8, code 0) glued to the address is not a user');
});
