/**
 * `npm run bench`: throughput and peak memory of each pipeline stage, on generated data, with awk's
 * speed over the same file as a yardstick from the same run. Sizes via NJ_BENCH_LINES (default 5M).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeConnLog, type ConnLogFormat } from './gen-zeek-conn.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const lines = Number(process.env.NJ_BENCH_LINES ?? 5_000_000);
const dir = process.env.NJ_BENCH_DIR ?? path.join(os.tmpdir(), 'nightjar-bench');
fs.mkdirSync(dir, { recursive: true });

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : n.toFixed(0);
}

function awkRate(file: string, format: ConnLogFormat): number {
  const t0 = performance.now();
  const prog = format === 'tsv' ? '!/^#/ { s += $10 } END { print s }' : '{ n++ } END { print n }';
  execFileSync('awk', format === 'tsv' ? ['-F', '\t', prog, file] : [prog, file], { stdio: 'pipe' });
  return lines / ((performance.now() - t0) / 1000);
}

const rows: string[][] = [['stage', 'input', 'records/s', 'MB/s', 'peak RSS', 'awk lines/s (same file)']];
for (const format of ['tsv', 'json'] as ConnLogFormat[]) {
  const file = path.join(dir, `conn-${lines}.${format}.log`);
  if (!fs.existsSync(file)) {
    process.stderr.write(`generating ${file} (${fmt(lines)} lines)...\n`);
    writeConnLog(file, lines, format);
  }
  const size = fs.statSync(file).size;
  const awk = awkRate(file, format);
  for (const mode of ['worker', 'inline']) {
    const db = path.join(dir, `bench-${format}-${mode}.duckdb`);
    const r = spawnSync(process.execPath, [path.join(here, 'ingest-child.js'), db, file], {
      encoding: 'utf8',
      env: { ...process.env, NJ_BENCH_INLINE: mode === 'inline' ? '1' : '0' },
    });
    if (r.status !== 0) throw new Error(`ingest failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { records: number; bytes: number; seconds: number; maxRssBytes: number };
    if (m.records !== lines) throw new Error(`expected ${lines} records, stored ${m.records}`);
    rows.push([
      `ingest zeek conn into DuckDB (${mode} decode)`,
      `${format.toUpperCase()} ${(size / 1e6).toFixed(0)} MB, ${fmt(lines)} lines`,
      fmt(m.records / m.seconds),
      (size / 1e6 / m.seconds).toFixed(1),
      `${(m.maxRssBytes / 2 ** 20).toFixed(0)} MiB`,
      fmt(awk),
    ]);
    fs.rmSync(db, { force: true });
    fs.rmSync(`${db}.wal`, { force: true });
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) process.stdout.write(r.map((c, i) => c.padEnd(widths[i])).join('  ') + '\n');
