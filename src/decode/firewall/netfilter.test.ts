import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeAll, type TestValue } from '../testing.js';
import { netfilter, netfilterDecoder } from './netfilter.js';
import { crowdsecExpectations } from './crowdsec-oracle.js';

const FIX = 'test/fixtures/firewall/';
const NOW = Date.UTC(2026, 11, 31);
const dec = netfilterDecoder({ now: () => NOW });

/** Parsed fields per line from a crowdsec parser.assert file, for one stage and parser. */
function crowdsec(file: string, stage: string, parser: string): Map<number, Record<string, string>> {
  return crowdsecExpectations(FIX + file, stage, parser);
}

function stamp(ts: TestValue): string {
  const d = new Date((ts as number) / 1000);
  const mon = d.toUTCString().slice(8, 11);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${mon} ${day} ${d.toISOString().slice(11, 19)}`;
}

const str = (v: TestValue): string | null => (v === null ? null : String(v));

/** How each crowdsec field is found in our row (the ones we map). */
const MAP: Record<string, (r: Record<string, TestValue>, x: Record<string, string>) => string | null> = {
  src_ip: (r) => str(r.orig_h),
  dst_ip: (r) => str(r.resp_h),
  src_port: (r) => str(r.orig_p),
  dst_port: (r) => str(r.resp_p),
  proto: (r) => str(r.proto)!.toUpperCase(),
  int_eth: (r) => str(r.in_iface),
  // crowdsec's grok keeps the last LEN (the UDP length); ours is the IP length, the UDP one is l4_len.
  length: (r, x) => x.l4_len ?? str(r.bytes),
  meta_machine: (r) => str(r.sensor),
  meta_service: (r) => str(r.proto),
  meta_source_ip: (r) => str(r.orig_h),
  meta_action: (r) => (r.action === 'allow' ? 'accept' : str(r.action)),
  timestamp: (r) => stamp(r.ts),
  rule_id: (r) => str(r.rule_id),
  dst_zone: (r) => str(r.out_zone),
  action: (r) => ({ drop: 'D', allow: 'A', reject: 'R' })[r.action as string] ?? null,
};

function compareWithCrowdsec(log: string, expected: string): void {
  const out = decodeAll(dec, readFileSync(FIX + log));
  const want = crowdsec(expected, 's01-parse', 'crowdsecurity/iptables-logs');
  const lines = readFileSync(FIX + log, 'utf8').split('\n').filter((l) => l.length > 0);
  let row = 0;
  let compared = 0;
  for (let i = 0; i < lines.length; i++) {
    const w = want.get(i);
    if (w === undefined) {
      assert.ok(out.skips.some((s) => s.position === i + 1), `line ${i + 1} should be skipped`);
      continue;
    }
    const r = out.rows.firewall[row++];
    assert.equal(r.message, lines[i]);
    const x = JSON.parse(r.extra as string) as Record<string, string>;
    for (const [k, v] of Object.entries(w)) {
      const get = MAP[k];
      if (get === undefined) continue;
      assert.equal(get(r, x), v, `line ${i + 1} ${k}`);
      compared++;
    }
  }
  assert.equal(row, out.rows.firewall.length);
  assert.ok(compared > 20);
}

test('crowdsec iptables sample: every mapped field matches the parser assertions', () => {
  compareWithCrowdsec('crowdsec_iptables.log', 'crowdsec_iptables.expected.parser.assert.txt');
  const out = decodeAll(dec, readFileSync(FIX + 'crowdsec_iptables.log'));
  assert.deepEqual(out.skips, [{ reason: 'no_match', position: 3, detail: undefined }]);
  const r = out.rows.firewall[2];
  assert.equal(r.rule, 'IPTABLES-DROP');
  assert.equal(r.action, 'drop');
  assert.equal(r.bytes, 76);
  assert.equal(r.packets, 1);
  assert.equal(r.source_type, 'netfilter');
  assert.equal(r.ts, Date.UTC(2026, 8, 27, 20, 56, 38) * 1000);
  assert.equal(r.community_id, '1:b347LJs5EfIBVT13T2a0mIU8Ch0=');
});

test('crowdsec UniFi sample: rule id, action letter and zone from the prefix', () => {
  compareWithCrowdsec('crowdsec_unifi_iptables.log', 'crowdsec_unifi_iptables.expected.parser.assert.txt');
  const out = decodeAll(dec, readFileSync(FIX + 'crowdsec_unifi_iptables.log'));
  assert.equal(out.rows.firewall.length, 3);
  assert.equal(out.rows.firewall[0].rule, 'WAN_LOCAL-D-2147483647');
  assert.equal(out.rows.firewall[0].in_zone, 'WAN');
  assert.equal(JSON.parse(out.rows.firewall[0].extra as string).descr, '[WAN_LOCAL]Block All Traffic');
  assert.deepEqual(out.skips, [{ reason: 'no_match', position: 4, detail: undefined }]);
});

test('kernel log variants: envelopes, EdgeOS prefixes, ICMP, ICMPv6 and ESP', () => {
  const out = decodeAll(dec, readFileSync(FIX + 'iptables_kernel_log_variants.log'));
  assert.deepEqual(out.skips, []);
  const rows = out.rows.firewall;
  assert.equal(rows.length, 24);
  assert.equal(rows[0].ts, Date.UTC(2026, 9, 10, 7, 25, 12) * 1000);
  assert.equal(rows[1].ts, Date.UTC(2021, 2, 12, 14, 10, 18) * 1000);
  assert.equal(rows[0].rule, 'wan-lan-default-D');
  assert.equal(rows[0].rule_id, 'default');
  assert.equal(rows[0].action, 'drop');
  assert.equal(rows[3].rule, 'DENY');
  assert.equal(rows[3].action, 'deny');
  assert.equal(rows[3].proto, 'icmp');
  assert.equal(rows[3].orig_p, 3);
  assert.equal(rows[3].resp_p, 3);
  assert.match(JSON.parse(rows[3].extra as string).inner as string, /^SRC=192\.168\.2\.83 /);
  assert.equal(rows[4].rule, 'iptables DROP_INPUT');
  assert.equal(rows[4].sensor, 'example-host');
  const v6 = rows[14];
  assert.equal(v6.proto, 'icmp6');
  assert.equal(v6.orig_p, 128);
  assert.equal(v6.out_iface, 'lo');
  assert.equal(v6.action, null);
  assert.equal(JSON.parse(v6.extra as string).icmp_id, '3427');
  assert.equal(rows[17].action, 'allow');
  assert.equal(rows[17].tcp_flags ?? JSON.parse(rows[17].extra as string).tcp_flags, 'ACK PSH');
  assert.equal(rows[21].proto, '50');
  assert.equal(rows[22].sensor, 'Abc-A1');
});

test('prefix words set the action; other prefixes leave it null', () => {
  const lines = [
    'Mar  1 10:00:00 gw kernel: [UFW BLOCK] IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=1 DPT=2 SYN',
    'Mar  1 10:00:00 gw kernel: [UFW ALLOW] IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=1 DPT=2',
    'Mar  1 10:00:00 gw kernel: nft REJECT in: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=UDP SPT=1 DPT=2 LEN=20',
    'Mar  1 10:00:00 gw kernel: [UFW AUDIT] IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=1 DPT=2',
    '<4>1 2026-03-01T10:00:00.5+01:00 gw kernel - - - FWD-ACCEPT IN=eth0 OUT=eth1 SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=1 DPT=2',
  ];
  const rows = decodeAll(dec, Buffer.from(lines.join('\n'))).rows.firewall;
  assert.deepEqual(rows.map((r) => [r.rule, r.action]), [
    ['UFW BLOCK', 'deny'],
    ['UFW ALLOW', 'allow'],
    ['nft REJECT in', 'reject'],
    ['UFW AUDIT', null],
    ['FWD-ACCEPT', 'allow'],
  ]);
  assert.equal(rows[4].ts, (Date.UTC(2026, 2, 1, 9, 0, 0) + 500) * 1000);
  assert.equal(rows[4].sensor, 'gw');
});

test('malformed lines are counted by reason and line number, valid ones kept', () => {
  const good = 'Mar  1 10:00:00 gw kernel: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=1 DPT=2';
  const input = [
    good,
    'Mar  1 10:00:00 gw sshd[1]: Accepted password for root',
    'Mar  1 10:00:00 gw kernel: IN=eth0 OUT= SRC=10.0.0.999 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=1 DPT=2',
    'Mar  1 10:00:00 gw kernel: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=x DPT=2',
    'Feb 30 10:00:00 gw kernel: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=1 DPT=2',
    'Mar  1 10:00:00 gw kernel: IN=eth0 OUT= MAC=00:11',
    '[ 12.5] IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=1 DPT=2',
    '',
    good,
  ].join('\n');
  const out = decodeAll(dec, Buffer.from(input), { chunkSize: 7 });
  assert.equal(out.rows.firewall.length, 2);
  assert.deepEqual(
    out.skips.map((s) => [s.reason, s.position]),
    [
      ['no_match', 2],
      ['bad_address', 3],
      ['bad_field', 4],
      ['bad_time', 5],
      ['truncated', 6],
      ['no_time', 7],
    ],
  );
});

test('year inference: a stamp later than now belongs to last year', () => {
  const jan = netfilterDecoder({ now: () => Date.UTC(2026, 0, 2) });
  const line = 'Dec 31 23:59:59 gw kernel: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=40 PROTO=TCP SPT=1 DPT=2';
  assert.equal(decodeAll(jan, Buffer.from(line)).rows.firewall[0].ts, Date.UTC(2025, 11, 31, 23, 59, 59) * 1000);
});

test('sniff: claims netfilter logs only', () => {
  assert.ok(netfilter.sniff(readFileSync(FIX + 'crowdsec_iptables.log')) >= 0.6);
  assert.equal(netfilter.sniff(readFileSync(FIX + 'iptables_kernel_log_variants.log')), 0.95);
  assert.equal(netfilter.sniff(readFileSync(FIX + 'crowdsec_pfsense_filterlog.log')), 0);
  assert.equal(netfilter.sniff(readFileSync(FIX + 'windows_pfirewall_azure_stack_edge_doc.log')), 0);
  assert.equal(netfilter.sniff(readFileSync(FIX + 'crowdsec_cef_unifi.log')), 0);
  assert.equal(netfilter.sniff(Buffer.from('#separator \\x09\n#fields\tts\tuid\n')), 0);
  assert.equal(netfilter.sniff(Buffer.from('{"timestamp":"2020","event_type":"flow"}\n')), 0);
});
