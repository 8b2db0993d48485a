/**
 * Zeek's `LogAscii::meta_prefix` (default `#`) starts every header line; a site may set another (`@`,
 * `##`, ...). Every block opens with `<prefix>separator <value>`, so that line tells the prefix in use.
 */

const SEPARATOR = Buffer.from('separator ', 'latin1');
/** Longest prefix taken for a meta prefix: real ones are a character or two. */
const MAX_PREFIX = 8;

/**
 * Length of the meta prefix when `buf[s..e)` is a block's separator line (`#separator \x09`,
 * `@separator \x7c`), else 0. The value must be one byte or one `\xHH` escape, as Zeek writes it.
 */
export function separatorLinePrefix(buf: Uint8Array, s: number, e: number): number {
  if (e > s && buf[e - 1] === 13) e--;
  const len = e - s;
  if (len < SEPARATOR.length + 2 || len > MAX_PREFIX + SEPARATOR.length + 4) return 0;
  for (let p = 1; p <= MAX_PREFIX && s + p + SEPARATOR.length < e; p++) {
    const c = buf[s + p - 1];
    if (c <= 32 || c >= 127 || (c >= 48 && c <= 57) || (c >= 97 && c <= 122)) return 0;
    if (!matchesAt(buf, s + p, SEPARATOR)) continue;
    const v = s + p + SEPARATOR.length;
    const vLen = e - v;
    if (vLen === 1 || (vLen === 4 && buf[v] === 92 && buf[v + 1] === 120)) return p;
    return 0;
  }
  return 0;
}

/** True when `buf` holds `want` at `at`. */
export function matchesAt(buf: Uint8Array, at: number, want: Uint8Array): boolean {
  if (at + want.length > buf.length) return false;
  for (let i = 0; i < want.length; i++) if (buf[at + i] !== want[i]) return false;
  return true;
}
