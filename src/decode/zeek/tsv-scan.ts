/**
 * Field scanners for the TSV hot loop: each finds the end of one field and, in the same pass over its
 * bytes, parses its number or notes whether its text needs unescaping. One pass per field instead of
 * "find the tab, then parse" is what keeps conn.log decoding fast. A scanner returns the value and
 * leaves the field's end in `scanEnd[0]`, so nothing is allocated per field.
 */
import { jsonMicros } from './json-values.js';
import { parseDouble, parseMicros } from './zeek-values.js';

/** `[0]`: index of the separator (or line end) after the last scanned field; `[1]`: 1 when it needs unescaping. */
export const scanEnd = new Int32Array(2);

/** Index of the separator (or line end) ending the field that starts at `p`. */
export function fieldEnd(buf: Uint8Array, p: number, e: number, sep: number): number {
  while (p < e && buf[p] !== sep) p++;
  return p;
}

/** Scans a string field; sets `scanEnd[1]` when it holds a backslash or a non-ASCII byte. */
export function scanString(buf: Uint8Array, p: number, e: number, sep: number): number {
  let odd = 0;
  let q = p;
  for (; q < e; q++) {
    const c = buf[q];
    if (c === sep) break;
    if (c === 92 || c >= 128) odd = 1;
  }
  scanEnd[1] = odd;
  return q;
}

/** Scans an unsigned integer field; NaN when it holds anything but digits. */
export function scanUint(buf: Uint8Array, p: number, e: number, sep: number): number {
  let v = 0;
  let q = p;
  for (; q < e; q++) {
    const c = buf[q];
    if (c === sep) break;
    const d = c - 48;
    if (d < 0 || d > 9) {
      scanEnd[0] = fieldEnd(buf, q, e, sep);
      return NaN;
    }
    v = v * 10 + d;
  }
  scanEnd[0] = q;
  return q === p || q - p > 20 ? NaN : v;
}

/** Scans a `time` field into integer microseconds (see parseMicros); NaN when it is not a number. */
export function scanMicros(buf: Uint8Array, p: number, e: number, sep: number): number {
  let secs = 0;
  let q = p;
  for (; q < e; q++) {
    const d = buf[q] - 48;
    if (d < 0 || d > 9) break;
    secs = secs * 10 + d;
  }
  let frac = 0;
  const intDigits = q - p;
  if (q < e && buf[q] === 46) {
    const f0 = ++q;
    for (; q < e; q++) {
      const d = buf[q] - 48;
      if (d < 0 || d > 9) break;
      frac = frac * 10 + d;
    }
    if (q - f0 !== 6) return slowMicros(buf, p, e, sep);
  } else frac = 0;
  if ((q < e && buf[q] !== sep) || intDigits === 0 || intDigits > 12) return slowMicros(buf, p, e, sep);
  scanEnd[0] = q;
  return secs * 1e6 + frac;
}

function slowMicros(buf: Uint8Array, p: number, e: number, sep: number): number {
  const q = fieldEnd(buf, p, e, sep);
  scanEnd[0] = q;
  const v = parseMicros(buf, p, q);
  // `zeek-cut -d` writes times as ISO 8601 (`2014-03-27T16:56:46+0000`) instead of epoch seconds.
  if (v !== v && q - p >= 19 && q - p <= 40 && buf[p + 4] === 45) return jsonMicros(Buffer.from(buf.buffer, buf.byteOffset + p, q - p).toString('latin1'));
  return v;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Scans an `interval` or `double` field (see parseDouble); NaN when it is not a number. */
export function scanDouble(buf: Uint8Array, p: number, e: number, sep: number): number {
  let mant = 0;
  let q = p;
  for (; q < e; q++) {
    const d = buf[q] - 48;
    if (d < 0 || d > 9) break;
    mant = mant * 10 + d;
  }
  let digits = q - p;
  let scale = 0;
  if (q < e && buf[q] === 46) {
    const f0 = ++q;
    for (; q < e; q++) {
      const d = buf[q] - 48;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
    }
    scale = q - f0;
    digits += scale;
  }
  if ((q < e && buf[q] !== sep) || digits === 0 || digits > 15) {
    const end = fieldEnd(buf, p, e, sep);
    scanEnd[0] = end;
    return parseDouble(buf, p, end);
  }
  scanEnd[0] = q;
  return scale === 0 ? mant : mant / POW10[scale];
}

/** True when the field starting at `p` is exactly `marker` (the unset text), i.e. followed by the separator or the line end. */
export function markerAt(buf: Uint8Array, p: number, e: number, sep: number, marker: Uint8Array): boolean {
  const n = marker.length;
  if (p + n > e || (p + n < e && buf[p + n] !== sep)) return false;
  for (let i = 0; i < n; i++) if (buf[p + i] !== marker[i]) return false;
  return true;
}
