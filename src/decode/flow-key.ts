/**
 * Writes the columns every event table shares (time, uid, 5-tuple, protocol, Community ID, source,
 * sensor, ingest). All event tables start with the same fields in the same order, so one set of
 * column indexes serves them all.
 */
import { COMMUNITY_ID_LEN, hashCommunityIdV4, hashCommunityIdV6, protoNumber, writeCommunityId } from '../model/community-id.js';
import { parseIpBytesInto, parseIpInto, parseV4Number } from '../model/ip.js';
import { CONNECTIONS, columnIndex } from '../model/fields.js';
import type { ColumnBatch } from '../store/column-batch.js';
import { canonicalIpBytes, formatAddress } from '../model/address-format.js';

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

/** Empties a reused flow key for the next record; `addrBuf` is the buffer its address ranges will point into. */
export function resetFlowKey(key: FlowKey, addrBuf: Uint8Array | null): void {
  key.tsMicros = key.origP = key.respP = null;
  key.uid = key.origH = key.respH = key.proto = key.communityId = null;
  key.addrBuf = addrBuf;
  key.origHStart = key.origHEnd = key.respHStart = key.respHEnd = 0;
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

/** setAddrParsed's answer for IPv6: the address's 16 bytes are in its `out`. */
const V6 = -2;

/**
 * setAddrBytes for the common case, with the address parsed once for both the stored text and the
 * Community ID: dotted IPv4 (the parse admits only digits and dots, and IPv4 is stored as logged) is
 * copied without the scans setAddrBytes makes and returned as a number (0 to 2^32 - 1); other addresses
 * are parsed into `out` (V6 returned). Returns -1 when the text is no address (stored as setAddrBytes does).
 */
function setAddrParsed(b: ColumnBatch, col: number, row: number, ab: Uint8Array, start: number, end: number, out: Uint8Array): number {
  if (end <= start) return -1;
  const v4 = parseV4Number(ab, start, end);
  if (v4 >= 0) {
    b.setBytes(col, row, ab, start, end);
    return v4;
  }
  const n = parseIpBytesInto(ab, start, end, out, 0);
  setAddrBytes(b, col, row, ab, start, end);
  return n === 16 ? V6 : -1;
}

/** parseCanonical's answer for text without ':' (IPv4, or no address): stored as given, not parsed yet. */
const UNPARSED = -1;
/** The stored form of the text parseCanonical was last given. */
let canonical = '';

/**
 * canonicalIp from one parse that also serves the Community ID: IPv6 text is parsed into `out` and its
 * stored form left in `canonical`; returns 16, 4 for an IPv4-mapped address (stored as IPv4, its four
 * bytes moved to the start of `out`), 0 when the text is no address, or UNPARSED for text without ':'
 * (IPv4 or no address, stored as given and parsed only if a Community ID needs it).
 */
function parseCanonical(s: string, out: Uint8Array): number {
  canonical = s;
  if (s.indexOf(':') < 0) return UNPARSED;
  if (parseIpInto(s, out, 0) !== 16) return 0;
  const text = formatAddress(out, 0, true);
  if (text !== s) canonical = text;
  if (text.indexOf(':') >= 0) return 16;
  out.copyWithin(0, 12, 16);
  return 4;
}

/** The first four bytes of `x` as a big-endian number. */
function be32(x: Uint8Array): number {
  return ((x[0] << 24) | (x[1] << 16) | (x[2] << 8) | x[3]) >>> 0;
}

/**
 * Stores the Community ID of the last hash in `row`: its text is written straight into the room the
 * batch reserves for it (a copy of 30 bytes per row through a scratch buffer was a tenth of the ID's cost).
 */
function setCommunityId(b: ColumnBatch, row: number): void {
  const at = b.reserveStr(K.community_id, row, COMMUNITY_ID_LEN);
  writeCommunityId(b.arena, at);
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

/** The text of a transport name or of a per-file constant (source type, sensor) as bytes, kept for the next row. */
class TextBytes {
  private text: string | null = null;
  private bytes = new Uint8Array(0);

  /** Stores `s` in column `col` of `row` (null leaves it null). */
  set(b: ColumnBatch, col: number, row: number, s: string | null): void {
    if (s === null) return;
    if (s !== this.text) {
      this.text = s;
      this.bytes = Buffer.from(s, 'utf8');
    }
    b.setBytes(col, row, this.bytes, 0, this.bytes.length);
  }
}

const sourceText = new TextBytes();
const sensorText = new TextBytes();
const otherProto = new TextBytes();
/** Bytes of the common transport names, by protocol number (an array: a Map lookup per row cost more). */
const PROTO_BYTES: Array<Buffer | undefined> = [];
for (const n of [1, 6, 17, 58, 132]) PROTO_BYTES[n] = Buffer.from(protoName(n));

/**
 * Fills the shared columns of `row`. The values that repeat on every row (protocol, source type, sensor)
 * and a computed Community ID are copied in as bytes: no string is made or encoded per row.
 */
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
  let va = -1;
  let vb = -1;
  let la: number = UNPARSED;
  let lb: number = UNPARSED;
  if (fromBytes) {
    va = setAddrParsed(b, K.orig_h, row, ab, key.origHStart!, key.origHEnd!, addrA);
    vb = setAddrParsed(b, K.resp_h, row, ab, key.respHStart!, key.respHEnd!, addrB);
  } else {
    // Stored and hashed in one form (the key's text is replaced), so that the Community ID below agrees
    // with the addresses shown.
    if (key.origH !== null) {
      la = parseCanonical(key.origH, addrA);
      key.origH = canonical;
    }
    if (key.respH !== null) {
      lb = parseCanonical(key.respH, addrB);
      key.respH = canonical;
    }
    b.setStr(K.orig_h, row, key.origH);
    b.setStr(K.resp_h, row, key.respH);
  }
  if (key.origP !== null) b.setNum(K.orig_p, row, key.origP);
  if (key.respP !== null) b.setNum(K.resp_p, row, key.respP);
  let num: number | undefined;
  if (key.proto !== null) {
    num = protoNumber(key.proto);
    const known = num === undefined ? undefined : PROTO_BYTES[num];
    if (known !== undefined) b.setBytes(K.proto, row, known, 0, known.length);
    else otherProto.set(b, K.proto, row, num === undefined ? key.proto.toLowerCase() : protoName(num));
    if (num !== undefined) b.setNum(K.ip_proto, row, num);
  }
  // A transport named without a number (Zeek's `unknown_transport` for GRE, ESP...): the IP protocol
  // number the source logged (Zeek 7's ip_proto), when the decoder set it, still gives a Community ID.
  if (num === undefined) num = b.getNum(K.ip_proto, row) ?? undefined;
  if (key.communityId !== null) b.setStr(K.community_id, row, key.communityId);
  else if (num !== undefined) {
    let hashed = false;
    if (!fromBytes && key.origH !== null && key.respH !== null) {
      if (la === UNPARSED) la = parseIpInto(key.origH, addrA, 0);
      if (lb === UNPARSED) lb = parseIpInto(key.respH, addrB, 0);
      if (la === 4 && lb === 4) {
        va = be32(addrA);
        vb = be32(addrB);
      } else if (la === 16 && lb === 16) va = vb = V6;
    }
    if (va >= 0 && vb >= 0) {
      hashCommunityIdV4(va, vb, key.origP ?? 0, key.respP ?? 0, num);
      hashed = true;
    } else if (va === V6 && vb === V6) {
      hashCommunityIdV6(addrA, addrB, key.origP ?? 0, key.respP ?? 0, num);
      hashed = true;
    }
    if (hashed) setCommunityId(b, row);
  }
  sourceText.set(b, K.source_type, row, sourceType);
  sensorText.set(b, K.sensor, row, sensor);
  b.setNum(K.ingest_id, row, ingestId);
}
