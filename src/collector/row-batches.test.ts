import { test } from 'node:test';
import assert from 'node:assert/strict';
import { K } from '../decode/flow-key.js';
import { CollectorCounters } from './collector-counters.js';
import { RowBatches } from './row-batches.js';

test('while a commit runs, full batches are held in order, bounded, and handed on afterwards', () => {
  const seen: number[] = [];
  const rows = new RowBatches(1, null, 'test', 16, new CollectorCounters(), (b) => {
    for (let r = 0; r < b.length; r++) seen.push((b.columns[K.ts] as { values: Float64Array }).values[r]);
  }, 2);
  const write = (n: number, from: number): void => {
    for (let i = 0; i < n; i++) {
      const b = rows.batch('connections');
      b.setNum(K.ts, b.addRow(), from + i);
    }
  };
  write(20, 0);
  assert.equal(seen.length, 16, 'a full batch goes to the store at once');
  rows.hold();
  write(28, 20);
  assert.equal(seen.length, 16, 'nothing reaches the store during a commit');
  assert.equal(rows.canDecode, true);
  write(16, 48);
  assert.equal(rows.canDecode, false, 'two held batches: decoding must wait');
  rows.release();
  assert.equal(seen.length, 48);
  rows.flush();
  assert.deepEqual(seen, Array.from({ length: 64 }, (_, i) => i));
});
