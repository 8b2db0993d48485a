import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openGeo } from './geo.js';
import { answerOf, installMmdb, loadedMmdbs, readMmdb } from './geo-mmdb.js';
import { openPackageGeo } from './geo-package.js';
import { writeMmdb } from './mmdb-testing.js';
import { buildRangeTable, lookupV4, lookupV6 } from './range-table.js';

test('range tables: nested and overlapping ranges flatten so the narrowest wins', () => {
  const t = buildRangeTable(32, [
    { start: 100n, end: 199n, value: 1 },
    { start: 120n, end: 129n, value: 2 },
    { start: 125n, end: 125n, value: 3 },
    { start: 150n, end: 250n, value: 4 }, // overlaps the end of 100-199: takes over from 150
    { start: 300n, end: 310n, value: 5 },
  ]);
  const at = (n: number) => lookupV4(t, n);
  assert.deepEqual([99, 100, 119, 120, 124, 125, 126, 129, 130, 149, 150, 199, 250, 251, 300, 310, 311].map(at),
    [-1, 1, 1, 2, 2, 3, 2, 2, 1, 1, 4, 4, 4, -1, 5, 5, -1]);
  assert.deepEqual([...t.starts], [100, 120, 125, 126, 130, 150, 300]);
  const v6 = buildRangeTable(128, [
    { start: 1n << 100n, end: (1n << 101n) - 1n, value: 7 },
    { start: (1n << 100n) + (1n << 64n), end: (1n << 100n) + (2n << 64n) - 1n, value: 8 },
  ]);
  assert.equal(lookupV6(v6, 1n << 36n, 0n), 7);
  assert.equal(lookupV6(v6, (1n << 36n) + 1n, 5n), 8);
  assert.equal(lookupV6(v6, (1n << 36n) + 2n, 0n), 7);
  assert.equal(lookupV6(v6, 1n << 37n, 0n), -1);
});

test('the built-in data answers for well-known anycast resolvers as the package says', async () => {
  const geo = await openPackageGeo();
  // Rows of @ip-location-db/asn 2.3.2026061719 and geo-whois-asn-country 2.3.2026061719 (checked by hand).
  const expected: Record<string, [string | null, number | null, string | null]> = {
    '8.8.8.8': ['US', 15169, 'Google LLC'],
    '1.1.1.1': ['AU', 13335, 'Cloudflare, Inc.'],
    '9.9.9.9': ['US', 19281, 'Quad9'],
    '208.67.222.222': ['US', 36692, 'Cisco OpenDNS, LLC'],
    '2001:4860:4860::8888': ['US', 15169, 'Google LLC'],
    '2606:4700:4700::1111': ['US', 13335, 'Cloudflare, Inc.'],
    '2620:fe::fe': ['US', 19281, 'Quad9'],
    '::ffff:8.8.4.4': ['US', 15169, 'Google LLC'],
    '10.1.2.3': [null, null, null],
    '192.0.2.1': [null, null, null],
    'fd00::1': [null, null, null],
    'not-an-address': [null, null, null],
  };
  for (const [a, [country, asn, org]] of Object.entries(expected)) assert.deepEqual(geo.lookup(a), { country, asn, as_org: org }, a);
});

