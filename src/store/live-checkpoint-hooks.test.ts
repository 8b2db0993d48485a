import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONNECTIONS, DNS, columnIndex } from '../model/fields.js';
import { ColumnBatch } from './column-batch.js';
import { rebuildHostRollup } from './host-rollup.js';
import { openStore } from './open.js';
import { sql } from './sql.js';
import type { FreshRows, Store } from './store.js';

const C = columnIndex(CONNECTIONS);
const D = columnIndex(DNS);
const DAY = 86_400_000_000;
const T0 = Date.UTC(2024, 2, 1, 22) * 1000;

const REC = {
  fingerprint: 'live', sha256: null, path: 'udp://127.0.0.1:2055', size: 0, format: 'netflow', sensor: null,
  startedAt: '2024-03-01T22:00:00Z', finishedAt: '2024-03-02T02:00:00Z', records: 0, skipped: 0, summary: '{}',
};

/** Connections of a few hosts; `shift` moves their times (late flows arrive with older start times). */
function conns(ingestId: number, n: number, seed: number, shift: number): ColumnBatch {
  const b = new ColumnBatch(CONNECTIONS, 1024);
  for (let i = 0; i < n; i++) {
    const r = b.addRow();
    b.setNum(C.ts, r, T0 + shift + ((i * 7919 + seed) % 14_400) * 1_000_000);
    b.setStr(C.orig_h, r, `10.0.${seed % 3}.${i % 17}`);
    b.setStr(C.resp_h, r, `198.51.100.${(i + seed) % 11}`);
    b.setNum(C.orig_p, r, 40000 + i);
    b.setNum(C.resp_p, r, 443);
    b.setStr(C.proto, r, 'udp');
    b.setNum(C.ip_proto, r, 17);
    b.setNum(C.orig_ip_bytes, r, 100 + i);
    b.setNum(C.resp_ip_bytes, r, 1000 + seed);
    b.setNum(C.orig_pkts, r, 1 + (i % 4));
    if (i % 13 === 0) b.setStr(C.state_reason, r, 'interim');
    b.setNum(C.ingest_id, r, ingestId);
  }
  return b;
}

function dnsRows(ingestId: number, seed: number): ColumnBatch {
  const b = new ColumnBatch(DNS, 64);
  for (let i = 0; i < 5; i++) {
    const r = b.addRow();
    b.setNum(D.ts, r, T0 + seed * 1_000_000 + i);
    b.setStr(D.orig_h, r, `10.0.0.${i}`);
    b.setStr(D.query, r, `host${seed}-${i}.example`);
    b.pushStr(D.answers, r, `192.0.2.${seed + i}`);
    b.pushNum(D.ttls, r, 60);
    b.setNum(D.ingest_id, r, ingestId);
  }
  return b;
}

const rollup = (s: Store) =>
  s.all(sql`SELECT bucket, host, side, connections, bytes_sent, bytes_received, pkts_sent, pkts_received, first_ts, last_ts
    FROM connection_hosts_daily ORDER BY bucket, host, side`);

test('a live ingest checkpointed many times derives from the new rows alone, and ends where one commit of the same rows would', async () => {
  const store = await openStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-live-')), 'live.duckdb'));
  const seen: (FreshRows | undefined)[] = [];
  store.addIngestHook({ name: 'spy', beforeCommit: async (_tx, _id, _since, fresh) => void seen.push(fresh) });
  const w = await store.beginIngest();
  for (let k = 0; k < 6; k++) {
    // Later checkpoints bring flows that started hours earlier, on the day before: both days change.
    w.append(conns(w.ingestId, 300 + k * 50, k, k % 2 === 0 ? 0 : -3 * 3_600_000_000));
    w.append(dnsRows(w.ingestId, k));
    await w.checkpoint(REC);
  }
  w.append(conns(w.ingestId, 10, 99, DAY));
  await w.commit(REC);
  assert.equal(seen[0], undefined, 'the first checkpoint derives from every row');
  assert.ok(seen.slice(1).every((f) => f !== undefined), 'later ones are given the new rows');

  const live = await rollup(store);
  const keys = new Set(live.map((r) => `${String(r.bucket)} ${String(r.host)} ${String(r.side)}`));
  assert.equal(keys.size, live.length, 'one summary row per day, host and side');
  await rebuildHostRollup(store);
  assert.deepEqual(live, await rollup(store), 'the same summary as derived from all rows at once');

  const answers = await store.all(sql`SELECT count(*) AS n, count(DISTINCT (client, name, answer)) AS d FROM dns_answers`);
  assert.deepEqual([Number(answers[0].n), Number(answers[0].d)], [30, 30], 'every DNS answer once');
  const missing = await store.all(sql`SELECT count(*) AS n FROM (SELECT orig_h AS a FROM connections UNION SELECT resp_h FROM connections UNION SELECT orig_h FROM dns) AS x
    WHERE a NOT IN (SELECT address FROM ip_info)`);
  assert.equal(Number(missing[0].n), 0, 'every address enriched');
  await store.close();
});
