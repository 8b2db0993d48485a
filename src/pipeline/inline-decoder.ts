/**
 * Runs a decoder on the calling thread, with the same interface as the worker: for small inputs,
 * tests, and platforms where a worker is not wanted.
 */
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
  private onBatch: (b: ColumnBatch) => void = () => undefined;
  private onRecycle: ((buf: ArrayBuffer) => void) | undefined;

  /** Starts an input; every full batch goes to `job.onBatch` and is reused once it returns. */
  begin(job: DecodeJob): void {
    const { format, ingestId, sensor, inputName, batchRows, live } = job;
    const def = DECODERS.get(format)!;
    this.log = new SkipLog(def.positionUnit);
    this.onBatch = job.onBatch;
    this.onRecycle = job.onRecycle;
    this.batches.clear();
    const ctx: DecodeContext = {
      ingestId,
      sensor,
      inputName,
      live: live ?? false,
      flow: job.flow,
      batch: (tname) => {
        let b = this.batches.get(tname);
        if (b === undefined) {
          b = new ColumnBatch(EVENT_TABLES.find((t) => t.name === tname)!, batchRows);
          this.batches.set(tname, b);
        } else if (b.full) {
          this.onBatch(b);
          b.clear();
        }
        return b;
      },
      skip: (reason, position, detail) => this.log.skip(reason, position, detail),
      ignore: (kind) => this.log.ignore(kind),
    };
    this.decoder = def.create(ctx);
  }

  /** Decodes a chunk; an `owned` chunk's buffer goes back through job.onRecycle at once. */
  async push(chunk: Buffer, owned = false): Promise<void> {
    this.decoder!.push(chunk);
    if (owned) this.onRecycle?.(chunk.buffer as ArrayBuffer);
  }

  /** Hands over every batch that has rows now, without ending the input (before a checkpoint). */
  async flush(): Promise<void> {
    for (const b of this.batches.values()) {
      if (b.length > 0) this.onBatch(b);
      b.clear();
    }
  }

  /** Ends the input and hands over the last batches. */
  async finish(): Promise<SkipCounts> {
    this.decoder!.finish();
    for (const b of this.batches.values()) {
      if (b.length > 0) this.onBatch(b);
      b.clear();
    }
    this.decoder = null;
    return this.log.toJSON();
  }

  /** Nothing to release. */
  async close(): Promise<void> {}
}
