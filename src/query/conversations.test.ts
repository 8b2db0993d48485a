import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { CONNECTIONS, columnIndex } from '../model/fields.js';
import { ColumnBatch } from '../store/column-batch.js';
import { openStore } from '../store/open.js';
import { conversations } from './conversations.js';

const C = columnIndex(CONNECTIONS);
const T0 = Date.UTC(2024, 2, 1) * 1000;
const REC = { fingerprint: 'c', sha256: null, path: 'synthetic', size: 1, format: 'test', sensor: null, startedAt: '2024-03-01T00:00:00Z', finishedAt: '2024-03-01T00:00:01Z', records: 0, skipped: 0, summary: '{}' };

test('conversations: distinct services sorted and distinct ports per pair; no service gives null, an empty one is kept', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-conv-'));
  const store = await openStore(path.join(dir, 'c.duckdb'));
  try {
    const rows: [string, string, number | null, string | null, string | null][] = [
      ['10.0.0.1', '192.0.2.1', 443, 'ssl', null],
      ['10.0.0.1', '192.0.2.1', 443, null, null],
      ['10.0.0.1', '192.0.2.1', 80, 'http', null],
      ['10.0.0.1', '192.0.2.1', 443, 'ssl', null],
      ['10.0.0.1', '192.0.2.1', 8443, 'ssl', 'interim'],
      ['10.0.0.2', '192.0.2.2', null, null, null],
      ['10.0.0.3', '192.0.2.3', 53, '', null],
    ];
    const w = await store.beginIngest();
    const b = new ColumnBatch(CONNECTIONS, 16);
    rows.forEach(([o, r, port, service, reason], k) => {
      const i = b.addRow();
      b.setNum(C.ts, i, T0 + k * 1e6);
      b.setStr(C.orig_h, i, o);
      b.setStr(C.resp_h, i, r);
      if (port !== null) b.setNum(C.resp_p, i, port);
      b.setStr(C.service, i, service);
      b.setStr(C.state_reason, i, reason);
      b.setNum(C.orig_ip_bytes, i, 100 - k);
      b.setNum(C.ingest_id, i, w.ingestId);
    });
    w.append(b);
    await w.commit(REC);
    const got = [];
    for await (const batch of conversations(store, {}, 'connections')) got.push(...batch);
    assert.deepEqual(got.map((p) => [p.src, p.connections, p.services, p.ports]), [
      ['10.0.0.1', 4, 'http,ssl', 2],
      ['10.0.0.2', 1, null, 0],
      ['10.0.0.3', 1, '', 1],
    ]);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
