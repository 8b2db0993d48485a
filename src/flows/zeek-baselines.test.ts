/**
 * Golden tests: replays the packet header rows of Zeek's own test traces (extracted by
 * test/fixtures/flows/extract.sh) through FlowTable and compares the records with Zeek's conn.log
 * baselines, column by column. Columns the flow table does not produce are skipped: ts and uid (masked
 * in the baselines), service (protocol analyzers), local_orig/local_resp (site model), tunnel_parents
 * and community_id (computed downstream).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PacketInfo, TunnelKind } from '../decode/packet/packet-info.js';
import { parseIpInto } from '../model/ip.js';
import type { ConnectionRecord } from './connection-record.js';
import { FlowTable } from './flow-table.js';

const DIR = path.join(process.cwd(), 'test/fixtures/flows');

/** Parses a tshark epoch ("1362692526.869344000") into microseconds without float rounding. */
function micros(s: string): number {
  const [sec, frac = ''] = s.split('.');
  return Number(sec) * 1e6 + Number(frac.slice(0, 6).padEnd(6, '0'));
}

/** Replays a packets.tsv file: each frame becomes a PacketInfo (two for a tunnelled frame). */
function replay(name: string): ConnectionRecord[] {
  const lines = fs.readFileSync(path.join(DIR, `${name}.packets.tsv`), 'utf8').split('\n').filter(Boolean);
  const cols = lines[0].split('\t');
  const records: ConnectionRecord[] = [];
  const table = new FlowTable({}, (c) => records.push(c));
  for (const line of lines.slice(1)) {
    const cell = line.split('\t');
    const f = (n: string): string[] => {
      const v = cell[cols.indexOf(n)] ?? '';
      return v === '' ? [] : v.split(',');
    };
    const ipv = f('ip.version');
    const v6src = f('ipv6.src');
    const layers = ipv.length + v6src.length;
    if (layers === 0) continue; // not IP
    const vlans = f('vlan.id').map(Number);
    const ts = micros(f('frame.time_epoch')[0]);
    const mk = (layer: number, transport: boolean): PacketInfo => {
      const p = new PacketInfo();
      p.reset();
      p.tsMicros = ts;
      p.vlan = vlans[0] ?? -1;
      p.innerVlan = vlans[1] ?? -1;
      const v6 = ipv.length === 0;
      p.ipVersion = v6 ? 6 : 4;
      parseIpInto((v6 ? f('ipv6.src') : f('ip.src'))[layer], p.src, 0);
      parseIpInto((v6 ? f('ipv6.dst') : f('ip.dst'))[layer], p.dst, 0);
      p.ipProto = Number((v6 ? f('ipv6.nxt') : f('ip.proto'))[layer]);
      p.ipLen = v6 ? Number(f('ipv6.plen')[layer]) + 40 : Number(f('ip.len')[layer]);
      const ipPayload = v6 ? p.ipLen - 40 : p.ipLen - Number(f('ip.hdr_len')[layer]);
      p.transportOk = true;
      if (p.ipProto === 6) {
        p.srcPort = Number(f('tcp.srcport')[0]);
        p.dstPort = Number(f('tcp.dstport')[0]);
        p.tcpSeq = Number(f('tcp.seq_raw')[0]);
        p.tcpAck = Number(f('tcp.ack_raw')[0]);
        p.tcpFlags = Number(f('tcp.flags')[0]);
        p.tcpWindow = Number(f('tcp.window_size_value')[0]);
        p.payloadLen = Number(f('tcp.len')[0]);
      } else if (p.ipProto === 17) {
        // The outer layer's UDP header is the first occurrence.
        const i = transport ? f('udp.srcport').length - 1 : 0;
        p.srcPort = Number(f('udp.srcport')[i]);
        p.dstPort = Number(f('udp.dstport')[i]);
        p.payloadLen = Number(f('udp.length')[i]) - 8;
      } else if (p.ipProto === 1 || p.ipProto === 58) {
        const t = p.ipProto === 1 ? f('icmp.type') : f('icmpv6.type');
        const c = p.ipProto === 1 ? f('icmp.code') : f('icmpv6.code');
        p.icmpType = p.srcPort = Number(t[0]);
        p.icmpCode = p.dstPort = Number(c[0]);
        p.payloadLen = ipPayload - 8;
      } else p.payloadLen = ipPayload;
      p.payloadCapLen = p.payloadLen;
      return p;
    };
    if (layers === 1) {
      table.packet(mk(0, true));
      continue;
    }
    // A tunnel (VXLAN in these traces): the outer UDP packet, then the inner one in its context.
    table.packet(mk(0, false));
    const inner = mk(layers - 1, true);
    inner.tunnel = TunnelKind.Vxlan;
    parseIpInto(f('ip.src')[0], inner.tunnelSrc, 0);
    parseIpInto(f('ip.dst')[0], inner.tunnelDst, 0);
    inner.tunnelIpVersion = 4;
    table.packet(inner);
  }
  table.flush();
  return records;
}

