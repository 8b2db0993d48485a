import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAssetsCsv } from './assets-csv.js';
import { SiteConfigError, configLocation, defaultSiteConfig, loadSiteConfig, parseSiteConfig } from './site-config.js';

const FIX = path.join(process.cwd(), 'test/fixtures/site');

function problemsOf(text: string, file = '/tmp/x/nightjar.yaml'): readonly string[] {
  try {
    parseSiteConfig(text, file);
  } catch (err) {
    assert.ok(err instanceof SiteConfigError, String(err));
    assert.equal(err.exitCode, 2);
    return err.problems;
  }
  assert.fail('expected the config to be rejected');
}

test('the sample config loads, normalised and frozen, with the CSV assets after the inline ones', () => {
  const c = loadSiteConfig(path.join(FIX, 'nightjar.yaml'));
  assert.deepEqual(c.zones.map((z) => [z.name, z.internal]), [['corp', true], ['guest', false], ['dmz', true], ['vpn', true]]);
  assert.deepEqual(c.zones[0].networks, ['10.0.0.0/8', 'fd00:1234::/32']);
  assert.equal(c.assets.length, 6);
  const v6 = c.assets.find((a) => a.hostname === 'ipv6-server');
  assert.deepEqual(v6, { address: 'fd00:1234::10', hostname: 'ipv6-server', owner: 'Ops, Team', role: 'server', criticality: 'medium', tags: ['v6', 'prod'] });
  assert.equal(c.assets[1].address, '10.10.0.0/16');
  assert.equal(c.enrichment.passive_dns_window_seconds, 600);
  assert.equal(c.enrichment.rare_prevalence_threshold, 3);
  assert.deepEqual(c.sensors, [{ id: 'zeek-hq', name: 'HQ core tap', address: null }]);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.zones[0].networks) && Object.isFrozen(c.assets[0]));
  assert.throws(() => (c.zones as unknown as unknown[]).push({}));
});

test('no file means the default internal zones: RFC 1918, RFC 4193, loopback, link-local', () => {
  const c = defaultSiteConfig();
  assert.equal(c.source, null);
  assert.deepEqual(c.zones.flatMap((z) => z.networks), ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', '127.0.0.0/8', '::1/128', '169.254.0.0/16', 'fe80::/10']);
  assert.ok(c.zones.every((z) => z.internal));
  // An empty file is a file without zones: the defaults too.
  assert.equal(parseSiteConfig('', 'empty.yaml').zones.length, 3);
});

test('discovery: --config, then $NIGHTJAR_CONFIG, then ./nightjar.yaml, else defaults', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-site-'));
  assert.deepEqual(configLocation('a.yaml', { NIGHTJAR_CONFIG: 'b.yaml' }, dir), { path: 'a.yaml', required: true });
  assert.deepEqual(configLocation(undefined, { NIGHTJAR_CONFIG: 'b.yaml' }, dir), { path: 'b.yaml', required: true });
  assert.deepEqual(configLocation(undefined, {}, dir), { path: null, required: false });
  assert.equal(loadSiteConfig(undefined, {}, dir).source, null);
  fs.writeFileSync(path.join(dir, 'nightjar.yaml'), 'zones:\n  - name: lab\n    networks: [198.51.100.0/24]\n');
  assert.equal(loadSiteConfig(undefined, {}, dir).zones[0].name, 'lab');
  assert.throws(() => loadSiteConfig(path.join(dir, 'missing.yaml'), {}, dir), (e: Error) => /cannot read the site config/.test(e.message));
});

test('unknown keys are rejected with their line and a suggestion', () => {
  const p = problemsOf('zones:\n  - name: corp\n    netwroks: [10.0.0.0/8]\nsanctioned_resolver: [10.0.0.53]\n');
  assert.equal(p.length, 3);
  assert.match(p[0], /nightjar\.yaml:2: zones\[0\]: missing required key "networks"/);
  assert.match(p[1], /nightjar\.yaml:3: zones\[0\]: unknown key "netwroks" \(did you mean "networks"\?\)/);
  assert.match(p[2], /nightjar\.yaml:4: \(top level\): unknown key "sanctioned_resolver" \(did you mean "sanctioned_resolvers"\?\)/);
  const e = problemsOf('enrichment:\n  passive_dns_window: 60\n');
  assert.match(e[0], /:2: enrichment: unknown key "passive_dns_window"; allowed: passive_dns_window_seconds, rare_prevalence_threshold/);
});

