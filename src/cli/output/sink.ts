/**
 * The byte end of every output format: coalesces small writes, honours backpressure, and treats a
 * reader that went away (EPIPE, as in `nightjar query | head`) as a normal end rather than a crash.
 * Stream state is kept per stream, not per sink, because a broken stdout stays broken for every later
 * writer, and one permanent 'error' listener per stream is what keeps a late EPIPE from being thrown.
 */
import { NightjarError } from '../../model/errors.js';

/** Text collected before it is handed to the stream in one write. */
const CHUNK_CHARS = 64 * 1024;

interface StreamState {
  gone: boolean;
  failure: unknown;
  readonly onGone: Set<() => void>;
}

const states = new WeakMap<NodeJS.WritableStream, StreamState>();

function readerGone(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET';
}

function stateOf(out: NodeJS.WritableStream): StreamState {
  let st = states.get(out);
  if (st === undefined) {
    const s: StreamState = { gone: false, failure: undefined, onGone: new Set() };
    out.on('error', (err: unknown) => {
      if (!s.gone && !readerGone(err)) s.failure = err;
      s.gone = true;
      for (const f of s.onGone) f();
      s.onGone.clear();
    });
    states.set(out, s);
    st = s;
  }
  return st;
}

/** Writes text to a stream in coalesced chunks, stopping quietly once the reader has gone. */
export class OutputSink {
  private readonly state: StreamState;
  private pending = '';
  private scheduled = false;
  private blocked: Promise<void> | undefined;
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(private readonly out: NodeJS.WritableStream) {
    this.state = stateOf(out);
  }

  /** True once nothing more can be written (the reader went away or the stream failed). */
  get closed(): boolean {
    return this.state.gone || !this.out.writable;
  }

  /** Queues text; returns a promise, to be awaited before writing more, when the stream is full. */
  push(text: string): Promise<void> | undefined {
    if (this.closed || text === '') return undefined;
    this.pending += text;
    if (this.pending.length >= CHUNK_CHARS) this.flush();
    else if (!this.scheduled) {
      // Flush once the producer yields, so a slow live feed still shows each row promptly.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
    return this.blocked;
  }

  /** Writes everything queued and resolves once the stream has taken it; rejects if the stream failed. */
  async finish(): Promise<void> {
    this.flush();
    await this.lastWrite;
    await this.blocked;
    if (this.state.failure !== undefined) {
      const cause = this.state.failure;
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new NightjarError('NJ_INTERNAL', `could not write output: ${why}`, { cause });
    }
  }

  private flush(): void {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    if (this.closed) return;
    this.lastWrite = new Promise((resolve) => {
      // The callback also runs on error; the error itself arrives through the 'error' listener.
      const ok = this.out.write(text, () => resolve());
      if (!ok && this.blocked === undefined) this.blocked = this.waitForDrain();
    });
  }

  private waitForDrain(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.out.removeListener('drain', done);
        this.state.onGone.delete(done);
        this.blocked = undefined;
        resolve();
      };
      this.out.on('drain', done);
      this.state.onGone.add(done);
    });
  }
}
