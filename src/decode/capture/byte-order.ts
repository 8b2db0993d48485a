/**
 * Unsigned integer reads in either byte order by direct byte arithmetic: small enough for V8 to
 * inline into the record-walking loops, and they work on a Buffer chunk and a plain Uint8Array alike
 * without creating a view per packet.
 */

/** Reads an unsigned 32-bit integer at `o`, little-endian when `le`, else big-endian. */
export function u32(b: Uint8Array, o: number, le: boolean): number {
  return le
    ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
    : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** Reads an unsigned 16-bit integer at `o`, little-endian when `le`, else big-endian. */
export function u16(b: Uint8Array, o: number, le: boolean): number {
  return le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
}

/** The first four bytes at `o` as hex, for problem details. */
export function hex4(b: Uint8Array, o: number, end: number): string {
  let s = '';
  for (let i = o; i < Math.min(o + 4, end); i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}
