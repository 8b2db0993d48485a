/**
 * The embedded store: one DuckDB database file. Each ingest is one transaction (appenders write into
 * it), so a file is either wholly in the store or not at all, even if the process is killed.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  DuckDBConnection,
  DuckDBInstance,
  DuckDBListValue,
  DuckDBStructValue,
  DuckDBTimestampValue,
  DuckDBDecimalValue,
  StatementType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { isoMicros } from '../../model/time.js';
import { EVENT_TABLES } from '../../model/fields.js';
import { NightjarError } from '../../model/errors.js';
import type { ColumnBatch } from '../column-batch.js';
import { MIGRATIONS } from '../migrations.js';
import { raw, sql, type SqlFragment, type SqlParam } from '../sql.js';
import type { FreshRows, IngestHook, IngestRecord, IngestWriter, Row, Store, TxContext, Value } from '../store.js';
import { BatchInserter } from './batch-insert.js';
import { SinceWindow } from '../since-window.js';
import { ReaderPool } from './reader-pool.js';

/** Connections for reads outside transactions: enough for a question's statements to overlap on two cores. */
const READERS = 3;
import { duckdbDialect, duckdbDialectFor, STORAGE_VERSION } from './dialect.js';
import type { Dialect } from '../dialect.js';

/** Options for opening the embedded store. */
export interface DuckDBStoreOptions {
  /** Database file, or ':memory:'. */
  readonly path: string;
  /** DuckDB memory limit for queries, e.g. '1GB'. */
  readonly memoryLimit?: string;
  /** DuckDB memory limit while an ingest is loading (default '256MB'). */
  readonly ingestMemoryLimit?: string;
  readonly threads?: number;
}

function toValue(v: DuckDBValue): Value {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof DuckDBTimestampValue) return isoMicros(v.micros) ?? v.micros.toString();
  if (v instanceof DuckDBListValue) return v.items.map(toValue);
  if (v instanceof DuckDBStructValue) {
    const o: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v.entries)) o[k] = toValue(x);
    return o;
  }
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  return String(v);
}

function toParam(p: SqlParam): DuckDBValue {
  return p;
}

function rowsOf(objs: Record<string, DuckDBValue>[]): Row[] {
  return objs.map((o) => {
    const r: Row = {};
    for (const k in o) r[k] = toValue(o[k]);
    return r;
  });
}

function ingestOf(r: Row): IngestRecord {
  return {
    ingestId: Number(r.ingest_id),
    fingerprint: String(r.fingerprint),
    sha256: r.sha256 === null ? null : String(r.sha256),
    path: String(r.path),
    size: Number(r.size),
    format: String(r.format),
    sensor: r.sensor === null ? null : String(r.sensor),
    startedAt: String(r.started_at),
    finishedAt: String(r.finished_at),
    records: Number(r.records),
    skipped: Number(r.skipped),
    summary: String(r.summary),
  };
}

/** First row id of rows a transaction has appended and not committed: DuckDB's MAX_ROW_ID, just under 2^55. */
const LOCAL_ROW_IDS = '36028797018960000';

/** Opens (creating when needed) and migrates a DuckDB store. */
export async function openDuckDBStore(opts: DuckDBStoreOptions): Promise<Store> {
  const file = opts.path;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file, {
      memory_limit: opts.memoryLimit ?? '1GB',
      threads: String(opts.threads ?? 2),
      preserve_insertion_order: 'false',
      // Files this creates use the storage format of DuckDB 1.5, which has zstd for text (see the
      // dialect's compression choices); a file made by an older version keeps its own format.
      storage_compatibility_version: STORAGE_VERSION,
      ...(file === ':memory:' ? {} : { temp_directory: path.resolve(file) + '.tmp' }),
    });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const hint = /lock/i.test(msg)
      ? 'another Nightjar process has it open; wait for it to finish or use a different --db'
      : 'check the path and its permissions, or set --db / $NIGHTJAR_DB';
    throw new NightjarError('NJ_STORE', `cannot open the store ${file}: ${msg.split('\n')[0]} (${hint})`, { cause: err });
  }
  const conn = await instance.connect();
  const memoryLimit = opts.memoryLimit ?? '1GB';
  const format = (await conn.runAndReadAll(
    `SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()`,
  )).getRows()[0]?.[0];
  // A file's format decides the compression its new columns can use; in memory any works.
  const dialect = typeof format === 'string' ? duckdbDialectFor(format) : duckdbDialect;
  const store = new DuckDBStore(instance, conn, dialect, file, opts.threads ?? 2, memoryLimit, opts.ingestMemoryLimit ?? '256MB');
  await store.migrate();
  return store;
}

class DuckDBStore implements Store {
  private writing = false;
  private inserter: BatchInserter | null = null;
  private readonly hooks: IngestHook[] = [];
  private readonly tx: TxContext = {
    all: (q) => this.all(q),
    run: async (q) => {
      const r = this.dialect.render(q);
      await this.conn.run(r.text, r.params.map(toParam));
    },
  };

