import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkGolden } from './golden.test-support.js';
import { visibilityData } from './test-fixtures.js';
import { storeWith, testSite } from './testing.js';
import { validateVisibility } from './visibility.js';

test('visibility: blind zone, partial subnets, a silent sensor, a gap, one-way connections', async () => {
  const store = await storeWith(visibilityData());
  try {
    const report = await validateVisibility({ store, site: testSite(store) }, { range: {}, limit: 50, silentAfterSeconds: 3600 });
    assert.equal(report.verdict.status, 'fail');
    assert.equal(report.reference.time, '2024-05-01T14:00:00.000000Z');
    const cov = Object.fromEntries(report.coverage.map((c) => [c.name, c.missing.join(',') || 'all']));
    assert.deepEqual(cov, {
      corp: 'all',
      servers: 'firewall',
      lab: 'connections,dns,firewall',
      'corp-lan': 'firewall',
      'corp-wifi': 'dns',
      dmz: 'dns,firewall',
      'lab-net': 'connections,dns,firewall',
    });
    assert.deepEqual(report.sources.filter((s) => s.silent).map((s) => `${s.table}/${s.sensor}/${s.silent_for_seconds}`), ['connections/tap-wifi/12600']);
    assert.deepEqual(report.gaps.map((g) => `${g.table}/${g.sensor} ${g.from}..${g.to}`), ['connections/tap-core 2024-05-01T11:01:00.000000Z..2024-05-01T13:00:00.000000Z']);
    assert.deepEqual(report.one_way.map((g) => `${g.sensor} ${g.subnet} ${g.kind} ${g.seen} ${g.connections}`).sort(), [
      'exporter-1 corp-lan flow-without-reverse originator-only 1',
      'tap-dmz dmz history originator-only 5',
    ]);
    assert.equal(report.flow_loss.available, false);
    checkGolden('visibility.json', report);
  } finally {
    await store.close();
  }
});

test('visibility: a collector ingest with lost records is reported; a quiet threshold finds no silence', async () => {
  const store = await storeWith(visibilityData());
  try {
    const w = await store.beginIngest();
    const now = new Date().toISOString();
    const summary = JSON.stringify({ collector: { exporters: [{ exporter: '192.0.2.2', domain: 258, lost_records: 7 }] } });
    await w.commit({ fingerprint: 'collector', sha256: null, path: 'udp://0.0.0.0:2055', size: 0, format: 'netflow', sensor: null, startedAt: now, finishedAt: now, records: 0, skipped: 0, summary });
    const report = await validateVisibility({ store, site: testSite(store) }, { range: {}, limit: 50, silentAfterSeconds: 86400 });
    assert.deepEqual(report.flow_loss.exporters, [{ exporter: '192.0.2.2', domain: '258', lost_records: 7 }]);
    assert.equal(report.summary.silent_sources, 0);
    assert.equal(report.summary.gaps, 0);
    assert.match(report.verdict.reasons.join('\n'), /lost 7 record/);
  } finally {
    await store.close();
  }
});
