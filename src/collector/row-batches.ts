/**
 * The DecodeContext the collector gives its decoders: one column batch per table, handed to the open
 * ingest whenever it fills and on every flush, with skips and ignores counted by reason code (a live
 * stream has no line numbers worth keeping, so positions are not).
 */
import type { DecodeContext } from '../decode/decoder.js';
import { EVENT_TABLES, type EventTableName } from '../model/fields.js';
import { ColumnBatch } from '../store/column-batch.js';
import { bump, type CollectorCounters } from './collector-counters.js';

/** Receives every batch with rows; it may reuse nothing of it after returning. */
export type BatchConsumer = (batch: ColumnBatch) => void;

/** Column batches of every table for one collector, with their decode context. */
export class RowBatches implements DecodeContext {
  private readonly batches = new Map<EventTableName, ColumnBatch>();
  /** Rows written into batches since the last flush (handed on or not). */
  pendingRows = 0;
  /** When the oldest row since the last flush was written (ms), 0 when none. */
  oldestPendingMs = 0;
  readonly live = true;

  constructor(
    readonly ingestId: number,
    readonly sensor: string | null,
    readonly inputName: string,
    private readonly rows: number,
    private readonly counters: CollectorCounters,
    private readonly consume: BatchConsumer,
  ) {}

  /** DecodeContext: the batch for the next row of `table` (a full one is handed on first). */
  batch(table: EventTableName): ColumnBatch {
    let b = this.batches.get(table);
    if (b === undefined) {
      b = new ColumnBatch(EVENT_TABLES.find((t) => t.name === table)!, this.rows);
      this.batches.set(table, b);
    } else if (b.full) {
      this.handOn(b);
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

  /** Hands every batch with rows on (before a commit) and starts the pending count again. */
  flush(): void {
    for (const b of this.batches.values()) if (b.length > 0) this.handOn(b);
    this.pendingRows = 0;
    this.oldestPendingMs = 0;
  }

  private handOn(b: ColumnBatch): void {
    this.counters.rowsAppended += b.length;
    this.consume(b);
    b.clear();
  }
}
