import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBlocklist } from './blocklist.js';
import { loadEgressPolicy } from './egress-policy.js';
import { createSite } from '../enrich/site.js';
import { loadSiteConfig } from '../enrich/site-config.js';
import { duckdbDialect } from '../store/duckdb/dialect.js';

test('the documented examples load', () => {
  const policy = loadEgressPolicy('docs/examples/egress.yaml');
  assert.deepEqual([...policy.zones.keys()], ['corp', 'servers']);
  assert.equal(policy.needsGeo, true);
  const m365 = policy.zones.get('corp')!.rules.find((r) => r.id === 'm365')!;
  assert.equal(m365.domains.match('login.office.com'), '*.office.com');
  assert.equal(loadBlocklist('docs/examples/blocklist.txt').entries, 5);
  const site = createSite(loadSiteConfig('docs/examples/site.yaml'), duckdbDialect);
  assert.equal(site.zoneOf('10.1.2.3'), 'corp');
  assert.equal(site.subnetOf('10.1.2.3')?.name, 'corp-wifi');
  assert.equal(site.zoneOf('fd00:2::1'), 'servers');
  assert.deepEqual(site.sanctionedResolvers, ['10.2.0.53', '10.2.0.54']);
  assert.equal(site.sensors.get('tap-core'), 'Core switch SPAN');
});