/** What Zeek would print in `col` for a record, or undefined for columns the flow table does not own. */
function zeekValue(r: ConnectionRecord, col: string): string | undefined {
  const dash = (v: number | string | null): string => (v === null ? '-' : String(v));
  switch (col) {
    case 'id.orig_h':
      return r.orig_h;
    case 'id.orig_p':
      return String(r.orig_p);
    case 'id.resp_h':
      return r.resp_h;
    case 'id.resp_p':
      return String(r.resp_p);
    case 'proto':
      return ({ 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmp' } as Record<number, string>)[r.ip_proto] ?? 'unknown_transport';
    case 'duration':
      return r.duration === null ? '-' : r.duration.toFixed(6);
    case 'orig_bytes':
      return dash(r.orig_bytes);
    case 'resp_bytes':
      return dash(r.resp_bytes);
    case 'conn_state':
      return r.conn_state;
    case 'missed_bytes':
      return String(r.missed_bytes);
    case 'history':
      return dash(r.history);
    case 'orig_pkts':
      return String(r.orig_pkts);
    case 'orig_ip_bytes':
      return String(r.orig_ip_bytes);
    case 'resp_pkts':
      return String(r.resp_pkts);
    case 'resp_ip_bytes':
      return String(r.resp_ip_bytes);
    case 'ip_proto':
      return String(r.ip_proto);
    case 'vlan':
      return dash(r.vlan);
    case 'inner_vlan':
      return dash(r.inner_vlan);
    default:
      return undefined;
  }
}

/**
 * Parses a Zeek TSV log or a zeek-cut output (header line without '#', or no header at all when the
 * btest's zeek-cut columns are given as `header`) into rows of named cells.
 */
function readLog(file: string, given?: string[]): Record<string, string>[] {
  const lines = fs
    .readFileSync(path.join(DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('### '));
  const fieldsLine = lines.find((l) => l.startsWith('#fields\t'));
  const header = given ?? (fieldsLine ? fieldsLine.split('\t').slice(1) : lines[0].split('\t'));
  const body = fieldsLine ? lines.filter((l) => !l.startsWith('#')) : given ? lines : lines.slice(1);
  return body.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [header[i], v])));
}

function compare(
  records: ConnectionRecord[],
  file: string,
  skip: (row: Record<string, string>, col: string) => boolean,
  header?: string[],
): number {
  const rows = readLog(file, header);
  assert.equal(records.length, rows.length, `${file}: number of connections`);
  let checked = 0;
  for (const row of rows) {
    const hasTuple = 'id.orig_h' in row;
    const rec = hasTuple
      ? records.find(
          (r) =>
            r.orig_h === row['id.orig_h'] &&
            String(r.orig_p) === row['id.orig_p'] &&
            r.resp_h === row['id.resp_h'] &&
            String(r.resp_p) === row['id.resp_p'],
        )
      : records[0];
    assert.ok(rec, `${file}: no record oriented as ${row['id.orig_h']}:${row['id.orig_p']} -> ${row['id.resp_h']}:${row['id.resp_p']}`);
    for (const [col, want] of Object.entries(row)) {
      const got = zeekValue(rec, col);
      if (got === undefined || skip(row, col)) continue;
      assert.equal(got, want, `${file}: ${col} of ${rec.orig_h}:${rec.orig_p} -> ${rec.resp_h}:${rec.resp_p}`);
      checked++;
    }
  }
  return checked;
}

const none = (): boolean => false;

test('HTTP GET: handshake, data both ways, FIN both ways (SF ShADadFf, sizes from sequence numbers)', () => {
  assert.equal(compare(replay('zeek_http_get'), 'zeek_http_get.expected.conn.log', none), 16);
  const cut = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'community_id'];
  assert.equal(compare(replay('zeek_http_get'), 'zeek_http_get.expected.communityid.conn.log.cut', none, cut), 5);
});

test('missing SYN: the SYN-ACK comes first and the likely-server-port heuristic flips roles (^hADdFaf)', () => {
  assert.equal(compare(replay('zeek_tcp_missing_syn'), 'zeek_tcp_missing_syn.expected.conn.log', none), 16);
});

test('SCTP is an unknown transport: ports 0, OTH, no history, zero bytes', () => {
  assert.equal(compare(replay('zeek_communityid_sctp'), 'zeek_communityid_sctp.expected.conn.log', none), 16);
});

test('Q-in-Q: one-way UDP (S0 D) and both VLAN ids', () => {
  const recs = replay('zeek_q_in_q');
  assert.equal(compare(recs, 'zeek_q_in_q.expected.conn.log', none), 32);
  assert.equal(compare(recs, 'zeek_q_in_q.expected.vlan.conn.log', none), 36);
});

test('pcapng multi-interface: DNS request/response pairs (SF Dd)', () => {
  assert.equal(compare(replay('zeek_pcapng_multi_interface'), 'zeek_pcapng_multi_interface.expected.conn.log', none), 48);
});

test('raw IPv4 TCP syslog: duration excludes the ACK after both FINs', () => {
  assert.equal(compare(replay('zeek_rawip4_tcp_syslog'), 'zeek_rawip4_tcp_syslog.expected.conn.log', none), 4);
});

test('QUIC over UDP 443 and VLAN 0 tags', () => {
  assert.equal(compare(replay('zeek_quicv2_http3'), 'zeek_quicv2_http3.expected.conn.log.cut', none), 1);
  assert.equal(compare(replay('zeek_http_vlan0'), 'zeek_http_vlan0.expected.conn.log.cut', none), 2);
  assert.equal(compare(replay('zeek_http_qinq0'), 'zeek_http_qinq0.expected.conn.log.cut', none), 2);
});

test('VXLAN: outer UDP flows per direction, inner ICMP echo pairs across both tunnel directions', () => {
  // The inner ICMP's 'X' comes from the test's Tunnel::max_depth setting, which the flow table has no part in.
  const skip = (row: Record<string, string>, col: string): boolean => col === 'history' && row.history === 'X';
  const recs = replay('zeek_vxlan');
  assert.equal(compare(recs, 'zeek_vxlan.expected.conn.log', skip), 79);
  const icmp = recs.find((r) => r.ip_proto === 1);
  assert.deepEqual(icmp?.tunnel, { kind: 'vxlan', src_h: '192.168.56.11', dst_h: '192.168.56.12' });
  assert.equal(icmp?.history, null);
});
