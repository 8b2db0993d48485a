import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONNECTIONS, columnIndex } from '../model/fields.js';
import type { ColumnBatch } from '../store/column-batch.js';
import { InlineDecoder } from './inline-decoder.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONN = fs.readFileSync(path.join(here, '../../../test/fixtures/zeek/rita_tsv_conn.log'));
const C = columnIndex(CONNECTIONS);

async function decode(onBatch: (b: ColumnBatch) => void): Promise<void> {
  const d = new InlineDecoder();
  d.begin({ format: 'zeek-tsv', ingestId: 1, sensor: null, inputName: 'conn.log', batchRows: 16, onBatch });
  await d.push(CONN);
  await d.finish();
}

test('batches a consumer keeps are never refilled under it', async () => {
  const kept: ColumnBatch[] = [];
  const seen: string[] = [];
  await decode((b) => {
    kept.push(b);
    for (let r = 0; r < b.length; r++) seen.push(b.getStr(C.uid, r)!);
  });
  assert.ok(kept.length > 20);
  assert.equal(new Set(kept).size, kept.length, 'a new batch each time while none is released');
  const after = kept.flatMap((b) => Array.from({ length: b.length }, (_, r) => b.getStr(C.uid, r)!));
  assert.deepEqual(after, seen);
});

test('released batches are filled again instead of new ones', async () => {
  const objects = new Set<ColumnBatch>();
  let rows = 0;
  await decode((b) => {
    objects.add(b);
    rows += b.length;
    assert.equal(b.refilled, false);
    b.release();
  });
  assert.ok(rows > 400);
  assert.equal(objects.size, 1);
});
