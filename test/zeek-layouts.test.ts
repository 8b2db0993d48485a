// Zeek layouts the sweeps left unrecognised, through the whole pipeline into a real DuckDB store and back
// out through the questions analysts ask (top talkers from the rows and from the per-day host summary).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingest } from '../src/pipeline/ingest.js';
import { top } from '../src/query/questions.js';
import { openStore } from '../src/store/open.js';
import { sql } from '../src/store/sql.js';

const ZEEK = path.join(process.cwd(), 'test/fixtures/zeek');

function tmpDb(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-zeek-layouts-')), 'a.duckdb');
}

test('conn_long interim rows and the final conn.log row of the same uid: top counts the connection once, with its final bytes', async () => {
  const store = await openStore(tmpDb());
  try {
    const report = await ingest(store, [path.join(ZEEK, 'conn_long_written.log'), path.join(ZEEK, 'conn_long_final_written.json')]);
    assert.deepEqual(report.files.map((f) => [f.status, f.format, f.records]), [
      ['ingested', 'zeek-tsv', { connections: 2 }],
      ['ingested', 'zeek-json', { connections: 1 }],
    ]);
    const rows = await store.all(sql`SELECT uid, state_reason FROM connections ORDER BY duration`);
    assert.deepEqual(rows.map((r) => [r.uid, r.state_reason]), [
      ['CLong00000000001', 'interim'], ['CLong00000000001', 'interim'], ['CLong00000000001', null],
    ]);
    for (const summary of [true, false]) {
      const t = await top(store, 'talkers', 'connections', {}, 10, undefined, { summary });
      const mine = t.find((r) => r.host === '192.0.2.60');
      assert.ok(mine !== undefined, `summary ${summary}`);
      assert.equal(Number(mine.connections), 1, `summary ${summary}`);
      assert.equal(Number(mine.bytes), 276000 + 3144000, `summary ${summary}`); // IP bytes of the final record
    }
  } finally {
    await store.close();
  }
});
