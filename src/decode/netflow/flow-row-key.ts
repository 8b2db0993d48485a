/**
 * The shared key columns (time, addresses, ports, protocol, Community ID, source, sensor, ingest) of a
 * NetFlow/IPFIX connection row, written from the address bytes in the datagram: IPv4 text goes from
 * the bytes straight into the batch arena and the Community ID is hashed from the same bytes.
 * writeFlowKey (flow-key.ts) gives the same columns from address strings, which here would mean making
 * two strings per flow and parsing them back into bytes for the hash (a tenth of the collector's
 * per-flow decode time, measured with bench/collector-stages.ts).
 */
import { communityIdOfAddrs } from '../../model/community-id.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import { ipv6Text } from '../dns/dns-text.js';
import { K, protoName } from '../flow-key.js';
import type { FlowRecord } from './flow-record.js';

const addrA = new Uint8Array(16);
const addrB = new Uint8Array(16);
const text = new Uint8Array(16);
const PROTO_NAMES: readonly string[] = Array.from({ length: 256 }, (_, n) => protoName(n));

/**
 * Copies the address at buf[at, at + len) into `out` as the Community ID hashes it and returns its
 * length: 4 for IPv4 and for IPv4-mapped IPv6 (which Nightjar stores as IPv4 text), else 16.
 */
function addrBytes(buf: Uint8Array, at: number, len: number, out: Uint8Array): number {
  if (len === 16 && isMapped(buf, at)) at += 12;
  else if (len === 16) {
    for (let i = 0; i < 16; i++) out[i] = buf[at + i];
    return 16;
  }
  out[0] = buf[at];
  out[1] = buf[at + 1];
  out[2] = buf[at + 2];
  out[3] = buf[at + 3];
  return 4;
}

/** True for ::ffff:a.b.c.d, printed as a.b.c.d (see ipv6Text). */
function isMapped(buf: Uint8Array, at: number): boolean {
  for (let i = 0; i < 10; i++) if (buf[at + i] !== 0) return false;
  return buf[at + 10] === 0xff && buf[at + 11] === 0xff;
}

/** Writes the address (`len` from addrBytes, bytes in `a`) as text into column `col` of `row`. */
function writeAddr(b: ColumnBatch, col: number, row: number, a: Uint8Array, len: number): void {
  if (len === 16) {
    b.setStr(col, row, ipv6Text(a, 0));
    return;
  }
  let n = 0;
  for (let i = 0; i < 4; i++) {
    const v = a[i];
    if (i > 0) text[n++] = 46;
    if (v >= 100) {
      text[n++] = 48 + ((v / 100) | 0);
      text[n++] = 48 + (((v / 10) | 0) % 10);
    } else if (v >= 10) text[n++] = 48 + ((v / 10) | 0);
    text[n++] = 48 + (v % 10);
  }
  b.setBytes(col, row, text, 0, n);
}

/**
 * Fills the key columns of `row` from `rec`, whose addresses are positions in its buffer (not
 * `addrsAsText`), with ports `origP`/`respP` as the row keeps them (ICMP type and code moved there).
 */
export function writeFlowRowKey(
  b: ColumnBatch,
  row: number,
  rec: FlowRecord,
  origP: number | null,
  respP: number | null,
  sourceType: string,
  sensor: string,
  ingestId: number,
): void {
  if (rec.ts !== null) b.setNum(K.ts, row, rec.ts);
  const buf = rec.extraBuf;
  const la = rec.srcAt >= 0 ? addrBytes(buf, rec.srcAt, rec.srcLen, addrA) : 0;
  const lb = rec.dstAt >= 0 ? addrBytes(buf, rec.dstAt, rec.dstLen, addrB) : 0;
  if (la > 0) writeAddr(b, K.orig_h, row, addrA, la);
  if (lb > 0) writeAddr(b, K.resp_h, row, addrB, lb);
  if (origP !== null) b.setNum(K.orig_p, row, origP);
  if (respP !== null) b.setNum(K.resp_p, row, respP);
  const proto = rec.proto;
  if (proto !== null) {
    if (proto <= 255) {
      b.setStr(K.proto, row, PROTO_NAMES[proto]);
      b.setNum(K.ip_proto, row, proto);
      if (la > 0 && la === lb) b.setStr(K.community_id, row, communityIdOfAddrs(addrA, addrB, la, origP ?? 0, respP ?? 0, proto));
    } else b.setStr(K.proto, row, String(proto));
  }
  b.setStr(K.source_type, row, sourceType);
  b.setStr(K.sensor, row, sensor);
  b.setNum(K.ingest_id, row, ingestId);
}
