/**
 * The ingest pipeline's decode driver: one decode worker for most formats, several for formats that
 * can be split (DecoderDef.shardable: packet captures), so that decoding uses every core. Each shard
 * worker is given every chunk, through one SharedArrayBuffer that all of them read (the chunk is
 * copied once, never per worker), and keeps only its own flows; their batches all go to the same
 * consumer. A shared buffer is reused once every worker has acknowledged it, so memory stays bounded
 * by the workers' in-flight limit.
 */
import { availableParallelism } from 'node:os';
import { InlineDecoder } from './inline-decoder.js';
import { DECODERS } from './registry.js';
import { FIRST_POSITIONS, SkipLog, type PositionUnit, type SkipCounts } from './skip-log.js';
import { WorkerDecoder } from './worker-decoder.js';
import type { DecodeJob } from './worker-protocol.js';

/** Most decode workers one input is split over. */
export const MAX_DECODE_SHARDS = 8;

/**
 * Shared buffers kept for reuse: enough for every chunk a worker may have in flight (16) and a few
 * more, so that steady streaming never allocates (a new SharedArrayBuffer costs zeroed pages).
 */
const POOL = 24;

/**
 * Decode workers for splittable inputs on this machine: two when it has three cores or more. Each
 * shard worker reads and decodes every packet to find its own, so two workers cost about 1.5 times
 * the CPU of one (bench/README.md); with only two cores the reading and storing thread competes with
 * them and the split gains little, so there it is opt-in (--decode-workers 2).
 */
export function defaultDecodeShards(): number {
  return availableParallelism() >= 3 ? 2 : 1;
}

/** A chunk shared by the shard workers, and how many of them still read it. */
interface SharedChunk {
  readonly buf: SharedArrayBuffer;
  readers: number;
}

/** Runs decoders on worker threads, splitting inputs that allow it over several. */
export class ShardedDecoder {
  private readonly workers: WorkerDecoder[] = [];
  /**
   * Splittable inputs (captures) on this thread, when the machine gets one decode worker by default
   * (two cores) and none was asked for: with the file read ahead, the reading and storing thread
   * decoding too beat handing chunks to one worker (3 M packets: 2.94-3.20 s and 3.9-4.4 CPU-s inline,
   * 3.24-3.50 s and 4.8-5.2 CPU-s with the worker). Zeek and other text logs keep their worker.
   */
  private readonly splittableInline: boolean;
  private inline: InlineDecoder | null = null;
  private usingInline = false;
  private active: WorkerDecoder[] = [];
  private readonly shards: number;
  private unit: PositionUnit = 'line';
  private onRecycle: ((buf: ArrayBuffer) => void) | undefined;
  /** Per worker, the shared chunks it has not acknowledged yet, oldest first (acks come in order). */
  private unacked: SharedChunk[][] = [];
  private readonly free: SharedArrayBuffer[] = [];

  /** `shards`: workers a splittable input is decoded by (1 to MAX_DECODE_SHARDS; default: see above). */
  constructor(shards?: number) {
    this.splittableInline = shards === undefined && defaultDecodeShards() === 1;
    this.shards = Math.max(1, Math.min(MAX_DECODE_SHARDS, Math.floor(shards ?? defaultDecodeShards())));
  }

  /** Starts an input on one worker, or on `shards` workers when its format can be split. */
  begin(job: DecodeJob): void {
    const def = DECODERS.get(job.format)!;
    this.usingInline = def.shardable === true && this.splittableInline;
    if (this.usingInline) return (this.inline ??= new InlineDecoder()).begin(job);
    const n = def.shardable === true ? this.shards : 1;
    while (this.workers.length < n) this.workers.push(new WorkerDecoder());
    this.active = this.workers.slice(0, n);
    this.unit = def.positionUnit;
    if (n === 1) {
      this.active[0].begin(job);
      return;
    }
    this.onRecycle = job.onRecycle;
    this.unacked = this.active.map(() => []);
    this.active.forEach((w, i) => w.begin({ ...job, shard: { index: i, count: n }, onRecycle: undefined, onAck: () => this.acked(i) }));
  }

  /** Sends a chunk to the input's worker(s); see WorkerDecoder.push. */
  async push(chunk: Buffer, owned = false): Promise<void> {
    if (this.usingInline) return this.inline!.push(chunk, owned);
    if (this.active.length === 1) return this.active[0].push(chunk, owned);
    const buf = this.take(chunk.length);
    new Uint8Array(buf, 0, chunk.length).set(chunk);
    // Copied: a pooled read buffer can go back to the reader at once.
    if (owned) this.onRecycle?.(chunk.buffer as ArrayBuffer);
    const sc: SharedChunk = { buf, readers: this.active.length };
    for (const q of this.unacked) q.push(sc);
    const view = Buffer.from(buf, 0, chunk.length);
    await Promise.all(this.active.map((w) => w.push(view)));
  }

  /** Ends the input; resolves with the skip counts of all its workers together. */
  async finish(): Promise<SkipCounts> {
    if (this.usingInline) return this.inline!.finish();
    const counts = await Promise.all(this.active.map((w) => w.finish()));
    if (counts.length === 1) return counts[0];
    const log = new SkipLog(this.unit);
    for (const c of counts) log.merge(c);
    // Each worker kept its own first positions; the first of all are the lowest.
    for (const [reason, s] of Object.entries(log.skipped)) {
      s.first = counts
        .flatMap((c) => c.skipped[reason]?.first ?? [])
        .sort((x, y) => x - y)
        .slice(0, FIRST_POSITIONS);
    }
    return log.toJSON();
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }

  /** A shared buffer of at least `n` bytes, reused when one is free. */
  private take(n: number): SharedArrayBuffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const b = this.free[i];
      if (b.byteLength >= n) {
        this.free.splice(i, 1);
        return b;
      }
    }
    return new SharedArrayBuffer(Math.max(n, 1 << 20));
  }

  private acked(worker: number): void {
    const sc = this.unacked[worker].shift();
    if (sc !== undefined && --sc.readers === 0 && this.free.length < POOL) this.free.push(sc.buf);
  }
}
