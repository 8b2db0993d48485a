/**
 * Copies and scans bytes four at a time through DataViews, for the `extra` JSON the text firewall and
 * cloud decoders build from their lines and for the JSON reader's strings. On this project's machines a JavaScript byte loop costs about 1.4 ns a byte, a
 * 32-bit DataView read and write about 0.35 ns a byte, and a native copy (`set` of a `subarray`,
 * `Buffer.copy`) 60-120 ns a call for the view it makes, too much for fields of a few bytes: so the
 * copies here are word loops with a byte tail. The escaping copy tests four bytes at once for anything
 * JSON must escape (a control byte, `"` or `\`) and only then goes byte by byte.
 */

const HEX = '0123456789abcdef';

/** A DataView over a byte array, remade only when a different array is passed. */
export class ViewCache {
  private last: Uint8Array | null = null;
  private view: DataView = new DataView(new ArrayBuffer(0));

  /** The view over `a` (byte 0 of the view is `a[0]`). */
  of(a: Uint8Array): DataView {
    if (a !== this.last) {
      this.last = a;
      this.view = new DataView(a.buffer, a.byteOffset, a.byteLength);
    }
    return this.view;
  }
}

/**
 * Copies `src[s .. e)` to `dst` at `p` (the caller has made room) and returns the position after it.
 * `dv` and `sv` are views over `dst` and `src`.
 */
export function copyWords(dst: Uint8Array, dv: DataView, p: number, src: Uint8Array, sv: DataView, s: number, e: number): number {
  let i = s;
  const last = e - 4;
  while (i <= last) {
    dv.setInt32(p, sv.getInt32(i, true), true);
    i += 4;
    p += 4;
  }
  while (i < e) dst[p++] = src[i++];
  return p;
}

/** Writes byte `c` JSON-escaped at `dst[p]`; returns the position after it. */
function escapeByte(dst: Uint8Array, p: number, c: number): number {
  if (c >= 32 && c !== 34 && c !== 92) {
    dst[p] = c;
    return p + 1;
  }
  dst[p++] = 92;
  if (c === 34 || c === 92) dst[p++] = c;
  else if (c === 10) dst[p++] = 110;
  else if (c === 9) dst[p++] = 116;
  else if (c === 13) dst[p++] = 114;
  else {
    dst[p++] = 117;
    dst[p++] = 48;
    dst[p++] = 48;
    dst[p++] = HEX.charCodeAt(c >> 4);
    dst[p++] = HEX.charCodeAt(c & 15);
  }
  return p;
}

/**
 * Copies the UTF-8 bytes `src[s .. e)` to `dst` at `p` as the inside of a JSON string (the caller has
 * made room for six bytes per byte) and returns the position after them. Output equals
 * `ByteWriter.jsonEscaped`: `"`, `\`, newline, tab and CR as two-character escapes, other control
 * bytes as `\u00XX`, everything else (UTF-8 sequences included) as it is.
 */
export function copyEscaped(dst: Uint8Array, dv: DataView, p: number, src: Uint8Array, sv: DataView, s: number, e: number): number {
  let i = s;
  const last = e - 4;
  while (i <= last) {
    const x = sv.getInt32(i, true);
    const q = x ^ 0x22222222;
    const b = x ^ 0x5c5c5c5c;
    // Per byte, the high bit of (v - 0x01) & ~v is set somewhere iff some byte of v is zero (and of
    // (x - 0x20) & ~x iff some byte of x is below 0x20): exact as a yes/no for the whole word.
    if ((((x - 0x20202020) & ~x) | ((q - 0x01010101) & ~q) | ((b - 0x01010101) & ~b)) & 0x80808080) {
      for (const end = i + 4; i < end; i++) p = escapeByte(dst, p, src[i]);
      continue;
    }
    dv.setInt32(p, x, true);
    i += 4;
    p += 4;
  }
  while (i < e) p = escapeByte(dst, p, src[i++]);
  return p;
}

/**
 * The index of the first byte in `b[i .. end)` that a JSON string cannot hold as plain ASCII (a control
 * byte, `"`, `\` or any byte from 0x80), or `end`; `dv` is a view over `b`. Four bytes at a time.
 */
export function plainRunEnd(b: Uint8Array, dv: DataView, i: number, end: number): number {
  while (i + 4 <= end) {
    const x = dv.getInt32(i, true);
    const q = x ^ 0x22222222;
    const s = x ^ 0x5c5c5c5c;
    if (((x | ((x - 0x20202020) & ~x) | ((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080) !== 0) break;
    i += 4;
  }
  while (i < end) {
    const c = b[i];
    if (c < 0x20 || c >= 0x80 || c === 0x22 || c === 0x5c) break;
    i++;
  }
  return i;
}

/** The index of the first byte `c` (an ASCII code) in `b[i .. end)`, or `end`; four bytes at a time. */
export function findByte(b: Uint8Array, dv: DataView, i: number, end: number, c: number): number {
  const m = c * 0x01010101;
  while (i + 4 <= end) {
    const x = dv.getInt32(i, true) ^ m;
    if (((x - 0x01010101) & ~x & 0x80808080) !== 0) break;
    i += 4;
  }
  while (i < end && b[i] !== c) i++;
  return i;
}

/** True when every byte of `b[s .. e)` is below 0x80 (`dv` a view over `b`); eight bytes a step, no view object made. */
export function isAsciiRange(b: Uint8Array, dv: DataView, s: number, e: number): boolean {
  let acc = 0;
  let i = s;
  for (; i + 8 <= e; i += 8) acc |= dv.getInt32(i, true) | dv.getInt32(i + 4, true);
  for (; i < e; i++) acc |= b[i];
  return (acc & 0x80808080) === 0;
}

/** The index of the first `"` or `\` in `b[i .. end)`, or `end`; four bytes at a time. */
export function findQuoteOrBackslash(b: Uint8Array, dv: DataView, i: number, end: number): number {
  while (i + 4 <= end) {
    const x = dv.getInt32(i, true);
    const q = x ^ 0x22222222;
    const s = x ^ 0x5c5c5c5c;
    if ((((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s)) & 0x80808080) break;
    i += 4;
  }
  while (i < end && b[i] !== 0x22 && b[i] !== 0x5c) i++;
  return i;
}
