import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeAll } from '../testing.js';
import { ciscoAsa } from './cisco-asa.js';
import { ftdPairs } from './cisco-ftd-events.js';

const FIXTURE = fs.readFileSync(path.join(process.cwd(), 'test/fixtures/firewall/cisco_ftd_written_connection_events.log'));
const extra = (r: Record<string, unknown>) => JSON.parse(r.extra as string) as Record<string, unknown>;

test('pairs split at ", " before a key only, so values with ", " stay whole', () => {
  const p = ftdPairs('SrcIP: 192.0.2.1, URL: http://x/?a=1, b=2, Prefilter Policy: P, User: A\\b')!;
  assert.deepEqual([...p], [['SrcIP', '192.0.2.1'], ['URL', 'http://x/?a=1, b=2'], ['Prefilter Policy', 'P'], ['User', 'A\\b']]);
  assert.equal(ftdPairs('not pairs at all'), null);
});

test('FTD connection events: 430003 as connections, a blocked 430002 as a firewall row, an allowed 430002 ignored', () => {
  assert.equal(ciscoAsa.sniff(FIXTURE), 0.9);
  const out = decodeAll(ciscoAsa, FIXTURE);
  assert.deepEqual(out.skips.map((s) => [s.reason, s.position, s.detail]), [['bad_message', 5, 'asa-430003']]);
  assert.deepEqual(out.ignored, { 'ftd-430002-allowed': 1 });
  const c = out.rows.connections;
  const pick = (r: Record<string, unknown>) => [r.ts, r.end_ts, r.uid, r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.proto, r.service, r.action, r.duration, r.orig_pkts, r.orig_ip_bytes, r.resp_pkts, r.resp_ip_bytes, r.sensor];
  const t = (iso: string) => Date.parse(iso) * 1000;
  assert.deepEqual(pick(c[0]), [t('2024-05-06T10:00:01Z'), t('2024-05-06T10:00:31Z'), '7001', '192.0.2.40', 51000, '198.51.100.40', 443, 'tcp', 'https', 'allow', 30, 12, 1500, 10, 9000, 'ftd-lab']);
  assert.deepEqual(pick(c[1]), [t('2024-05-06T10:00:58Z'), t('2024-05-06T10:01:00Z'), null, '192.0.2.41', 8, '198.51.100.53', 0, 'icmp', 'icmp', 'allow', 2, 2, 196, 2, 196, 'ftd-lab']);
  const x = extra(c[0]);
  assert.equal(x.URL, 'https://www.example.com/a?b=1, c=2');
  assert.deepEqual([x.orig_iface, x.resp_zone, x.rule, x.User, x.asa_id], ['inside', 'out-zone', 'web-out', 'LAB\\alice', 430003]);
  assert.equal(x.SrcIP, undefined);
  const [f] = out.rows.firewall;
  assert.deepEqual([f.action, f.rule, f.orig_h, f.resp_p, f.in_iface, f.in_zone, f.out_zone, f.bytes, f.packets], ['reject', 'no-rdp', '198.51.100.66', 3389, 'outside', 'out-zone', 'in-zone', 60, 1]);
});

test('FTD intrusion events (430001) become findings with signature, id, revision, class, priority and result', () => {
  const out = decodeAll(ciscoAsa, FIXTURE);
  const rows = out.rows.findings;
  assert.deepEqual(rows.map((r) => [r.ts, r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.proto, r.signature, r.signature_id, r.rev, r.category, r.severity, r.action, r.app_proto]), [
    [Date.UTC(2024, 4, 6, 10, 4, 0) * 1000, '198.51.100.90', 44810, '192.0.2.90', 8080, 'tcp', 'LAB-RULE test exploit attempt, stage one', 1000001, 3, 'Attempted User Privilege Gain', 1, 'blocked', 'http'],
    [Date.UTC(2024, 4, 6, 10, 4, 1) * 1000, '198.51.100.91', 40000, '192.0.2.91', 53, 'udp', 'LAB-RULE suspicious lookup', 1000002, 1, 'Misc activity', 3, 'allowed', null],
  ]);
  const x = extra(rows[0]);
  assert.deepEqual([x.asa_id, x.GID, x.IntrusionPolicy, x.InlineResult, x.SID, x.Message], [430001, '1', 'lab-ips', 'Dropped', undefined, undefined]);
});

test('FTD: a FirstPacketSecond without a zone is UTC whatever the machine zone; ICMPv6 type names take ICMPv6 numbers', () => {
  const lines = Buffer.from(
    '2024-05-06T10:00:31Z ftd-lab  %FTD-1-430003: FirstPacketSecond: 2024-05-06T10:00:01, AccessControlRuleAction: Allow, SrcIP: 192.0.2.40, DstIP: 198.51.100.40, SrcPort: 51000, DstPort: 443, Protocol: tcp, ConnectionDuration: 30\n' +
      '2024-05-06T10:01:00Z ftd-lab  %FTD-1-430003: AccessControlRuleAction: Allow, SrcIP: 2001:db8::41, DstIP: 2001:db8::53, ICMPType: Echo Request, ICMPCode: No Code, Protocol: ipv6-icmp, ConnectionDuration: 2\n',
  );
  const tz = process.env.TZ;
  process.env.TZ = 'America/New_York';
  try {
    const rows = decodeAll(ciscoAsa, lines).rows.connections;
    assert.deepEqual(rows.map((r) => [r.ts, r.proto, r.orig_p, r.resp_p]), [
      [Date.UTC(2024, 4, 6, 10, 0, 1) * 1000, 'tcp', 51000, 443],
      [Date.UTC(2024, 4, 6, 10, 0, 58) * 1000, 'icmp6', 128, 0],
    ]);
  } finally {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
});
