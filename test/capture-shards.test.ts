// A capture decoded by two shards (each reading the whole input and keeping the connections the
// flow hash gives it, as the two ingest workers do) must give exactly the rows, skips and ignore
// counts of one decoder: same connections, same DNS rows, same uids. The last test runs the real
// pipeline: two worker threads into DuckDB against one thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writePcap } from '../bench/gen-pcap.js';
import { decodeAll, type Collected } from '../src/decode/testing.js';
import { pcapFormat } from '../src/flows/capture-decoder.js';
import { ingest } from '../src/pipeline/ingest.js';
import { openStore } from '../src/store/open.js';
import { raw, sql } from '../src/store/sql.js';
import type { Store } from '../src/store/store.js';

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng)$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

/** Rows of every table as sorted JSON lines, the skips sorted, and the ignore counts. */
function canonical(parts: Collected[]): { rows: Record<string, string[]>; skips: string[]; ignored: Record<string, number> } {
  const rows: Record<string, string[]> = {};
  const skips: string[] = [];
  const ignored: Record<string, number> = {};
  for (const c of parts) {
    for (const [t, list] of Object.entries(c.rows)) for (const r of list) (rows[t] ??= []).push(JSON.stringify(r));
    for (const s of c.skips) skips.push(JSON.stringify(s));
    for (const [k, n] of Object.entries(c.ignored)) ignored[k] = (ignored[k] ?? 0) + n;
  }
  for (const t of Object.keys(rows)) rows[t].sort();
  return { rows, skips: skips.sort(), ignored: Object.fromEntries(Object.entries(ignored).sort()) };
}

/** Decodes `file` whole and in two shards; returns the row counts of each shard. */
function compare(file: string, chunkSize?: number): [number, number] {
  const input = fs.readFileSync(file);
  const opts = { inputName: path.basename(file), chunkSize };
  const one = decodeAll(pcapFormat, input, opts);
  const a = decodeAll(pcapFormat, input, { ...opts, shard: { index: 0, count: 2 } });
  const b = decodeAll(pcapFormat, input, { ...opts, shard: { index: 1, count: 2 } });
  assert.deepEqual(canonical([a, b]), canonical([one]), path.basename(file));
  const n = (c: Collected): number => Object.values(c.rows).reduce((s, l) => s + l.length, 0);
  return [n(a), n(b)];
}

test('two shards give the rows, skips and counts of one decoder on every fixture capture', () => {
  const files = captures(path.join(process.cwd(), 'test/fixtures'));
  assert.ok(files.length > 50, `found ${files.length} captures`);
  let split = 0;
  for (const f of files) {
    const [a, b] = compare(f);
    if (a > 0 && b > 0) split++;
  }
  // The comparison means something only if the work really was divided.
  assert.ok(split >= 10, `only ${split} captures had rows in both shards`);
});

test('two shards agree with one decoder on a generated capture with thousands of connections', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-shards-'));
  try {
    const file = path.join(dir, 'mix.pcap');
    writePcap(file, { packets: 30_000, seed: 3, concurrency: 300 });
    const [a, b] = compare(file, 1 << 20);
    assert.ok(a > 500 && b > 500, `shards got ${a} and ${b} rows`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Every row of the capture tables, as sorted JSON lines. */
async function storedRows(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of ['connections', 'dns', 'metadata']) {
    const rows = await store.all(sql`SELECT * FROM ${raw(t)}`);
    out[t] = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();
  }
  return out;
}

test('ingest with two decode workers stores what one thread stores, skips and counts included', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-shards-'));
  try {
    const file = path.join(dir, 'mix.pcap');
    writePcap(file, { packets: 20_000, seed: 5, concurrency: 200 });
    // A damaged capture too: its warning must be reported once, not once per worker.
    const damaged = path.join(process.cwd(), 'test/fixtures/pcap/DERIVED_truncated_midpacket_http_get.pcap');
    const results = [];
    for (const opts of [{ worker: false }, { decodeWorkers: 2 }]) {
      const store = await openStore(path.join(dir, `${results.length}.duckdb`));
      try {
        const report = await ingest(store, [file, damaged], opts);
        const files = report.files.map((f) => ({ status: f.status, records: f.records, skipped: f.skipped, ignored: f.ignored }));
        results.push({ files, rows: await storedRows(store) });
      } finally {
        await store.close();
      }
    }
    const [one, two] = results;
    assert.ok(one.rows.connections.length > 500 && one.rows.dns.length > 100, JSON.stringify(one.files));
    assert.equal(one.files[1].skipped.truncated_record?.count, 1);
    assert.deepEqual(two.files, one.files);
    assert.deepEqual(two.rows, one.rows);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
