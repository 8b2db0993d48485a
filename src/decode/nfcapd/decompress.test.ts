// The LZ4-block and LZO1X decoders on hand-made streams (the committed fixtures test them on
// nfdump's real blocks): back-references that overlap, and malformed input that must throw
// CorruptBlockError rather than read or write out of bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorruptBlockError, lz4DecompressBlock } from './lz4-block.js';
import { lzo1xDecompress } from './lzo1x.js';

const text = (r: { buf: Uint8Array; len: number }): string => Buffer.from(r.buf.subarray(0, r.len)).toString('latin1');
const bytes = (...parts: (number | string)[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from([p]))));

test('lz4 block: literals, an overlapping match, a long literal run', () => {
  assert.equal(text(lz4DecompressBlock(bytes(0x35, 'abc', 3, 0), 0, 6, new Uint8Array(4), 1 << 20)), 'abcabcabcabc');
  const long = 'x'.repeat(300);
  const src = bytes(0xf0, 255, 300 - 15 - 255, long);
  assert.equal(text(lz4DecompressBlock(src, 0, src.length, new Uint8Array(16), 1 << 20)), long);
});

test('lz4 block: malformed input throws CorruptBlockError', () => {
  const bad = [bytes(0x35, 'abc', 0, 0), bytes(0x35, 'abc', 9, 0), bytes(0x50, 'ab'), bytes(0x3f, 'abc', 3, 0, 255), bytes(0x35, 'abc', 3)];
  for (const b of bad) assert.throws(() => lz4DecompressBlock(b, 0, b.length, new Uint8Array(8), 1 << 20), CorruptBlockError);
  const big = bytes(0x3f, 'abc', 1, 0, 255, 255, 255, 0);
  assert.throws(() => lz4DecompressBlock(big, 0, big.length, new Uint8Array(8), 100), CorruptBlockError);
});

test('lzo1x: first-byte literals, a match, the end marker', () => {
  const s = bytes(20, 'abc', 39, 8, 0, 0x11, 0, 0);
  assert.equal(text(lzo1xDecompress(s, 0, s.length, new Uint8Array(4), 1 << 20)), 'abcabcabcabc');
  // A literal run (state 0, instruction 0..15), then a short match (64..127) copying 1 trailing literal.
  const t = bytes(0x0f, 'abcdefghijklmnopqr', 0x40 | (1 << 2) | 1, 0, 'z', 0x11, 0, 0);
  assert.equal(text(lzo1xDecompress(t, 0, t.length, new Uint8Array(4), 1 << 20)), 'abcdefghijklmnopqrqrqz');
});

test('lzo1x: malformed input throws CorruptBlockError', () => {
  const bad = [bytes(20, 'abc', 39, 8, 0), bytes(20, 'abc', 39, 40, 0, 0x11, 0, 0), bytes(40, 'abc'), bytes(20, 'abc', 0x11, 0, 0, 1)];
  for (const b of bad) assert.throws(() => lzo1xDecompress(b, 0, b.length, new Uint8Array(8), 1 << 20), CorruptBlockError);
});
