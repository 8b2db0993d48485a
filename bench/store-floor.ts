/**
 * DuckDB's own cost of storing rows, with no JavaScript in the way: the rows an ingest stored are
 * copied into memory, then inserted into a fresh database file by DuckDB alone (one thread, as during
 * an ingest), committed and checkpointed. The CPU this takes per row is the floor under any ingest into
 * that table, whatever the decoders do: it bounds the records/s one core can reach. At most
 * FLOOR_ROWS rows are taken: a million wide rows held in memory cost page faults enough to double the
 * figure (PAN-OS: 14 µs a row measured that way, 7.5-8 with 200k rows or a warm machine).
 *
 * `node dist/bench/store-floor.js STORE.duckdb` prints it for every event table with rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { EVENT_TABLES } from '../src/model/fields.js';
import { duckdbDialect, STORAGE_VERSION } from '../src/store/duckdb/dialect.js';

/** Rows of each table measured (the first ones). */
export const FLOOR_ROWS = 200_000;

/** The floor of one table: rows copied and the CPU seconds (all threads) DuckDB spent storing them. */
export interface TableFloor {
  table: string;
  rows: number;
  cpuSeconds: number;
}

/** Measures the floor of every event table of the store file `db` that has rows. */
export async function storeFloor(db: string): Promise<TableFloor[]> {
  const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-floor-')), 'floor.duckdb');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  const out: TableFloor[] = [];
  try {
    await conn.run(`ATTACH '${db.replaceAll("'", "''")}' AS src (READ_ONLY)`);
    for (const t of EVENT_TABLES) {
      const n = Math.min(FLOOR_ROWS, Number((await conn.runAndReadAll(`SELECT count(*) FROM src."${t.name}"`)).getRows()[0][0]));
      if (n === 0) continue;
      await conn.run(`CREATE OR REPLACE TEMP TABLE rows_in_memory AS SELECT * FROM src."${t.name}" LIMIT ${n}`);
      // A new store's file format and column compression, as an ingest into a new store meets them.
      await conn.run(`ATTACH '${target}' AS dst (STORAGE_VERSION '${STORAGE_VERSION}')`);
      await conn.run('USE dst');
      await conn.run(duckdbDialect.createTable(t));
      await conn.run('USE memory');
      const before = process.cpuUsage();
      await conn.run('BEGIN TRANSACTION');
      const cols = t.fields.map((f) => `"${f.name}"`).join(', ');
      await conn.run(`INSERT INTO dst."${t.name}" (${cols}) SELECT ${cols} FROM rows_in_memory`);
      await conn.run('COMMIT');
      await conn.run('CHECKPOINT dst');
      const used = process.cpuUsage(before);
      await conn.run('DETACH dst');
      for (const f of [target, `${target}.wal`]) fs.rmSync(f, { force: true });
      out.push({ table: t.name, rows: n, cpuSeconds: (used.user + used.system) / 1e6 });
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
    fs.rmSync(path.dirname(target), { recursive: true, force: true });
  }
  return out;
}

/** One line for a report: microseconds per row and the rows per CPU-second it allows, per table. */
export function describeFloor(floors: readonly TableFloor[]): string {
  return floors
    .map((f) => {
      const us = (f.cpuSeconds * 1e6) / f.rows;
      return `${f.table} ${us.toFixed(2)} us/row (${(f.rows / f.cpuSeconds / 1e3).toFixed(0)}k rows per CPU-s)`;
    })
    .join(', ');
}

// `node dist/bench/store-floor.js STORE.duckdb`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const db = process.argv[2];
  if (!db) {
    process.stderr.write('usage: node dist/bench/store-floor.js STORE.duckdb\n');
    process.exit(2);
  }
  process.stdout.write(describeFloor(await storeFloor(db)) + '\n');
}
