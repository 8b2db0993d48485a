/**
 * RFC 3339 timestamps as Cloud Logging writes them (`2019-06-14T03:45:37.186193305Z`), to microseconds
 * (nanoseconds truncated): from a string, and from bytes without making one for the common shape.
 */

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i;

/** Microseconds of an RFC 3339 time (nanoseconds truncated), or null. */
export function rfc3339Micros(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = RFC3339.exec(v);
  if (m === null) return null;
  const s = Date.parse(m[1] + (m[3].toUpperCase() === 'Z' ? 'Z' : m[3]));
  if (Number.isNaN(s)) return null;
  return s * 1000 + (m[2] === undefined ? 0 : Number(m[2].padEnd(6, '0').slice(0, 6)));
}

function two(b: Uint8Array, i: number): number {
  const x = b[i] - 48;
  const y = b[i + 1] - 48;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

/**
 * `rfc3339Micros` of the ASCII bytes `[start, end)`: the usual shape (upper-case T and Z or an offset,
 * a year from 1970, a day up to 28, no leap second) is computed from the bytes; anything else goes
 * through the string form, so both agree on every input.
 */
export function rfc3339MicrosBytes(b: Uint8Array, start: number, end: number): number | null {
  const n = end - start;
  usual: if (n >= 20 && n <= 35 && b[start + 4] === 0x2d && b[start + 7] === 0x2d && b[start + 10] === 0x54 && b[start + 13] === 0x3a && b[start + 16] === 0x3a) {
    const hi = two(b, start);
    const lo = two(b, start + 2);
    const mo = two(b, start + 5);
    const d = two(b, start + 8);
    const h = two(b, start + 11);
    const mi = two(b, start + 14);
    const s = two(b, start + 17);
    if (hi < 0 || lo < 0 || mo < 1 || mo > 12 || d < 1 || d > 28 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) break usual;
    const y = hi * 100 + lo;
    if (y < 1970) break usual;
    let i = start + 19;
    let frac = 0;
    let scale = 100000;
    if (b[i] === 0x2e) {
      i++;
      const f0 = i;
      while (i < end && b[i] >= 0x30 && b[i] <= 0x39) {
        if (scale >= 1) frac += (b[i] - 48) * scale;
        scale /= 10;
        i++;
      }
      if (i === f0 || i - f0 > 9) break usual;
    }
    let offset = 0;
    if (i === end - 1 && b[i] === 0x5a) {
      // Z
    } else if (i === end - 6 && (b[i] === 0x2b || b[i] === 0x2d) && b[i + 3] === 0x3a) {
      const oh = two(b, i + 1);
      const om = two(b, i + 4);
      if (oh < 0 || oh > 23 || om < 0 || om > 59) break usual;
      offset = (b[i] === 0x2b ? 1 : -1) * (oh * 60 + om) * 60000;
    } else break usual;
    return (Date.UTC(y, mo - 1, d, h, mi, s) - offset) * 1000 + Math.floor(frac);
  }
  return rfc3339Micros(Buffer.from(b.buffer, b.byteOffset + start, n).toString('latin1'));
}
