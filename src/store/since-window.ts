/**
 * Tracks, for an ingest's hooks, the earliest time among the rows appended since its last checkpoint,
 * so a long live ingest's hooks redo minutes of rows at each checkpoint rather than everything the
 * ingest ever stored (which grew without bound: a collector running for days slowed to a crawl).
 * Engine-neutral: it reads the `ts` column every event table starts with.
 */
import type { ColumnBatch, NumColumn } from './column-batch.js';

/** The `since` bound of IngestHook.beforeCommit for one ingest. */
export class SinceWindow {
  private first = true;
  private min = Infinity;
  private untimed = false;

  /** Notes the times of a batch about to be appended. */
  add(batch: ColumnBatch): void {
    if (this.first || this.untimed) return;
    const ts = batch.columns[0] as NumColumn;
    const values = ts.values;
    const valid = ts.valid;
    let min = this.min;
    for (let i = 0; i < batch.length; i++) {
      if (valid[i] === 0) {
        this.untimed = true;
        return;
      }
      if (values[i] < min) min = values[i];
    }
    this.min = min;
  }

  /**
   * The bound for the hooks now: null before the first checkpoint (all rows) and when a row had no
   * time; otherwise the earliest time appended since (no new rows: +Infinity, nothing to redo).
   */
  since(): number | null {
    if (this.first || this.untimed) return null;
    return this.min;
  }

  /** A checkpoint committed: later hooks need only rows appended after it. */
  checkpointed(): void {
    this.first = false;
    this.min = Infinity;
    this.untimed = false;
  }
}
