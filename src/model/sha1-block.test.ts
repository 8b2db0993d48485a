import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { SHA1_BLOCK, SHA1_DIGEST, SHA1_STATE, SHA1_WORDS, sha1Block, sha1Words } from './sha1-block.js';

test('one-block SHA-1 equals node:crypto for every message length 0..55, random bytes', () => {
  let state = 99;
  for (let round = 0; round < 20; round++) {
    for (let n = 0; n <= 55; n++) {
      const m = Buffer.alloc(n);
      for (let i = 0; i < n; i++) m[i] = (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
      // Leftover bytes of the last call must not matter.
      SHA1_BLOCK.fill(0xa5);
      SHA1_BLOCK.set(m);
      sha1Block(n);
      assert.equal(Buffer.from(SHA1_DIGEST).toString('hex'), crypto.createHash('sha1').update(m).digest('hex'), `length ${n}`);
    }
  }
  // FIPS 180 example: SHA-1("abc").
  SHA1_BLOCK.set(Buffer.from('abc'));
  sha1Block(3);
  assert.equal(Buffer.from(SHA1_DIGEST).toString('hex'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
});

test('one-block SHA-1 equals node:crypto on random lengths and bytes, from bytes and from words', () => {
  let state = 31337;
  const next = (): number => (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
  for (let round = 0; round < 3000; round++) {
    const n = next() % 56;
    const m = Buffer.alloc(n);
    for (let i = 0; i < n; i++) m[i] = next();
    SHA1_BLOCK.fill(next());
    SHA1_BLOCK.set(m);
    sha1Block(n);
    const want = crypto.createHash('sha1').update(m).digest();
    assert.equal(Buffer.from(SHA1_DIGEST).toString('hex'), want.toString('hex'), `length ${n}`);
    // The same block written as words by hand: message, 0x80, zeros, bit length.
    const padded = Buffer.alloc(64);
    m.copy(padded);
    padded[n] = 0x80;
    padded.writeUInt32BE(n * 8, 60);
    for (let i = 0; i < 16; i++) SHA1_WORDS[i] = padded.readInt32BE(i * 4);
    sha1Words();
    for (let i = 0; i < 5; i++) assert.equal(SHA1_STATE[i], want.readInt32BE(i * 4), `length ${n}, word ${i}`);
  }
});
