/**
 * The UDP receiver thread: binds the collector's UDP sockets and does nothing but read them, so the
 * kernel's socket buffers keep draining while the main thread decodes and commits (a commit or a
 * large batch handed to the store would otherwise stall reading long enough for the kernel to drop
 * datagrams). Datagrams are packed into batches posted to the main thread once per read burst. The
 * queue bound is enforced here: datagrams handed over but not yet acknowledged as taken by the
 * collector are counted, and beyond the bound new datagrams are refused and counted per listener.
 */
import { parentPort } from 'node:worker_threads';
import { UdpListener } from './udp-listener.js';
import type { FromReceiver, ReceiverBatch, ToReceiver } from './udp-receiver-protocol.js';

const port = parentPort!;
const listeners: UdpListener[] = [];
let maxItems = 0;
let maxBytes = 0;
let inFlightItems = 0;
let inFlightBytes = 0;
let received: number[] = [];
let dropped: number[] = [];
let pending: { buf: Buffer; listener: number; from: string; micros: number }[] = [];
let pendingBytes = 0;
let scheduled = false;
/** Drops since the last batch: a batch with no datagrams still reports them. */
let droppedSinceBatch = false;

function post(m: FromReceiver, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

function flush(): void {
  scheduled = false;
  if (pending.length === 0 && !droppedSinceBatch) return;
  droppedSinceBatch = false;
  const n = pending.length;
  const data = new Uint8Array(pendingBytes);
  const b: ReceiverBatch = {
    type: 'batch',
    data: data.buffer,
    starts: new Int32Array(n),
    lengths: new Int32Array(n),
    listeners: new Uint8Array(n),
    froms: new Array<string>(n),
    times: new Float64Array(n),
    received: received.slice(),
    dropped: dropped.slice(),
  };
  let at = 0;
  for (let i = 0; i < n; i++) {
    const d = pending[i];
    data.set(d.buf, at);
    b.starts[i] = at;
    b.lengths[i] = d.buf.length;
    b.listeners[i] = d.listener;
    b.froms[i] = d.from;
    b.times[i] = d.micros;
    at += d.buf.length;
  }
  pending = [];
  pendingBytes = 0;
  post(b, [b.data]);
}

function onDatagram(listener: number, buf: Buffer, from: string, micros: number): void {
  if (inFlightItems >= maxItems || inFlightBytes + buf.length > maxBytes) {
    dropped[listener]++;
    if (!droppedSinceBatch) {
      droppedSinceBatch = true;
      // Drops are reported promptly but at most every 100 ms while the queue stays full.
      if (!scheduled) {
        scheduled = true;
        setTimeout(flush, 100);
      }
    }
    return;
  }
  inFlightItems++;
  inFlightBytes += buf.length;
  received[listener]++;
  pending.push({ buf, listener, from, micros });
  pendingBytes += buf.length;
  // One batch per burst of reads; a long burst is cut so the main thread gets work early.
  if (pending.length >= 512) flush();
  else if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

port.on('message', (m: ToReceiver) => {
  if (m.type === 'start') {
    maxItems = m.maxItems;
    maxBytes = m.maxBytes;
    received = m.listeners.map(() => 0);
    dropped = m.listeners.map(() => 0);
    void (async () => {
      const ports: number[] = [];
      for (let i = 0; i < m.listeners.length; i++) {
        const l = new UdpListener(m.listeners[i], (buf, from, t) => onDatagram(i, buf, from, t));
        listeners.push(l);
        try {
          await l.start();
        } catch (err) {
          const cause = (err as { cause?: NodeJS.ErrnoException }).cause;
          post({ type: 'error', message: (err as Error).message, code: cause?.code ?? null, listener: i });
          return;
        }
        ports.push(l.boundPort);
      }
      post({ type: 'started', ports });
    })();
  } else if (m.type === 'ack') {
    inFlightItems -= m.items;
    inFlightBytes -= m.bytes;
  } else {
    void (async () => {
      for (const l of listeners) await l.stop();
      flush();
      post({ type: 'stopped', received, dropped });
    })();
  }
});
