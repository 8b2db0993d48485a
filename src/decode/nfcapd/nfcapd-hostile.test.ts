// Damaged nfcapd files: every kind of damage is skipped and counted with its byte offset, and every
// valid block before and after it is kept. Inputs are the committed fixture, cut or altered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeAll, type Collected } from '../testing.js';
import { nfcapd } from './nfcapd.js';
import { NFCAPD_FIXTURES } from './test-support.js';

const fixture = (name: string): Buffer => fs.readFileSync(path.join(NFCAPD_FIXTURES, name));
const FILE = fixture('nfcapd.ipfix');

/** The records of every block of an uncompressed file, and the file header. */
function records(file: Buffer): { header: Buffer; blocks: Buffer[][] } {
  const blocks: Buffer[][] = [];
  for (let p = 40; p + 12 <= file.length; ) {
    const n = file.readUInt32LE(p);
    const size = file.readUInt32LE(p + 4);
    const recs: Buffer[] = [];
    for (let i = 0, q = p + 12; i < n; i++) {
      recs.push(Buffer.from(file.subarray(q, q + file.readUInt16LE(q + 2))));
      q += file.readUInt16LE(q + 2);
    }
    blocks.push(recs);
    p += 12 + size;
  }
  return { header: Buffer.from(file.subarray(0, 40)), blocks };
}

function block(recs: Buffer[]): Buffer {
  const body = Buffer.concat(recs);
  const h = Buffer.alloc(12);
  h.writeUInt32LE(recs.length, 0);
  h.writeUInt32LE(body.length, 4);
  h.writeUInt16LE(3, 8);
  return Buffer.concat([h, body]);
}

// The fixture's 44 flows in three blocks (exporter record + 10 flows, 10 flows, 24 flows + stats),
// then its appendix: damage in the middle block must not cost the others.
const { header, blocks } = records(FILE);
const flowsBlock = blocks[0];
const B1 = block(flowsBlock.slice(0, 11));
const B2recs = flowsBlock.slice(11, 21);
const B3 = block(flowsBlock.slice(21));
const APPENDIX = block(blocks[1]);
const build = (b2: Buffer, tail: Buffer[] = [B3, APPENDIX]): Buffer => Buffer.concat([header, B1, b2, ...tail]);
const B2_AT = 40 + B1.length;

const reasons = (c: Collected): string[] => c.skips.map((s) => s.reason);

test('hostile nfcapd: the rebuilt three-block file reads whole', () => {
  const out = decodeAll(nfcapd, build(block(B2recs)));
  assert.deepEqual(out.skips, []);
  assert.equal(out.rows.connections.length, 44);
});

test('hostile nfcapd: a record length of 0 skips the rest of its block only', () => {
  const recs = B2recs.map((r) => Buffer.from(r));
  recs[3].writeUInt16LE(0, 2);
  const out = decodeAll(nfcapd, build(block(recs)));
  assert.deepEqual(reasons(out), ['bad_record_length']);
  const at = B2_AT + 12 + recs[0].length + recs[1].length + recs[2].length;
  assert.equal(out.skips[0].position, at);
  assert.match(out.skips[0].detail!, /7 records skipped/);
  assert.equal(out.rows.connections.length, 10 + 3 + 24);
});

test('hostile nfcapd: an empty block that claims records is counted', () => {
  const empty = Buffer.alloc(12);
  empty.writeUInt32LE(10, 0);
  empty.writeUInt16LE(3, 8);
  const out = decodeAll(nfcapd, build(empty));
  assert.deepEqual(reasons(out), ['bad_record_length']);
  assert.equal(out.skips[0].position, B2_AT);
  assert.equal(out.rows.connections.length, 34);
});

test('hostile nfcapd: a record running past its block skips the rest of the block', () => {
  const recs = B2recs.map((r) => Buffer.from(r));
  const b2 = block(recs);
  // The last record claims more bytes than the block holds.
  const lastAt = 12 + recs.slice(0, 9).reduce((n, r) => n + r.length, 0);
  b2.writeUInt16LE(recs[9].length + 40, lastAt + 2);
  const out = decodeAll(nfcapd, build(b2));
  assert.deepEqual(reasons(out), ['bad_record_length']);
  assert.equal(out.skips[0].position, B2_AT + lastAt);
  assert.equal(out.rows.connections.length, 10 + 9 + 24);
});

test('hostile nfcapd: fewer flows than the appendix statistics count is reported', () => {
  const out = decodeAll(nfcapd, Buffer.concat([header, B1, B3, APPENDIX]));
  assert.deepEqual(reasons(out), ['records_missing']);
  assert.match(out.skips[0].detail!, /count 44 flows, 34 were found/);
  assert.equal(out.rows.connections.length, 34);
});

test('hostile nfcapd: an element length past its record skips that record', () => {
  const recs = B2recs.map((r) => Buffer.from(r));
  recs[5].writeUInt16LE(4000, 12 + 2); // the first element of the sixth flow
  const out = decodeAll(nfcapd, build(block(recs)));
  assert.deepEqual(reasons(out), ['bad_element_length']);
  assert.equal(out.rows.connections.length, 43);
});

