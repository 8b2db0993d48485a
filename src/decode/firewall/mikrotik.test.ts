import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeAll, type TestValue } from '../testing.js';
import { crowdsecExpectations } from './crowdsec-oracle.js';
import { decisionIn } from './decision-words.js';
import { mikrotik, natOf } from './mikrotik.js';

const FIX = 'test/fixtures/firewall/';
const str = (v: TestValue): string | null => (v === null ? null : String(v));
const PROTO: Record<string, string> = { tcp: 'TCP', udp: 'UDP', icmp: 'ICMP' };

/** How each crowdsec field is found in our row. */
const MAP: Record<string, (r: Record<string, TestValue>, x: Record<string, string>) => string | null> = {
  source_ip: (r) => str(r.orig_h),
  dst_ip: (r) => str(r.resp_h),
  src_port: (r) => str(r.orig_p),
  dst_port: (r) => str(r.resp_p),
  proto: (r) => PROTO[r.proto as string] ?? null,
  if_in: (r) => str(r.in_iface),
  if_out: (r) => str(r.out_iface) ?? '(unknown 0)',
  length: (r) => str(r.bytes),
  chain: (_r, x) => x.chain,
  tag: (r) => str(r.rule),
  topics: (_r, x) => x.topics,
  connection_state: (_r, x) => x.connection_state,
  src_mac: (_r, x) => x.src_mac,
  meta_source_ip: (r) => str(r.orig_h),
  meta_dst_port: (r) => str(r.resp_p),
  timestamp: (r) => new Date((r.ts as number) / 1000).toISOString(),
};

test('crowdsec MikroTik sample: every mapped field matches the parser assertions', () => {
  const input = readFileSync(FIX + 'crowdsec_mikrotik.log');
  const out = decodeAll(mikrotik, input);
  const want = crowdsecExpectations(FIX + 'crowdsec_mikrotik.expected.parser.assert.txt', 's01-parse', 'a1ad/mikrotik-logs');
  const lines = input.toString('utf8').split('\n').filter((l) => l.length > 0);
  let row = 0;
  let compared = 0;
  for (let i = 0; i < lines.length; i++) {
    const w = want.get(i)!;
    if (w.connection_state === undefined) continue; // the login-failure line: not a firewall record
    const r = out.rows.firewall[row++];
    assert.equal(r.message, lines[i]);
    const x = JSON.parse(r.extra as string) as Record<string, string>;
    for (const [k, v] of Object.entries(w)) {
      const get = MAP[k];
      if (get === undefined) continue;
      // crowdsec keeps the stamp's own offset; we store UTC: compare the instant.
      const expected = k === 'timestamp' ? new Date(v).toISOString() : v;
      assert.equal(get(r, x), expected, `line ${i + 1} ${k}`);
      compared++;
    }
  }
  assert.equal(row, 6);
  assert.equal(out.rows.firewall.length, 6);
  assert.ok(compared >= 6 * 12);
  assert.deepEqual(out.ignored, { 'mikrotik-system': 1 });
  assert.deepEqual(out.skips, []);
  const first = out.rows.firewall[0];
  assert.equal(first.action, 'drop');
  assert.equal(first.sensor, '10.120.127.1');
  assert.equal(first.packets, 1);
  assert.equal(first.source_type, 'mikrotik');
  assert.match(String(first.community_id), /^1:[A-Za-z0-9+/]{27}=$/);
  assert.equal(out.rows.firewall[2].action, null, 'no prefix, no stated action');
  assert.equal(out.rows.firewall[2].proto, 'tcp');
});

