/**
 * nfcapd import throughput, in CPU-seconds (the machine is shared, wall time is noise): for each
 * nfdump file given, the median of `repeats` runs of (1) decoding in this process into CONNECTIONS
 * batches that are cleared when full (rows built, not stored), (2) the full `ingest` into a fresh
 * DuckDB store in its own process (ingest-child.ts), and (3) `nfdump -r FILE > /dev/null`, nfdump
 * printing every flow, where installed. Run: node dist/bench/nfcapd.js FILE... [--repeats N].
 * bench/README.md says how to make a large file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nfcapd } from '../src/decode/nfcapd/nfcapd.js';
import { decodeCpu } from './log-decode.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const ri = args.indexOf('--repeats');
const repeats = ri >= 0 ? Number(args.splice(ri, 2)[1]) : 3;
if (args.length === 0) {
  process.stderr.write('usage: node dist/bench/nfcapd.js FILE... [--repeats N]\n');
  process.exit(2);
}

/** CPU-seconds (user + system) of a command run through bash's `time`, or null when it failed. */
function cpuOf(command: string): { cpu: number; out: string } | null {
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; { time ${command} ; } 2>&1 >/dev/null`], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const lines = r.stdout.trim().split('\n');
  const [u, s] = lines.pop()!.split(' ').map(Number);
  return { cpu: u + s, out: lines.join('\n') };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const hasNfdump = spawnSync('sh', ['-c', 'command -v nfdump'], { stdio: 'ignore' }).status === 0;
const db = path.join(os.tmpdir(), `nj-bench-nfcapd-${process.pid}.duckdb`);
const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' ');

process.stdout.write(`load average before: ${load()}\n`);
for (const file of args) {
  const dec: number[] = [];
  const ing: number[] = [];
  const nfd: number[] = [];
  let rows = 0;
  for (let i = 0; i < repeats; i++) {
    const d = decodeCpu(nfcapd.create, file);
    rows = d.rows;
    dec.push(d.cpu);
    const r = cpuOf(`${q(process.execPath)} ${q(path.join(here, 'ingest-child.js'))} ${q(db)} ${q(file)} >/dev/null`);
    for (const f of [db, `${db}.wal`]) fs.rmSync(f, { force: true });
    if (r) ing.push(r.cpu);
    if (hasNfdump) {
      const n = cpuOf(`nfdump -r ${q(file)}`);
      if (n) nfd.push(n.cpu);
    }
  }
  const flows = rows - 1; // the file's metadata row
  const rate = (cpu: number): string => `${(flows / cpu / 1e3).toFixed(0)}k flows/CPU-s`;
  process.stdout.write(`${path.basename(file)}: ${flows} flows, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB, medians of ${repeats}\n`);
  process.stdout.write(`  decode only:           ${median(dec).toFixed(2)} CPU-s  ${rate(median(dec))}\n`);
  if (ing.length) process.stdout.write(`  ingest into DuckDB:    ${median(ing).toFixed(2)} CPU-s  ${rate(median(ing))}\n`);
  if (nfd.length) process.stdout.write(`  nfdump -r > /dev/null: ${median(nfd).toFixed(2)} CPU-s  ${rate(median(nfd))}  (ingest / nfdump: ${(median(ing) / median(nfd)).toFixed(1)}x)\n`);
}
process.stdout.write(`load average after: ${load()}\n`);
