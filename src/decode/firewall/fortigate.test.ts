import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeAll, type TestValue } from '../testing.js';
import { fortigate } from './fortigate.js';

const dir = path.join(process.cwd(), 'test/fixtures/firewall');
const read = (f: string) => fs.readFileSync(path.join(dir, f));
const FIXTURE = read('fortigate_kv_first25.log');
const extra = (r: Record<string, TestValue>) => JSON.parse(r.extra as string) as Record<string, string>;

test('the Elastic FortiGate sample: five traffic rows, events ignored, the unterminated quote skipped', () => {
  const out = decodeAll(fortigate, FIXTURE, { chunkSize: 333 });
  assert.deepEqual(out.skips, [{ reason: 'unterminated_quote', position: 25, detail: undefined }]);
  assert.deepEqual(out.ignored, { 'fortigate-event': 19 });
  const rows = out.rows.firewall;
  assert.equal(rows.length, 5);
  const r = rows[0];
  const want: Record<string, TestValue> = {
    ts: 1557513467369913, // eventtime in ns (no tz= on this line), cut to microseconds
    uid: '105048',
    orig_h: '10.1.100.11',
    orig_p: 58012,
    resp_h: '81.2.69.142',
    resp_p: 80,
    proto: 'tcp',
    ip_proto: 6,
    source_type: 'fortigate',
    sensor: null,
    action: 'allow',
    rule: '1',
    rule_id: '1',
    in_iface: 'port12',
    out_iface: 'port11',
    in_zone: null,
    out_zone: null,
    bytes: 1188 + 1224,
    packets: 17 + 16,
    nat_orig_h: '172.16.200.2',
    nat_orig_p: 58012,
    nat_resp_h: null,
    nat_resp_p: null,
    duration: 116,
  };
  for (const [k, v] of Object.entries(want)) assert.equal(r[k], v, k);
  assert.equal(r.message, FIXTURE.toString().split('\n')[0]);
  const x = extra(r);
  assert.equal(x.action, 'close');
  assert.equal(x.app, 'HTTP.BROWSER_Firefox');
  assert.equal(x.rcvdbyte, '1224');
  assert.equal((r.bytes as number) - Number(x.rcvdbyte), 1188, 'sentbyte is bytes minus rcvdbyte');
  assert.equal((r.packets as number) - Number(x.rcvdpkt), 17, 'sentpkt is packets minus rcvdpkt');
  for (const k of ['srcip', 'sentbyte', 'sentpkt', 'proto', 'type', 'transip', 'transport', 'duration', 'policyid', 'srcintfrole', 'dstintfrole'])
    assert.equal(x[k], undefined, k);
  assert.equal(x.eventtime, undefined, 'ts is eventtime (to the microsecond)');
  assert.equal(x.date, '2019-05-10', 'local date and time without tz= stay when ts came from eventtime');
  assert.deepEqual(
    rows.map((row) => [extra(row).subtype, row.action, row.proto, row.bytes, row.nat_orig_h]),
    [
      ['forward', 'allow', 'tcp', 2412, '172.16.200.2'],
      ['local', 'allow', 'tcp', 2966, null],
      ['multicast', 'allow', 'udp', 5940, null],
      ['sniffer', 'allow', 'tcp', 0, null], // trandisp=snat with transip=0.0.0.0: no translation
      ['sniffer', 'allow', 'tcp', 0, null],
    ],
  );
  assert.equal(rows[2].ts, 1554039772e6, 'eventtime in seconds');
  assert.equal(rows[4].ts, Date.UTC(2021, 0, 26, 23, 51, 37) * 1000, 'date/time in tz=-0800');
});

const base =
  'date=2024-02-03 time=04:05:06 devname="FG-100F" devid="FG100FTK0000" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" tz="+0100" srcip=10.0.0.1 srcport=5000 srcintf="lan" dstip=192.0.2.10 dstport=443 dstintf="wan1" sessionid=77 proto=6 policyid=12 policyname="web out" duration=3 sentbyte=100 rcvdbyte=200 sentpkt=1 rcvdpkt=2';

