/**
 * The collector benchmark: `nightjar collect` (and `nfcapd` where installed, on the same datagrams
 * and rates) receives real NetFlow v9 export datagrams replayed over loopback by a separate sender
 * process at fixed rates for a bounded time. Reported per run: flows sent, flows decoded and stored,
 * loss, flows/s stored, CPU (percent of one core while streaming, and flows stored per CPU-second
 * including the final drain and commit), and RSS at the start and
 * end of the stream (flat memory means the two agree). Sizes: NJ_BENCH_COLLECTOR_SECONDS (default 10)
 * and NJ_BENCH_COLLECTOR_RATES (default 300000,600000 flows/s).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts, outputMatch } from '../src/collector/collector-test-support.js';
import { pmacctDatagrams, recordSoftflowd, saveDatagrams, type ExportDatagram } from './collector-export.js';
import { writePcap } from './gen-pcap.js';
import { findTool } from './peers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(here, '..', '..', 'bin', 'nightjar.js');

/** One receiver's run at one rate. */
export interface CollectorRun {
  tool: string;
  rate: number;
  sent: number;
  stored: number;
  seconds: number;
  cpuSeconds: number;
  rssStartMiB: number;
  rssEndMiB: number;
  rssMaxMiB: number;
  /** Datagrams the receiver refused because its queue was full (Nightjar only; null when unknown). */
  queueFull: number | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) and RSS (MiB) of a process, from /proc. */
