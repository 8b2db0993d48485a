/**
 * Runs a decoder on the calling thread, with the same interface as the worker: for small inputs,
 * tests, and platforms where a worker is not wanted.
 */
import { setCommunityIdSeed } from '../model/community-id.js';
import { DECODERS } from './registry.js';
import type { DecodeContext, Decoder } from '../decode/decoder.js';
import { EVENT_TABLES, type EventTableName } from '../model/fields.js';
import { ColumnBatch } from '../store/column-batch.js';
import { SkipLog, type SkipCounts } from './skip-log.js';
import type { DecodeJob } from './worker-protocol.js';

/** Decoding on the current thread. */
export class InlineDecoder {
  private decoder: Decoder | null = null;
  private log = new SkipLog('line');
  private readonly batches = new Map<EventTableName, ColumnBatch>();
  /** Batches the consumer has released, by table, ready to be filled again. */
  private readonly spare = new Map<EventTableName, ColumnBatch[]>();
  private batchRows = 8192;
  private onBatch: (b: ColumnBatch) => void = () => undefined;
  private onRecycle: ((buf: ArrayBuffer) => void) | undefined;

  /**
   * Starts an input; every full batch goes to `job.onBatch`, which may keep it: it is filled again
   * only after the consumer calls its `release()` (a consumer that never does lets it be collected).
   */
  begin(job: DecodeJob): void {
    const { format, ingestId, sensor, inputName, batchRows, live } = job;
    const def = DECODERS.get(format)!;
    this.log = new SkipLog(def.positionUnit);
    this.onBatch = job.onBatch;
    this.onRecycle = job.onRecycle;
    this.batches.clear();
    if (batchRows !== this.batchRows) this.spare.clear();
    this.batchRows = batchRows;
    setCommunityIdSeed(job.flow?.communityIdSeed ?? 0);
    const ctx: DecodeContext = {
      ingestId,
      sensor,
      inputName,
      live: live ?? false,
      flow: job.flow,
      batch: (tname) => {
        let b = this.batches.get(tname);
        if (b === undefined || b.full) {
          if (b !== undefined) this.handOver(tname, b);
          b = this.fresh(tname);
          this.batches.set(tname, b);
        }
        return b;
      },
      skip: (reason, position, detail) => this.log.skip(reason, position, detail),
      ignore: (kind) => this.log.ignore(kind),
    };
    this.decoder = def.create(ctx);
  }

  /** Gives a batch to the consumer, to come back to the spares when released. */
  private handOver(tname: EventTableName, b: ColumnBatch): void {
    b.refilled = false;
    b.onRelease = () => {
      b.clear();
      b.refilled = true;
      let list = this.spare.get(tname);
      if (list === undefined) this.spare.set(tname, (list = []));
      if (b.capacity === this.batchRows) list.push(b);
    };
    this.onBatch(b);
  }

  /** An empty batch for a table: a released one when there is one. */
  private fresh(tname: EventTableName): ColumnBatch {
    return this.spare.get(tname)?.pop() ?? new ColumnBatch(EVENT_TABLES.find((t) => t.name === tname)!, this.batchRows);
  }

  /** Decodes a chunk; an `owned` chunk's buffer goes back through job.onRecycle at once. */
  async push(chunk: Buffer, owned = false): Promise<void> {
    this.decoder!.push(chunk);
    if (owned) this.onRecycle?.(chunk.buffer as ArrayBuffer);
  }

  /** Hands over every batch that has rows now, without ending the input (before a checkpoint). */
  async flush(): Promise<void> {
    for (const [tname, b] of this.batches) {
      if (b.length === 0) continue;
      this.handOver(tname, b);
      this.batches.set(tname, this.fresh(tname));
    }
  }

  /** Ends the input and hands over the last batches. */
  async finish(): Promise<SkipCounts> {
    this.decoder!.finish();
    for (const [tname, b] of this.batches) if (b.length > 0) this.handOver(tname, b);
    this.batches.clear();
    this.decoder = null;
    return this.log.toJSON();
  }

  /** Nothing to release. */
  async close(): Promise<void> {}
}
