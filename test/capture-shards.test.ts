// A capture decoded by two shards (each reading the whole input and keeping the connections the
// flow hash gives it, as the two ingest workers do) must give exactly the rows, skips and ignore
// counts of one decoder: same connections, same DNS rows, same uids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writePcap } from '../bench/gen-pcap.js';
import { decodeAll, type Collected } from '../src/decode/testing.js';
import { pcapFormat } from '../src/flows/capture-decoder.js';

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
