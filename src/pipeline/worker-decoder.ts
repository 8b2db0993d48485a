/**
 * The pipeline's side of the decode worker: feeds it chunks with at most a few in flight (so memory
 * stays bounded however fast the file reads), receives decoded batches and hands them to the store.
 */
import { Worker } from 'node:worker_threads';
import { tableByName } from '../model/fields.js';
import { NightjarError } from '../model/errors.js';
import { batchFromParts, batchParts, type ColumnBatch } from '../store/column-batch.js';
import type { SkipCounts } from './skip-log.js';
import type { DecodeJob, FromWorker, ToWorker } from './worker-protocol.js';

/** Chunks sent but not yet decoded. */
const MAX_IN_FLIGHT = 16;

/** A decode worker, reused for every input of one ingest run. */
export class WorkerDecoder {
  private readonly worker: Worker;
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private onBatch: (b: ColumnBatch) => void = () => undefined;
  private onRecycle: ((buf: ArrayBuffer) => void) | undefined;
  private onAck: (() => void) | undefined;
  private onDone: ((c: SkipCounts) => void) | null = null;
  private failure: Error | null = null;
  private closing = false;

  constructor() {
    this.worker = new Worker(new URL('./decode-worker.js', import.meta.url));
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (code !== 0 && !this.closing) this.fail(new Error(`decode worker exited with code ${code}`));
    });
  }

  private receive(m: FromWorker): void {
    if (m.type === 'batch') {
      try {
        const b = batchFromParts(tableByName(m.parts.table)!, m.parts);
        // Once the store has loaded it, its buffers go back to the worker: no allocation, and no
        // garbage collection of a few MB per batch, on either thread.
        b.onRelease = () => {
          if (this.closing || this.failure) return;
          const { parts, transfer } = batchParts(b);
          this.post({ type: 'recycle', parts }, transfer);
        };
        this.onBatch(b);
      } catch (err) {
        this.fail(err as Error);
      }
    } else if (m.type === 'ack') {
      if (!(m.buf instanceof SharedArrayBuffer)) this.onRecycle?.(m.buf);
      this.onAck?.();
      this.inFlight--;
      this.waiters.shift()?.();
    } else {
      this.onDone?.(m.counts);
    }
  }

  private fail(err: Error): void {
    this.failure ??= new NightjarError('NJ_INTERNAL', `decoder failed: ${err.message}`, { cause: err });
    for (const w of this.waiters.splice(0)) w();
    this.onDone?.({ skipped: {}, totalSkipped: 0, ignored: {} });
  }

  private post(m: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  /** Starts an input; every decoded batch goes to `job.onBatch` (synchronously, in order). */
  begin(job: DecodeJob): void {
    this.onBatch = job.onBatch;
    this.onRecycle = job.onRecycle;
    this.onAck = job.onAck;
    const { format, ingestId, sensor, inputName, batchRows } = job;
    this.post({ type: 'begin', format, ingestId, sensor, inputName, batchRows, live: job.live ?? false, flow: job.flow, shard: job.shard });
  }

  /**
   * Sends a chunk, waiting first while too many are in flight. An `owned` chunk (starting at offset 0
   * of its own ArrayBuffer) is transferred, not copied, and comes back through job.onRecycle. A chunk
   * on a SharedArrayBuffer (at offset 0) is shared with the worker as it is.
   */
  async push(chunk: Buffer, owned = false): Promise<void> {
    while (this.inFlight >= MAX_IN_FLIGHT && this.failure === null) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
    let buf: ArrayBuffer | SharedArrayBuffer;
    const shared = chunk.buffer instanceof SharedArrayBuffer && chunk.byteOffset === 0;
    if (shared || (owned && chunk.byteOffset === 0)) buf = chunk.buffer;
    else {
      const copy = new Uint8Array(chunk.length);
      copy.set(chunk);
      buf = copy.buffer;
    }
    this.inFlight++;
    this.post({ type: 'chunk', buf, length: chunk.length }, buf instanceof SharedArrayBuffer ? [] : [buf]);
  }

  /** Ends the input; resolves with its skip counts once every batch has been handed over. */
  finish(): Promise<SkipCounts> {
    return new Promise((resolve, reject) => {
      this.onDone = (c) => {
        this.onDone = null;
        if (this.failure) reject(this.failure);
        else resolve(c);
      };
      if (this.failure) {
        this.onDone(c0());
        return;
      }
      this.post({ type: 'finish' });
    });
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }
}

function c0(): SkipCounts {
  return { skipped: {}, totalSkipped: 0, ignored: {} };
}