test('RouterOS forms: BSD envelope with the chain as tag, ICMP, IPv6, NAT both ways, flags', () => {
  const text = [
    '<134>Mar 18 20:35:05 MikroTik input: in:ether1 out:(unknown 0), proto ICMP (type 8, code 0), 203.0.113.9->198.51.100.1, len 84',
    'Mar 18 20:35:06 gw firewall,info ACCEPT lan-out forward: in:bridge out:ether1, connection-state:new src-mac 4c:5e:0c:11:22:33, proto TCP (SYN), 192.168.88.10:51234->93.184.216.34:443, NAT (192.168.88.10:51234->203.0.113.5:51234)->93.184.216.34:443, len 60',
    'Mar 18 20:35:07 gw firewall,info dstnat: in:ether1 out:bridge, connection-state:new,dnat proto TCP (SYN), 198.51.100.7:40000->203.0.113.5:8443, NAT 198.51.100.7:40000->(203.0.113.5:8443->192.168.88.20:443), len 52',
    'Mar 18 20:35:08 gw firewall,info v6 drop input: in:ether1 out:(unknown 0), proto ICMP (type 128, code 0), [2001:db8::1]->[2001:db8::2], len 104',
    'Mar 18 20:35:09 gw firewall,info gre forward: in:ether1 out:bridge, proto 47, 198.51.100.7->192.168.88.20, len 120',
    'Mar 18 20:35:10 gw firewall,info input: in:ether1 out:(unknown 0), proto TCP (ACK,PSH), 10.0.0.1:22->10.0.0.2:51000, len 1500',
  ].join('\n');
  const out = decodeAll(mikrotik, Buffer.from(text));
  assert.deepEqual(out.skips, []);
  const [icmp, snat, dnat, v6, gre, flags] = out.rows.firewall;
  assert.deepEqual([icmp.proto, icmp.orig_p, icmp.resp_p, icmp.in_iface, icmp.out_iface, icmp.sensor, icmp.rule], ['icmp', 8, 0, 'ether1', null, 'MikroTik', null]);
  assert.equal(JSON.parse(icmp.extra as string).chain, 'input');
  assert.deepEqual([snat.rule, snat.action, snat.nat_orig_h, snat.nat_orig_p, snat.nat_resp_h], ['ACCEPT lan-out', 'allow', '203.0.113.5', 51234, null]);
  assert.deepEqual(JSON.parse(snat.extra as string), { topics: 'firewall,info', chain: 'forward', connection_state: 'new', src_mac: '4c:5e:0c:11:22:33', tcp_flags: 'SYN' });
  assert.equal(snat.sensor, 'gw', 'the envelope host is the sensor column, not repeated in extra');
  assert.deepEqual([dnat.nat_orig_h, dnat.nat_resp_h, dnat.nat_resp_p, dnat.resp_h], [null, '192.168.88.20', 443, '203.0.113.5']);
  assert.deepEqual([v6.proto, v6.orig_h, v6.resp_h, v6.orig_p, v6.action, v6.rule], ['icmp6', '2001:db8::1', '2001:db8::2', 128, 'drop', 'v6 drop']);
  assert.deepEqual([gre.proto, gre.ip_proto, gre.orig_p, gre.bytes], ['47', 47, null, 120]);
  assert.equal(JSON.parse(flags.extra as string).tcp_flags, 'ACK,PSH');
});

test('hostile and other lines: counted by reason, the rest kept', () => {
  const text = [
    'Mar 18 20:35:05 gw firewall,info input: in:ether1 out:(unknown 0), proto TCP (SYN), 10.0.0.1:22->10.0.0.2:51000, len 60',
    'Mar 18 20:35:05 gw firewall,info input: in:ether1 out:(unknown 0), something else entirely',
    'Mar 18 20:35:05 gw firewall,info input: in:ether1 out:(unknown 0), proto TCP (SYN), 999.0.0.1:22->10.0.0.2:51000, len 60',
    'Mar 18 20:35:05 gw firewall,info input: in:ether1 out:(unknown 0), proto TCP (SYN), 10.0.0.1:99999->10.0.0.2:51000, len 60',
    'Mar 18 20:35:05 gw firewall,info input: in:ether1 out:(unknown 0), proto TCP (SYN), 10.0.0.1:1->[2001:db8::2]:5, len 60',
    'input: in:ether1 out:(unknown 0), proto TCP (SYN), 10.0.0.1:22->10.0.0.2:51000, len 60',
    'Mar 18 20:35:05 gw dhcp,info dhcp1 assigned 192.168.88.254 to 4C:5E:0C:11:22:33',
    `Mar 18 20:35:05 gw firewall,info ${'x'.repeat(5000)} input: in:a out:b, proto UDP, 1.1.1.1:1->2.2.2.2:2, len 1`,
    'Mar 18 20:35:05 gw firewall,info input: in:ether1 out:(unknown 0), proto UDP, 10.0.0.1:53->10.0.0.2:51000, len 60',
  ].join('\n');
  const out = decodeAll(mikrotik, Buffer.from(text));
  assert.deepEqual(out.skips.map((s) => [s.reason, s.position]), [['no_match', 2], ['bad_address', 3], ['bad_value', 4], ['bad_address', 5], ['no_timestamp', 6]]);
  assert.deepEqual(out.ignored, { 'mikrotik-dhcp': 1 });
  assert.equal(out.rows.firewall.length, 3);
  assert.equal(out.rows.firewall[2].resp_p, 51000);
});

test('prefix words state the action; NAT clauses parse in each form', () => {
  assert.equal(decisionIn('DROP_INPUT'), 'drop');
  assert.equal(decisionIn('blocked-ssh'), 'deny');
  assert.equal(decisionIn('web allow'), 'allow');
  assert.equal(decisionIn('dropbox'), null);
  assert.equal(decisionIn(''), null);
  assert.deepEqual(natOf('(10.0.0.1:5->192.0.2.1:6)->(192.0.2.9:80->10.0.0.9:8080)'), { src: { h: '192.0.2.1', p: 6 }, dst: { h: '10.0.0.9', p: 8080 } });
  assert.deepEqual(natOf('nonsense'), { src: null, dst: null });
});

test('sniffed among the other formats', () => {
  const head = readFileSync(FIX + 'crowdsec_mikrotik.log');
  assert.ok(mikrotik.sniff(head) >= 0.5);
  assert.equal(mikrotik.sniff(readFileSync(FIX + 'crowdsec_iptables.log')), 0);
});
