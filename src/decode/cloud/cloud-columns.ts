/**
 * Shared pieces of the cloud flow log decoders: the CONNECTIONS column indexes, the strings they
 * intern, and the parsing of decimal numbers straight from bytes.
 */
import { CONNECTIONS, columnIndex } from '../../model/fields.js';

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
