import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONNECTIONS, DNS, columnIndex } from '../model/fields.js';
import { ColumnBatch } from '../store/column-batch.js';
import { openStore } from '../store/open.js';
import { join, raw, sql } from '../store/sql.js';
import type { Store } from '../store/store.js';
import { openPackageGeo } from './geo-package.js';
import { geoFields } from './geo-fields.js';
import { refreshIpInfo } from './ip-info.js';

const C = columnIndex(CONNECTIONS);
const D = columnIndex(DNS);
const REC = { fingerprint: 'fp', sha256: null, path: 'x', size: 1, format: 'test', sensor: null, startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:00:01Z', records: 0, skipped: 0, summary: '{}' };

function conns(pairs: readonly [string, string][], ingestId: number): ColumnBatch {
  const b = new ColumnBatch(CONNECTIONS, 64);
  for (const [o, r] of pairs) {
    const i = b.addRow();
    b.setNum(C.ts, i, 1_700_000_000_000_000);
    b.setStr(C.orig_h, i, o);
    b.setStr(C.resp_h, i, r);
    b.setNum(C.ingest_id, i, ingestId);
  }
  return b;
}

async function ipInfo(store: Store): Promise<Record<string, [unknown, unknown, unknown]>> {
  const rows = await store.all(sql`SELECT address, country, asn, as_org FROM ip_info ORDER BY address`);
  return Object.fromEntries(rows.map((r) => [String(r.address), [r.country, r.asn, r.as_org]]));
}

test('ip_info stays complete across ingests, rollbacks and --force, one row per address', async () => {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-ipinfo-')), 's.duckdb');
  const store = await openStore(db);
  try {
    let w = await store.beginIngest();
    w.append(conns([['10.0.0.1', '8.8.8.8'], ['10.0.0.1', '1.1.1.1']], w.ingestId));
    const d = new ColumnBatch(DNS, 4);
    const r = d.addRow();
    d.setStr(D.orig_h, r, '10.0.0.2');
    d.setStr(D.resp_h, r, '9.9.9.9');
    d.setNum(D.ingest_id, r, w.ingestId);
    w.append(d);
    await w.commit(REC);
    assert.deepEqual(await ipInfo(store), {
      '1.1.1.1': ['AU', 13335, 'Cloudflare, Inc.'],
      '10.0.0.1': [null, null, null],
      '10.0.0.2': [null, null, null],
      '8.8.8.8': ['US', 15169, 'Google LLC'],
      '9.9.9.9': ['US', 19281, 'Quad9'],
    });

    // A rolled-back ingest adds nothing.
    w = await store.beginIngest();
    w.append(conns([['10.0.0.3', '208.67.222.222']], w.ingestId));
    await w.rollback();
    assert.equal(Object.keys(await ipInfo(store)).length, 5);

    // A second ingest adds only the new addresses; a live checkpoint then commit adds nothing twice.
    w = await store.beginIngest();
    w.append(conns([['10.0.0.1', '8.8.8.8'], ['10.0.0.3', '2606:4700:4700::1111']], w.ingestId));
    await w.checkpoint(REC);
    w.append(conns([['10.0.0.3', '2606:4700:4700::1111'], ['10.0.0.4', '208.67.222.222']], w.ingestId));
    await w.commit({ ...REC, fingerprint: 'fp2' });
    const after = await ipInfo(store);
    assert.equal(Object.keys(after).length, 9);
    assert.deepEqual(after['2606:4700:4700::1111'], ['US', 13335, 'Cloudflare, Inc.']);
    assert.deepEqual(after['208.67.222.222'], ['US', 36692, 'Cisco OpenDNS, LLC']);

    // --force: the replacing ingest's addresses are all there, still one row each.
    w = await store.beginIngest();
    await w.replace(1);
    w.append(conns([['10.0.0.9', '8.8.8.8']], w.ingestId));
    await w.commit(REC);
    const forced = await ipInfo(store);
    assert.ok(forced['10.0.0.9'] && forced['8.8.8.8']);
    const dup = await store.all(sql`SELECT count(*) AS n, count(DISTINCT address) AS d FROM ip_info`);
    assert.equal(dup[0].n, dup[0].d);
    const missing = await store.all(
      sql`SELECT count(*) AS n FROM (SELECT orig_h AS a FROM connections UNION SELECT resp_h FROM connections UNION SELECT orig_h FROM dns UNION SELECT resp_h FROM dns) x WHERE a NOT IN (SELECT address FROM ip_info)`,
    );
    assert.equal(missing[0].n, 0);

    // Refresh recomputes every row in one transaction.
    await store.run(sql`UPDATE ip_info SET country = 'ZZ'`);
    const res = await refreshIpInfo(store, await openPackageGeo());
    // Ingest 1 was replaced: its addresses that no record holds any more are gone after a refresh.
    assert.equal(res.addresses, 7);
    assert.equal((await ipInfo(store))['10.0.0.2'], undefined);
    assert.deepEqual((await ipInfo(store))['8.8.8.8'], ['US', 15169, 'Google LLC']);
    assert.equal((await store.all(sql`SELECT count(*) AS n FROM ip_info WHERE country = 'ZZ'`))[0].n, 0);

    // The catalog fields read it by address, with their ECS names.
    const ext = geoFields('connections');
    const byName = new Map(ext.fields.map((f) => [f.name, f]));
    assert.deepEqual(byName.get('resp_country')?.aliases, ['destination.geo.country_iso_code']);
    assert.deepEqual(byName.get('orig_as_org')?.aliases, ['source.as.organization.name']);
    const cols = join(ext.fields.map((f) => sql`${f.expr} AS ${raw(f.name)}`));
    const rows = await store.all(sql`SELECT t.resp_h, ${cols} FROM connections AS t ${join([...ext.joins.values()], ' ')} WHERE t.resp_h = '8.8.8.8' LIMIT 1`);
    assert.deepEqual(rows[0], { resp_h: '8.8.8.8', orig_country: null, orig_asn: null, orig_as_org: null, resp_country: 'US', resp_asn: 15169, resp_as_org: 'Google LLC' });
  } finally {
    await store.close();
  }
});
