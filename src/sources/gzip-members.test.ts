import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { GzipMemberReader } from './gzip-members.js';

const TEXT = fs.readFileSync(path.join(process.cwd(), 'test/fixtures/zeek/rita_tsv_dns.log'));

/** Raw chunks of `bytes`, cut every `size` bytes (so headers, trailers and member ends fall across chunks). */
async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield Buffer.from(bytes.subarray(i, i + size));
}

async function readAll(bytes: Buffer, size: number): Promise<{ out: Buffer; reader: GzipMemberReader }> {
  const reader = new GzipMemberReader(chunks(bytes, size), true);
  const parts: Buffer[] = [];
  for (let c = await reader.next(); c !== null; c = await reader.next()) parts.push(c);
  return { out: Buffer.concat(parts), reader };
}

const SIZES = [1, 7, 4096, 1 << 20];

test('one member, concatenated members and zero padding: all the data, no problem, at any chunking', async () => {
  const a = zlib.gzipSync(TEXT);
  const b = zlib.gzipSync(Buffer.from('second member\n'));
  const cases: [Buffer, Buffer][] = [
    [a, TEXT],
    [Buffer.concat([a, b, a]), Buffer.concat([TEXT, Buffer.from('second member\n'), TEXT])],
    [Buffer.concat([a, Buffer.alloc(512)]), TEXT],
    [zlib.gzipSync(Buffer.alloc(0)), Buffer.alloc(0)],
  ];
  for (const [gz, want] of cases) {
    for (const size of SIZES) {
      const { out, reader } = await readAll(gz, size);
      assert.ok(out.equals(want), `chunk ${size}: ${out.length} bytes, want ${want.length}`);
      assert.equal(reader.problem, null);
    }
  }
});

test('header fields (extra, name, comment, header CRC) are skipped', async () => {
  const deflated = zlib.deflateRawSync(TEXT);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(TEXT), 0);
  trailer.writeUInt32LE(TEXT.length, 4);
  const header = Buffer.concat([
    Buffer.from([0x1f, 0x8b, 8, 4 | 8 | 16 | 2, 0, 0, 0, 0, 0, 3]),
    // The extra field holds zero bytes: the name's end must not be looked for inside it, even when the
    // header crosses a chunk edge.
    Buffer.from([5, 0, 0, 0, 1, 0, 5]),
    Buffer.from('dns.log\0a comment\0'),
    Buffer.from([0xab, 0xcd]),
  ]);
  for (const size of SIZES) {
    const { out, reader } = await readAll(Buffer.concat([header, deflated, trailer]), size);
    assert.ok(out.equals(TEXT));
    assert.equal(reader.problem, null);
  }
});

test('junk after a complete member: every byte of the member kept, junk reported once at its compressed offset', async () => {
  const a = zlib.gzipSync(TEXT);
  const b = zlib.gzipSync(Buffer.from('more\n'));
  const junks = [Buffer.from('JUNK after the member\n'), Buffer.from([0x1f]), Buffer.from([0x1f, 0x8b, 9, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('\0\0\0xyz')];
  for (const junk of junks) {
    for (const size of SIZES) {
      const gz = Buffer.concat([a, b, junk]);
      const { out, reader } = await readAll(gz, size);
      assert.ok(out.equals(Buffer.concat([TEXT, Buffer.from('more\n')])), `chunk ${size}`);
      assert.equal(reader.problem?.reason, 'gzip_trailing_garbage');
      const zeros = junk[0] === 0 ? 3 : 0;
      assert.equal(reader.problem?.offset, a.length + b.length + zeros);
    }
  }
});

test('a cut or corrupted member: data up to the damage kept, damage reported; a bad first header rejects', async () => {
  const a = zlib.gzipSync(TEXT);
  for (const size of SIZES) {
    const cut = await readAll(a.subarray(0, Math.floor(a.length / 2)), size);
    assert.ok(cut.out.length > 0 && TEXT.subarray(0, cut.out.length).equals(cut.out));
    assert.equal(cut.reader.problem?.reason, 'read_error');
    assert.match(cut.reader.problem!.message, /unexpected end of file/);
    const noTrailer = await readAll(a.subarray(0, a.length - 3), size);
    assert.ok(noTrailer.out.equals(TEXT));
    assert.equal(noTrailer.reader.problem?.reason, 'read_error');
    const badCrc = Buffer.from(a);
    badCrc[badCrc.length - 8] ^= 0xff;
    const crc = await readAll(badCrc, size);
    assert.match(crc.reader.problem!.message, /CRC or length check failed/);
  }
  const notGzip = new GzipMemberReader(chunks(Buffer.from('1f8b but not gzip'), 4), false);
  await assert.rejects(notGzip.next(), /damaged gzip data: incorrect header check/);
});
