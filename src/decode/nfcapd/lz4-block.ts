/**
 * LZ4 block decompression (the raw block format, no frame), for nfdump's LZ4-compressed data blocks.
 * Written here rather than taken from npm because the packages there are either native bindings or
 * frame-format decoders with per-call allocations; the block format is small and fully specified
 * (sequences of token, literals, 16-bit offset, match length), and this runs on every block.
 */

/** Why a block could not be decompressed: the input is malformed or the output would exceed `max`. */
export class CorruptBlockError extends Error {}

/**
 * Decompresses src[start, end) into `out` (grown as needed up to `max` bytes) and returns the output
 * buffer and length. Throws CorruptBlockError on malformed input; never reads or writes out of bounds.
 */
export function lz4DecompressBlock(src: Uint8Array, start: number, end: number, out: Uint8Array, max: number): { buf: Uint8Array; len: number } {
  let ip = start;
  let op = 0;
  let dst = out;
  while (ip < end) {
    const token = src[ip++];
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (ip >= end) throw new CorruptBlockError('lz4: literal length runs past the block');
        b = src[ip++];
        lit += b;
      } while (b === 255);
    }
    if (ip + lit > end) throw new CorruptBlockError('lz4: literals run past the block');
    if (op + lit > dst.length) dst = grow(dst, op, op + lit, max);
    copyBytes(dst, op, src, ip, lit);
    ip += lit;
    op += lit;
    if (ip === end) break; // the last sequence carries literals only
    if (ip + 2 > end) throw new CorruptBlockError('lz4: match offset cut off');
    const dist = src[ip] | (src[ip + 1] << 8);
    ip += 2;
    if (dist === 0 || dist > op) throw new CorruptBlockError('lz4: match offset before the start of the output');
    let mlen = token & 15;
    if (mlen === 15) {
      let b: number;
      do {
        if (ip >= end) throw new CorruptBlockError('lz4: match length runs past the block');
        b = src[ip++];
        mlen += b;
      } while (b === 255);
    }
    mlen += 4;
    if (op + mlen > dst.length) dst = grow(dst, op, op + mlen, max);
    copyMatch(dst, op, dist, mlen);
    op += mlen;
  }
  return { buf: dst, len: op };
}

/** Copies n bytes; short runs (most literals) byte by byte, which avoids allocating a subarray view. */
export function copyBytes(dst: Uint8Array, op: number, src: Uint8Array, ip: number, n: number): void {
  if (n < 32) {
    for (let i = 0; i < n; i++) dst[op + i] = src[ip + i];
  } else dst.set(src.subarray(ip, ip + n), op);
}

/** Copies a back-reference of `len` bytes from `dist` bytes back; overlapping copies repeat the pattern. */
export function copyMatch(dst: Uint8Array, op: number, dist: number, len: number): void {
  let from = op - dist;
  if (dist >= len && len >= 32) {
    dst.copyWithin(op, from, from + len);
    return;
  }
  const stop = op + len;
  while (op < stop) dst[op++] = dst[from++];
}

/** A larger copy of `buf` keeping its first `used` bytes, at least `need` long and at most `max`. */
export function grow(buf: Uint8Array, used: number, need: number, max: number): Uint8Array {
  if (need > max) throw new CorruptBlockError(`decompressed block larger than ${max} bytes`);
  const next = new Uint8Array(Math.min(max, Math.max(need, buf.length * 2, 65536)));
  next.set(buf.subarray(0, used));
  return next;
}
