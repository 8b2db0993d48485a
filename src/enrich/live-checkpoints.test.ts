// Enrichment hooks across a live ingest's checkpoints: each checkpoint redoes only the rows from the
// earliest time appended since the previous one, and the result equals deriving everything at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { InlineDecoder } from '../pipeline/inline-decoder.js';
import { openStore } from '../store/open.js';
import type { IngestWriter, Store } from '../store/store.js';
import { at, conn, dns, tmpDir } from './enrich-test-support.js';
import { loadFeed } from './intel/intel-store.js';
import { rebuildPassiveDns } from './passive-dns.js';
import { rebuildHostRollup } from '../store/host-rollup.js';

/** Decodes Zeek JSON records and appends them to the writer (what a live source does between checkpoints). */
async function append(writer: IngestWriter, records: Record<string, unknown>[]): Promise<void> {
  const d = new InlineDecoder();
  d.begin({ format: 'zeek-json', ingestId: writer.ingestId, sensor: null, inputName: 'live', batchRows: 4, onBatch: (b) => writer.append(b) });
  await d.push(Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n'));
  await d.finish();
}

const rec = (records: number) => ({
  fingerprint: 'live:test', sha256: null, path: 'live', size: 0, format: 'zeek-json', sensor: null,
  startedAt: '2024-03-01 00:00:00', finishedAt: '2024-03-01 01:00:00', records, skipped: 0, summary: '{}',
});

async function rows(store: Store, q: string): Promise<string[]> {
  return (await store.all({ parts: [q], params: [] })).map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
}

test('a live ingest\'s checkpoints keep passive DNS, ip_info and intel findings exact, redoing only recent rows', async () => {
  const dir = tmpDir();
  const store = await openStore(path.join(dir, 'live.duckdb'));
  const feed = path.join(dir, 'bad.txt');
  fs.writeFileSync(feed, 'evil.example\n203.0.113.66\n');
  await loadFeed(store, { file: feed });
  const writer = await store.beginIngest();
  // Segment 1: a lookup and its connection.
  await append(writer, [dns('D1', at(10), '10.0.0.5', 'a.example', ['198.51.100.1'], [300]), conn('C1', at(12), '10.0.0.5', '198.51.100.1')]);
  await writer.checkpoint(rec(2));
  // Segment 2: out-of-order times (a record older than segment 1's newest), an intel hit, a new answer.
  await append(writer, [
    conn('C2', at(11), '10.0.0.6', '203.0.113.66'),
    dns('D2', at(30), '10.0.0.6', 'evil.example', ['198.51.100.2'], [60]),
    conn('C3', at(31), '10.0.0.6', '198.51.100.2', 8443),
    conn('C5', at(-86400 + 3600), '10.0.0.5', '198.51.100.1'),
  ]);
  await writer.checkpoint(rec(6));
  // An empty checkpoint, then segment 3 repeating an address and the intel domain.
  await writer.checkpoint(rec(6));
  // C4 adds to a host's bucket that already has rows: the bucket must be redone whole, not appended to.
  await append(writer, [dns('D3', at(40), '10.0.0.7', 'evil.example', ['198.51.100.2'], [60]), conn('C4', at(41), '10.0.0.6', '198.51.100.9')]);
  await writer.commit(rec(8));

  const answers = await rows(store, 'SELECT epoch_us(ts) AS ts, client, name, answer, ttl FROM dns_answers ORDER BY ALL');
  const findings = await rows(store, "SELECT uid, signature FROM findings WHERE source_type = 'intel' ORDER BY ALL");
  const info = await rows(store, 'SELECT address FROM ip_info ORDER BY 1');
  assert.equal(answers.length, 3);
  assert.deepEqual(info.map((r) => JSON.parse(r).address), ['10.0.0.5', '10.0.0.53', '10.0.0.6', '10.0.0.7', '198.51.100.1', '198.51.100.2', '198.51.100.9', '203.0.113.66']);
  // Each intel hit once: the address (C2) and the domain in both lookups, never twice across checkpoints.
  assert.deepEqual(findings.map((r) => JSON.parse(r).uid), ['C2', 'D2', 'D3']);
  const hosts = await rows(store, 'SELECT * FROM connection_hosts_daily ORDER BY ALL');
  assert.ok(hosts.length >= 8);
  // Deriving everything at once gives the same answers and the same per-day host summary.
  await rebuildHostRollup(store);
  assert.deepEqual(await rows(store, 'SELECT * FROM connection_hosts_daily ORDER BY ALL'), hosts);
  await rebuildPassiveDns(store);
  assert.deepEqual(await rows(store, 'SELECT epoch_us(ts) AS ts, client, name, answer, ttl FROM dns_answers ORDER BY ALL'), answers);
  await store.close();
});
