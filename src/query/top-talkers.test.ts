import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { rng } from '../../bench/gen-zeek-conn.js';
import { CONNECTIONS, columnIndex } from '../model/fields.js';
import { ColumnBatch } from '../store/column-batch.js';
import { HOST_ROLLUP_BUCKET_US, HOST_ROLLUP_TABLE, hostRollupComplete, wholeBuckets } from '../store/host-rollup.js';
import { duckdbDialectFor } from '../store/duckdb/dialect.js';

/** The dialect of a store file in DuckDB's default format, as older builds made them. */
const duckdbDialect = duckdbDialectFor('v1.0.0+');
import { MIGRATIONS } from '../store/migrations.js';
import { openStore } from '../store/open.js';
import { raw, sql } from '../store/sql.js';
import type { Store } from '../store/store.js';
import { top } from './questions.js';
import type { TimeRange } from './time-range.js';

const C = columnIndex(CONNECTIONS);
const DAY = HOST_ROLLUP_BUCKET_US;
const T0 = Date.UTC(2024, 2, 1) * 1000;
const REC = { fingerprint: 'f', sha256: null, path: 'random', size: 1, format: 'test', sensor: null, startedAt: '2024-03-01T00:00:00Z', finishedAt: '2024-03-01T00:00:01Z', records: 0, skipped: 0, summary: '{}' };

const HOSTS = Array.from({ length: 25 }, (_, i) => (i < 15 ? `10.0.${i % 3}.${i + 1}` : `2001:db8::${(i + 1).toString(16)}`));

/** Random connections over five days: self connections, missing addresses, IP-level or payload bytes, interim rows. */
function batch(r: () => number, n: number, ingestId: number): ColumnBatch {
  const b = new ColumnBatch(CONNECTIONS, n);
  for (let k = 0; k < n; k++) {
    const i = b.addRow();
    b.setNum(C.ts, i, T0 + Math.floor(r() * 5 * DAY));
    const o = HOSTS[Math.floor(r() * r() * HOSTS.length)];
    const x = r();
    b.setStr(C.orig_h, i, x < 0.03 ? null : o);
    b.setStr(C.resp_h, i, x > 0.97 ? null : x < 0.06 ? o : HOSTS[Math.floor(r() * HOSTS.length)]);
    b.setNum(C.resp_p, i, [53, 443, 80, 22][Math.floor(r() * 4)]);
    b.setStr(C.proto, i, 'tcp');
    const ob = Math.floor(r() * 1e6);
    const rb = Math.floor(r() * 1e7);
    if (r() < 0.7) {
      b.setNum(C.orig_ip_bytes, i, ob);
      b.setNum(C.resp_ip_bytes, i, rb);
    } else if (r() < 0.8) {
      b.setNum(C.orig_bytes, i, ob);
      b.setNum(C.resp_bytes, i, rb);
    }
    if (r() < 0.1) b.setStr(C.state_reason, i, 'interim');
    b.setNum(C.ingest_id, i, ingestId);
  }
  return b;
}

async function ingest(store: Store, r: () => number, n: number, replace?: number): Promise<number> {
  const w = await store.beginIngest();
  if (replace !== undefined) await w.replace(replace);
  w.append(batch(r, n, w.ingestId));
  await w.commit(REC);
  return w.ingestId;
}

/** Ranges with open ends, ends on day boundaries, ends inside days, and ranges inside one day. */
function ranges(r: () => number, n: number): TimeRange[] {
  const out: TimeRange[] = [{}, { since: T0 + DAY }, { until: T0 + 3 * DAY }, { since: T0 + DAY, until: T0 + 2 * DAY }, { since: T0 + DAY + 5, until: T0 + DAY + 9 }];
  for (let i = 0; i < n; i++) {
    const end = () => (r() < 0.3 ? T0 + Math.floor(r() * 6) * DAY : T0 + Math.floor(r() * 6 * DAY));
    let a: number | undefined = end();
    let b: number | undefined = end();
    if (a > b) [a, b] = [b, a];
    const open = r();
    if (open < 0.15) a = undefined;
    else if (open < 0.3) b = undefined;
    out.push({ since: a, until: b });
  }
  return out;
}

async function assertSameAnswers(store: Store, rs: TimeRange[]): Promise<void> {
  for (const range of rs) {
    for (const by of ['bytes', 'connections'] as const) {
      const fromSummary = await top(store, 'talkers', by, { range }, 100);
      const fromRows = await top(store, 'talkers', by, { range }, 100, undefined, { summary: false });
      assert.deepEqual(fromSummary, fromRows, `talkers by ${by} over ${JSON.stringify(range)}`);
    }
  }
}

