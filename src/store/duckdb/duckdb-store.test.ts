import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONNECTIONS, DNS, columnIndex } from '../../model/fields.js';
import { ColumnBatch } from '../column-batch.js';
import { sql } from '../sql.js';
import type { Store } from '../store.js';
import { openDuckDBStore } from './duckdb-store.js';

const C = columnIndex(CONNECTIONS);
const D = columnIndex(DNS);

function tmpDb(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-store-')), 'test.duckdb');
}

const REC = {
  fingerprint: 'fp',
  sha256: 'sha',
  path: 'x.log',
  size: 1,
  format: 'test',
  sensor: null,
  startedAt: '2024-01-01T00:00:00Z',
  finishedAt: '2024-01-01T00:00:01Z',
  records: 0,
  skipped: 0,
  summary: '{}',
};

function connBatch(n: number, ingestId: number): ColumnBatch {
  const b = new ColumnBatch(CONNECTIONS, 4096);
  for (let i = 0; i < n; i++) {
    const r = b.addRow();
    b.setNum(C.ts, r, 1672843056913119 + i);
    b.setStr(C.uid, r, i % 2 ? 'CXHB1X22027MRWU6D' : 'short');
    b.setStr(C.orig_h, r, i % 3 === 0 ? '2001:db8:1234:5678:9abc:def0:1234:5678' : '10.0.0.' + (i % 250));
    b.setNum(C.orig_p, r, 50000 + (i % 1000));
    b.setStr(C.resp_h, r, '192.168.1.1');
    b.setNum(C.resp_p, r, 443);
    b.setStr(C.proto, r, 'tcp');
    b.setNum(C.ip_proto, r, 6);
    if (i % 5 !== 0) b.setNum(C.orig_bytes, r, 2 ** 40 + i);
    b.setNum(C.duration, r, i / 8);
    b.setBool(C.local_orig, r, i % 2 === 0);
    if (i % 7 === 0) b.setEmptyList(C.tunnel_parents, r);
    else if (i % 7 === 1) {
      b.pushStr(C.tunnel_parents, r, 'CtunnelUidLongerThanTwelve');
      b.pushStr(C.tunnel_parents, r, 'Cshort');
    }
    b.setStr(C.extra, r, i % 4 === 0 ? JSON.stringify({ vlan: i }) : null);
    b.setNum(C.ingest_id, r, ingestId);
  }
  return b;
}

async function count(store: Store, table = 'connections'): Promise<number> {
  const r = await store.all(sql`SELECT count(*) AS n FROM ${{ parts: [`"${table}"`], params: [] }}`);
  return Number(r[0].n);
}

test('batches load through data chunks with every value intact', async () => {
  const store = await openDuckDBStore({ path: ':memory:' });
  const w = await store.beginIngest();
  const b = connBatch(5000, w.ingestId);
  // More rows than one DuckDB vector, in two appends.
  w.append(b);
  w.append(connBatch(3, w.ingestId));
  await w.commit({ ...REC, records: 5003 });
  assert.equal(await count(store), 5003);
  const rows = await store.all(sql`SELECT * FROM connections WHERE ts = make_timestamp(${1672843056913119 + 7}::BIGINT) AND uid = 'CXHB1X22027MRWU6D'`);
  assert.equal(rows.length, 1);
  const r = rows[0];
  assert.equal(r.ts, '2023-01-04T14:37:36.913126Z');
  assert.equal(r.orig_h, '10.0.0.7');
  assert.equal(r.orig_p, 50007);
  assert.equal(r.orig_bytes, 2 ** 40 + 7);
  assert.equal(r.duration, 7 / 8);
  assert.equal(r.local_orig, false);
  assert.deepEqual(r.tunnel_parents, []); // 7 % 7 === 0: an empty set
  const r6 = (await store.all(sql`SELECT orig_h, tunnel_parents, orig_bytes, extra FROM connections WHERE orig_p = 50000 AND ts = make_timestamp(${1672843056913119}::BIGINT)`))[0];
  assert.equal(r6.orig_h, '2001:db8:1234:5678:9abc:def0:1234:5678');
  assert.deepEqual(r6.tunnel_parents, []);
  assert.equal(r6.orig_bytes, null);
  assert.equal(r6.extra, '{"vlan":0}');
  const r1 = (await store.all(sql`SELECT tunnel_parents FROM connections WHERE ts = make_timestamp(${1672843056913119 + 1}::BIGINT)`))[0];
  assert.deepEqual(r1.tunnel_parents, ['CtunnelUidLongerThanTwelve', 'Cshort']);
  const ing = await store.listIngests();
  assert.equal(ing.length, 1);
  assert.equal(ing[0].records, 5003);
  await store.close();
});