  private readonly readers: ReaderPool;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly dialect: Dialect,
    readonly location: string,
    private readonly threads: number,
    private readonly memoryLimit: string,
    private readonly ingestMemory: string,
  ) {
    this.readers = new ReaderPool(() => instance.connect(), READERS);
  }

  async migrate(): Promise<void> {
    await this.conn.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)',
    );
    const done = new Set(
      (await this.all(sql`SELECT version FROM schema_migrations`)).map((r) => Number(r.version)),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await this.conn.run('BEGIN TRANSACTION');
      try {
        for (const s of m.statements(this.dialect)) await this.conn.run(s);
        await this.conn.run('INSERT INTO schema_migrations VALUES ($1, $2, current_timestamp)', [m.version, m.name]);
        await this.conn.run('COMMIT');
      } catch (err) {
        await this.conn.run('ROLLBACK');
        throw new NightjarError('NJ_STORE', `schema migration ${m.version} (${m.name}) failed`, { cause: err });
      }
    }
  }

  async all(q: SqlFragment): Promise<Row[]> {
    const r = this.dialect.render(q);
    // Inside a transaction reads must see its uncommitted rows: its own connection. Otherwise a reader
    // connection, so a question's independent statements can run at once (each alone often keeps only
    // one of DuckDB's threads busy).
    if (this.writing) return rowsOf((await this.conn.runAndReadAll(r.text, r.params.map(toParam))).getRowObjects());
    const conn = await this.readers.acquire();
    try {
      return rowsOf((await conn.runAndReadAll(r.text, r.params.map(toParam))).getRowObjects());
    } finally {
      this.readers.release(conn);
    }
  }

  async *stream(q: SqlFragment): AsyncIterable<Row[]> {
    const r = this.dialect.render(q);
    const result = await this.conn.stream(r.text, r.params.map(toParam));
    const names = result.columnNames();
    while (true) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      yield rowsOf(chunk.getRowObjects(names));
    }
  }

  async readOnlySql(text: string): Promise<Row[]> {
    const extracted = await this.conn.extractStatements(text);
    if (extracted.count !== 1) throw new NightjarError('NJ_QUERY', 'give exactly one SQL statement');
    const prepared = await extracted.prepare(0);
    const t = prepared.statementType;
    if (t !== StatementType.SELECT && t !== StatementType.EXPLAIN) {
      throw new NightjarError('NJ_QUERY', 'only SELECT (and EXPLAIN) statements are allowed; the store is read-only here');
    }
    // No file or network access from user SQL for the rest of this process.
    await this.conn.run("SET enable_external_access = false");
    const reader = await prepared.runAndReadAll();
    return rowsOf(reader.getRowObjects());
  }

  async run(q: SqlFragment): Promise<void> {
    await this.transaction((tx) => tx.run(q));
  }

  async transaction<T>(work: (tx: TxContext) => Promise<T>): Promise<T> {
    if (this.writing) throw new NightjarError('NJ_INTERNAL', 'an ingest is open on this store');
    this.writing = true;
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const out = await work(this.tx);
      await this.conn.run('COMMIT');
      return out;
    } catch (err) {
      await this.conn.run('ROLLBACK');
      throw err;
    } finally {
      this.writing = false;
    }
  }

  addIngestHook(hook: IngestHook): void {
    this.hooks.push(hook);
  }

  /**
   * The rows appended since the last checkpoint, when DuckDB can single them out: rows not yet
   * committed live in the transaction's local storage, whose row ids start at LOCAL_ROW_IDS (committed
   * rows are numbered from 0). Checked against the rows appended to each table, so that a DuckDB numbering them
   * otherwise falls back to the hooks' `since` (undefined) instead of deriving from the wrong rows.
   */
  private async freshRows(appended: ReadonlyMap<string, number>): Promise<FreshRows | undefined> {
    for (const t of EVENT_TABLES) {
      const r = await this.all(sql`SELECT count(*) AS n FROM ${raw(`"${t.name}"`)} WHERE rowid >= ${raw(LOCAL_ROW_IDS)}`);
      if (Number(r[0].n) !== (appended.get(t.name) ?? 0)) return undefined;
    }
    const col = (alias?: string): string => (alias === undefined ? 'rowid' : `${alias}.rowid`);
    return {
      where: (alias) => raw(`${col(alias)} >= ${LOCAL_ROW_IDS}`),
      committed: (alias) => raw(`${col(alias)} < ${LOCAL_ROW_IDS}`),
    };
  }

  private async runHooks(phase: 'commit' | 'replace', ingestId: number, since: number | null = null, fresh?: FreshRows): Promise<void> {
    for (const h of this.hooks) {
      try {
        if (phase === 'commit') await h.beforeCommit(this.tx, ingestId, since, fresh);
        else await h.onReplace?.(this.tx, ingestId);
      } catch (err) {
        throw new NightjarError('NJ_STORE', `${h.name} could not be updated for ingest ${ingestId}`, { cause: err });
      }
    }
  }

  async findIngest(fingerprint: string): Promise<IngestRecord | null> {
    const rows = await this.all(sql`SELECT * FROM ingests WHERE fingerprint = ${fingerprint} ORDER BY ingest_id DESC LIMIT 1`);
    return rows.length ? ingestOf(rows[0]) : null;
  }

  async findIngestBySha256(sha256: string): Promise<IngestRecord | null> {
    const rows = await this.all(sql`SELECT * FROM ingests WHERE sha256 = ${sha256} ORDER BY ingest_id DESC LIMIT 1`);
    return rows.length ? ingestOf(rows[0]) : null;
  }

  async listIngests(): Promise<IngestRecord[]> {
    return (await this.all(sql`SELECT * FROM ingests ORDER BY ingest_id`)).map(ingestOf);
  }

  async beginIngest(): Promise<IngestWriter> {
    if (this.writing) throw new NightjarError('NJ_INTERNAL', 'an ingest is already open on this store');
    this.writing = true;
    const conn = this.conn;
    // One DuckDB thread while loading: more only contend with the decode worker for the two cores
    // (measured with the appender: 1.7x faster ingest on two cores). Queries get them back afterwards.
    await conn.run('SET threads = 1');
    // A small buffer pool while loading: DuckDB's uncommitted row groups live beside it, so the pool
    // is what can be bounded (256 MB kept wide firewall rows under 1 GiB of RSS, and loading faster).
    await conn.run(`SET memory_limit = '${this.ingestMemory}'`);
    // Registered outside any transaction: a rollback would unregister it.
    this.inserter ??= new BatchInserter(conn, EVENT_TABLES, () => 1);
    const inserter = this.inserter;
    await conn.run('BEGIN TRANSACTION');
    const next = await this.all(sql`SELECT coalesce(max(ingest_id), 0) + 1 AS id FROM ingests`);
    const ingestId = Number(next[0].id);
    const finish = async (sqlText: string): Promise<void> => {
      try {
        await conn.run(sqlText);
      } finally {
        this.writing = false;
        await conn.run(`SET threads = ${this.threads}`);
        await conn.run(`SET memory_limit = '${this.memoryLimit}'`);
      }
    };
    // The earliest time among rows appended since the last checkpoint (the first commit: null, all rows).
    const window = new SinceWindow();
    // Rows appended per table since the last checkpoint, to check what `fresh` selects.
    const appended = new Map<string, number>();
    const record = async (rec: Omit<IngestRecord, 'ingestId'>, final: boolean): Promise<void> => {
      await inserter.flush();
      // Decoding has finished: the hooks' queries and the commit's writing may have every thread.
      if (final) await conn.run(`SET threads = ${this.threads}`);
      const since = window.since();
      const fresh = since === null ? undefined : await this.freshRows(appended);
      appended.clear();
      await this.runHooks('commit', ingestId, since, fresh);
      await conn.run('DELETE FROM ingests WHERE ingest_id = $1', [ingestId]);
      await conn.run(
        `INSERT INTO ingests VALUES ($1, $2, $3, $4, $5, $6, $7, $8::TIMESTAMP, $9::TIMESTAMP, $10, $11, $12)`,
        [ingestId, rec.fingerprint, rec.sha256, rec.path, rec.size, rec.format, rec.sensor, rec.startedAt, rec.finishedAt, rec.records, rec.skipped, rec.summary],
      );
    };
    return {
      ingestId,
      append(batch: ColumnBatch): void {
        if (batch.length === 0) return;
        appended.set(batch.table.name, (appended.get(batch.table.name) ?? 0) + batch.length);
        window.add(batch);
        inserter.add(batch);
      },
      drain: () => inserter.drain(),
      replace: async (oldIngestId: number): Promise<void> => {
        await inserter.flush();
        await this.runHooks('replace', oldIngestId);
        for (const t of EVENT_TABLES) await conn.run(`DELETE FROM "${t.name}" WHERE ingest_id = $1`, [oldIngestId]);
        await conn.run('DELETE FROM ingests WHERE ingest_id = $1', [oldIngestId]);
      },
      checkpoint: async (rec): Promise<void> => {
        await record(rec, false);
        window.checkpointed();
        await conn.run('COMMIT');
        await conn.run('BEGIN TRANSACTION');
      },
      commit: async (rec): Promise<void> => {
        await record(rec, true);
        await finish('COMMIT');
      },
      rollback: async () => {
        await inserter.discard();
        await finish('ROLLBACK');
      },
    };
  }

  async close(): Promise<void> {
    this.readers.close();
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