test('a loaded MaxMind database takes precedence for the kind of answer it holds', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-geo-'));
  const db = path.join(dir, 'store.duckdb');
  const asnFile = path.join(dir, 'asn.mmdb');
  fs.writeFileSync(asnFile, writeMmdb('GeoLite2-ASN', [
    { network: '8.8.8.0/24', data: { autonomous_system_number: 64500, autonomous_system_organization: 'Example Transit' } },
    { network: '2a00:1450::/32', data: { autonomous_system_number: 64501, autonomous_system_organization: 'Doc Net' } },
  ]));
  const r = installMmdb(asnFile, db);
  assert.equal(r.source.kind, 'asn');
  assert.equal(r.path, `${db}.geo/asn.mmdb`);
  let geo = await openGeo(db);
  // ASN from the loaded file, country still from the built-in data.
  assert.deepEqual(geo.lookup('8.8.8.8'), { country: 'US', asn: 64500, as_org: 'Example Transit' });
  const builtIn = await openPackageGeo();
  assert.deepEqual(geo.lookup('2a00:1450::5'), { country: builtIn.lookup('2a00:1450::5').country, asn: 64501, as_org: 'Doc Net' });
  // Special-purpose ranges have no place on a map, whatever a database holds for them.
  fs.writeFileSync(asnFile, writeMmdb('GeoLite2-ASN', [{ network: '2001:db8::/32', data: { autonomous_system_number: 64502, autonomous_system_organization: 'Doc' } }]));
  installMmdb(asnFile, db);
  assert.deepEqual((await openGeo(db)).lookup('2001:db8::5'), { country: null, asn: null, as_org: null });
  geo = await openGeo(db);
  assert.deepEqual(geo.lookup('1.1.1.1'), { country: 'AU', asn: null, as_org: null });
  const countryFile = path.join(dir, 'country.mmdb');
  fs.writeFileSync(countryFile, writeMmdb('GeoLite2-Country', [{ network: '1.1.1.0/24', data: { country: { iso_code: 'NL' } } }]));
  assert.equal(installMmdb(countryFile, db).source.kind, 'country');
  geo = await openGeo(db);
  assert.deepEqual(geo.lookup('1.1.1.1'), { country: 'NL', asn: null, as_org: null });
  assert.match(geo.countrySource, /GeoLite2-Country built 2026-01-01/);
  // A combined database (IPinfo-style keys) replaces both.
  const both = path.join(dir, 'lite.mmdb');
  fs.writeFileSync(both, writeMmdb('ipinfo lite', [{ network: '9.9.9.0/24', data: { country_code: 'ch', asn: 'AS19281', as_name: 'Quad9' } }]));
  assert.equal(installMmdb(both, db).source.kind, 'both');
  assert.deepEqual(Object.keys(loadedMmdbs(db)).map((k) => loadedMmdbs(db)[k as 'asn']?.kind), ['both', 'both']);
  assert.deepEqual((await openGeo(db)).lookup('9.9.9.9'), { country: 'CH', asn: 19281, as_org: 'Quad9' });
});

test('special-purpose ranges get no country or AS; neighbouring public addresses do', async () => {
  const geo = await openGeo(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-geo-')), 'store.duckdb'));
  const none = { country: null, asn: null, as_org: null };
  for (const a of ['192.0.2.1', '198.51.100.7', '203.0.113.9', '198.19.0.1', '10.1.2.3', '100.64.1.1', '169.254.0.9', '224.0.0.251', '240.0.0.1', '2001:db8::1', 'fe80::1', 'fd00::5', 'ff02::fb', '::1', '::ffff:192.0.2.1']) {
    assert.deepEqual(geo.lookup(a), none, a);
  }
  assert.equal(geo.lookup('8.8.8.8').country, 'US');
  assert.notEqual(geo.lookup('198.51.101.7').country, null);
  assert.notEqual(geo.lookup('2a00:1450::1').country, null);
});

test('files that are not MaxMind databases are refused with a clear error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-geo-'));
  const bad = path.join(dir, 'x.mmdb');
  fs.writeFileSync(bad, 'not a database');
  assert.throws(() => readMmdb(bad), /x\.mmdb is not a MaxMind-format database/);
  assert.throws(() => readMmdb(path.join(dir, 'none.mmdb')), /cannot read .*none\.mmdb: ENOENT/);
  assert.throws(() => installMmdb(bad, path.join(dir, 'db.duckdb')), /not a MaxMind-format database/);
  assert.deepEqual(answerOf({ registered_country: { iso_code: 'de' } }), { country: 'DE', asn: null, as_org: null });
});
