import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeAll, type TestValue } from '../testing.js';
import { pfFilterlog, pfFilterlogDecoder } from './pf-filterlog.js';
import { crowdsecExpectations } from './crowdsec-oracle.js';

const FIX = 'test/fixtures/firewall/';
const dec = pfFilterlogDecoder({ now: () => Date.UTC(2026, 11, 31) });

function crowdsec(file: string, stage: string, parser: string): Map<number, Record<string, string>> {
  return crowdsecExpectations(FIX + file, stage, parser);
}

const str = (v: TestValue): string | null => (v === null ? null : String(v));
type Row = Record<string, TestValue>;
type Extra = Record<string, string>;

/** How each crowdsec field is found in our row (the ones we map); block -> deny, pass -> allow. */
const MAP: Record<string, (r: Row, x: Extra) => string | null> = {
  action: (r) => ({ deny: 'block', allow: 'pass', reject: 'reject' })[r.action as string] ?? null,
  src_ip: (r) => str(r.orig_h),
  dst_ip: (r) => str(r.resp_h),
  src_port: (r) => str(r.orig_p),
  dst_port: (r) => str(r.resp_p),
  iface: (r) => str(r.in_iface ?? r.out_iface),
  direction: (r, x) => x.direction ?? (r.in_iface !== null ? 'in' : 'out'), // the column the interface is in
  rule: (r) => str(r.rule_id),
  tracker: (r, x) => x.tracker,
  reason: (r, x) => x.reason,
  length: (r) => str(r.bytes),
  data_length: (r, x) => x.data_length,
  ip_ver: (r, x) => x.ip_version ?? (String(r.orig_h).includes(':') ? '6' : '4'), // the address family
  ip4_tos: (r, x) => x.tos,
  ip4_ttl: (r, x) => x.ttl,
  ip4_id: (r, x) => x.id,
  ip4_offset: (r, x) => x.offset,
  ip4_flags: (r, x) => x.flags,
  ip4_proto: (r) => str(r.proto),
  ip4_proto_id: (r) => str(r.ip_proto),
  ip6_class: (r, x) => x.class,
  ip6_flow_label: (r, x) => x.flow_label,
  ip6_hop_limit: (r, x) => x.hop_limit,
  ip6_proto: (r) => str(r.proto),
  ip6_proto_id: (r) => str(r.ip_proto),
  tcp_flags: (r, x) => x.tcp_flags,
  sequence_number: (r, x) => x.seq,
  ack_number: (r, x) => x.ack,
  tcp_window: (r, x) => x.window,
  tcp_options: (r, x) => x.options,
  meta_machine: (r) => str(r.sensor),
  meta_service: (r) => str(r.proto),
  meta_source_ip: (r) => str(r.orig_h),
  timestamp8601: (r) => new Date((r.ts as number) / 1000).toISOString().replace('.000Z', 'Z'),
};

test('crowdsec pfSense/OPNsense sample: every mapped field matches the parser assertions', () => {
  const out = decodeAll(dec, readFileSync(FIX + 'crowdsec_pfsense_filterlog.log'));
  assert.deepEqual(out.skips, []);
  const want = crowdsec('crowdsec_pfsense_filterlog.expected.parser.assert.txt', 's01-parse', 'firewallservices/pf-logs');
  const lines = readFileSync(FIX + 'crowdsec_pfsense_filterlog.log', 'utf8').split('\n').filter((l) => l.length > 0);
  assert.equal(out.rows.firewall.length, lines.length);
  let compared = 0;
  out.rows.firewall.forEach((r, i) => {
    assert.equal(r.message, lines[i]);
    const x = JSON.parse(r.extra as string) as Extra;
    for (const [k, v] of Object.entries(want.get(i)!)) {
      const get = MAP[k];
      if (get === undefined) continue;
      const expect = k === 'timestamp8601' ? new Date(v).toISOString().replace('.000Z', 'Z') : v;
      assert.equal(get(r, x), expect, `line ${i + 1} ${k}`);
      compared++;
    }
  });
  assert.ok(compared > 150, String(compared));
  const first = out.rows.firewall[0];
  assert.equal(first.ts, Date.UTC(2026, 8, 28, 10, 38, 9) * 1000);
  assert.equal(first.source_type, 'pf-filterlog');
  assert.equal(first.packets, 1);
  const fx = JSON.parse(first.extra as string) as Extra;
  assert.deepEqual([fx.action, fx.direction, fx.ip_version, fx.proto, fx.length], [undefined, undefined, undefined, undefined, undefined]);
  assert.equal(out.rows.firewall[2].out_iface, 'em0');
  assert.equal(out.rows.firewall[7].community_id, '1:i9oaFNuOnkCCThB6sJhW04Etqtk=');
});

