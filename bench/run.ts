/**
 * `npm run bench`: throughput and peak memory of each pipeline stage on generated data, with peer
 * tools' figures from the same run as yardsticks (awk over the Zeek logs; nfpcapd, softflowd, argus,
 * tshark and tcpdump over the capture, where installed). Sizes: NJ_BENCH_LINES (default 5 M Zeek
 * conn lines), NJ_BENCH_PACKETS (default 3 M packets) and NJ_BENCH_LOG_LINES (default 1 M lines per
 * firewall or cloud format); NJ_BENCH_ONLY=zeek|pcap|logs|collector|query runs one section (the
 * collector section: NJ_BENCH_COLLECTOR_SECONDS and NJ_BENCH_COLLECTOR_RATES, see bench/collector.ts;
 * query latency runs only when asked: NJ_BENCH_ONLY=query or NJ_BENCH_QUERY=1).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeConnLog, type ConnLogFormat } from './gen-zeek-conn.js';
import { writePcap } from './gen-pcap.js';
import { benchCollector } from './collector.js';
import { benchLogFormats } from './log-formats.js';
import { describeFloor, storeFloor } from './store-floor.js';
import { benchQueries } from './query-latency.js';
import { PEERS } from './peers.js';
import { defaultDecodeShards } from '../src/pipeline/sharded-decoder.js';
import { stageDecode, stageFlows, stageRead, type StageResult } from './pcap-stages.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const lines = Number(process.env.NJ_BENCH_LINES ?? 5_000_000);
const packets = Number(process.env.NJ_BENCH_PACKETS ?? 3_000_000);
const only = process.env.NJ_BENCH_ONLY;
const dir = process.env.NJ_BENCH_DIR ?? path.join(os.tmpdir(), 'nightjar-bench');
fs.mkdirSync(dir, { recursive: true });

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : n.toFixed(0);
}

function table(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) process.stdout.write(r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd() + '\n');
  process.stdout.write('\n');
}

interface ChildResult {
  records: number;
  bytes: number;
  seconds: number;
  /** CPU time of the whole process, every thread. */
  cpuSeconds: number;
  maxRssBytes: number;
}

