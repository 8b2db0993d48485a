/**
 * Test support for the nfcapd decoder: flows as nfdump prints them (`nfdump -r FILE -o json`, run
 * with TZ=UTC) and as Nightjar stores them, both reduced to the same comparable shape.
 */
import path from 'node:path';
import type { TestValue } from '../testing.js';

/** Folder of the committed nfcapd fixtures. */
export const NFCAPD_FIXTURES = path.join(process.cwd(), 'test/fixtures/nfcapd');

/** One flow reduced to what both sides have: 5-tuple, times, counts, TCP flags, exporter. */
export interface ComparableFlow {
  first: number;
  last: number;
  src: string;
  sp: number;
  dst: string;
  dp: number;
  proto: number;
  packets: number;
  bytes: number;
  flags: number;
  exporter: string;
}

// nfdump prints TCP flags as CEUAPRSF, one letter per bit from CWR (0x80) down to FIN (0x01).
function flagBits(s: unknown): number {
  if (typeof s !== 'string' || s.length !== 8) return 0;
  let v = 0;
  for (let i = 0; i < 8; i++) if (s[i] !== '.') v |= 0x80 >> i;
  return v;
}

/** A flow from nfdump's JSON output (times printed in UTC, milliseconds). */
export function fromNfdump(r: Record<string, unknown>): ComparableFlow {
  const icmp = r.proto === 1 || r.proto === 58;
  return {
    first: Date.parse(`${String(r.first)}Z`) * 1000,
    last: Date.parse(`${String(r.last)}Z`) * 1000,
    src: String(r.src4_addr ?? r.src6_addr),
    sp: Number(icmp ? r.icmp_type : r.src_port),
    dst: String(r.dst4_addr ?? r.dst6_addr),
    dp: Number(icmp ? r.icmp_code : r.dst_port),
    proto: Number(r.proto),
    packets: Number(r.in_packets),
    bytes: Number(r.in_bytes),
    flags: icmp || r.proto === 17 ? 0 : flagBits(r.tcp_flags),
    exporter: String(r.ip4_router ?? r.ip6_router),
  };
}

/** A stored connection row (as decodeAll or a store query returns it). */
export function fromRow(row: Record<string, TestValue>): ComparableFlow {
  const extra = JSON.parse(String(row.extra)) as Record<string, unknown>;
  const icmp = row.ip_proto === 1 || row.ip_proto === 58;
  return {
    first: Number(row.ts),
    last: Number(row.end_ts),
    src: String(row.orig_h),
    sp: Number(row.orig_p),
    dst: String(row.resp_h),
    dp: Number(row.resp_p),
    proto: Number(row.ip_proto),
    packets: Number(row.orig_pkts),
    bytes: Number(row.orig_ip_bytes),
    flags: icmp || row.ip_proto === 17 ? 0 : Number(extra.tcp_flags ?? 0),
    exporter: String(extra.exporter),
  };
}
