/**
 * Micro benchmark of the capture readers (src/decode/capture): generates a pcap or pcapng file of
 * small synthetic packets and times walking its records, once streamed from disk with
 * fs.createReadStream in 1 MiB chunks (what an ingest does) and once from 1 MiB chunks already in
 * memory (the reader's own cost). The packet callback only counts, so this measures record walking.
 * Run: `node dist/bench/capture-read.js [--packets N] [--format pcap|pcapng] [--rounds R] [FILE]`
 * (defaults: 3,000,000 packets, pcap, 3 rounds; with FILE, that file is read instead).
 */
import { closeSync, createReadStream, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCaptureReader } from '../src/decode/capture/capture-reader.js';

const CHUNK = 1 << 20;

/** What one benchmark pass measured. */
export interface CaptureReadResult {
  packets: number;
  bytes: number;
  seconds: number;
  packetsPerSec: number;
  mbPerSec: number;
  problems: number;
}

/** A reader whose packet callback only counts packets and captured bytes. */
function countingReader(): { push(chunk: Buffer): void; finish(): void; result(bytes: number, seconds: number): CaptureReadResult } {
  let packets = 0;
  let captured = 0;
  let problems = 0;
  const reader = createCaptureReader(
    (_linkType, _ts, buf, offset, capLen) => {
      packets++;
      captured += capLen + buf[offset];
    },
    () => {
      problems++;
    },
  );
  return {
    push: (chunk) => reader.push(chunk),
    finish: () => reader.finish(),
    result: (bytes, seconds) => {
      if (captured < 0) throw new Error('unreachable');
      return { packets, bytes, seconds, packetsPerSec: packets / seconds, mbPerSec: bytes / 1e6 / seconds, problems };
    },
  };
}

/** Reads `file` with fs.createReadStream in 1 MiB chunks through createCaptureReader and times it. */
export async function benchCaptureRead(file: string): Promise<CaptureReadResult> {
  const reader = countingReader();
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    bytes += (chunk as Buffer).length;
    reader.push(chunk as Buffer);
  }
  reader.finish();
  return reader.result(bytes, Number(process.hrtime.bigint() - t0) / 1e9);
}

/** Times the reader alone over a file already split in 1 MiB chunks in memory. */
export function benchCaptureWalk(chunks: readonly Buffer[]): CaptureReadResult {
  const reader = countingReader();
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (const c of chunks) {
    bytes += c.length;
    reader.push(c);
  }
  reader.finish();
  return reader.result(bytes, Number(process.hrtime.bigint() - t0) / 1e9);
}

/**
 * Writes a capture of `packets` small Ethernet/IPv4/UDP packets (60 to 123 bytes, 1,000 flows,
 * 10 µs apart) to `file`, as pcap or as pcapng with one interface.
 */
