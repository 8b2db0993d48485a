/**
 * The collector's side of the UDP receiver thread (udp-receiver-worker.ts): starts it with the
 * listeners to bind, unpacks its batches into datagrams for a callback, passes back how many the
 * collector took off its queue, and on stop waits for the last datagrams the thread accepted.
 */
import { Worker } from 'node:worker_threads';
import { NightjarError } from '../model/errors.js';
import type { FromReceiver, ReceiverBatch, ReceiverListener, ToReceiver } from './udp-receiver-protocol.js';

/** Called per received datagram with the index of its listener. */
export type ThreadDatagramHandler = (listener: number, buf: Buffer, from: string, receivedMicros: number) => void;

/** Running totals per listener, as the receiver thread last reported them. */
export interface ReceiverTotals {
  received: number[];
  dropped: number[];
}

/** A running receiver thread. */
export class UdpReceiverThread {
  private readonly worker: Worker;
  private stopped: ((t: ReceiverTotals) => void) | null = null;
  /** Latest running totals. */
  readonly totals: ReceiverTotals;

  constructor(
    private readonly listeners: ReceiverListener[],
    private readonly onDatagram: ThreadDatagramHandler,
    /** Called with the new totals whenever the thread reports them. */
    private readonly onTotals: (t: ReceiverTotals) => void = () => undefined,
  ) {
    this.totals = { received: listeners.map(() => 0), dropped: listeners.map(() => 0) };
    this.worker = new Worker(new URL('./udp-receiver-worker.js', import.meta.url));
  }

  /** Binds every listener; resolves with the bound ports, or rejects naming the one that failed. */
  start(maxItems: number, maxBytes: number): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.worker.on('error', reject);
      this.worker.on('message', (m: FromReceiver) => {
        if (m.type === 'started') resolve(m.ports);
        else if (m.type === 'error') reject(new NightjarError('NJ_USAGE', m.message));
        else if (m.type === 'batch') this.batch(m);
        else {
          this.totals.received = m.received;
          this.totals.dropped = m.dropped;
          this.onTotals(this.totals);
          this.stopped?.(this.totals);
        }
      });
      this.send({ type: 'start', listeners: this.listeners, maxItems, maxBytes });
    });
  }

  /** Tells the thread the collector took `items` datagrams (`bytes` bytes) off its queue. */
  ack(items: number, bytes: number): void {
    if (items > 0 && this.stopped === null) this.send({ type: 'ack', items, bytes });
  }

  /** Stops receiving; resolves once every datagram the thread accepted was handed over. */
  async stop(): Promise<ReceiverTotals> {
    const done = new Promise<ReceiverTotals>((resolve) => (this.stopped = resolve));
    this.send({ type: 'stop' });
    const t = await done;
    await this.worker.terminate();
    return t;
  }

  /** Ends the thread at once (start failed). */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }

  private send(m: ToReceiver): void {
    this.worker.postMessage(m);
  }

  private batch(b: ReceiverBatch): void {
    this.totals.received = b.received;
    this.totals.dropped = b.dropped;
    const data = Buffer.from(b.data);
    for (let i = 0; i < b.starts.length; i++) {
      this.onDatagram(b.listeners[i], data.subarray(b.starts[i], b.starts[i] + b.lengths[i]), b.froms[i], b.times[i]);
    }
    this.onTotals(this.totals);
  }
}
