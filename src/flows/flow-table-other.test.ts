/**
 * UDP, ICMP and other IP protocols; keys (VLANs, tunnels, IPv6); packets that make no connection.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TunnelKind } from '../decode/packet/packet-info.js';
import { collectingTable, makePacket, type PacketSpec } from './testing.js';
import type { FlowTableOptions } from './flow-config.js';

function run(specs: PacketSpec[], opts: FlowTableOptions = {}) {
  const { table, records } = collectingTable(opts);
  const handles = specs.map((s) => table.packet(makePacket(s)));
  table.flush();
  return { records, handles, table };
}

const A = '192.168.1.10';
const B = '192.168.1.1';

test('UDP request and response: SF Dd, payload bytes, duration', () => {
  const { records } = run([
    { t: 10, src: A, dst: B, proto: 17, sport: 40000, dport: 53, len: 30 },
    { t: 10.25, src: B, dst: A, proto: 17, sport: 53, dport: 40000, len: 120 },
  ]);
  assert.equal(records.length, 1);
  const r = records[0];
  assert.deepEqual(
    [r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.ip_proto, r.conn_state, r.history],
    [A, 40000, B, 53, 17, 'SF', 'Dd'],
  );
  assert.deepEqual([r.orig_bytes, r.resp_bytes, r.duration], [30, 120, 0.25]);
  assert.deepEqual([r.orig_pkts, r.orig_ip_bytes, r.resp_pkts, r.resp_ip_bytes], [1, 58, 1, 148]);
});

test('a single UDP packet: S0 D, duration and byte counts unset (Zeek logs -)', () => {
  const { records } = run([{ t: 1, src: A, dst: B, proto: 17, sport: 40000, dport: 9999, len: 10 }]);
  const r = records[0];
  assert.deepEqual([r.conn_state, r.history, r.duration, r.orig_bytes, r.resp_bytes], ['S0', 'D', null, null, null]);
  assert.deepEqual([r.orig_pkts, r.orig_ip_bytes], [1, 38]);
});

test('a DNS response seen first: the likely server port makes the client the originator (^d, SHR)', () => {
  const { records, table } = run([{ t: 1, src: B, dst: A, proto: 17, sport: 53, dport: 40000, len: 60 }]);
  const r = records[0];
  assert.deepEqual([r.orig_h, r.orig_p, r.resp_h, r.resp_p], [A, 40000, B, 53]);
  assert.deepEqual([r.history, r.conn_state], ['^d', 'SHR']);
  assert.equal(table.lastFromOrig, false);
});

test('UDP port heuristic: no flip when both ports are likely servers, nor towards the broadcast address', () => {
  const both = run([{ t: 1, src: A, dst: B, proto: 17, sport: 53, dport: 123, len: 4 }]).records[0];
  assert.deepEqual([both.orig_p, both.history], [53, 'D']);
  const dhcp = run([{ t: 1, src: B, dst: '255.255.255.255', proto: 17, sport: 67, dport: 68, len: 300 }]).records[0];
  assert.deepEqual([dhcp.orig_h, dhcp.orig_p, dhcp.history], [B, 67, 'D']);
  const dhcpUnicast = run([{ t: 1, src: B, dst: A, proto: 17, sport: 67, dport: 68, len: 300 }]).records[0];
  assert.deepEqual([dhcpUnicast.orig_h, dhcpUnicast.orig_p, dhcpUnicast.history], [A, 68, '^d']);
  const custom = run([{ t: 1, src: B, dst: A, proto: 17, sport: 53, dport: 40000, len: 1 }], { likelyServerPortsUdp: [] });
  assert.deepEqual([custom.records[0].orig_h, custom.records[0].history], [B, 'D']);
});

test('ICMP echo request and reply pair into one connection: orig_p = 8, resp_p = 0, OTH, no history', () => {
  const { records } = run([
    { t: 1, src: A, dst: B, proto: 1, type: 8, code: 0, len: 56 },
    { t: 1.001, src: B, dst: A, proto: 1, type: 0, code: 0, len: 56 },
    { t: 2, src: A, dst: B, proto: 1, type: 8, code: 0, len: 56 },
    { t: 2.001, src: B, dst: A, proto: 1, type: 0, code: 0, len: 56 },
  ]);
  assert.equal(records.length, 1);
  const r = records[0];
  assert.deepEqual([r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.ip_proto], [A, 8, B, 0, 1]);
  assert.deepEqual([r.conn_state, r.history, r.orig_bytes, r.resp_bytes], ['OTH', null, 112, 112]);
  assert.deepEqual([r.orig_pkts, r.orig_ip_bytes, r.resp_pkts, r.resp_ip_bytes], [2, 168, 2, 168]);
});

test('an echo reply seen first stays the originator, as in Zeek (no ICMP role heuristic)', () => {
  const { records } = run([{ t: 1, src: B, dst: A, proto: 1, type: 0, code: 0, len: 8 }]);
  assert.deepEqual([records[0].orig_h, records[0].orig_p, records[0].resp_p], [B, 0, 8]);
});

test('one-way ICMP messages are keyed by direction, with resp_p = code', () => {
  const { records } = run([
    { t: 1, src: B, dst: A, proto: 1, type: 3, code: 1, len: 28 },
    { t: 2, src: A, dst: B, proto: 1, type: 3, code: 1, len: 28 },
    { t: 3, src: B, dst: A, proto: 1, type: 11, code: 0, len: 28 },
  ]);
  assert.equal(records.length, 3);
  assert.deepEqual(
    records.map((r) => [r.orig_h, r.orig_p, r.resp_h, r.resp_p]),
    [
      [B, 3, A, 1],
      [A, 3, B, 1],
      [B, 11, A, 0],
    ],
  );
});

test('ICMPv6 echo pairs by its own counterpart table; IPv6 addresses print compressed', () => {
  const { records } = run([
    { t: 1, src: '2001:db8:0:0:0:0:0:1', dst: 'fe80::0:0:1:2', proto: 58, type: 128, len: 16 },
    { t: 1.5, src: 'fe80::1:2', dst: '2001:db8::1', proto: 58, type: 129, len: 16 },
  ]);
  assert.equal(records.length, 1);
  const r = records[0];
  assert.deepEqual([r.orig_h, r.orig_p, r.resp_h, r.resp_p, r.ip_proto], ['2001:db8::1', 128, 'fe80::1:2', 129, 58]);
  assert.deepEqual([r.orig_ip_bytes, r.orig_bytes, r.duration], [64, 16, 0.5]);
});

test('SCTP and unknown protocols: one connection per address pair and protocol, ports 0, OTH', () => {
  const { records } = run([
    { t: 1, src: A, dst: B, proto: 132, len: 100 },
    { t: 2, src: B, dst: A, proto: 132, len: 40 },
    { t: 3, src: A, dst: B, proto: 47, len: 10 },
  ]);
  assert.equal(records.length, 2);
  const sctp = records.find((r) => r.ip_proto === 132)!;
  assert.deepEqual([sctp.orig_h, sctp.orig_p, sctp.resp_p, sctp.conn_state, sctp.history], [A, 0, 0, 'OTH', null]);
  assert.deepEqual([sctp.orig_bytes, sctp.resp_bytes, sctp.orig_pkts, sctp.resp_pkts], [0, 0, 1, 1]);
  assert.deepEqual([sctp.orig_ip_bytes, sctp.resp_ip_bytes], [120, 60]);
});

test('VLAN ids are part of the key (unless vlanInKey is off) and reported from the first packet', () => {
  const specs: PacketSpec[] = [
    { t: 1, src: A, dst: B, proto: 17, sport: 1000, dport: 2000, vlan: 10 },
    { t: 2, src: A, dst: B, proto: 17, sport: 1000, dport: 2000, vlan: 20, innerVlan: 5 },
  ];
  const keyed = run(specs).records;
  assert.deepEqual(
    keyed.map((r) => [r.vlan, r.inner_vlan]),
    [
      [10, null],
      [20, 5],
    ],
  );
  const merged = run(specs, { vlanInKey: false }).records;
  assert.equal(merged.length, 1);
  assert.deepEqual([merged[0].vlan, merged[0].orig_pkts], [10, 2]);
});

test('the same inner tuple in two tunnels is two connections; both tunnel directions are one', () => {
  const t1 = { kind: TunnelKind.Vxlan, src: '172.16.0.1', dst: '172.16.0.2' };
  const t1back = { kind: TunnelKind.Vxlan, src: '172.16.0.2', dst: '172.16.0.1' };
  const t2 = { kind: TunnelKind.Vxlan, src: '172.16.9.1', dst: '172.16.0.2' };
  const specs: PacketSpec[] = [
    { t: 1, src: A, dst: B, proto: 17, sport: 1000, dport: 2000, tunnel: t1 },
    { t: 2, src: B, dst: A, proto: 17, sport: 2000, dport: 1000, tunnel: t1back },
    { t: 3, src: A, dst: B, proto: 17, sport: 1000, dport: 2000, tunnel: t2 },
    { t: 4, src: A, dst: B, proto: 17, sport: 1000, dport: 2000 },
  ];
  const { records } = run(specs);
  assert.equal(records.length, 3);
  assert.deepEqual(records[0].tunnel, { kind: 'vxlan', src_h: '172.16.0.1', dst_h: '172.16.0.2' });
  assert.equal(records[0].history, 'Dd');
  assert.deepEqual(records[1].tunnel, { kind: 'vxlan', src_h: '172.16.9.1', dst_h: '172.16.0.2' });
  assert.equal(records[2].tunnel, null);
  assert.equal(run(specs, { tunnelInKey: false }).records.length, 1);
});

test('packets that make no connection: not IP, or a TCP/UDP/ICMP header that did not decode', () => {
  const { table, records } = collectingTable();
  const notIp = makePacket({ t: 1, src: A, dst: B, proto: 17, sport: 1, dport: 2 });
  notIp.ipVersion = 0;
  assert.equal(table.packet(notIp), -1);
  assert.equal(table.packet(makePacket({ t: 1, src: A, dst: B, proto: 6, broken: true })), -1);
  assert.equal(table.packet(makePacket({ t: 1, src: A, dst: B, proto: 1, broken: true })), -1);
  assert.ok(table.packet(makePacket({ t: 1, src: A, dst: B, proto: 99, broken: true })) >= 0);
  assert.equal(table.stats.ignored, 3);
  table.flush();
  assert.equal(records.length, 1);
});

test('a reused PacketInfo (as the decoder does) is read afresh every time', () => {
  const { table, records } = collectingTable();
  const p = makePacket({ t: 1, src: A, dst: B, proto: 17, sport: 1000, dport: 2000, len: 5 });
  table.packet(p);
  p.tsMicros += 1000;
  p.src[3] = 99; // 192.168.1.99
  table.packet(p);
  table.flush();
  assert.deepEqual(
    records.map((r) => r.orig_h),
    [A, '192.168.1.99'],
  );
});

test('unknown options are rejected; bad values too', () => {
  assert.throws(() => collectingTable({ maxflows: 5 } as unknown as FlowTableOptions), /unknown flow table option/);
  assert.throws(() => collectingTable({ maxFlows: 0 }), /at least 1/);
  assert.throws(() => collectingTable({ tcpCloseDelay: -1 }), /non-negative/);
  assert.throws(() => collectingTable({ likelyServerPortsTcp: [70000] }), /port numbers/);
});
