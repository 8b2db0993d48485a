// Connections stored by two sources: counted per pair of ingests by the ingest hook, kept through
// checkpoints and --force, and never for rows of one source type or far apart in time.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { CONNECTIONS, columnIndex } from '../model/fields.js';
import { ColumnBatch } from './column-batch.js';
import { OVERLAP_WINDOW_S, connectionOverlaps } from './connection-overlaps.js';
import { openStore } from './open.js';
import type { Store } from './store.js';

const C = columnIndex(CONNECTIONS);
const T0 = Date.UTC(2024, 2, 1, 12) * 1000;
const REC = { fingerprint: 'f', sha256: null, path: 'p', size: 1, format: 'test', sensor: null, startedAt: '2024-03-01T00:00:00Z', finishedAt: '2024-03-01T00:00:01Z', records: 0, skipped: 0, summary: '{}' };

/** A connection row: Community ID `cid`, starting `offsetS` seconds after T0. */
interface Conn {
  cid: string | null;
  offsetS: number;
  interim?: boolean;
}

function batch(rows: readonly Conn[], source: string, ingestId: number): ColumnBatch {
  const b = new ColumnBatch(CONNECTIONS, Math.max(1, rows.length));
  for (const c of rows) {
    const i = b.addRow();
    b.setNum(C.ts, i, T0 + c.offsetS * 1e6);
    b.setStr(C.orig_h, i, '192.0.2.10');
    b.setStr(C.resp_h, i, '198.51.100.7');
    b.setStr(C.proto, i, 'tcp');
    b.setStr(C.community_id, i, c.cid);
    b.setStr(C.source_type, i, source);
    if (c.interim === true) b.setStr(C.state_reason, i, 'interim');
    b.setNum(C.ingest_id, i, ingestId);
  }
  return b;
}

async function ingest(store: Store, rows: readonly Conn[], source: string, replace?: number): Promise<number> {
  const w = await store.beginIngest();
  if (replace !== undefined) await w.replace(replace);
  w.append(batch(rows, source, w.ingestId));
  await w.commit({ ...REC, path: `${source}-${w.ingestId}` });
  return w.ingestId;
}

async function withStore(work: (store: Store) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-overlaps-'));
  const store = await openStore(path.join(dir, 's.duckdb'));
  try {
    await work(store);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ZEEK: Conn[] = [
  { cid: '1:a', offsetS: 0 },
  { cid: '1:b', offsetS: 10 },
  { cid: '1:c', offsetS: 20 },
  { cid: '1:d', offsetS: 30 },
  { cid: null, offsetS: 40 },
];

test('connections of another source with the same Community ID within the window are counted once per pair', async () => {
  await withStore(async (store) => {
    const z = await ingest(store, ZEEK, 'zeek');
    const s = await ingest(store, [
      { cid: '1:a', offsetS: 0.4 }, // the same connection, another clock
      { cid: '1:b', offsetS: 10 + OVERLAP_WINDOW_S - 1 }, // just inside the window
      { cid: '1:b', offsetS: 10.2 }, // two rows of this ingest may match one row: both count
      { cid: '1:c', offsetS: 20 + OVERLAP_WINDOW_S + 5 }, // the same 5-tuple later: another connection
      { cid: '1:d', offsetS: 30, interim: true }, // progress reports are not connections yet
      { cid: '1:x', offsetS: 0 },
      { cid: null, offsetS: 40 },
    ], 'suricata');
    assert.deepEqual(await connectionOverlaps(store), [
      { ingest_id: s, path: `suricata-${s}`, source_type: 'suricata', other_ingest_id: z, other_path: `zeek-${z}`, other_source_type: 'zeek', connections: 3 },
    ]);
    // Another file of the same source type is not the same traffic seen twice (rotated logs meet at the edges).
    const z2 = await ingest(store, ZEEK, 'zeek');
    assert.deepEqual((await connectionOverlaps(store, z2)).map((v) => [v.other_ingest_id, v.connections]), [[s, 2]]);
    // A third source overlapping both is counted against each.
    const p = await ingest(store, [{ cid: '1:a', offsetS: 0 }], 'pcap');
    const mine = (await connectionOverlaps(store, p)).filter((v) => v.ingest_id === p);
    assert.deepEqual(mine.map((v) => [v.other_ingest_id, v.connections]).sort(), [[z, 1], [s, 1], [z2, 1]]);
  });
});

test('--force replacing either ingest of a pair drops its counts; the replacement is matched again', async () => {
  await withStore(async (store) => {
    const z = await ingest(store, ZEEK, 'zeek');
    const s = await ingest(store, [{ cid: '1:a', offsetS: 0 }, { cid: '1:b', offsetS: 10 }], 'suricata');
    assert.equal((await connectionOverlaps(store))[0].connections, 2);
    // The earlier ingest replaced: its pair disappears, and the new copy (now the later one) finds suricata's rows.
    const z2 = await ingest(store, ZEEK.slice(0, 1), 'zeek', z);
    assert.deepEqual((await connectionOverlaps(store)).map((v) => [v.ingest_id, v.other_ingest_id, v.connections]), [[z2, s, 1]]);
    // The later one replaced by rows matching nothing.
    await ingest(store, [{ cid: '1:zz', offsetS: 0 }], 'zeek', z2);
    assert.deepEqual(await connectionOverlaps(store), []);
  });
});

test('a live ingest counts again only the days from its checkpoint on, without double counting', async () => {
  await withStore(async (store) => {
    await ingest(store, ZEEK, 'zeek');
    const w = await store.beginIngest();
    w.append(batch([{ cid: '1:a', offsetS: 0 }], 'netflow', w.ingestId));
    await w.checkpoint({ ...REC, path: 'live' });
    w.append(batch([{ cid: '1:b', offsetS: 10 }, { cid: '1:c', offsetS: 20 }], 'netflow', w.ingestId));
    await w.checkpoint({ ...REC, path: 'live' });
    await w.commit({ ...REC, path: 'live' });
    assert.equal((await connectionOverlaps(store, w.ingestId))[0].connections, 3);
  });
});