test('long strings of many columns and rows point into one shared copy: every value is its own', async () => {
  const store = await openDuckDBStore({ path: ':memory:' });
  const w = await store.beginIngest();
  const b = new ColumnBatch(CONNECTIONS, 8192);
  const expect: string[] = [];
  // Lengths around the 12-byte inline limit and the 4-byte prefix, multi-byte UTF-8, nulls between.
  for (let i = 0; i < 6000; i++) {
    const r = b.addRow();
    b.setNum(C.ts, r, 1672843056913119 + i);
    b.setNum(C.ingest_id, r, w.ingestId);
    const uid = 'C'.padEnd(11 + (i % 5), String.fromCharCode(65 + (i % 26))) + i;
    b.setStr(C.uid, r, uid);
    const extra = i % 3 === 0 ? null : JSON.stringify({ n: i, s: 'é→'.repeat(i % 40) });
    b.setStr(C.extra, r, extra);
    b.setStr(C.history, r, i % 2 ? 'ShADadFf' : null);
    expect.push(`${uid}|${extra}`);
  }
  w.append(b);
  await w.commit({ ...REC, records: 6000 });
  const rows = await store.all(sql`SELECT uid, extra, history FROM connections ORDER BY ts`);
  assert.deepEqual(rows.map((r) => `${r.uid}|${r.extra}`), expect);
  assert.equal(rows.filter((r) => r.history === 'ShADadFf').length, 3000);
  await store.close();
});

test('long strings that cut a character in two are repaired, though together they are UTF-8', async () => {
  const store = await openDuckDBStore({ path: ':memory:' });
  const w = await store.beginIngest();
  const b = new ColumnBatch(CONNECTIONS, 64);
  // 'é' is c3 a9: the first value ends with c3, the next one starts with a9 (a value cut at a byte limit).
  const text = Buffer.from('Caaaaaaaaaaaaaé' + 'bbbbbbbbbbbbbbbbb');
  const cut = text.indexOf(0xa9);
  const r = b.addRow();
  b.setNum(C.ts, r, 1672843056913119);
  b.setNum(C.ingest_id, r, w.ingestId);
  b.setBytes(C.uid, r, text, 0, cut);
  b.setBytes(C.extra, r, text, cut, text.length);
  w.append(b);
  await w.commit({ ...REC, records: 1 });
  const [row] = await store.all(sql`SELECT uid, extra FROM connections`);
  assert.equal(row.uid, 'Caaaaaaaaaaaaa\ufffd');
  assert.equal(row.extra, '\ufffdbbbbbbbbbbbbbbbbb');
  await store.close();
});

test('strings that are not UTF-8, short or long, are stored with U+FFFD and do not take their chunk with them', async () => {
  const store = await openDuckDBStore({ path: ':memory:' });
  const w = await store.beginIngest();
  const b = new ColumnBatch(CONNECTIONS, 64);
  const bad = new Uint8Array([0x43, 0xff, 0xfe, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b]);
  for (let i = 0; i < 10; i++) {
    const r = b.addRow();
    b.setNum(C.ts, r, 1672843056913119 + i);
    b.setNum(C.ingest_id, r, w.ingestId);
    if (i === 4) b.setBytes(C.uid, r, bad, 0, bad.length);
    else b.setStr(C.uid, r, `Cvalid-long-uid-${i}`);
    if (i === 6) b.setBytes(C.history, r, bad, 0, 5);
    else b.setStr(C.history, r, 'ShADad');
  }
  w.append(b);
  await w.commit({ ...REC, records: 10 });
  const rows = await store.all(sql`SELECT uid, history FROM connections ORDER BY ts`);
  assert.equal(rows.length, 10);
  for (let i = 0; i < 10; i++) if (i !== 4) assert.equal(rows[i].uid, `Cvalid-long-uid-${i}`);
  for (let i = 0; i < 10; i++) if (i !== 6) assert.equal(rows[i].history, 'ShADad');
  // Decoders are meant never to hand the store such bytes; if one does, the value is kept, repaired.
  assert.equal(rows[4].uid, 'C\ufffd\ufffdABCDEFGHIJK');
  assert.equal(rows[6].history, 'C\ufffd\ufffdAB');
  await store.close();
});
test('lists of numbers and strings in the DNS table', async () => {
  const store = await openDuckDBStore({ path: ':memory:' });
  const w = await store.beginIngest();
  const b = new ColumnBatch(DNS, 16);
  const r = b.addRow();
  b.setStr(D.query, r, 'www.example.com');
  b.pushStr(D.answers, r, 'www.example.com.cdn.cloudflare.net');
  b.pushStr(D.answers, r, '104.16.1.1');
  b.pushNum(D.ttls, r, 300);
  b.pushNum(D.ttls, r, 59.5);
  b.setNum(D.ingest_id, r, w.ingestId);
  w.append(b);
  await w.commit(REC);
  const row = (await store.all(sql`SELECT query, answers, ttls FROM dns`))[0];
  assert.deepEqual(row, { query: 'www.example.com', answers: ['www.example.com.cdn.cloudflare.net', '104.16.1.1'], ttls: [300, 59.5] });
  await store.close();
});

