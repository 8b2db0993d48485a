/**
 * Byte helpers for the protocol probes: big-endian reads, ASCII comparisons and line scanning on the
 * payload in place, and the one place where payload bytes become a string (an attribute value), so
 * no probe converts a whole payload to text.
 */

/** Encodes an ASCII literal once, at module load, for byte comparisons. */
export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0x7f;
  return out;
}

/** Big-endian unsigned 16-bit read; the caller has checked the bounds. */
export function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

/** Big-endian unsigned 24-bit read; the caller has checked the bounds. */
export function u24(b: Uint8Array, o: number): number {
  return (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
}

/** Big-endian unsigned 32-bit read; the caller has checked the bounds. */
export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

/** Little-endian unsigned 16-bit read; the caller has checked the bounds. */
export function u16le(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

/** Little-endian unsigned 32-bit read; the caller has checked the bounds. */
export function u32le(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + ((b[o + 3] << 24) >>> 0);
}

/**
 * How `lit` compares with b[off..end): 1 when the bytes start with it, 0 when they are a proper
 * prefix of it (more data could still match), -1 when they differ. `ci` folds ASCII letters, and
 * then `lit` must be lower case.
 */
export function matchPrefix(b: Uint8Array, off: number, end: number, lit: Uint8Array, ci = false): -1 | 0 | 1 {
  const n = Math.min(lit.length, end - off);
  for (let i = 0; i < n; i++) {
    let c = b[off + i];
    if (ci && c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== lit[i]) return -1;
  }
  return n === lit.length ? 1 : 0;
}

/** Index of the first `byte` in b[from..end), or -1. */
export function indexOfByte(b: Uint8Array, from: number, end: number, byte: number): number {
  for (let i = from; i < end; i++) if (b[i] === byte) return i;
  return -1;
}

/** True when every byte of b[from..end) is a digit. */
export function allDigits(b: Uint8Array, from: number, end: number): boolean {
  if (from >= end) return false;
  for (let i = from; i < end; i++) if (b[i] < 0x30 || b[i] > 0x39) return false;
  return true;
}

/** Longest attribute value kept; analysts need the start of a long URI or banner, not all of it. */
export const MAX_ATTR_CHARS = 1024;

/**
 * Renders b[from..end) as an attribute value: printable ASCII kept, other bytes escaped as \xHH the
 * way Zeek writes them (a backslash stays as it is), cut at MAX_ATTR_CHARS source bytes.
 */
export function attrText(b: Uint8Array, from: number, end: number): string {
  const stop = Math.min(end, from + MAX_ATTR_CHARS);
  let plain = true;
  for (let i = from; i < stop; i++) {
    if (b[i] < 0x20 || b[i] > 0x7e) {
      plain = false;
      break;
    }
  }
  if (plain) return Buffer.from(b.buffer, b.byteOffset + from, stop - from).toString('latin1');
  let s = '';
  for (let i = from; i < stop; i++) {
    const c = b[i];
    s += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '\\x' + c.toString(16).padStart(2, '0');
  }
  return s;
}

/** Offsets of a value with leading and trailing spaces and tabs removed: [start, end). */
export function trimSpaces(b: Uint8Array, from: number, end: number): [number, number] {
  while (from < end && (b[from] === 0x20 || b[from] === 0x09)) from++;
  while (end > from && (b[end - 1] === 0x20 || b[end - 1] === 0x09)) end--;
  return [from, end];
}