export function generateCapture(file: string, packets: number, format: 'pcap' | 'pcapng'): void {
  const fd = openSync(file, 'w');
  const buf = Buffer.alloc(4 << 20);
  let n = 0;
  const flush = (): void => {
    writeSync(fd, buf, 0, n);
    n = 0;
  };
  if (format === 'pcap') {
    n = buf.writeUInt32LE(0xa1b2c3d4, 0);
    n = buf.writeUInt16LE(2, n);
    n = buf.writeUInt16LE(4, n);
    n = buf.writeUInt32LE(0, buf.writeUInt32LE(0, n));
    n = buf.writeUInt32LE(1, buf.writeUInt32LE(65535, n));
  } else {
    for (const v of [0x0a0d0d0a, 28, 0x1a2b3c4d]) n = buf.writeUInt32LE(v, n);
    n = buf.writeUInt16LE(0, buf.writeUInt16LE(1, n));
    n = buf.writeInt32LE(-1, buf.writeInt32LE(-1, n));
    n = buf.writeUInt32LE(28, n);
    for (const v of [1, 20]) n = buf.writeUInt32LE(v, n);
    n = buf.writeUInt32LE(65535, buf.writeUInt32LE(1, n));
    n = buf.writeUInt32LE(20, n);
  }
  const ts0 = 1_700_000_000_000_000;
  for (let i = 0; i < packets; i++) {
    if (buf.length - n < 256) flush();
    const len = 60 + (i % 64);
    const ts = ts0 + i * 10;
    if (format === 'pcap') {
      n = buf.writeUInt32LE(Math.floor(ts / 1e6), n);
      n = buf.writeUInt32LE(ts % 1e6, n);
      n = buf.writeUInt32LE(len, buf.writeUInt32LE(len, n));
    } else {
      const padded = (len + 3) & ~3;
      n = buf.writeUInt32LE(32 + padded, buf.writeUInt32LE(6, n));
      n = buf.writeUInt32LE(0, n);
      n = buf.writeUInt32LE(ts % 2 ** 32, buf.writeUInt32LE(Math.floor(ts / 2 ** 32), n));
      n = buf.writeUInt32LE(len, buf.writeUInt32LE(len, n));
    }
    const start = n;
    buf.fill(0, start, start + len);
    buf.writeUInt16BE(0x0800, start + 12); // Ethernet, IPv4
    buf[start + 14] = 0x45;
    buf.writeUInt16BE(len - 14, start + 16);
    buf[start + 22] = 64;
    buf[start + 23] = 17; // UDP
    buf.writeUInt32BE(0x0a000000 + (i % 1000), start + 26);
    buf.writeUInt32BE(0xc0a80001, start + 30);
    buf.writeUInt16BE(1024 + (i % 1000), start + 34);
    buf.writeUInt16BE(53, start + 36);
    buf.writeUInt16BE(len - 34, start + 38);
    n = start + len;
    if (format === 'pcapng') {
      const padded = (len + 3) & ~3;
      buf.fill(0, n, start + padded);
      n = buf.writeUInt32LE(32 + padded, start + padded);
    }
  }
  flush();
  closeSync(fd);
}

function format(label: string, r: CaptureReadResult): string {
  return (
    `${label}: ${r.packets.toLocaleString('en-US')} packets, ${(r.bytes / 1e6).toFixed(0)} MB, ${r.seconds.toFixed(3)} s, ` +
    `${(r.packetsPerSec / 1e6).toFixed(2)} M packets/s, ${r.mbPerSec.toFixed(0)} MB/s` +
    (r.problems > 0 ? `, ${r.problems} problems` : '')
  );
}

async function main(argv: string[]): Promise<void> {
  let packets = 3_000_000;
  let fmt: 'pcap' | 'pcapng' = 'pcap';
  let rounds = 3;
  let file: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--packets') packets = Number(argv[++i]);
    else if (argv[i] === '--format') fmt = argv[++i] === 'pcapng' ? 'pcapng' : 'pcap';
    else if (argv[i] === '--rounds') rounds = Number(argv[++i]);
    else file = argv[i];
  }
  const generated = file === null;
  const target = file ?? path.join(tmpdir(), `nightjar-bench-${process.pid}.${fmt}`);
  if (generated) {
    const t0 = Date.now();
    generateCapture(target, packets, fmt);
    console.log(`generated ${target}: ${packets.toLocaleString('en-US')} packets, ${(statSync(target).size / 1e6).toFixed(0)} MB in ${Date.now() - t0} ms`);
  }
  try {
    for (let round = 1; round <= rounds; round++) console.log(format(`stream round ${round}`, await benchCaptureRead(target)));
    const whole = readFileSync(target);
    const chunks: Buffer[] = [];
    for (let i = 0; i < whole.length; i += CHUNK) chunks.push(whole.subarray(i, i + CHUNK));
    for (let round = 1; round <= rounds; round++) console.log(format(`memory round ${round}`, benchCaptureWalk(chunks)));
  } finally {
    if (generated) unlinkSync(target);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
