// `nightjar intel` as users run it: load feeds, hunt, record, and matches made at ingest, in real processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { at, conn, dns, tmpDir, writeLog } from '../src/enrich/enrich-test-support.js';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const FEEDS = path.join(process.cwd(), 'test/fixtures/intel');
const ENV = { ...process.env };
delete ENV.NIGHTJAR_DB;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: ENV });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ndjson(text: string): Record<string, unknown>[] {
  return text.trim() === '' ? [] : text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('intel load, list, hunt --record, and matching at ingest', () => {
  const dir = tmpDir('nj-intel-cli-');
  const db = path.join(dir, 'x.duckdb');
  const dnsLog = writeLog(dir, 'dns.log', [dns('D1', at(1), '10.1.1.1', 'x.evil.example', ['192.0.2.1'], [60])]);
  assert.equal(run(['ingest', '--db', db, dnsLog]).code, 0);

  const load = run(['intel', 'load', path.join(FEEDS, 'plain.txt'), '--name', 'block', '--db', db]);
  assert.equal(load.code, 0, load.err);
  assert.match(load.out, /feed block \(text\): 7 indicator\(s\)/);
  assert.match(load.out, /skipped 3 not-an-indicator: line 13; line 14; line 15/);

  const hunt = run(['intel', 'hunt', '--db', db, '--format', 'ndjson']);
  assert.equal(hunt.code, 0, hunt.err);
  assert.deepEqual(ndjson(hunt.out).map((r) => [r.feed, r.indicator, r.table, r.field, r.value, r.uid]), [['block', '*.evil.example', 'dns', 'query', 'x.evil.example', 'D1']]);

  const rec = run(['intel', 'hunt', '--record', '--db', db, '--format', 'csv']);
  assert.match(rec.err, /1 match\(es\); recorded 1 new finding\(s\), 0 were recorded before/);
  assert.match(rec.out, /^ts,feed,indicator,/);
  assert.match(run(['intel', 'hunt', '--record', '--db', db]).err, /recorded 0 new finding\(s\), 1 were recorded before/);

  // A later ingest is matched as it loads.
  const connLog = writeLog(dir, 'conn.log', [conn('C1', at(10), '10.1.1.1', '198.51.100.23'), conn('C2', at(11), '10.1.1.1', '198.51.100.24')]);
  assert.equal(run(['ingest', '--db', db, connLog]).code, 0);
  const f = ndjson(run(['query', '--db', db, '--type', 'findings', '--format', 'ndjson']).out);
  assert.deepEqual(f.map((r) => [r.source_type, r.signature, r.uid]).sort(), [
    ['intel', 'intel block: *.evil.example', 'D1'],
    ['intel', 'intel block: 198.51.100.23', 'C1'],
  ]);

  const list = JSON.parse(run(['intel', 'list', '--db', db, '--format', 'json']).out) as Record<string, unknown>[];
  assert.deepEqual(list.map((r) => [r.feed, r.indicators, r.ips, r.cidrs, r.domains, r.skipped]), [['block', 7, 2, 2, 3, 3]]);

  const junk = path.join(dir, 'junk.txt');
  fs.writeFileSync(junk, 'hello world\n');
  const bad = run(['intel', 'load', junk, '--name', 'block', '--db', db]);
  assert.equal(bad.code, 3);
  assert.match(bad.err, /no indicator could be read as text/);
  assert.equal(JSON.parse(run(['intel', 'list', '--db', db, '--format', 'json']).out)[0].indicators, 7);
  assert.equal(run(['intel', 'hunt', '--feed', 'nope', '--db', db]).code, 2);
  assert.equal(run(['intel', 'load', path.join(dir, 'missing.txt'), '--db', db]).code, 3);
  assert.equal(run(['intel', 'load', junk, '--name', 'bad name!', '--db', db]).code, 2);
  assert.equal(run(['intel', 'remove', 'block', '--db', db]).code, 0);
  assert.deepEqual(JSON.parse(run(['intel', 'list', '--db', db, '--format', 'json']).out), []);
});