test('whole days inside a range', () => {
  assert.deepEqual(wholeBuckets(undefined, undefined), { from: undefined, to: undefined });
  assert.deepEqual(wholeBuckets(T0 + 1, T0 + 3 * DAY - 1), { from: T0 + DAY, to: T0 + 2 * DAY });
  assert.deepEqual(wholeBuckets(T0, T0 + DAY), { from: T0, to: T0 + DAY });
  assert.equal(wholeBuckets(T0 + 1, T0 + DAY), null);
  assert.equal(wholeBuckets(T0 + 5, T0 + 9), null);
});

test('top talkers from the per-day summary equal those from raw rows, through replace, rollback and rows loaded without the hook', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-talkers-'));
  const store = await openStore(path.join(dir, 'talkers.duckdb'));
  try {
    const r = rng(6);
    const first = await ingest(store, r, 3000);
    await ingest(store, r, 2000);
    assert.equal(await hostRollupComplete(store), true);
    const rows = await store.all(sql`SELECT count(*) AS n FROM ${raw(`"${HOST_ROLLUP_TABLE}"`)}`);
    assert.ok(Number(rows[0].n) > 100, 'the hook filled the summary');
    // The summary is really used: dropping a summary row changes the answer, and restoring it undoes that.
    await store.run(sql`UPDATE ${raw(`"${HOST_ROLLUP_TABLE}"`)} SET connections = connections + 1000000 WHERE host = ${HOSTS[0]}`);
    const skewed = await top(store, 'talkers', 'connections', {}, 1);
    assert.equal(skewed[0].host, HOSTS[0]);
    assert.ok(Number(skewed[0].connections) > 1000000);
    await store.run(sql`UPDATE ${raw(`"${HOST_ROLLUP_TABLE}"`)} SET connections = connections - 1000000 WHERE host = ${HOSTS[0]}`);
    await assertSameAnswers(store, ranges(r, 25));

    // --force: the first ingest replaced by other rows in the same transaction.
    await ingest(store, r, 2500, first);
    await assertSameAnswers(store, ranges(r, 15));

    // A killed ingest leaves nothing behind in either table.
    const w = await store.beginIngest();
    w.append(batch(r, 500, w.ingestId));
    await w.rollback();
    await assertSameAnswers(store, ranges(r, 10));

    // Rows stored without the hook: the summary no longer covers everything, so raw rows answer.
    await store.run(sql`INSERT INTO connections (ts, orig_h, resp_h, orig_ip_bytes, resp_ip_bytes, ingest_id)
      VALUES (make_timestamp(${T0 + DAY + 7}::BIGINT), '192.0.2.1', '192.0.2.2', 99000000000, 1, 77)`);
    assert.equal(await hostRollupComplete(store), false);
    const all = await top(store, 'talkers', 'bytes', {}, 2);
    assert.deepEqual(all.map((x) => x.host).sort(), ['192.0.2.1', '192.0.2.2']);
    await assertSameAnswers(store, ranges(r, 5));
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('migration 5 fills the summary from the connections a store already holds', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-talkers-'));
  const file = path.join(dir, 'old.duckdb');
  const inst = await DuckDBInstance.create(file);
  const c = await inst.connect();
  await c.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)');
  for (const m of MIGRATIONS.filter((x) => x.version <= 4)) {
    for (const s of m.statements(duckdbDialect)) await c.run(s);
    await c.run('INSERT INTO schema_migrations VALUES ($1, $2, current_timestamp)', [m.version, m.name]);
  }
  await c.run(`INSERT INTO connections (ts, orig_h, resp_h, orig_ip_bytes, resp_ip_bytes, state_reason, ingest_id) VALUES
    ('2024-03-01 10:00:00', '10.0.0.1', '10.0.0.2', 100, 2000, NULL, 1),
    ('2024-03-02 23:59:59', '10.0.0.2', '10.0.0.1', 5, 7, NULL, 1),
    ('2024-03-02 12:00:00', '10.0.0.3', '10.0.0.1', 999999, 1, 'interim', 2),
    ('2024-03-03 00:00:00', '10.0.0.3', '10.0.0.3', 40, 60, NULL, 2)`);
  c.closeSync();
  inst.closeSync();
  const store = await openStore(file);
  try {
    assert.equal(await hostRollupComplete(store), true);
    const rows = await store.all(sql`SELECT bucket, host, side, connections, bytes_sent, bytes_received FROM ${raw(`"${HOST_ROLLUP_TABLE}"`)} WHERE host = '10.0.0.3'`);
    assert.deepEqual(rows.map((x) => [x.bucket, x.side, x.connections, x.bytes_sent, x.bytes_received]).sort(), [
      ['2024-03-03T00:00:00.000000Z', 'orig', 1, 40, 60],
      ['2024-03-03T00:00:00.000000Z', 'resp', 1, 60, 40],
    ]);
    await assertSameAnswers(store, [{}, { since: T0 + DAY }, { since: T0 + 12 * 3600e6, until: T0 + 2 * DAY }]);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