test('bad values name the file, the line, the path and the value', () => {
  const p = problemsOf(
    'zones:\n  - name: corp\n    networks:\n      - 10.0.0.0/8\n      - 10.0.0.0/33\nassets:\n  - address: 10.1.1.1\n    criticality: urgent\nsanctioned_resolvers: [nope]\nenrichment:\n  passive_dns_window_seconds: -5\n',
  );
  assert.match(p[0], /nightjar\.yaml:5: zones\[0\]\.networks\[1\]: not an address or CIDR .*"10\.0\.0\.0\/33"/);
  assert.match(p[1], /nightjar\.yaml:8: assets\[0\]\.criticality: .*"urgent"/);
  assert.match(p[2], /nightjar\.yaml:9: sanctioned_resolvers\[0\]: not an IP address/);
  assert.match(p[3], /nightjar\.yaml:11: enrichment\.passive_dns_window_seconds: /);
});

test('YAML syntax errors, duplicate names and unknown zone references are reported with lines', () => {
  assert.match(problemsOf('zones: [\n  name: x\n')[0], /nightjar\.yaml:\d+: /);
  assert.match(problemsOf('zones: []\nzones: []\n')[0], /nightjar\.yaml:2: .*[Uu]nique|duplicate|Map keys must be unique/);
  const p = problemsOf('zones:\n  - name: a\n    networks: [10.0.0.0/8]\n  - name: a\n    networks: [10.1.0.0/16]\nsubnets:\n  - name: s\n    cidr: 10.2.0.0/16\n    zone: b\n');
  assert.match(p[0], /:4: zones\[1\]\.name: zone "a" is defined twice/);
  assert.match(p[1], /:9: subnets\[0\]\.zone: no zone named "b" \(zones: a\)/);
});

test('asset CSV: header order, tags, and every bad row with its line number', () => {
  const ok = parseAssetsCsv('hostname,address\nweb-1,10.0.0.1\n# comment\n\n,10.0.0.0/24\n');
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(ok.assets.map((a) => [a.address, a.hostname]), [['10.0.0.1', 'web-1'], ['10.0.0.0/24', null]]);
  const noHeader = parseAssetsCsv('10.0.0.9,h9,bob,printer,low,a;b|c\n');
  assert.deepEqual(noHeader.assets[0], { address: '10.0.0.9', hostname: 'h9', owner: 'bob', role: 'printer', criticality: 'low', tags: ['a', 'b', 'c'] });
  const bad = parseAssetsCsv('address,hostname,owner,role,criticality,tags\n10.0.0.300,x\n,nameless\n10.0.0.1,a,b,c,severe\n"10.0.0.2,unterminated\n10.0.0.3,a,b,c,low,t,extra\n10.0.0.4,fine\n');
  assert.deepEqual(bad.problems.map((p) => p.line), [2, 3, 4, 5, 6]);
  assert.match(bad.problems[0].message, /address "10\.0\.0\.300"/);
  assert.match(bad.problems[1].message, /address: missing/);
  assert.match(bad.problems[2].message, /criticality "severe": must be one of low, medium, high, critical/);
  assert.match(bad.problems[3].message, /unterminated/);
  assert.match(bad.problems[4].message, /7 columns/);
  assert.deepEqual(bad.assets.map((a) => a.address), ['10.0.0.4']);
  assert.match(parseAssetsCsv('address,colour\n10.0.0.1,red\n').problems[0].message, /unknown column "colour"/);
});

test('a config whose asset CSV has bad rows fails, naming the CSV file and lines', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-site-'));
  fs.writeFileSync(path.join(dir, 'inv.csv'), '10.0.0.1,ok\n10.0.0.999,bad\n');
  fs.writeFileSync(path.join(dir, 'nightjar.yaml'), 'assets_csv: inv.csv\n');
  assert.throws(() => loadSiteConfig(path.join(dir, 'nightjar.yaml')), (e: SiteConfigError) => e.problems.length === 1 && e.problems[0] === `${path.join(dir, 'inv.csv')}:2: address "10.0.0.999": not an address or CIDR (e.g. 10.0.0.0/8, fd00::/8, 10.1.2.3)`);
  fs.writeFileSync(path.join(dir, 'nightjar.yaml'), 'assets_csv: nothere.csv\n');
  assert.throws(() => loadSiteConfig(path.join(dir, 'nightjar.yaml')), /nightjar\.yaml:1: assets_csv: cannot read .*nothere\.csv: ENOENT/);
});
