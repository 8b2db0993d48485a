/**
 * Zeek-style connection uids: 'C' and 17 base62 characters. Derived from a per-run seed and the
 * connection's serial number, so they are unique within a run (the first six characters encode a
 * bijection of the serial's low 32 bits) and identical across runs over the same input and seed.
 */

const DIGITS = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', (c) => c.charCodeAt(0));
const codes: number[] = new Array<number>(18).fill(0);

/** The uid of connection number `serial` (1, 2, ...) under `seed`. */
export function connectionUid(seed: number, serial: number): string {
  const lo = serial >>> 0;
  const hi = Math.floor(serial / 4294967296) >>> 0;
  const s = (seed >>> 0) ^ Math.floor(seed / 4294967296);
  const a = permute((lo ^ s) >>> 0);
  const b = permute((hi + Math.imul(s, 0x9e3779b1) + Math.imul(lo, 0x85ebca6b)) >>> 0);
  const c = permute((a ^ Math.imul(b, 0xc2b2ae35) ^ 0x5bd1e995) >>> 0);
  codes[0] = 67; // 'C'
  base62(a, 1, 6);
  base62(b, 7, 6);
  base62(c, 13, 5);
  return String.fromCharCode(...codes);
}

/** An invertible 32-bit mix (so distinct inputs give distinct outputs). */
function permute(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Writes `width` base62 digits of x (least significant first) into codes[at ...]. */
function base62(x: number, at: number, width: number): void {
  for (let i = 0; i < width; i++) {
    const q = Math.floor(x / 62);
    codes[at + i] = DIGITS[x - q * 62];
    x = q;
  }
}
