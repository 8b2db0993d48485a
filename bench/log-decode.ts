/**
 * Decode-only CPU of the firewall and cloud log decoders: the decode worker's share of issue 5's
 * "lines/s into the store on one core". Each format's log (built by log-formats.ts's generator, kept
 * in NJ_BENCH_DIR) is read into memory and decoded in 1 MiB chunks into column batches that are
 * cleared when full (no store, no worker transfer), three rounds with the formats interleaved;
 * prints median CPU-seconds (process.cpuUsage) and lines per CPU-second. Run the script of two builds
 * back to back for an A/B.
 *
 *   node dist/bench/log-decode.js [format,...]     lines per format: NJ_BENCH_DECODE_LINES (200,000)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_TABLES, type EventTableName } from '../src/model/fields.js';
import { DECODERS } from '../src/pipeline/registry.js';
import { ColumnBatch } from '../src/store/column-batch.js';
import type { DecodeContext, Decoder } from '../src/decode/decoder.js';
import { LOG_SAMPLES, writeLogFrom } from './log-formats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const lines = Number(process.env.NJ_BENCH_DECODE_LINES ?? 200_000);
const dir = process.env.NJ_BENCH_DIR ?? path.join(os.tmpdir(), 'nightjar-bench');

/**
 * CPU-seconds (process.cpuUsage) and seconds to decode `input` in 1 MiB chunks with the decoder
 * `create` makes, and the rows and skips it reported; each table's rows go to its own batch, cleared when full. A string `input` is a
 * file, read in 1 MiB chunks as part of the measured work.
 */
export function decodeCpu(
  create: (ctx: DecodeContext) => Decoder,
  input: Buffer | string,
): { cpu: number; seconds: number; rows: number; skips: number } {
  const batches = new Map<EventTableName, ColumnBatch>();
  let rows = 0;
  let skips = 0;
  const ctx: DecodeContext = {
    ingestId: 1,
    sensor: null,
    inputName: typeof input === 'string' ? input : 'bench',
    batch(table) {
      let b = batches.get(table);
      if (b === undefined) {
        b = new ColumnBatch(EVENT_TABLES.find((t) => t.name === table)!, 8192);
        batches.set(table, b);
      }
      if (b.full) {
        rows += b.length;
        b.clear();
      }
      return b;
    },
    skip: () => void skips++,
    ignore: () => undefined,
  };
  const t0 = process.cpuUsage();
  const w0 = performance.now();
  const d = create(ctx);
  if (typeof input === 'string') {
    const fd = fs.openSync(input, 'r');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = fs.readSync(fd, buf, 0, buf.length, null); n > 0; n = fs.readSync(fd, buf, 0, buf.length, null)) d.push(buf.subarray(0, n));
    fs.closeSync(fd);
  } else for (let i = 0; i < input.length; i += 1 << 20) d.push(input.subarray(i, Math.min(input.length, i + (1 << 20))));
  d.finish();
  const t = process.cpuUsage(t0);
  const seconds = (performance.now() - w0) / 1000;
  for (const b of batches.values()) rows += b.length;
  return { cpu: (t.user + t.system) / 1e6, seconds, rows, skips };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** Decodes every chosen format three times; returns the printed rows. */
export function benchLogDecode(only: readonly string[] = []): string[][] {
  fs.mkdirSync(dir, { recursive: true });
  const inputs = LOG_SAMPLES.filter(([f]) => only.length === 0 || only.includes(f)).map(([format, sample]) => {
    const file = path.join(dir, `${format}-decode-${lines}.log`);
    if (!fs.existsSync(file)) writeLogFrom(path.join(root, sample), file, lines);
    return { format, input: fs.readFileSync(file), cpu: [] as number[], rows: 0 };
  });
  for (let round = 0; round < 3; round++) {
    for (const x of inputs) {
      const def = DECODERS.get(x.format)!;
      const r = decodeCpu((ctx) => def.create(ctx), x.input);
      x.cpu.push(r.cpu);
      x.rows = r.rows;
    }
  }
  const out = [['format', 'lines', 'rows', 'CPU-s (median of 3)', 'lines/CPU-s', 'us/line']];
  for (const x of inputs) {
    const m = median(x.cpu);
    out.push([x.format, String(lines), String(x.rows), m.toFixed(3), `${(lines / m / 1e3).toFixed(0)}k`, ((m / lines) * 1e6).toFixed(2)]);
  }
  return out;
}

// `node dist/bench/log-decode.js [format,...]`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const rows = benchLogDecode(process.argv[2] ? process.argv[2].split(',') : []);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) process.stdout.write(r.map((c, i) => c.padEnd(widths[i])).join('  ') + '\n');
}
