/**
 * LZO1X decompression, for nfdump's LZO-compressed data blocks (written with lzo1x_1_compress).
 * Written here because npm has only native bindings or an FFmpeg build for it; the instruction set
 * is small and documented (literal runs and matches selected by the leading byte and the number of
 * literals the previous instruction copied). Every read and write is bounds-checked, so a corrupt
 * block throws CorruptBlockError instead of reading past its end.
 */
import { CorruptBlockError, copyBytes, copyMatch, grow } from './lz4-block.js';

/**
 * Decompresses src[start, end) into `out` (grown as needed up to `max` bytes) and returns the output
 * buffer and length. The stream must end with LZO's end marker.
 */
export function lzo1xDecompress(src: Uint8Array, start: number, end: number, out: Uint8Array, max: number): { buf: Uint8Array; len: number } {
  let ip = start;
  let op = 0;
  let dst = out;
  // Literals copied by the previous instruction: 0, 1..3, or 4 meaning "a run of 4 or more".
  let state = 0;
  const need = (n: number): void => {
    if (ip + n > end) throw new CorruptBlockError('lzo: instruction runs past the block');
  };
  const literals = (n: number): void => {
    need(n);
    if (op + n > dst.length) dst = grow(dst, op, op + n, max);
    copyBytes(dst, op, src, ip, n);
    ip += n;
    op += n;
  };
  // A length extended by zero bytes (255 each) and a final non-zero byte.
  const extended = (base: number): number => {
    let n = base;
    while (true) {
      need(1);
      const b = src[ip++];
      if (b !== 0) return n + b;
      n += 255;
      if (n > max) throw new CorruptBlockError('lzo: length beyond the block size');
    }
  };
  const match = (dist: number, len: number): void => {
    if (dist > op || dist <= 0) throw new CorruptBlockError('lzo: match before the start of the output');
    if (op + len > dst.length) dst = grow(dst, op, op + len, max);
    copyMatch(dst, op, dist, len);
    op += len;
  };

  need(1);
  if (src[ip] > 17) {
    const n = src[ip++] - 17;
    literals(n);
    state = n < 4 ? n : 4;
  }
  while (true) {
    need(1);
    const t = src[ip++];
    let s: number;
    if (t < 16) {
      if (state === 0) {
        const n = t === 0 ? extended(15) + 3 : t + 3;
        literals(n);
        state = 4;
        continue;
      }
      need(1);
      const h = src[ip++];
      s = t & 3;
      if (state === 4) match((h << 2) + (t >> 2) + 2049, 3);
      else match((h << 2) + (t >> 2) + 1, 2);
    } else if (t < 32) {
      const len = (t & 7) === 0 ? extended(7) + 2 : (t & 7) + 2;
      need(2);
      const v = src[ip] | (src[ip + 1] << 8);
      ip += 2;
      const dist = 16384 + ((t & 8) << 11) + (v >> 2);
      if (dist === 16384) {
        if (ip !== end) throw new CorruptBlockError('lzo: data after the end marker');
        return { buf: dst, len: op };
      }
      s = v & 3;
      match(dist, len);
    } else if (t < 64) {
      const len = (t & 31) === 0 ? extended(31) + 2 : (t & 31) + 2;
      need(2);
      const v = src[ip] | (src[ip + 1] << 8);
      ip += 2;
      s = v & 3;
      match((v >> 2) + 1, len);
    } else {
      need(1);
      const h = src[ip++];
      const len = t < 128 ? 3 + ((t >> 5) & 1) : 5 + ((t >> 5) & 3);
      s = t & 3;
      match((h << 3) + ((t >> 2) & 7) + 1, len);
    }
    if (s > 0) literals(s);
    state = s;
  }
}