test('actions, policies, NAT kinds, envelope host and device name', () => {
  const lines = [
    base + ' action="deny"',
    base + ' action="client-rst" trandisp="dnat" tranip=10.1.1.1 tranport=8443',
    base + ' action="timeout" trandisp="snat+dnat" transip=198.51.100.1 transport=6000 tranip=10.1.1.1 tranport=8443',
    base + ' action="ip-conn"',
    '<189>Feb  3 04:05:07 relay1 ' + base.replace(' devname="FG-100F" devid="FG100FTK0000"', '').replace(' policyname="web out"', '') + ' action="accept"',
  ];
  const out = decodeAll(fortigate, Buffer.from(lines.join('\n') + '\n'));
  assert.deepEqual(out.skips, []);
  const rows = out.rows.firewall;
  const pick = (r: Record<string, TestValue>) => [r.action, r.rule, r.rule_id, r.nat_orig_h, r.nat_orig_p, r.nat_resp_h, r.nat_resp_p, r.sensor];
  assert.deepEqual(pick(rows[0]), ['deny', 'web out', '12', null, null, null, null, 'FG-100F']);
  assert.deepEqual(pick(rows[1]), ['allow', 'web out', '12', null, null, '10.1.1.1', 8443, 'FG-100F']);
  assert.deepEqual(pick(rows[2]), ['allow', 'web out', '12', '198.51.100.1', 6000, '10.1.1.1', 8443, 'FG-100F']);
  assert.deepEqual(pick(rows[3]), [null, 'web out', '12', null, null, null, null, 'FG-100F']);
  assert.equal(extra(rows[3]).action, 'ip-conn');
  assert.deepEqual(pick(rows[4]), ['allow', '12', '12', null, null, null, null, 'relay1']);
  assert.equal(extra(rows[4]).syslog_host, undefined, 'the envelope host is the sensor column here');
  for (const r of rows) assert.equal(r.ts, Date.UTC(2024, 1, 3, 3, 5, 6) * 1000, 'tz=+0100');
  const x = extra(rows[0]);
  assert.deepEqual([x.date, x.time, x.tz, x.devname, x.devid, x.action], [undefined, undefined, '+0100', undefined, 'FG100FTK0000', undefined]);
  assert.deepEqual([extra(rows[1]).tranip, extra(rows[1]).action], [undefined, 'client-rst']);
  const [utf] = decodeAll(fortigate, Buffer.from(base.replace('FG-100F', 'Gäste-FW') + ' action="deny"\n')).rows.firewall;
  assert.deepEqual([utf.sensor, extra(utf).devname], ['Gäste-FW', undefined], 'a UTF-8 device name is the sensor as written');
});

test('malformed FortiGate lines are skipped with their reason', () => {
  const lines = [
    'no pairs here',
    'date=2024-02-03 time=04:05:06 stray type=traffic',
    'date=2024-02-03 time=04:05:06 srcip=10.0.0.1',
    base.replace('date=2024-02-03', 'date=2024-13-03').replace(' tz="+0100"', ''),
    base.replace('srcport=5000', 'srcport=70000'),
    base.replace('dstip=192.0.2.10 ', ''),
    base.replace('proto=6', 'proto=tcp'),
    'date=2024-02-03 time=04:05:06 type="utm" subtype="ips"',
    base,
  ];
  const out = decodeAll(fortigate, Buffer.from(lines.join('\n')));
  assert.deepEqual(
    out.skips.map((s) => [s.reason, s.position, s.detail]),
    [
      ['bad_kv', 1, undefined],
      ['bad_kv', 2, undefined],
      ['no_type', 3, undefined],
      ['bad_timestamp', 4, undefined],
      ['bad_value', 5, 'port'],
      ['bad_value', 6, 'address'],
      ['bad_value', 7, 'proto'],
    ],
  );
  assert.deepEqual(out.ignored, { 'fortigate-utm': 1 });
  assert.equal(out.rows.firewall.length, 1);
});

test('sniff claims FortiGate key=value logs and nothing else', () => {
  assert.equal(fortigate.sniff(FIXTURE), 0.9);
  assert.equal(fortigate.sniff(Buffer.from('<189>' + base + '\n')), 0.9);
  for (const f of ['cisco_asa_syslog_first_lines.log', 'panos_traffic_csv_first27.log', 'crowdsec_panos_threat.log']) assert.equal(fortigate.sniff(read(f)), 0, f);
  assert.equal(fortigate.sniff(Buffer.from('#separator \\x09\n#fields\tts\tuid\n')), 0);
  assert.equal(fortigate.sniff(Buffer.from('{"event_type":"flow","date":"x"}\n')), 0);
});

test('a quote escaped as \\" inside a quoted value does not end it (FortiOS IPS and traffic lines)', () => {
  const out = decodeAll(fortigate, read('fortigate_written_variants.log'));
  assert.deepEqual(out.skips, []);
  assert.deepEqual(out.ignored, { 'fortigate-utm': 1 });
  const [r] = out.rows.firewall;
  assert.deepEqual([r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.action, r.bytes, r.nat_orig_h], ['192.0.2.21', 50124, '198.51.100.22', 80, 'allow', 1200, '203.0.113.9']);
  assert.equal(r.ts, 1714997290500000);
  assert.equal(extra(r).app, 'Demo \\"quoted\\" app');
});

test('a quoted value ending in a backslash (a Windows domain user) is read with the backslash as a plain byte', () => {
  const line = 'date=2024-05-06 time=07:08:10 logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" ' +
    'eventtime=1714997290500000000 srcip=192.0.2.21 srcport=50124 dstip=198.51.100.22 dstport=80 sessionid=4402 proto=6 ' +
    'action="close" policyid=7 user="CORP\\" service="HTTP" sentbyte=100 rcvdbyte=200\n';
  const out = decodeAll(fortigate, Buffer.from(line));
  assert.deepEqual(out.skips, []);
  const [r] = out.rows.firewall;
  assert.deepEqual([r.orig_h, r.resp_p, r.bytes], ['192.0.2.21', 80, 300]);
  assert.equal(extra(r).user, 'CORP\\');
  assert.equal(extra(r).service, 'HTTP');
});