function usage(pid: number): { cpu: number; rss: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    const rssPages = Number(f[21]);
    return { cpu: ticks / 100, rss: (rssPages * 4096) / 2 ** 20 };
  } catch {
    return { cpu: 0, rss: 0 };
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/** Runs the sender against `port` while sampling `pid`; returns what was sent and the usage samples. */
async function stream(file: string, port: number, rate: number, seconds: number, pid: number): Promise<{ sent: number; seconds: number; cpu0: number; rss: number[] }> {
  const sender = spawn(process.execPath, [path.join(here, 'collector-sender.js'), file, String(port), String(rate), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  sender.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const u0 = usage(pid);
  const rss: number[] = [];
  while (sender.exitCode === null) {
    await sleep(500);
    rss.push(usage(pid).rss);
  }
  await exited(sender);
  const r = JSON.parse(out.trim()) as { flows: number; seconds: number };
  await sleep(1500); // let the receiver drain its queue
  return { sent: r.flows, seconds: r.seconds, cpu0: u0.cpu, rss };
}

/** Stops `child` with SIGTERM and returns its CPU seconds since `cpu0`, sampled until it is gone. */
async function stopAndMeasure(child: ChildProcess, cpu0: number): Promise<number> {
  let last = usage(child.pid!).cpu;
  child.kill('SIGTERM');
  while (child.exitCode === null) {
    const u = usage(child.pid!).cpu;
    if (u > 0) last = u;
    await sleep(50);
  }
  return last - cpu0;
}

async function runNightjar(file: string, dir: string, rate: number, seconds: number): Promise<CollectorRun> {
  const [port, metrics] = await freePorts(2);
  const db = path.join(dir, `collector-bench-${rate}.duckdb`);
  for (const f of [db, `${db}.wal`, `${db}.templates.json`]) fs.rmSync(f, { force: true });
  const child = spawn(process.execPath, [BIN, 'collect', '--db', db, '--netflow-port', String(port), '--ipfix-port', '0', '--sflow-port', '0', '--metrics', `127.0.0.1:${metrics}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  try {
    await outputMatch(child, /collecting on/, 20_000);
    const s = await stream(file, port, rate, seconds, child.pid!);
    const rssStart = s.rss[Math.min(1, s.rss.length - 1)] ?? 0;
    const cpu = await stopAndMeasure(child, s.cpu0);
    const m = /(\d+) rows stored/.exec(out);
    const q = /dropped queue_full_netflow: (\d+)/.exec(out);
    return {
      tool: 'nightjar collect',
      rate,
      sent: s.sent,
      stored: m ? Number(m[1]) : 0,
      seconds: s.seconds,
      cpuSeconds: cpu,
      rssStartMiB: rssStart,
      rssEndMiB: s.rss[s.rss.length - 1] ?? 0,
      rssMaxMiB: Math.max(...s.rss),
      queueFull: q ? Number(q[1]) : 0,
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    for (const f of [db, `${db}.wal`, `${db}.templates.json`]) fs.rmSync(f, { force: true });
  }
}

async function runNfcapd(file: string, dir: string, rate: number, seconds: number): Promise<CollectorRun | null> {
  const nfcapd = findTool('nfcapd');
  const nfdump = findTool('nfdump');
  if (!nfcapd || !nfdump) return null;
  const [port] = await freePorts(1);
  const out = path.join(dir, `nfcapd-bench-${rate}`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out);
  const child = spawn(nfcapd, ['-w', out, '-p', String(port), '-b', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await outputMatch(child, /Startup/, 10_000);
    const s = await stream(file, port, rate, seconds, child.pid!);
    const cpu = await stopAndMeasure(child, s.cpu0);
    const stat = spawnSync(nfdump, ['-R', out, '-I'], { encoding: 'utf8' });
    const stored = [...stat.stdout.matchAll(/^Flows: (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
    return {
      tool: 'nfcapd',
      rate,
      sent: s.sent,
      stored,
      seconds: s.seconds,
      cpuSeconds: cpu,
      rssStartMiB: s.rss[Math.min(1, s.rss.length - 1)] ?? 0,
      rssEndMiB: s.rss[s.rss.length - 1] ?? 0,
      rssMaxMiB: Math.max(...s.rss),
      queueFull: null,
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** The recorded datagrams (generated once into `dir`), and where they came from. */
async function datagrams(dir: string): Promise<{ file: string; source: string; dgs: ExportDatagram[] }> {
  const file = path.join(dir, 'collector-v9.dgrams');
  const pcap = path.join(dir, 'collector-source.pcap');
  if (!fs.existsSync(pcap)) writePcap(pcap, { packets: 400_000, seed: 7 });
  const rec = (await recordSoftflowd(pcap, dir)) ?? pmacctDatagrams();
  saveDatagrams(file, rec.datagrams);
  return { file, source: rec.source, dgs: rec.datagrams };
}

/** Runs the benchmark and returns the rows of its table (header first). */
export async function benchCollector(dir: string): Promise<string[][]> {
  const seconds = Number(process.env.NJ_BENCH_COLLECTOR_SECONDS ?? 10);
  const rates = (process.env.NJ_BENCH_COLLECTOR_RATES ?? '300000,600000').split(',').map(Number);
  const { file, source, dgs } = await datagrams(dir);
  const flows = dgs.reduce((a, d) => a + d.records, 0);
  process.stdout.write(`Collector: ${source}: ${dgs.length} datagrams, ${flows} flows (${(flows / dgs.length).toFixed(1)} per datagram), replayed over loopback for ${seconds} s per run\n`);
  const fmtK = (n: number): string => `${(n / 1e3).toFixed(0)}k`;
  const rows: string[][] = [['receiver', 'rate (flows/s)', 'sent', 'stored', 'loss', 'queue-full datagrams', 'stored flows/s', 'CPU seconds', 'flows per CPU-s', 'RSS start/end/max MiB', 'vs nfcapd CPU']];
  for (const rate of rates) {
    const nj = await runNightjar(file, dir, rate, seconds);
    const nf = await runNfcapd(file, dir, rate, seconds);
    for (const r of nf ? [nj, nf] : [nj]) {
      const perCpu = r.cpuSeconds > 0 ? r.stored / r.cpuSeconds : 0;
      rows.push([
        r.tool,
        fmtK(rate),
        String(r.sent),
        String(r.stored),
        `${(((r.sent - r.stored) / r.sent) * 100).toFixed(2)}%`,
        r.queueFull === null ? '-' : String(r.queueFull),
        fmtK(r.stored / r.seconds),
        r.cpuSeconds.toFixed(1),
        fmtK(perCpu),
        `${r.rssStartMiB.toFixed(0)}/${r.rssEndMiB.toFixed(0)}/${r.rssMaxMiB.toFixed(0)}`,
        r === nj && nf && nf.cpuSeconds > 0 ? `${(nj.cpuSeconds / nf.cpuSeconds).toFixed(1)}x` : '-',
      ]);
    }
    if (!nf) rows.push(['nfcapd', fmtK(rate), 'not installed', '-', '-', '-', '-', '-', '-', '-', '-']);
  }
  return rows;
}
