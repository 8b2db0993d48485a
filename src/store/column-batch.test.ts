import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel } from 'node:worker_threads';
import { CONNECTIONS, DNS, METADATA, columnIndex } from '../model/fields.js';
import { ColumnBatch, batchFromParts, batchParts, recycledBatch, type BatchParts } from './column-batch.js';

const C = columnIndex(CONNECTIONS);
const D = columnIndex(DNS);

/** Sends parts through a real MessageChannel with their buffers transferred, as the decode worker does. */
function roundTrip(parts: BatchParts, transfer: ArrayBuffer[]): Promise<BatchParts> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.once('message', (m: BatchParts) => {
      port1.close();
      resolve(m);
    });
    port1.postMessage(parts, transfer);
  });
}

test('a batch keeps its fixed-size arrays in one buffer and starts all-null', () => {
  const b = new ColumnBatch(CONNECTIONS, 100);
  const buffers = new Set(b.columns.flatMap((c) => (c.kind === 'num' ? [c.values.buffer, c.valid.buffer] : c.kind === 'str' ? [c.start.buffer, c.len.buffer] : [c.first.buffer])));
  assert.equal(buffers.size, 1);
  const row = b.addRow();
  assert.equal(b.getNum(C.orig_p, row), null);
  assert.equal(b.getStr(C.uid, row), null);
  b.setNum(C.orig_p, row, 443);
  b.setStr(C.uid, row, 'CAbc');
  assert.equal(b.getNum(C.orig_p, row), 443);
  assert.equal(b.getStr(C.uid, row), 'CAbc');
  // Neighbouring arrays in the slab do not overlap: filling one leaves the next untouched.
  for (let r = 1; r < 100; r++) b.setNum(C.orig_p, b.addRow(), r);
  assert.equal(b.getStr(C.uid, 99), null);
  assert.equal(b.getNum(C.resp_p, 99), null);
  const { transfer } = batchParts(b);
  assert.equal(transfer.length, 2, 'the slab and the arena');
});

test('a batch sent away and given back is empty, at its capacity, and fills correctly again', async () => {
  const b = new ColumnBatch(DNS, 64);
  for (let r = 0; r < 64; r++) {
    const row = b.addRow();
    b.setStr(D.query, row, `host-${r}.example.com`);
    b.setNum(D.qtype, row, 1);
    for (let k = 0; k < 40; k++) b.pushStr(D.answers, row, `10.0.${r}.${k}`); // grows the item arrays
  }
  const sent = batchParts(b);
  const there = batchFromParts(DNS, await roundTrip(sent.parts, sent.transfer));
  assert.equal(there.length, 64);
  assert.equal(there.getStr(D.query, 63), 'host-63.example.com');
  const back = batchParts(there);
  const again = recycledBatch(DNS, await roundTrip(back.parts, back.transfer));
  assert.equal(again.length, 0);
  assert.equal(again.capacity, 64);
  assert.equal(again.refilled, true);
  const row = again.addRow();
  assert.equal(row, 0);
  assert.equal(again.getStr(D.query, 0), null);
  assert.equal(again.getNum(D.qtype, 0), null);
  again.setStr(D.query, 0, 'x.test');
  again.pushStr(D.answers, 0, '192.0.2.1');
  assert.equal(again.getStr(D.query, 0), 'x.test');
  const answers = again.columns[D.answers];
  assert.equal(answers.kind === 'list' && answers.count[0], 1);
  assert.equal(answers.kind === 'list' && answers.items, 1);
  while (!again.full) again.addRow();
  assert.equal(again.length, 64);
});

test('release hands the batch back once', () => {
  const b = new ColumnBatch(CONNECTIONS, 8);
  let calls = 0;
  b.onRelease = () => calls++;
  b.release();
  b.release();
  assert.equal(calls, 1);
});

test('a new batch starts with the arena its table grew to, bounded per row', () => {
  const small = new ColumnBatch(METADATA, 16);
  const start = small.arena.length;
  const wide = 'x'.repeat(300);
  for (let i = 0; i < 16; i++) small.setStr(METADATA.fields.findIndex((f) => f.name === 'data'), small.addRow(), wide);
  assert.ok(small.arena.length > start);
  assert.ok(new ColumnBatch(METADATA, 16).arena.length >= small.arena.length, 'grown size remembered');
  // One huge value: later batches do not all start that big.
  const huge = new ColumnBatch(METADATA, 16);
  huge.setStr(METADATA.fields.findIndex((f) => f.name === 'data'), huge.addRow(), 'y'.repeat(4 << 20));
  assert.ok(new ColumnBatch(METADATA, 16).arena.length <= 16 * 1024);
});
