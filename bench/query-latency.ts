/**
 * Query latency on a large store (issue 6's targets: each question under 1 s warm on the 2-core
 * machine): top talkers over everything, conversations of one /24, a CIDR + port + wildcard-domain
 * filter on DNS, a one-day timeline, and a host profile when that function exists. Each question runs
 * once on a freshly opened store (cold: DuckDB's buffers empty, the OS page cache as it is) and then
 * three times more (warm: the median is reported). Sizes: NJ_BENCH_QUERY_CONNECTIONS (default 10 M) and
 * NJ_BENCH_QUERY_DNS (default 5 M). The machine is shared: read the figures as rough.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { conversations } from '../src/query/conversations.js';
import { queryRecords, top } from '../src/query/questions.js';
import { timeline } from '../src/query/timeline.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { BENCH_START_US, queryBenchStore } from './query-store.js';

/** One timed question. */
interface Question {
  name: string;
  /** Runs the question; returns how many rows it produced. */
  run(store: Store): Promise<number>;
}

async function drain(batches: AsyncIterable<unknown[]>): Promise<number> {
  let n = 0;
  for await (const b of batches) n += b.length;
  return n;
}

type ProfileFn = (store: Store, address: string) => Promise<unknown>;

/** Imports a module by a path the compiler does not resolve (it may not exist on this branch). */
async function optional(mod: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(mod)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The site model's host profile, when it is present: `hostProfile(store, site, address, range)` in
 * src/query/host-profile.ts, with the site built from the default config (src/enrich/site*.ts).
 */
async function findHostProfile(): Promise<ProfileFn | undefined> {
  const hp = await optional('../src/query/host-profile.js');
  const site = await optional('../src/enrich/site.js');
  const config = await optional('../src/enrich/site-config.js');
  if (typeof hp?.hostProfile !== 'function' || typeof site?.createSite !== 'function' || typeof config?.defaultSiteConfig !== 'function') return undefined;
  const profile = hp.hostProfile as (store: Store, site: unknown, address: string) => Promise<unknown>;
  const createSite = site.createSite as (config: unknown, dialect: unknown) => unknown;
  const defaults = config.defaultSiteConfig as () => unknown;
  return (store, address) => profile(store, createSite(defaults(), store.dialect), address);
}

const QUESTIONS: Question[] = [
  { name: 'top talkers, everything', run: async (s) => (await top(s, 'talkers', 'bytes', {}, 10)).length },
  { name: 'conversations of 10.1.7.0/24', run: (s) => drain(conversations(s, { text: 'net 10.1.7.0/24' }, 'bytes')) },
  // What `nightjar conversations` prints as a table: a screenful (machine formats stream every pair).
  { name: 'conversations of 10.1.7.0/24 (a screenful: 35)', run: (s) => drain(conversations(s, { text: 'net 10.1.7.0/24' }, 'bytes', 35)) },
  {
    name: 'dns: net 10.1.0.0/16 and port 53 and query: *.example.com (newest 1000)',
    run: (s) => drain(queryRecords(s, 'dns', { text: 'net 10.1.0.0/16 and port 53 and query: *.example.com' }, 1000)),
  },
  {
    name: 'connections: dst net 20.0.0.0/8 and dst port 443 and service: ssl* (newest 1000)',
    run: (s) => drain(queryRecords(s, 'connections', { text: 'dst net 20.0.0.0/8 and dst port 443 and service: ssl*' }, 1000)),
  },
  {
    name: 'timeline of one day (auto: 15 min)',
    run: async (s) => (await timeline(s, 'connections', { range: { since: BENCH_START_US + 2 * 86400e6, until: BENCH_START_US + 3 * 86400e6 } }, 'auto')).points.length,
  },
];

function ms(x: number): string {
  return `${x.toFixed(0)} ms`;
}

/** Builds (or reuses) the store and prints cold and warm latency per question. */
export async function benchQueries(dir: string): Promise<void> {
  const size = {
    connections: Number(process.env.NJ_BENCH_QUERY_CONNECTIONS ?? 10_000_000),
    dns: Number(process.env.NJ_BENCH_QUERY_DNS ?? 5_000_000),
  };
  const file = await queryBenchStore(dir, size, (s) => process.stderr.write(`${s}\n`));
  const questions = [...QUESTIONS];
  const profile = await findHostProfile();
  if (profile) questions.push({ name: 'host profile of 10.1.0.1', run: async (s) => (await profile(s, '10.1.0.1'), 1) });
  // CPU time (all DuckDB threads are in this process) over the warm runs, divided by the cores: roughly
  // the wall time the question would take on the machine alone, whatever else is running on it.
  const cores = Math.min(2, os.availableParallelism());
  const rows: string[][] = [['question', 'rows', 'cold', 'warm (median of 3)', `warm CPU / ${cores} cores`, 'under 1 s warm']];
  for (const q of questions) {
    const store = await openStore(file);
    try {
      let t0 = performance.now();
      const n = await q.run(store);
      const cold = performance.now() - t0;
      const warm: number[] = [];
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < 3; i++) {
        t0 = performance.now();
        await q.run(store);
        warm.push(performance.now() - t0);
      }
      const cpu = process.cpuUsage(cpu0);
      warm.sort((a, b) => a - b);
      rows.push([q.name, String(n), ms(cold), ms(warm[1]), ms((cpu.user + cpu.system) / 1000 / 3 / cores), warm[1] < 1000 ? 'yes' : 'NO']);
    } finally {
      await store.close();
    }
  }
  if (!profile) rows.push(['host profile', '-', '-', '-', '-', 'not on this branch (hostProfile hook)']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  process.stdout.write(
    `Query latency: ${size.connections} connections, ${size.dns} DNS transactions (${(fs.statSync(file).size / 1e9).toFixed(2)} GB store), ` +
      `load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores\n`,
  );
  for (const r of rows) process.stdout.write(r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd() + '\n');
  process.stdout.write('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.env.NJ_BENCH_DIR ?? path.join(os.tmpdir(), 'nightjar-bench');
  fs.mkdirSync(dir, { recursive: true });
  await benchQueries(dir);
}
