import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { duckdbDialect } from '../store/duckdb/dialect.js';
import { openDuckDBStore } from '../store/duckdb/duckdb-store.js';
import { join, raw, sql } from '../store/sql.js';
import { normalAddress } from './asset-address.js';
import { createSite } from './site.js';
import { defaultSiteConfig, loadSiteConfig, parseSiteConfig } from './site-config.js';
import { enrichmentFields } from './catalog-fields.js';
import { siteFields } from './site-fields.js';

const site = createSite(loadSiteConfig(path.join(process.cwd(), 'test/fixtures/site/nightjar.yaml')), duckdbDialect);

test('zones: the most specific network wins, whichever zone it is in', () => {
  assert.equal(site.zoneOf('10.1.2.3'), 'corp');
  assert.equal(site.zoneOf('10.99.0.7'), 'guest');
  assert.equal(site.isInternal('10.99.0.7'), false);
  assert.equal(site.isInternal('10.98.255.255'), true);
  assert.equal(site.zoneOf('fd00:1234:5::1'), 'corp');
  assert.equal(site.zoneOf('fd00:1235::1'), null);
  assert.equal(site.zoneOf('8.8.8.8'), null);
  assert.equal(site.zoneOf('::ffff:10.99.1.1'), 'guest');
  // The default zones when no file is given.
  const def = createSite(defaultSiteConfig(), duckdbDialect);
  assert.deepEqual(['192.168.1.1', '172.31.0.1', 'fd12::1', '127.0.0.1', '::1', 'fe80::1', '169.254.1.1', '8.8.8.8', '172.32.0.1'].map((a) => def.zoneOf(a)),
    ['private', 'private', 'private', 'loopback', 'loopback', 'link-local', 'link-local', null, null]);
});

test('direction: inbound, outbound, internal, external', () => {
  assert.equal(site.directionOf('10.1.1.1', '8.8.8.8'), 'outbound');
  assert.equal(site.directionOf('203.0.113.5', '192.168.50.10'), 'inbound');
  assert.equal(site.directionOf('10.1.1.1', '172.16.4.4'), 'internal');
  assert.equal(site.directionOf('203.0.113.5', '198.51.100.1'), 'external');
  // The guest zone is not internal: a guest reaching corp is inbound.
  assert.equal(site.directionOf('10.99.3.3', '10.1.1.1'), 'inbound');
});

test('subnets and assets: exact address first, then the most specific network; CSV after inline', () => {
  assert.equal(site.subnetOf('10.2.9.9')?.name, 'finance-printers');
  assert.equal(site.subnetOf('10.2.9.9')?.zone, 'corp');
  assert.equal(site.subnetOf('10.2.8.9')?.name, 'finance');
  assert.equal(site.subnetOf('10.3.0.1'), null);
  assert.equal(site.assetOf('10.2.3.4')?.hostname, 'fin-laptop-7b');
  assert.equal(site.assetOf('10.10.5.20')?.hostname, 'db-primary');
  assert.equal(site.assetOf('10.10.5.21')?.criticality, 'high');
  assert.equal(site.assetOf('10.10.6.1')?.role, 'server');
  assert.equal(site.assetOf('fd00:1234:0:0::10')?.hostname, 'ipv6-server');
  assert.equal(site.assetOf('10.11.0.1'), null);
  assert.deepEqual(site.assetsByHostname('DB-PRIMARY').map((a) => a.address), ['10.10.5.20']);
  assert.equal(site.sensors.get('zeek-hq'), 'HQ core tap');
  assert.deepEqual(site.sanctionedResolvers, ['10.0.0.53']);
});

