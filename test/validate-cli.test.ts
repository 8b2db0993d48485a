// `nightjar validate` as users and CI run it: a real process, a store file, exit codes 0/1/2, formats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingestRows } from '../src/controls/testing.js';
import { BLOCKLIST, dnsFilterData, EGRESS_POLICY, egressData, visibilityData } from '../src/controls/test-fixtures.js';
import { enrichmentHooks } from '../src/enrich/hooks.js';
import { openDuckDBStore } from '../src/store/duckdb/duckdb-store.js';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const ENV: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
delete ENV.NIGHTJAR_DB;

// The same site as testSite() in src/controls/testing.ts, as a file.
const SITE = `zones:
  - { name: corp, networks: [10.1.0.0/16], internal: true }
  - { name: servers, networks: [10.2.0.0/16], internal: true }
  - { name: lab, networks: [10.3.0.0/16], internal: true }
subnets:
  - { name: corp-lan, cidr: 10.1.1.0/24, zone: corp }
  - { name: corp-wifi, cidr: 10.1.2.0/24, zone: corp }
  - { name: dmz, cidr: 10.2.9.0/24, zone: servers }
  - { name: lab-net, cidr: 10.3.0.0/24, zone: lab }
sanctioned_resolvers: [10.2.0.53]
`;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: ENV });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function setup(data: Parameters<typeof ingestRows>[1]): Promise<{ dir: string; db: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-validate-'));
  const db = path.join(dir, 'v.duckdb');
  const store = await openDuckDBStore({ path: db });
  // As the CLI stores data: with the enrichment hooks (passive DNS answers, ip_info).
  for (const h of enrichmentHooks(db, store.dialect)) store.addIngestHook(h);
  await ingestRows(store, data);
  await store.close();
  fs.writeFileSync(path.join(dir, 'nightjar.yaml'), SITE);
  fs.writeFileSync(path.join(dir, 'egress.yaml'), EGRESS_POLICY);
  fs.writeFileSync(path.join(dir, 'blocked.txt'), BLOCKLIST);
  return { dir, db };
}

test('validate dns-filter: exit 1 on failure, JSON equal to the golden report, Markdown for tickets', async () => {
  const { dir, db } = await setup(dnsFilterData());
  const base = ['validate', 'dns-filter', '--db', db, '--config', path.join(dir, 'nightjar.yaml'), '--blocklist', path.join(dir, 'blocked.txt')];
  const json = run([...base, '--format', 'json']);
  assert.equal(json.code, 1, json.err);
  const report = JSON.parse(json.out);
  const golden = JSON.parse(fs.readFileSync('test/fixtures/controls/dns-filter.json', 'utf8'));
  golden.blocklist.source = path.join(dir, 'blocked.txt');
  assert.deepEqual(report, golden);

  const md = run([...base, '--format', 'md']);
  assert.equal(md.code, 1);
  assert.match(md.out, /^# DNS filter .*\n\n\*\*FAIL\*\*/);
  assert.match(md.out, /\| 10\.1\.1\.10 \| evil\.example \| evil\.example \| 198\.51\.100\.20 \| 443 \|/);

  const table = run(base);
  assert.equal(table.code, 1);
  assert.match(table.out, /^FAIL {2}DNS filter/);
  assert.match(table.out, /Clients bypassing the sanctioned resolvers \(6\)/);
});

test('validate egress: exit 1 with violations, 0 when the policy allows what happened, 2 on a bad policy', async () => {
  const { dir, db } = await setup(egressData());
  const site = path.join(dir, 'nightjar.yaml');
  const fail = run(['validate', 'egress', '--db', db, '--config', site, '--policy', path.join(dir, 'egress.yaml'), '--format', 'json', '--limit', '2']);
  assert.equal(fail.code, 1, fail.err);
  const r = JSON.parse(fail.out);
  assert.equal(r.violations.length, 2);
  assert.equal(r.summary.violations, 6, 'counts stay complete under --limit');

  fs.writeFileSync(path.join(dir, 'open.yaml'), 'version: 1\nzones:\n  corp: { default: allow }\n  servers: { default: allow }\n');
  const pass = run(['validate', 'egress', '--db', db, '--config', site, '--policy', path.join(dir, 'open.yaml')]);
  assert.equal(pass.code, 0, pass.err);
  assert.match(pass.out, /^PASS/);

  fs.writeFileSync(path.join(dir, 'bad.yaml'), 'version: 1\nzones:\n  corp:\n    allow: [{ to: any, port: 443 }]\n');
  const bad = run(['validate', 'egress', '--db', db, '--config', site, '--policy', path.join(dir, 'bad.yaml')]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad\.yaml: zones\.corp\.allow\[0\].*port/);
  assert.doesNotMatch(bad.err, /at .*\.js/);

  const noSite = run(['validate', 'egress', '--db', db, '--config', path.join(dir, 'missing.yaml'), '--policy', path.join(dir, 'egress.yaml')]);
  assert.equal(noSite.code, 2);
  assert.match(noSite.err, /cannot read the site config .*missing\.yaml/);
});

test('validate visibility: exit 1 on blind spots, 2 on a bad duration', async () => {
  const { dir, db } = await setup(visibilityData());
  const args = ['validate', 'visibility', '--db', db, '--config', path.join(dir, 'nightjar.yaml')];
  const r = run([...args, '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  assert.deepEqual(JSON.parse(r.out), JSON.parse(fs.readFileSync('test/fixtures/controls/visibility.json', 'utf8')));
  const bad = run([...args, '--silent-after', 'soon']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--silent-after soon/);
});
