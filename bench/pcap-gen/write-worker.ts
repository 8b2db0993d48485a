/**
 * The worker thread behind `ThreadSink`: writes each buffer it is sent to the file descriptor, counts it
 * done in shared memory (waking the generator) and sends the buffer back for reuse.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import { Ctl, writeAll } from './file-sink.js';

interface Data {
  fd: number;
  port: MessagePort;
  ctl: SharedArrayBuffer;
}

const { fd, port, ctl: ctlBuffer } = workerData as Data;
const ctl = new Int32Array(ctlBuffer);
port.on('message', (m: { buf: Uint8Array; len: number }) => {
  try {
    if (Atomics.load(ctl, Ctl.ERROR) === 0) writeAll(fd, m.buf, m.len);
  } catch (e) {
    Atomics.store(ctl, Ctl.ERROR, Math.abs((e as { errno?: number }).errno ?? 1) || 1);
  }
  Atomics.add(ctl, Ctl.DONE, 1);
  Atomics.notify(ctl, Ctl.DONE);
  port.postMessage(m.buf, [m.buf.buffer as ArrayBuffer]);
});
