/**
 * The DecodeContext the collector gives its decoders: one column batch per table, handed to the open
 * ingest whenever it fills and on every flush, with skips and ignores counted by reason code (a live
 * stream has no line numbers worth keeping, so positions are not). While a commit runs the store takes
 * no rows, so full batches are held (up to `maxHeld`) and handed on once it is done: decoding goes on
 * during commits instead of leaving the queue to fill.
 */
import type { DecodeContext } from '../decode/decoder.js';
import { EVENT_TABLES, type EventTableName } from '../model/fields.js';
import { ColumnBatch } from '../store/column-batch.js';
import { bump, type CollectorCounters } from './collector-counters.js';

/**
 * Emptied batches kept for reuse: the store gives each handed-on batch back (`release()`) once it has
 * loaded it, and a batch held during a commit comes back the same way.
 */
const MAX_SPARES = 4;

/**
 * Receives every batch with rows. The batch is lent: nothing refills it until the receiver calls its
 * `release()` (the store does once the rows are loaded), so the store need not copy it.
 */
export type BatchConsumer = (batch: ColumnBatch) => void;

/** Column batches of every table for one collector, with their decode context. */
export class RowBatches implements DecodeContext {
  private readonly batches = new Map<EventTableName, ColumnBatch>();
  /** Rows written into batches since the last flush (handed on or not). */
  pendingRows = 0;
  /** When the oldest row since the last flush was written (ms), 0 when none. */
  oldestPendingMs = 0;
  readonly live = true;
  /** True while the store takes no rows (a commit runs). */
  private holding = false;
  private readonly held: ColumnBatch[] = [];
  private readonly spare: ColumnBatch[] = [];

  constructor(
    readonly ingestId: number,
    readonly sensor: string | null,
    readonly inputName: string,
    private readonly rows: number,
    private readonly counters: CollectorCounters,
    private readonly consume: BatchConsumer,
    // A held batch of connections is about 6 MiB (8,192 rows of ~800 bytes with their arena), the
    // same flows still as datagrams in the queue about 0.4 MiB, so past a few batches the datagram
    // queue is the cheaper place for a commit's backlog: 16 held batches, with as many spares kept
    // for good, were 200 MiB of RSS. Holding only 4 left the decoder idle through most of a commit
    // (fewer flows stored at 300k/s); 8 is the compromise. Spares (MAX_SPARES, 4: about 24 MiB kept
    // for good) are the batches the store gives back, reused instead of allocated and zeroed again.
    private readonly maxHeld = 8,
  ) {}

  /** False while a commit runs and the held batches reached their bound: decoding must wait. */
  get canDecode(): boolean {
    return this.held.length < this.maxHeld;
  }

  /** From now until `release()`, full batches are held instead of handed on. */
  hold(): void {
    this.holding = true;
  }

  /** Hands on the batches held during a commit, oldest first, and stops holding. */
  release(): void {
    this.holding = false;
    for (const b of this.held) this.handOn(b);
    this.held.length = 0;
  }

  /** DecodeContext: the batch for the next row of `table` (a full one is handed on first). */
  batch(table: EventTableName): ColumnBatch {
    let b = this.batches.get(table);
    if (b === undefined || b.full) {
      if (b !== undefined) {
        if (this.holding) this.held.push(b);
        else this.handOn(b);
      }
      b = this.fresh(table);
      this.batches.set(table, b);
    }
    // The caller adds one row now.
    if (this.pendingRows++ === 0) this.oldestPendingMs = Date.now();
    return b;
  }

  /** DecodeContext: counts a skipped record by reason. */
  skip(reason: string): void {
    bump(this.counters.skipped, reason);
  }

  /** DecodeContext: counts a record read but not stored. */
  ignore(kind: string): void {
    bump(this.counters.ignored, kind);
  }

  /** Hands every batch with rows on (before a commit; never while holding) and starts the pending count again. */
  flush(): void {
    this.release();
    for (const [table, b] of [...this.batches]) {
      if (b.length === 0) continue;
      this.handOn(b);
      this.batches.delete(table);
    }
    this.pendingRows = 0;
    this.oldestPendingMs = 0;
  }

  /** An empty batch for `table`: a spare when there is one. */
  private fresh(table: EventTableName): ColumnBatch {
    const i = this.spare.findIndex((x) => x.table.name === table);
    return i >= 0 ? this.spare.splice(i, 1)[0] : new ColumnBatch(EVENT_TABLES.find((t) => t.name === table)!, this.rows);
  }

  /** Lends a batch to the consumer; it comes back to the spares when the consumer releases it. */
  private handOn(b: ColumnBatch): void {
    this.counters.rowsAppended += b.length;
    b.refilled = false;
    b.onRelease = () => {
      b.clear();
      b.refilled = true;
      if (this.spare.length < MAX_SPARES && b.capacity === this.rows) this.spare.push(b);
    };
    this.consume(b);
  }
}
