import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostBaseline, prevalenceSql } from './baseline.js';
import { keyList } from './host-sql.js';
import { raw } from '../store/sql.js';
import { investigateOptions } from './options.js';
import { BAD, DAY0, PERIOD, scenarioEvents, scenarioGeo, scenarioSite } from './testing-scenario.js';
import { storeWith } from './testing.js';

const opts = investigateOptions();

test('a host baseline covers the seven days before the period, from SQL aggregates', async () => {
  const store = await storeWith(scenarioEvents());
  try {
    const ctx = { store, site: scenarioSite(), geo: scenarioGeo(), now: Date.parse('2024-03-09T00:00:00Z') };
    const { baseline: b, range } = await hostBaseline(ctx, [BAD], PERIOD, opts);
    assert.equal(range.until, DAY0);
    assert.equal(range.since, DAY0 - 7 * 86_400_000_000);
    assert.equal(b.window.limited, false);
    assert.equal(b.window.days, 7);
    // 7 days x (4 sites x 3 + 24 update polls + 1 file server).
    assert.equal(b.connections, 7 * 37);
    assert.equal(b.external_destinations, 5);
    assert.equal(b.internal_peers, 1);
    assert.equal(b.domains, 5);
    assert.equal(b.daily.length, 7);
    assert.deepEqual(b.countries.map((c) => c.country), ['DE', 'US']);
    assert.equal(b.asns.length, 5);
    assert.deepEqual(b.ports[0], { proto: 'tcp', port: 443, service: 'ssl', connections: 7 * 36 });
    assert.equal(b.fleet.active_hosts, 62);
    assert.equal(b.fleet.rare_max_hosts, 1);
    assert.equal(b.fleet.meaningful, true);
  } finally {
    await store.close();
  }
});

test('a short history is used as it is and said so; a tiny fleet makes prevalence meaningless', async () => {
  const store = await storeWith(scenarioEvents({ baselineDays: 2, fleet: 3 }));
  try {
    const ctx = { store, site: scenarioSite(), now: Date.parse('2024-03-09T00:00:00Z') };
    const { baseline: b } = await hostBaseline(ctx, [BAD], PERIOD, opts);
    assert.equal(b.window.limited, true);
    assert.ok(b.window.days > 1.5 && b.window.days <= 2, String(b.window.days));
    assert.match(b.window.note ?? '', /of the 7 baseline days have data/);
    assert.equal(b.connections, 2 * 37);
    assert.deepEqual(b.countries, []);
    assert.equal(b.fleet.active_hosts, 5);
    assert.equal(b.fleet.meaningful, false);
    assert.match(b.fleet.note ?? '', /not meaningful/);
  } finally {
    await store.close();
  }
});

test('no history at all: the baseline is empty and says every destination is new', async () => {
  const store = await storeWith(scenarioEvents({ baselineDays: 0, fleet: 3 }));
  try {
    const ctx = { store, site: scenarioSite(), now: Date.parse('2024-03-09T00:00:00Z') };
    const { baseline: b } = await hostBaseline(ctx, [BAD], PERIOD, opts);
    assert.equal(b.window.days, 0);
    assert.equal(b.connections, 0);
    assert.match(b.window.note ?? '', /no history/);
  } finally {
    await store.close();
  }
});

test('fleet prevalence is the same with keys bound as parameters or given by a subquery', async () => {
  const store = await storeWith(scenarioEvents());
  try {
    const ctx = { store, site: scenarioSite(), now: 0 };
    const range = { since: DAY0 - 7 * 86_400_000_000, until: PERIOD.until };
    const keys = ['93.184.216.34', '198.51.100.77', '203.0.113.50', '10.2.0.10', '192.0.2.1'];
    const sub = raw(`SELECT unnest(['${keys.join("', '")}']) AS k`);
    const run = async (k: ReturnType<typeof raw>) =>
      Object.fromEntries((await store.all(prevalenceSql(ctx, 'connections', raw('resp_h'), range, k))).map((r) => [r.key, r.hosts]));
    const byParams = await run(keyList(keys, sub));
    assert.deepEqual(byParams, { '93.184.216.34': 62, '198.51.100.77': 1, '203.0.113.50': 1, '10.2.0.10': 62 });
    assert.deepEqual(await run(sub), byParams);
    assert.deepEqual(await run(keyList([], sub)), {});
  } finally {
    await store.close();
  }
});