test('a rolled-back ingest leaves nothing; replace swaps an ingest atomically; reopen keeps committed data', async () => {
  const file = tmpDb();
  let store = await openDuckDBStore({ path: file });
  let w = await store.beginIngest();
  w.append(connBatch(100, w.ingestId));
  await w.rollback();
  assert.equal(await count(store), 0);
  assert.equal((await store.listIngests()).length, 0);

  w = await store.beginIngest();
  assert.equal(w.ingestId, 1);
  w.append(connBatch(100, w.ingestId));
  await w.commit({ ...REC, records: 100 });
  await store.close();

  store = await openDuckDBStore({ path: file });
  assert.equal(await count(store), 100);
  assert.equal((await store.findIngest('fp'))?.ingestId, 1);
  w = await store.beginIngest();
  assert.equal(w.ingestId, 2);
  await w.replace(1);
  w.append(connBatch(40, w.ingestId));
  await w.commit({ ...REC, records: 40 });
  assert.equal(await count(store), 40);
  const ing = await store.listIngests();
  assert.deepEqual(ing.map((i) => i.ingestId), [2]);
  await store.close();
});

test('user SQL is read-only', async () => {
  const store = await openDuckDBStore({ path: ':memory:' });
  await assert.rejects(store.readOnlySql('DELETE FROM connections'), /only SELECT/);
  await assert.rejects(store.readOnlySql('SELECT 1; DROP TABLE dns'), /exactly one/);
  const rows = await store.readOnlySql('SELECT count(*) AS n FROM connections');
  assert.equal(rows[0].n, 0);
  await assert.rejects(store.readOnlySql("SELECT * FROM read_csv('/etc/passwd')"));
  await store.close();
});

test('checkpoint commits what is appended and keeps the ingest open under the same id', async () => {
  const file = tmpDb();
  const store = await openDuckDBStore({ path: file });
  const w = await store.beginIngest();
  w.append(connBatch(10, w.ingestId));
  await w.checkpoint({ ...REC, records: 10 });
  w.append(connBatch(5, w.ingestId));
  // Rows after the checkpoint are lost with a rollback (or a crash); the checkpointed ones stay.
  await w.rollback();
  assert.equal(await count(store), 10);
  const ing = await store.listIngests();
  assert.deepEqual(ing.map((i) => [i.ingestId, i.records]), [[1, 10]]);
  await store.close();
});

test('a store made at schema version 1 is migrated in place and takes the new columns', async () => {
  const file = tmpDb();
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { MIGRATIONS } = await import('../migrations.js');
  const { duckdbDialectFor } = await import('./dialect.js');
  // Made in DuckDB's default storage format, as stores were before they moved to DuckDB 1.5's.
  const inst = await DuckDBInstance.create(file);
  const conn = await inst.connect();
  await conn.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)');
  for (const s of MIGRATIONS[0].statements(duckdbDialectFor('v1.0.0+'))) await conn.run(s);
  await conn.run("INSERT INTO schema_migrations VALUES (1, 'v1', current_timestamp)");
  const before = await conn.runAndReadAll("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'connections' AND column_name = 'action'");
  assert.equal(Number(before.getRowObjects()[0].n), 0);
  conn.closeSync();
  inst.closeSync();
  const store = await openDuckDBStore({ path: file });
  const w = await store.beginIngest();
  const b = connBatch(3, w.ingestId);
  b.setStr(C.action, 0, 'deny');
  b.setStr(C.cloud_provider, 0, 'aws');
  w.append(b);
  await w.commit(REC);
  const rows = await store.all(sql`SELECT action, cloud_provider FROM connections WHERE action IS NOT NULL`);
  assert.deepEqual(rows, [{ action: 'deny', cloud_provider: 'aws' }]);
  const versions = await store.all(sql`SELECT version FROM schema_migrations ORDER BY version`);
  assert.deepEqual(versions.map((r) => r.version), MIGRATIONS.map((m) => m.version));
  await store.close();
});