test('hostile nfcapd: an unknown element is stepped over by its length and counted', () => {
  const recs = B2recs.map((r) => Buffer.from(r));
  const firstLen = recs[0].readUInt16LE(12 + 2);
  recs[0].writeUInt16LE(200, 12 + firstLen); // the second element becomes type 200
  const out = decodeAll(nfcapd, build(block(recs)));
  assert.deepEqual(out.skips, []);
  assert.equal(out.ignored['nfcapd:element_200'], 1);
  assert.equal(out.rows.connections.length, 44);
});

test('hostile nfcapd: a file cut inside a block keeps the blocks before it', () => {
  const whole = build(block(B2recs));
  const cut = whole.subarray(0, B2_AT + 12 + 100);
  for (const chunkSize of [65536, 13]) {
    const out = decodeAll(nfcapd, cut, { chunkSize });
    assert.deepEqual(reasons(out), ['truncated_block']);
    assert.equal(out.skips[0].position, B2_AT);
    assert.equal(out.rows.connections.length, 10);
  }
  // Complete records of an uncompressed block cut short are kept.
  const two = whole.subarray(0, B2_AT + 12 + B2recs[0].length + B2recs[1].length + 5);
  const kept = decodeAll(nfcapd, two, { chunkSize: 64 });
  assert.deepEqual(reasons(kept), ['truncated_block']);
  assert.match(kept.skips[0].detail!, /2 of its 10 records read/);
  assert.equal(kept.rows.connections.length, 12);
  const header = decodeAll(nfcapd, whole.subarray(0, 30));
  assert.deepEqual(reasons(header), ['truncated_header']);
  assert.equal(header.rows.connections.length, 0);
});

test('hostile nfcapd: a block size beyond the file, or beyond any nfdump block, stops there', () => {
  const big = block(B2recs);
  big.writeUInt32LE(1_000_000, 4);
  const out = decodeAll(nfcapd, build(big));
  assert.deepEqual(reasons(out), ['truncated_block']);
  // The block's own ten records are complete and kept; what follows was swallowed by the bad size.
  assert.equal(out.rows.connections.length, 20);
  const huge = block(B2recs);
  huge.writeUInt32LE(0xfffffff0, 4);
  const h = decodeAll(nfcapd, build(huge));
  assert.deepEqual(reasons(h), ['bad_block_size']);
  assert.equal(h.skips[0].position, B2_AT);
  assert.equal(h.rows.connections.length, 10);
});

test('hostile nfcapd: a corrupt compressed block is skipped, the blocks around it kept', () => {
  for (const [name, compression] of [
    ['nfcapd.ipfix.lz4', 3],
    ['nfcapd.ipfix.lzo', 1],
    ['nfcapd.ipfix.bz2', 2],
  ] as const) {
    const good = fixture(name);
    const size = good.readUInt32LE(44);
    const first = good.subarray(40, 52 + size);
    const appendix = good.subarray(52 + size);
    const bad = Buffer.from(first);
    bad.fill(0xff, 12 + 8);
    const file = Buffer.concat([good.subarray(0, 40), first, bad, first, appendix]);
    assert.equal(file[16], compression);
    const out = decodeAll(nfcapd, file);
    assert.deepEqual(reasons(out), ['corrupt_block'], name);
    assert.equal(out.skips[0].position, 40 + first.length);
    assert.equal(out.rows.connections.length, 88, name);
  }
});

test('hostile nfcapd: nfdump 1.6 files, encrypted files and unknown compressions are refused with what to do', () => {
  const v1 = Buffer.from(FILE);
  v1[2] = 1;
  const a = decodeAll(nfcapd, v1, { inputName: 'old/nfcapd.201601010000' });
  assert.deepEqual(reasons(a), ['nfdump_1_6_file']);
  assert.match(a.skips[0].detail!, /nfdump -r old\/nfcapd\.201601010000 -w NEW/);
  assert.equal(a.rows.connections.length + a.rows.metadata.length, 0);
  const enc = Buffer.from(FILE);
  enc[17] = 1;
  assert.deepEqual(reasons(decodeAll(nfcapd, enc)), ['encrypted_file']);
  const z = Buffer.from(FILE);
  z[16] = 9;
  const c = decodeAll(nfcapd, z, { inputName: 'f' });
  assert.deepEqual(reasons(c), ['unknown_compression']);
  assert.match(c.skips[0].detail!, /nfdump -r f -y -w OUT/);
});

test('hostile nfcapd: random damage never throws or hangs', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (const name of ['nfcapd.ipfix', 'nfcapd.ipfix.lz4', 'nfcapd.ipfix.lzo', 'nfcapd.ipfix.bz2']) {
    const good = fixture(name);
    for (let i = 0; i < 150; i++) {
      const f = Buffer.from(good);
      for (let k = 0; k < 1 + rnd(6); k++) f[40 + rnd(f.length - 40)] = rnd(256);
      const out = decodeAll(nfcapd, f.subarray(0, rnd(4) === 0 ? rnd(f.length) : f.length), { chunkSize: 1 + rnd(3000) });
      assert.ok(out.rows.connections.length <= 44 || name !== 'nfcapd.ipfix');
    }
  }
});
