/**
 * SHA-1 (FIPS 180-4) of a message that fits one 64-byte block (at most 55 bytes), written in JS for
 * Community ID, which hashes one short 5-tuple per record. Why not node:crypto: its one-shot `hash` costs a
 * native call and a new string or Buffer per record (280-310 ns for a base64 string, 740-840 ns for a
 * Buffer on this machine), while this one works in place in reused typed arrays (205-215 ns) and lets the
 * caller write the base64 text straight into a batch as bytes, with no string at all. It is checked
 * against node:crypto in sha1-block.test.ts and community-id.test.ts.
 */

/** The block: the caller writes its message at the start, then calls sha1Block with its length. */
export const SHA1_BLOCK = new Uint8Array(64);
/** The digest of the last sha1Block call (20 bytes). */
export const SHA1_DIGEST = new Uint8Array(20);

const W = new Int32Array(80);

function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/** Hashes the first `n` bytes (n <= 55) of SHA1_BLOCK into SHA1_DIGEST; the block's tail is overwritten with padding. */
export function sha1Block(n: number): void {
  const blk = SHA1_BLOCK;
  blk[n] = 0x80;
  for (let i = n + 1; i < 62; i++) blk[i] = 0;
  const bits = n * 8;
  blk[62] = bits >>> 8;
  blk[63] = bits & 255;
  for (let i = 0; i < 16; i++) {
    const j = i * 4;
    W[i] = (blk[j] << 24) | (blk[j + 1] << 16) | (blk[j + 2] << 8) | blk[j + 3];
  }
  for (let i = 16; i < 80; i++) W[i] = rotl(W[i - 3] ^ W[i - 8] ^ W[i - 14] ^ W[i - 16], 1);
  let a = 0x67452301;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476;
  let e = 0xc3d2e1f0 | 0;
  // One loop per round function: a branch per round to pick it cost 40% more.
  let i = 0;
  for (; i < 20; i++) {
    const t = (rotl(a, 5) + ((b & c) | (~b & d)) + e + W[i] + 0x5a827999) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  for (; i < 40; i++) {
    const t = (rotl(a, 5) + (b ^ c ^ d) + e + W[i] + 0x6ed9eba1) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  for (; i < 60; i++) {
    const t = (rotl(a, 5) + ((b & c) | (b & d) | (c & d)) + e + W[i] + (0x8f1bbcdc | 0)) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  for (; i < 80; i++) {
    const t = (rotl(a, 5) + (b ^ c ^ d) + e + W[i] + (0xca62c1d6 | 0)) | 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  put(0, (0x67452301 + a) | 0);
  put(4, ((0xefcdab89 | 0) + b) | 0);
  put(8, ((0x98badcfe | 0) + c) | 0);
  put(12, (0x10325476 + d) | 0);
  put(16, ((0xc3d2e1f0 | 0) + e) | 0);
}

function put(at: number, h: number): void {
  const o = SHA1_DIGEST;
  o[at] = h >>> 24;
  o[at + 1] = (h >>> 16) & 255;
  o[at + 2] = (h >>> 8) & 255;
  o[at + 3] = h & 255;
}