test('ICMP variants give type/code ports and named extra fields', () => {
  const lines = [
    'Jan 10 12:00:00 fw filterlog[1]: 5,,,100,em0,match,pass,out,4,0x0,,64,1,0,none,1,icmp,84,10.0.0.1,8.8.8.8,request,4321,7',
    'Jan 10 12:00:00 fw filterlog[1]: 5,,,100,em0,match,block,in,4,0x0,,64,1,0,none,1,icmp,56,10.0.0.9,10.0.0.1,unreachport,10.0.0.1,17,53',
    'Jan 10 12:00:00 fw filterlog[1]: 7,,,101,em1,match,reject,in,4,0x0,,64,1,0,DF,112,carp,36,10.0.0.2,224.0.0.18,advertise,255,1,2,0,1',
  ];
  const rows = decodeAll(dec, Buffer.from(lines.join('\n'))).rows.firewall;
  assert.deepEqual(rows.map((r) => [r.proto, r.orig_p, r.resp_p, r.action]), [
    ['icmp', 8, 0, 'allow'],
    ['icmp', 3, 3, 'deny'],
    ['112', null, null, 'reject'],
  ]);
  assert.equal(JSON.parse(rows[0].extra as string).icmp_id, '4321');
  assert.equal(JSON.parse(rows[1].extra as string).icmp_port, '53');
  assert.equal(JSON.parse(rows[2].extra as string).vhid, '1');
  assert.equal(rows[0].sensor, 'fw');
});

test('malformed lines are counted by reason and line number, valid ones kept', () => {
  const ok = 'Sep 28 10:38:09 pfSense filterlog: 53,,,1,em0,match,block,in,4,0x0,,64,420,0,none,17,udp,60,10.0.2.2,10.0.2.15,53,22,40';
  const input = [
    ok,
    'Sep 28 10:38:09 pfSense filterlog: hello',
    'Sep 28 10:38:09 pfSense filterlog: 53,,,1,em0,match,block,in,4,0x0,,64,420',
    'Sep 28 10:38:09 pfSense filterlog: 53,,,1,em0,match,block,in,5,0x0,,64,420,0,none,17,udp,60,10.0.2.2,10.0.2.15,53,22,40',
    'Sep 28 10:38:09 pfSense filterlog: 53,,,1,em0,match,block,in,4,0x0,,64,420,0,none,17,udp,60,10.0.2,10.0.2.15,53,22,40',
    'Sep 28 10:38:09 pfSense filterlog: 53,,,1,em0,match,block,in,4,0x0,,64,420,0,none,17,udp,60,10.0.2.2,10.0.2.15,99999,22,40',
    'Sep 31 10:38:09 pfSense filterlog: 53,,,1,em0,match,block,in,4,0x0,,64,420,0,none,17,udp,60,10.0.2.2,10.0.2.15,53,22,40',
    '53,,,1,em0,match,block,in,4,0x0,,64,420,0,none,17,udp,60,10.0.2.2,10.0.2.15,53,22,40',
    ok,
  ].join('\n');
  const out = decodeAll(dec, Buffer.from(input), { chunkSize: 5 });
  assert.equal(out.rows.firewall.length, 2);
  assert.deepEqual(out.skips.map((s) => [s.reason, s.position]), [
    ['no_match', 2],
    ['truncated', 3],
    ['bad_field', 4],
    ['bad_address', 5],
    ['bad_field', 6],
    ['bad_time', 7],
    ['no_time', 8],
  ]);
});

test('sniff: claims filterlog only', () => {
  assert.equal(pfFilterlog.sniff(readFileSync(FIX + 'crowdsec_pfsense_filterlog.log')), 0.95);
  assert.equal(pfFilterlog.sniff(Buffer.from('53,,,1,em0,match,block,in,4,0x0,,64,420,0,none,17,udp,60,10.0.2.2,10.0.2.15,53,22,40\n')), 0.95);
  for (const f of ['crowdsec_iptables.log', 'iptables_kernel_log_variants.log', 'windows_pfirewall_azure_stack_edge_doc.log', 'crowdsec_cef_unifi.log']) {
    assert.equal(pfFilterlog.sniff(readFileSync(FIX + f)), 0, f);
  }
  assert.equal(pfFilterlog.sniff(Buffer.from('{"timestamp":"2020","event_type":"flow"}\n')), 0);
});
