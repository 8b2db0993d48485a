import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHUNK_BYTES, openInput } from './file-input.js';

function tmpFile(bytes: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-input-')), 'data.bin');
  fs.writeFileSync(file, bytes);
  return file;
}

const openFds = (): number => fs.readdirSync('/proc/self/fd').length;

test('a plain file read one chunk ahead gives every byte once, in order, in whole chunks', async () => {
  const data = crypto.randomBytes(3 * CHUNK_BYTES + 12345);
  const input = await openInput({ kind: 'file', path: tmpFile(data) });
  assert.equal(input.pooled, true);
  const sizes: number[] = [];
  const parts: Buffer[] = [];
  for (let c = await input.next(); c !== null; c = await input.next()) {
    sizes.push(c.length);
    parts.push(Buffer.from(c));
    input.recycle(c.buffer);
  }
  assert.deepEqual(sizes, [CHUNK_BYTES, CHUNK_BYTES, CHUNK_BYTES, 12345]);
  assert.ok(Buffer.concat(parts).equals(data));
  assert.equal(input.bytesRead(), data.length);
  assert.equal(await input.next(), null);
});

test('closing with a read ahead in flight releases the file once that read settles, and reads nothing more', async () => {
  const data = crypto.randomBytes(4 * CHUNK_BYTES);
  const file = tmpFile(data);
  const before = openFds();
  const input = await openInput({ kind: 'file', path: file });
  const first = await input.next();
  assert.ok(first !== null && first.equals(data.subarray(0, CHUNK_BYTES)));
  input.close();
  assert.equal(await input.next(), null);
  // The read issued ahead settles on libuv's pool; the descriptor is closed right after it.
  for (let i = 0; i < 50 && openFds() > before; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(openFds(), before);
});

test('closing during the first read waits for that read before releasing the file', async () => {
  const file = tmpFile(crypto.randomBytes(2 * CHUNK_BYTES));
  const before = openFds();
  for (let i = 0; i < 20; i++) {
    const input = await openInput({ kind: 'file', path: file });
    const first = input.next();
    input.close();
    // The read started before the close completes with its bytes (or null), never EBADF.
    const c = await first;
    assert.ok(c === null || c.length === CHUNK_BYTES);
    assert.equal(await input.next(), null);
  }
  for (let i = 0; i < 50 && openFds() > before; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(openFds(), before);
});