/** A deterministic pseudo-random generator, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomAddress(r: () => number): string {
  const a = rawAddress(r);
  return a.startsWith('::ffff:') ? a : normalAddress(a);
}

function rawAddress(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const o = () => Math.floor(r() * 256);
  const h = () => Math.floor(r() * 65536).toString(16);
  switch (Math.floor(r() * 8)) {
    case 0:
      return `10.${pick([1, 2, 10, 99, 98, 100])}.${pick([3, 5, 9, o()])}.${pick([4, 20, 21, o()])}`;
    case 1:
      return `${pick([172, 192])}.${pick([15, 16, 31, 32, 168])}.${pick([50, o()])}.${o()}`;
    case 2:
      return `fd00:1234:${pick(['0', h()])}::${pick(['10', h()])}`;
    case 3:
      return `${pick(['fd00:1235', '2001:db8', 'fe80'])}::${h()}`;
    case 4:
      return `::ffff:10.99.${o()}.${o()}`;
    default:
      return `${o()}.${o()}.${o()}.${o()}`;
  }
}

test('the SQL fields agree with the TypeScript lookups on random addresses', async () => {
  const store = await openDuckDBStore({ path: ':memory:' });
  try {
    for (const s of [site, createSite(defaultSiteConfig(), duckdbDialect), createSite(parseSiteConfig('zones: []\n', 'none.yaml'), duckdbDialect)]) {
      const r = rng(42);
      const pairs = Array.from({ length: 400 }, () => [randomAddress(r), randomAddress(r)]);
      const ext = siteFields('connections', s, duckdbDialect);
      const names = ext.fields.map((f) => f.name);
      const values = join(pairs.map(([a, b]) => sql`(${a}, ${b})`));
      const cols = join(ext.fields.map((f) => sql`${f.expr} AS ${raw(`"${f.name}"`)}`));
      const rows = await store.all(
        sql`SELECT t.orig_h, t.resp_h, ${cols} FROM (VALUES ${values}) AS t(orig_h, resp_h) ${join([...ext.joins.values()], ' ')}`,
      );
      assert.equal(rows.length, pairs.length);
      for (const row of rows) {
        const o = String(row.orig_h);
        const p = String(row.resp_h);
        // SQL compares the stored text form; records hold IPv4-mapped addresses as plain IPv4.
        const norm = (a: string) => a.replace(/^::ffff:(\d+\.)/, '$1');
        const expected: Record<string, unknown> = {};
        for (const [side, a] of [['orig', o], ['resp', p]] as const) {
          const asset = s.assetOf(a);
          Object.assign(expected, {
            [`${side}_zone`]: s.zoneOf(norm(a)),
            [`${side}_internal`]: s.isInternal(norm(a)),
            [`${side}_subnet`]: s.subnetOf(norm(a))?.name ?? null,
            [`${side}_asset`]: asset?.hostname ?? null,
            [`${side}_asset_owner`]: asset?.owner ?? null,
            [`${side}_asset_role`]: asset?.role ?? null,
            [`${side}_asset_criticality`]: asset?.criticality ?? null,
          });
        }
        expected.direction = s.directionOf(norm(o), norm(p));
        for (const n of names) {
          if (o.startsWith('::ffff:') || p.startsWith('::ffff:')) continue; // never stored in that form
          assert.equal(row[n], expected[n], `${n} of ${o} -> ${p}`);
        }
      }
    }
  } finally {
    await store.close();
  }
});

test('the catalog fields carry ECS-shaped aliases and name the joins they need', () => {
  const ext = siteFields('dns', site, duckdbDialect);
  const byName = new Map(ext.fields.map((f) => [f.name, f]));
  assert.deepEqual(byName.get('direction')?.aliases, ['network.direction']);
  assert.deepEqual(byName.get('resp_zone')?.aliases, ['destination.zone', 'dst_zone']);
  assert.deepEqual(byName.get('orig_asset')?.needs, ['site_asset_orig']);
  assert.ok(ext.joins.has('site_asset_orig') && ext.joins.has('site_asset_resp'));
  const all = enrichmentFields('connections', site, duckdbDialect);
  assert.equal(new Set(all.fields.map((f) => f.name)).size, all.fields.length);
  for (const f of all.fields) for (const j of f.needs ?? []) assert.ok(all.joins.has(j), `${f.name} needs ${j}`);
  assert.ok(all.fields.some((f) => f.aliases.includes('destination.as.number')));
  const noAssets = siteFields('dns', createSite(defaultSiteConfig(), duckdbDialect), duckdbDialect);
  assert.equal(noAssets.joins.size, 0);
  assert.equal(noAssets.fields.find((f) => f.name === 'orig_asset')?.needs, undefined);
});

test('a short hostname finds the asset whose inventory name is fully qualified; an exact name wins', () => {
  const config = parseSiteConfig(
    'assets:\n  - { address: 10.1.0.5, hostname: ws-bob.corp.example }\n  - { address: 10.1.0.6, hostname: ws-bob }\n  - { address: 10.1.0.7, hostname: db.corp.example }\n',
    'short.yaml',
  );
  const site = createSite(config, duckdbDialect);
  assert.deepEqual(site.assetsByHostname('ws-bob').map((a) => a.address), ['10.1.0.6']);
  assert.deepEqual(site.assetsByHostname('DB').map((a) => a.address), ['10.1.0.7']);
  assert.deepEqual(site.assetsByHostname('db.corp').map((a) => a.address), []);
  assert.deepEqual(site.assetsByHostname('WS-BOB.corp.example').map((a) => a.address), ['10.1.0.5']);
});
