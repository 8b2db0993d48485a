/**
 * One measured ingest, run as its own process so its peak RSS is its own: ingests the given inputs
 * into a fresh store and prints one JSON line with records, bytes, seconds, CPU seconds (all threads)
 * and peak RSS.
 * NJ_BENCH_INLINE=1 decodes on the main thread; NJ_BENCH_DECODE_WORKERS=N splits captures over N workers.
 */
import fs from 'node:fs';
import { ingest } from '../src/pipeline/ingest.js';
import { openStore } from '../src/store/open.js';

const [db, ...inputs] = process.argv.slice(2);
for (const f of [db, `${db}.wal`]) fs.rmSync(f, { force: true });
const t0 = performance.now();
const store = await openStore(db);
const workers = process.env.NJ_BENCH_DECODE_WORKERS;
const report = await ingest(store, inputs, {
  worker: process.env.NJ_BENCH_INLINE !== '1',
  decodeWorkers: workers === undefined ? undefined : Number(workers),
});
await store.close();
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage();
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const records = report.files.reduce((a, f) => a + f.totalRecords, 0);
const bytes = report.files.reduce((a, f) => a + f.bytes, 0);
const failed = report.files.filter((f) => f.status !== 'ingested').map((f) => f.message);
process.stdout.write(JSON.stringify({ records, bytes, seconds, cpuSeconds, maxRssBytes: process.resourceUsage().maxRSS * 1024, failed }) + '\n');
