/**
 * The storage interface every engine implements. Commands and the API talk to this, never to an
 * engine directly, so DuckDB (embedded) and ClickHouse (scale-out) are interchangeable.
 */
import type { ColumnBatch } from './column-batch.js';
import type { Dialect } from './dialect.js';
import type { SqlFragment } from './sql.js';

/** A result value as the query layer hands it on: timestamps become ISO strings with microseconds. */
export type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

/** One result row. */
export type Row = Record<string, Value>;

/** What the store remembers of one ingested file or stream. */
export interface IngestRecord {
  ingestId: number;
  /** Quick fingerprint: size and hashes of the head and tail, known before reading the file. */
  fingerprint: string;
  /** SHA-256 of the whole content as read, for streams (files are identified by the fingerprint). */
  sha256: string | null;
  path: string;
  size: number;
  format: string;
  sensor: string | null;
  startedAt: string;
  finishedAt: string;
  records: number;
  skipped: number;
  /** The per-file summary as JSON text. */
  summary: string;
}

/** An open ingest: rows appended here become visible all at once on commit, or never. */
export interface IngestWriter {
  readonly ingestId: number;
  /**
   * Appends a batch (synchronously). The store may keep it until it has loaded it: one whose `refilled`
   * is true it copies first; one lent with `refilled` false it gives back with `release()`.
   */
  append(batch: ColumnBatch): void;
  /** Resolves when the store has room for more batches (callers await it between chunks of input). */
  drain(): Promise<void>;
  /** Removes an earlier ingest's rows in this same transaction (for `--force`). */
  replace(oldIngestId: number): Promise<void>;
  /**
   * Commits everything appended so far with the ingest's record as it stands, and keeps the ingest
   * open for more rows under the same id (live sources commit every few seconds this way). Nothing may
   * be appended until it resolves: the hooks derive from the rows appended before it (FreshRows), and a
   * row appended while they run would be committed without being derived.
   */
  checkpoint(record: Omit<IngestRecord, 'ingestId'>): Promise<void>;
  /** Records the ingest and commits everything appended. */
  commit(record: Omit<IngestRecord, 'ingestId'>): Promise<void>;
  /** Discards everything appended. */
  rollback(): Promise<void>;
}

/** Statements run inside an open transaction (an ingest's, or a maintenance command's). */
export interface TxContext {
  all(q: SqlFragment): Promise<Row[]>;
  run(q: SqlFragment): Promise<void>;
}

/**
 * The rows of a live ingest appended since its previous checkpoint, as a condition on an event table's
 * rows (`alias` qualifies the columns it reads), and its negation for a derived table (which rows of
 * it the current checkpoint wrote).
 */
export interface FreshRows {
  /** True of an event table's rows appended since the previous checkpoint. */
  readonly where: (alias?: string) => SqlFragment;
  /** True of a table's rows written before this checkpoint (committed earlier). */
  readonly committed: (alias?: string) => SqlFragment;
}

/**
 * Work done inside every ingest's transaction, so tables derived from the events (address
 * enrichment, passive DNS answers, intel matches) stay in step with them: committed together,
 * rolled back together, replaced together on `--force`.
 */
export interface IngestHook {
  /** Short name, for error messages. */
  readonly name: string;
  /**
   * Runs just before the ingest commits, after all its rows are appended; also at every checkpoint of
   * a live ingest, so it must be idempotent for one ingest id (derive only what is not derived yet).
   * `since` (microseconds) bounds the work at a checkpoint: every row appended since the previous
   * one has `ts >= since`, so a hook may redo only the ingest's rows from then on; null means
   * "consider all the ingest's rows" (a file's one commit, or rows without a time).
   * `fresh`, when the engine can give it at a checkpoint (never with `since` null), is a condition true
   * of exactly the rows appended since the previous checkpoint: a hook whose results add up may derive
   * from those rows alone. Redoing from `since` re-reads every row of the days or minutes it reaches
   * back to, which at a collector's checkpoint every second grew with the day's rows.
   */
  beforeCommit(tx: TxContext, ingestId: number, since: number | null, fresh?: FreshRows): Promise<void>;
  /** Removes what the hook derived from an ingest that `--force` replaces. */
  onReplace?(tx: TxContext, oldIngestId: number): Promise<void>;
}

/** A storage engine. */
export interface Store {
  readonly dialect: Dialect;
  /** Where the data lives (a file path or a server URL), for messages. */
  readonly location: string;
  /** The ingest with this quick fingerprint, if one was committed. */
  findIngest(fingerprint: string): Promise<IngestRecord | null>;
  /** The ingest with this content hash, if one was committed. */
  findIngestBySha256(sha256: string): Promise<IngestRecord | null>;
  /** All committed ingests, oldest first. */
  listIngests(): Promise<IngestRecord[]>;
  /** Starts an ingest transaction. Only one may be open at a time per store. */
  beginIngest(): Promise<IngestWriter>;
  /** Runs a read query and returns every row. */
  all(q: SqlFragment): Promise<Row[]>;
  /** Runs a read query and yields rows in batches, for results too large to hold. */
  stream(q: SqlFragment): AsyncIterable<Row[]>;
  /** Runs a read-only statement given as text by a power user (`nightjar sql`). */
  readOnlySql(text: string): Promise<Row[]>;
  /** Runs a write statement built by Nightjar (maintenance of derived tables), in its own transaction. */
  run(q: SqlFragment): Promise<void>;
  /** Runs several statements as one transaction: all of them take effect or none. */
  transaction<T>(work: (tx: TxContext) => Promise<T>): Promise<T>;
  /** Registers work every later ingest does inside its transaction. */
  addIngestHook(hook: IngestHook): void;
  close(): Promise<void>;
}