/** Runs one ingest in its own process, so its peak RSS is its own; `keep` leaves its store file. */
function ingestChild(file: string, db: string, inline: boolean, decodeWorkers?: number, keep = false): ChildResult {
  const env: NodeJS.ProcessEnv = { ...process.env, NJ_BENCH_INLINE: inline ? '1' : '0' };
  if (decodeWorkers !== undefined) env.NJ_BENCH_DECODE_WORKERS = String(decodeWorkers);
  const r = spawnSync(process.execPath, [path.join(here, 'ingest-child.js'), db, file], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`ingest failed: ${r.stderr}`);
  if (!keep) removeStore(db);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

function removeStore(db: string): void {
  fs.rmSync(db, { force: true });
  fs.rmSync(`${db}.wal`, { force: true });
}

function awkRate(file: string, format: ConnLogFormat): number {
  const t0 = performance.now();
  const prog = format === 'tsv' ? '!/^#/ { s += $10 } END { print s }' : '{ n++ } END { print n }';
  execFileSync('awk', format === 'tsv' ? ['-F', '\t', prog, file] : [prog, file], { stdio: 'pipe' });
  return lines / ((performance.now() - t0) / 1000);
}

async function zeekSection(): Promise<void> {
  const rows: string[][] = [['Zeek conn.log into DuckDB', 'input', 'records/s', 'MB/s', 'CPU us/record', 'peak RSS', 'awk lines/s (same file)']];
  const floors: string[] = [];
  for (const format of ['tsv', 'json'] as ConnLogFormat[]) {
    const file = path.join(dir, `conn-${lines}.${format}.log`);
    if (!fs.existsSync(file)) {
      process.stderr.write(`generating ${file} (${fmt(lines)} lines)...\n`);
      writeConnLog(file, lines, format);
    }
    const size = fs.statSync(file).size;
    const awk = awkRate(file, format);
    for (const inline of [false, true]) {
      const db = path.join(dir, `bench-${format}.duckdb`);
      const m = ingestChild(file, db, inline, undefined, !inline);
      if (m.records !== lines) throw new Error(`expected ${lines} records, stored ${m.records}`);
      if (!inline) {
        floors.push(`${format.toUpperCase()}: ${describeFloor(await storeFloor(db))}`);
        removeStore(db);
      }
      rows.push([
        `end to end, ${inline ? 'one thread' : 'decode worker'}`,
        `${format.toUpperCase()} ${(size / 1e6).toFixed(0)} MB, ${fmt(lines)} lines`,
        fmt(m.records / m.seconds),
        (size / 1e6 / m.seconds).toFixed(1),
        ((m.cpuSeconds * 1e6) / m.records).toFixed(2),
        `${(m.maxRssBytes / 2 ** 20).toFixed(0)} MiB`,
        fmt(awk),
      ]);
    }
  }
  table(rows);
  process.stdout.write(`DuckDB alone storing the same rows (one thread, no JavaScript): ${floors.join('; ')}\n`);
}

function pcapRow(r: StageResult, rss: string): string[] {
  return [r.stage, fmt(r.packets / r.seconds), ((r.bytes * 8) / r.seconds / 1e9).toFixed(2), r.seconds.toFixed(2), r.cpuSeconds.toFixed(2), rss];
}

async function pcapSection(): Promise<void> {
  const file = path.join(dir, `traffic-${packets}.pcap`);
  if (!fs.existsSync(file)) {
    process.stderr.write(`generating ${file} (${fmt(packets)} packets)...\n`);
    writePcap(file, { packets });
  }
  const size = fs.statSync(file).size;
  process.stdout.write(`Capture: ${file}, ${fmt(packets)} packets, ${(size / 1e9).toFixed(2)} GB\n`);
  const rows: string[][] = [['stage', 'packets/s', 'Gbit/s', 'seconds', 'CPU seconds', 'peak RSS']];
  // Warm the page cache and the JIT once, so every stage reads from memory.
  await stageRead(file);
  rows.push(pcapRow(await stageRead(file), '-'));
  rows.push(pcapRow(await stageDecode(file), '-'));
  const flows = await stageFlows(file);
  rows.push(pcapRow(flows, `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (bench process)`));
  rows.push(pcapRow(await stageFlows(file, { index: 0, count: 2 }), '-'));
  rows.push(pcapRow(await stageFlows(file, { index: 1, count: 2 }), '-'));
  const modes: [string, boolean, number | undefined][] = [
    ['two decode workers, split by flow', false, 2],
    ['one decode worker', false, 1],
    ['one thread', true, undefined],
  ];
  for (const [name, inline, workers] of modes) {
    const m = ingestChild(file, path.join(dir, 'bench-pcap.duckdb'), inline, workers);
    rows.push([
      `full ingest into DuckDB (${name}), ${fmt(m.records)} rows`,
      fmt(flows.packets / m.seconds),
      ((m.bytes * 8) / m.seconds / 1e9).toFixed(2),
      m.seconds.toFixed(2),
      m.cpuSeconds.toFixed(2),
      `${(m.maxRssBytes / 2 ** 20).toFixed(0)} MiB`,
    ]);
  }
  table(rows);
  // Peers over the same capture, where installed; ratios use the full ingest in the mode `nightjar
  // ingest` picks on this machine (two decode workers with three cores or more, else the one thread).
  const defaultWorkers = defaultDecodeShards();
  const ours = Number(rows[rows.length - (defaultWorkers === 2 ? 3 : 1)][3]);
  const prow: string[][] = [['peer tool (same capture)', 'seconds', 'packets/s', 'records', `Nightjar time (${defaultWorkers === 2 ? 'two decode workers' : 'one thread'}, the default here) / peer time`]];
  for (const run of PEERS) {
    let p: ReturnType<typeof run>;
    try {
      p = run(file);
    } catch (err) {
      prow.push([run.name.replace(/^run/, '').toLowerCase(), `failed: ${(err as Error).message.slice(0, 60)}`, '-', '-', '-']);
      continue;
    }
    if (p === null) {
      prow.push([run.name.replace(/^run/, '').toLowerCase(), 'not installed', '-', '-', '-']);
      continue;
    }
    prow.push([p.tool, p.seconds.toFixed(2), fmt(flows.packets / p.seconds), p.flows === null ? '-' : `${fmt(p.flows)} ${p.flowKind}`, (ours / p.seconds).toFixed(2)]);
  }
  table(prow);
}

if (!only || only === 'zeek') await zeekSection();
if (!only || only === 'pcap') await pcapSection();
if (!only || only === 'logs') {
  process.stdout.write('Firewall and cloud logs into DuckDB (generated from the fixtures\' real lines)\n');
  table(await benchLogFormats());
}
if (!only || only === 'collector') {
  const rows = await benchCollector(dir);
  process.stdout.write('Collector: NetFlow v9 over loopback into DuckDB (flows decoded and committed), nfcapd writing its files\n');
  table(rows);
}
// Query latency builds a 15 M-record store first (about a minute, cached): opt-in.
if (only === 'query' || process.env.NJ_BENCH_QUERY === '1') await benchQueries(dir);
