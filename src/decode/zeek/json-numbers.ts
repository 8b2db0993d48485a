/**
 * Number checks of the Zeek JSON fast path, from the bytes of a valid JSON number: a time to exact
 * microseconds where the result provably equals the JSON.parse path's, and whether JSON.stringify would
 * write the number back as the same text (so it can be copied into `extra` unchanged).
 */

const TWO_32 = 4294967296;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6];

/** Microseconds of a time written as at most 10 integer digits (below 2^32) and at most 6 decimals; NaN otherwise. */
export function fastMicros(buf: Uint8Array, s: number, e: number): number {
  // Below 2^32 s a double resolves 0.48 us, so JSON.parse + String() give back these same digits.
  let secs = 0;
  let p = s;
  for (; p < e; p++) {
    const d = buf[p] - 48;
    if (d < 0 || d > 9) break;
    secs = secs * 10 + d;
  }
  if (p === s || p - s > 10 || secs >= TWO_32) return NaN;
  if (p === e) return secs * 1e6;
  if (buf[p] !== 46) return NaN;
  const f0 = ++p;
  let frac = 0;
  for (; p < e; p++) {
    const d = buf[p] - 48;
    if (d < 0 || d > 9) return NaN;
    frac = frac * 10 + d;
  }
  const fd = p - f0;
  if (fd === 0 || fd > 6) return NaN;
  return secs * 1e6 + frac * POW10[6 - fd];
}

/**
 * True when a valid JSON number's text is exactly what JSON.stringify writes for its value: no exponent,
 * no trailing fraction zero, not -0, and either at most 15 significant digits (which a double keeps
 * exactly) or, like Zeek's times, below 2^32 with at most 6 decimals (where doubles are 0.48 us apart, so
 * the shortest text giving the value back is this one); never below 1e-6 (which JS writes with an exponent).
 */
export function canonicalNumber(buf: Uint8Array, s: number, e: number): boolean {
  let p = s;
  const neg = buf[p] === 45;
  if (neg) p++;
  const i0 = p;
  let int = 0;
  while (p < e && buf[p] >= 48 && buf[p] <= 57) int = int * 10 + buf[p++] - 48;
  const intLen = p - i0;
  const zeroInt = intLen === 1 && buf[i0] === 48;
  if (p === e) return !(zeroInt && neg) && intLen <= 15;
  if (buf[p] !== 46) return false;
  const f0 = ++p;
  while (p < e && buf[p] >= 48 && buf[p] <= 57) p++;
  if (p !== e || buf[e - 1] === 48) return false;
  if (e - f0 <= 6 && int < TWO_32) return true;
  if (!zeroInt) return intLen + (e - f0) <= 15;
  let z = f0;
  while (buf[z] === 48) z++;
  return z - f0 <= 5 && e - z <= 15;
}

