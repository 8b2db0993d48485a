/**
 * Where the pcap generator's filled buffers go. `SyncSink` writes each buffer itself and hands it back;
 * `ThreadSink` hands buffers to a worker thread (write-worker.ts) that does the writes, so the kernel's
 * copy into the page cache runs on a second core while the next buffer is filled.
 * Both keep the generator's API synchronous: the thread sink waits with Atomics, never on the event loop.
 */
import fs from 'node:fs';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';

/** Takes a filled buffer and returns the buffer to fill next. */
export interface Sink {
  /** Writes the first `len` bytes of `buf` (now or in the background); returns the buffer to fill next. */
  write(buf: Buffer, len: number): Buffer;
  /** Waits until everything handed over is written, and releases the sink (also after a failure). */
  close(): void;
}

/** Writes every full byte of `len` bytes of `buf` to `fd`. */
export function writeAll(fd: number, buf: Uint8Array, len: number): void {
  let done = 0;
  while (done < len) done += fs.writeSync(fd, buf, done, len - done);
}

/** Writes in the calling thread. */
export class SyncSink implements Sink {
  constructor(private readonly fd: number) {}

  write(buf: Buffer, len: number): Buffer {
    writeAll(this.fd, buf, len);
    return buf;
  }

  close(): void {}
}

/** Indexes into the shared control words: buffers written so far, and the errno of a failed write. */
export const Ctl = { DONE: 0, ERROR: 1 } as const;

/** Buffers in the pool: one being filled, one being written, one spare. */
const POOL = 3;

/**
 * Writes in a worker thread. Filled buffers are transferred to it (no copy: a copy into shared memory
 * would cost more than the write) and come back through a port read synchronously.
 */
export class ThreadSink implements Sink {
  private readonly port: MessagePort;
  private readonly ctl: Int32Array;
  private readonly worker: Worker;
  private created = 1;
  private sent = 0;
  private readonly firstBuffer: Buffer;

  constructor(
    fd: number,
    private readonly size: number,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.ctl = new Int32Array(new SharedArrayBuffer(8));
    this.worker = new Worker(new URL('./write-worker.js', import.meta.url), {
      workerData: { fd, port: port2, ctl: this.ctl.buffer },
      transferList: [port2],
    });
    this.worker.unref();
    this.firstBuffer = Buffer.from(new ArrayBuffer(size));
  }

  /** The first buffer to fill. */
  first(): Buffer {
    return this.firstBuffer;
  }

  write(buf: Buffer, len: number): Buffer {
    this.check();
    const u8 = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    this.port.postMessage({ buf: u8, len }, [u8.buffer as ArrayBuffer]);
    this.sent++;
    if (this.created < POOL) {
      this.created++;
      return Buffer.from(new ArrayBuffer(this.size));
    }
    for (;;) {
      const m = receiveMessageOnPort(this.port);
      if (m) return Buffer.from((m.message as Uint8Array).buffer);
      this.check();
      Atomics.wait(this.ctl, Ctl.DONE, Atomics.load(this.ctl, Ctl.DONE), 1000);
    }
  }

  close(): void {
    try {
      while (Atomics.load(this.ctl, Ctl.DONE) < this.sent) {
        this.check();
        Atomics.wait(this.ctl, Ctl.DONE, Atomics.load(this.ctl, Ctl.DONE), 1000);
      }
      this.check();
    } finally {
      this.port.close();
    }
  }

  /** Throws when a write in the worker failed. */
  private check(): void {
    const err = Atomics.load(this.ctl, Ctl.ERROR);
    if (err !== 0) throw new Error(`pcap writer thread failed (errno ${err})`);
  }
}
