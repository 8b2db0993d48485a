/**
 * Shared pieces of the cloud flow log decoders: the CONNECTIONS column indexes, the strings they
 * intern, and the parsing of decimal numbers straight from bytes.
 */
import { CONNECTIONS, columnIndex } from '../../model/fields.js';
import type { FlowKey } from '../flow-key.js';

/** Column indexes of the connections table. */
export const C = columnIndex(CONNECTIONS);

/** Decimal text of 0..255, so a protocol number becomes a string without allocating. */
export const PROTO_TEXT: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

/** Parses bytes `[start, end)` as a non-negative decimal integer; -1 when they are not one. */
export function parseUint(buf: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 20) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Cheap shape check of an address in bytes: 2 to 45 hex digits, dots and colons. */
export function looksLikeIp(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < 2 || e - s > 45) return false;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (!((c >= 48 && c <= 58) || c === 46 || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** A flow key to reuse for rows whose addresses are given as byte ranges (`addrBuf`). */
export function byteFlowKey(): FlowKey {
  return { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null, addrBuf: null, origHStart: 0, origHEnd: 0, respHStart: 0, respHEnd: 0 };
}
