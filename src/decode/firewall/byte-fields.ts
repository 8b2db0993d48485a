/** Reading fields of a text line straight from its bytes: decimal numbers and fixed words. */

/** Bytes `b[s..e)` as a decimal integer no greater than `max`, or -1 (empty, not all digits, more than `digits` digits, or too large). */
export function uintField(b: Uint8Array, s: number, e: number, digits: number, max: number): number {
  if (e <= s || e - s > digits) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const c = b[i] - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n > max ? -1 : n;
}

/** Whether `b[s..e)` is the ASCII text `t`. */
export function bytesAre(b: Uint8Array, s: number, e: number, t: string): boolean {
  if (e - s !== t.length) return false;
  for (let i = 0; i < t.length; i++) if (b[s + i] !== t.charCodeAt(i)) return false;
  return true;
}
