/**
 * The collector benchmark's sender, run as its own process: replays recorded export datagrams to
 * 127.0.0.1:PORT at a fixed rate of flow records per second for a bounded time, paced every
 * millisecond, cycling through the recording. Prints `{ datagrams, flows, seconds }` as JSON.
 * Usage: node dist/bench/collector-sender.js FILE PORT FLOWS_PER_SECOND SECONDS
 */
import dgram from 'node:dgram';
import { loadDatagrams } from './collector-export.js';

const [file, portArg, rateArg, secondsArg] = process.argv.slice(2);
const dgs = loadDatagrams(file);
const port = Number(portArg);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const sock = dgram.createSocket('udp4');
await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
sock.setSendBufferSize(8 << 20);
let i = 0;
let flows = 0;
let datagrams = 0;
const start = performance.now();
const end = start + seconds * 1000;
// Templates first: the recording starts with them, and the sender never skips ahead.
function tick(): void {
  const now = performance.now();
  const due = Math.min(now, end) - start;
  const target = (rate * due) / 1000;
  while (flows < target) {
    const d = dgs[i];
    i = (i + 1) % dgs.length;
    sock.send(d.bytes, port, '127.0.0.1');
    flows += d.records;
    datagrams++;
  }
  if (now >= end) {
    sock.close(() => process.stdout.write(JSON.stringify({ datagrams, flows, seconds: (performance.now() - start) / 1000 }) + '\n'));
    return;
  }
  setTimeout(tick, 1);
}
tick();
