/**
 * Writes the columns every event table shares (time, uid, 5-tuple, protocol, Community ID, source,
 * sensor, ingest). All event tables start with the same fields in the same order, so one set of
 * column indexes serves them all.
 */
import { communityId, communityIdOfAddrs, protoNumber } from '../model/community-id.js';
import { parseIpBytesInto } from '../model/ip.js';
import { CONNECTIONS, columnIndex } from '../model/fields.js';
import type { ColumnBatch } from '../store/column-batch.js';
import { canonicalIp, canonicalIpBytes } from '../model/address-format.js';

/** Column indexes of the shared leading fields, valid for every event table. */
export const K = columnIndex(CONNECTIONS);

/** The shared fields of one record, as decoders find them. */
export interface FlowKey {
  tsMicros: number | null;
  uid: string | null;
  origH: string | null;
  origP: number | null;
  respH: string | null;
  respP: number | null;
  /** Transport as text (`tcp`, `udp`, `icmp`, a number...). */
  proto: string | null;
  /** Community ID given by the source, if any; computed otherwise. */
  communityId: string | null;
  /**
   * Addresses as ASCII bytes, for decoders that read text formats from bytes: when `origH`/`respH`
   * are null and this is set, `buf[origHStart..origHEnd)` and `buf[respHStart..respHEnd)` are used.
   */
  addrBuf?: Uint8Array | null;
  origHStart?: number;
  origHEnd?: number;
  respHStart?: number;
  respHEnd?: number;
}

const addrA = new Uint8Array(16);
const addrB = new Uint8Array(16);

/**
 * Stores an address given as bytes of a log line, in the one text form every source's rows share
 * (RFC 5952 for IPv6: ip6tables, for one, logs every group in full). A decoder may pass on a field that
 * is not an address (a damaged line): its bytes are copied only when they are ASCII, as every address
 * is; anything else is decoded (invalid UTF-8 becomes U+FFFD), because the store must never be handed
 * bytes that are not UTF-8.
 */
function setAddrBytes(b: ColumnBatch, col: number, row: number, ab: Uint8Array, start: number, end: number): void {
  if (end <= start) return;
  for (let i = start; i < end; i++) {
    if (ab[i] > 127) {
      b.setStr(col, row, Buffer.from(ab.buffer, ab.byteOffset + start, end - start).toString('utf8'));
      return;
    }
  }
  const canonical = canonicalIpBytes(ab, start, end);
  if (canonical !== null) b.setStr(col, row, canonical);
  else b.setBytes(col, row, ab, start, end);
}

/** Canonical transport name for a protocol number (what `proto` holds). */
export function protoName(n: number): string {
  switch (n) {
    case 6:
      return 'tcp';
    case 17:
      return 'udp';
    case 1:
      return 'icmp';
    case 58:
      return 'icmp6';
    case 132:
      return 'sctp';
    default:
      return String(n);
  }
}

/** Fills the shared columns of `row`. */
export function writeFlowKey(
  b: ColumnBatch,
  row: number,
  key: FlowKey,
  sourceType: string,
  sensor: string | null,
  ingestId: number,
): void {
  if (key.tsMicros !== null) b.setNum(K.ts, row, key.tsMicros);
  b.setStr(K.uid, row, key.uid);
  const ab = key.addrBuf;
  const fromBytes = ab != null && key.origH === null && key.respH === null;
  if (fromBytes) {
    setAddrBytes(b, K.orig_h, row, ab, key.origHStart!, key.origHEnd!);
    setAddrBytes(b, K.resp_h, row, ab, key.respHStart!, key.respHEnd!);
  } else {
    // Stored and hashed in one form (the key's text is replaced), so that the Community ID below agrees
    // with the addresses shown.
    if (key.origH !== null) key.origH = canonicalIp(key.origH);
    if (key.respH !== null) key.respH = canonicalIp(key.respH);
    b.setStr(K.orig_h, row, key.origH);
    b.setStr(K.resp_h, row, key.respH);
  }
  if (key.origP !== null) b.setNum(K.orig_p, row, key.origP);
  if (key.respP !== null) b.setNum(K.resp_p, row, key.respP);
  let num: number | undefined;
  if (key.proto !== null) {
    num = protoNumber(key.proto);
    b.setStr(K.proto, row, num === undefined ? key.proto.toLowerCase() : protoName(num));
    if (num !== undefined) b.setNum(K.ip_proto, row, num);
  }
  let cid = key.communityId;
  if (cid === null && num !== undefined) {
    if (fromBytes) {
      const la = parseIpBytesInto(ab, key.origHStart!, key.origHEnd!, addrA, 0);
      const lb = parseIpBytesInto(ab, key.respHStart!, key.respHEnd!, addrB, 0);
      if (la !== 0 && la === lb) cid = communityIdOfAddrs(addrA, addrB, la, key.origP ?? 0, key.respP ?? 0, num);
    } else if (key.origH !== null && key.respH !== null) {
      cid = communityId(key.origH, key.respH, key.origP ?? 0, key.respP ?? 0, num);
    }
  }
  b.setStr(K.community_id, row, cid);
  b.setStr(K.source_type, row, sourceType);
  b.setStr(K.sensor, row, sensor);
  b.setNum(K.ingest_id, row, ingestId);
}