/** Compression of each stored segment of `column` in `table`, as DuckDB reports it. */
async function compressions(store: Store, table: string, column: string): Promise<Set<string>> {
  const rows = await store.all(sql`SELECT DISTINCT compression FROM pragma_storage_info(${table}) WHERE column_name = ${column} AND segment_type = 'VARCHAR'`);
  return new Set(rows.map((r) => String(r.compression)));
}

/** Stores 500 connections with distinct long `extra` texts and checkpoints, so they are compressed. */
async function storeLongExtras(store: Store): Promise<void> {
  const w = await store.beginIngest();
  const b = connBatch(500, w.ingestId);
  for (let i = 0; i < 500; i++) b.setStr(C.extra, i, JSON.stringify({ note: `row ${i} of a batch long enough to need compression` }));
  w.append(b);
  await w.commit(REC);
  await store.run(sql`CHECKPOINT`);
}

test('a new store is in DuckDB 1.5 storage with zstd long text; an older-format store keeps its format and still takes rows', async () => {
  const fresh = tmpDb();
  let store = await openDuckDBStore({ path: fresh });
  await storeLongExtras(store);
  assert.deepEqual([...(await compressions(store, 'connections', 'extra'))], ['ZSTD']);
  const fmt = await store.all(sql`SELECT tags['storage_version'] AS v FROM duckdb_databases() WHERE database_name = current_database()`);
  assert.equal(fmt[0].v, 'v1.5.0+');
  await store.close();

  const old = tmpDb();
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(old, { storage_compatibility_version: 'v1.0.0' });
  inst.closeSync();
  store = await openDuckDBStore({ path: old });
  await storeLongExtras(store);
  assert.deepEqual([...(await compressions(store, 'connections', 'extra'))], ['FSST']);
  const rows = await store.all(sql`SELECT count(*) AS n, count(DISTINCT extra) AS e FROM connections`);
  assert.deepEqual(rows.map((r) => [Number(r.n), Number(r.e)]), [[500, 500]]);
  await store.close();
});

test('ingest hooks derive inside the ingest transaction: committed, rolled back and replaced with the rows', async () => {
  const store = await openDuckDBStore({ path: tmpDb() });
  await store.run(sql`CREATE TABLE derived (ingest_id INTEGER, hosts BIGINT)`);
  const seen: string[] = [];
  store.addIngestHook({
    name: 'host counts',
    async beforeCommit(tx, id) {
      seen.push(`commit ${id}`);
      await tx.run(sql`DELETE FROM derived WHERE ingest_id = ${id}`);
      await tx.run(sql`INSERT INTO derived SELECT ${id}, count(DISTINCT orig_h) FROM connections WHERE ingest_id = ${id}`);
    },
    async onReplace(tx, old) {
      seen.push(`replace ${old}`);
      await tx.run(sql`DELETE FROM derived WHERE ingest_id = ${old}`);
    },
  });
  let w = await store.beginIngest();
  w.append(connBatch(30, w.ingestId));
  await w.commit({ ...REC, records: 30 });
  assert.deepEqual(await store.all(sql`SELECT ingest_id, hosts FROM derived`), [{ ingest_id: 1, hosts: 21 }]);

  w = await store.beginIngest();
  await w.replace(1);
  w.append(connBatch(3, w.ingestId));
  await w.rollback();
  assert.deepEqual(await store.all(sql`SELECT ingest_id, hosts FROM derived`), [{ ingest_id: 1, hosts: 21 }]);

  w = await store.beginIngest();
  await w.replace(1);
  w.append(connBatch(3, w.ingestId));
  await w.commit({ ...REC, records: 3 });
  assert.deepEqual(await store.all(sql`SELECT ingest_id, hosts FROM derived`), [{ ingest_id: 2, hosts: 3 }]);
  assert.deepEqual(seen, ['commit 1', 'replace 1', 'replace 1', 'commit 2']);

  await assert.rejects(store.transaction(async (tx) => {
    await tx.run(sql`INSERT INTO derived VALUES (9, 9)`);
    throw new Error('boom');
  }), /boom/);
  assert.equal((await store.all(sql`SELECT count(*) AS n FROM derived`))[0].n, 1);
  await store.close();
});
