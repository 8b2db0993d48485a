/**
 * Loads batches into one table with `INSERT INTO t SELECT * FROM <table function>`: the function
 * (written here, in JS) hands DuckDB the queued batches a data chunk at a time, and DuckDB does the
 * rest of the insert (row groups, statistics, compression, writing) on its own threads while the
 * event loop goes on receiving decoded batches. An appender did all of that on the JS thread.
 * Measured on 1 M Zeek conn rows, pre-decoded: see the commit that introduced this module.
 *
 * Rows queue here until a batch of them is worth a statement; one statement runs at a time, on the
 * ingest's connection and so inside its transaction (atomicity is the transaction's, as before).
 */
import duckdb from '@duckdb/node-bindings';
import { DuckDBTableFunction, type DuckDBConnection } from '@duckdb/node-api';
import type { FieldType, TableDef } from '../../model/fields.js';
import type { ColumnBatch } from '../column-batch.js';
import { duckdbType, fillChunk, VECTOR_SIZE } from './chunk-loader.js';

/** Rows queued before a statement starts: big enough that statement overhead is amortised. */
const START_ROWS = 32768;
/** String bytes queued that start a statement anyway: wide rows (firewall lines, JSON) fill memory first. */
const START_BYTES = 8 << 20;
/** Rows or string bytes queued (besides the running statement's) past which callers wait: bounds memory. */
const WAIT_ROWS = 2 * START_ROWS;
const WAIT_BYTES = 2 * START_BYTES;

/** Where one running statement takes its rows from. */
interface Source {
  batches: ColumnBatch[];
  index: number;
  offset: number;
}

/** The table functions of one connection, one per table, and the rows each statement reads. */
export class BatchInserter {
  private readonly types = new Map<string, FieldType[]>();
  private readonly queued = new Map<string, ColumnBatch[]>();
  private queuedRows = 0;
  private queuedBytes = 0;
  private readonly sources = new Map<string, Source>();
  private running: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(
    private readonly conn: DuckDBConnection,
    tables: readonly TableDef[],
    private readonly threads: () => number,
  ) {
    for (const t of tables) {
      this.types.set(t.name, t.fields.map((f) => f.type));
      this.register(t);
    }
  }

  private register(table: TableDef): void {
    const types = this.types.get(table.name)!;
    const fn = DuckDBTableFunction.create({
      name: scanName(table.name),
      bindFunction: (info) => {
        for (const f of table.fields) info.addResultColumn(f.name, duckdbType(f.type));
      },
      initFunction: (info) => info.setMaxThreads(this.threads()),
      mainFunction: (info, output) => {
        try {
          this.next(table.name, types, output.chunk);
        } catch (err) {
          info.setError(err instanceof Error ? err.message : String(err));
        }
      },
    });
    this.conn.registerTableFunction(fn);
  }

  /** Fills `raw` with the next rows of the running statement's table; none left: an empty chunk. */
  private next(name: string, types: FieldType[], raw: duckdb.DataChunk): void {
    const src = this.sources.get(name);
    while (src && src.index < src.batches.length && src.offset >= src.batches[src.index].length) {
      src.index++;
      src.offset = 0;
    }
    if (!src || src.index >= src.batches.length) {
      duckdb.data_chunk_set_size(raw, 0);
      return;
    }
    const b = src.batches[src.index];
    const n = Math.min(VECTOR_SIZE, b.length - src.offset);
    fillChunk(raw, types, b, src.offset, n);
    src.offset += n;
  }

  /** Queues a batch (copied when its producer refills it) and starts a statement when enough are queued. */
  add(batch: ColumnBatch): void {
    const name = batch.table.name;
    let q = this.queued.get(name);
    if (q === undefined) this.queued.set(name, (q = []));
    q.push(batch.refilled ? batch.copy() : batch);
    this.queuedRows += batch.length;
    this.queuedBytes += batch.arenaUsed;
    if (this.running === null && this.enough()) this.start();
  }

  /** Waits while too many rows are queued, so memory stays bounded however fast batches come. */
  async drain(): Promise<void> {
    while ((this.queuedRows >= WAIT_ROWS || this.queuedBytes >= WAIT_BYTES) && this.running !== null) await this.running;
    this.check();
  }

  /** Inserts everything queued and waits for it. */
  async flush(): Promise<void> {
    while (this.running !== null || this.queuedRows > 0) {
      if (this.running === null) this.start();
      await this.running;
    }
    this.check();
  }

  /** Waits for the running statement and drops what is queued (before a rollback). */
  async discard(): Promise<void> {
    for (const q of this.queued.values()) for (const b of q) b.release();
    this.queued.clear();
    this.queuedRows = 0;
    this.queuedBytes = 0;
    while (this.running !== null) await this.running;
    this.failure = null;
  }

  private enough(): boolean {
    return this.queuedRows >= START_ROWS || this.queuedBytes >= START_BYTES;
  }

  private check(): void {
    if (this.failure === null) return;
    const err = this.failure;
    this.failure = null;
    throw err;
  }

  private start(): void {
    const work = [...this.queued];
    this.queued.clear();
    this.queuedRows = 0;
    this.queuedBytes = 0;
    this.running = (async () => {
      try {
        for (const [name, batches] of work) {
          this.sources.set(name, { batches, index: 0, offset: 0 });
          try {
            await this.conn.run(`INSERT INTO "${name}" SELECT * FROM ${scanName(name)}()`);
          } finally {
            this.sources.delete(name);
          }
        }
      } catch (err) {
        this.failure ??= err;
      } finally {
        // Their rows are in DuckDB's vectors now: the batches' memory goes back to whoever lent it.
        for (const [, batches] of work) for (const b of batches) b.release();
        this.running = null;
        // Batches queued meanwhile start at once, keeping DuckDB busy.
        if (this.failure === null && this.enough()) this.start();
      }
    })();
  }
}

function scanName(table: string): string {
  return `nightjar_scan_${table}`;
}
