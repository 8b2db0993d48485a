// `nightjar investigate` as users run it: a real process over a store file, every format, --out, errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { openDuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import { loadEvents } from '../src/investigate/testing.js';
import { BAD, C2, GOOD, scenarioEvents } from '../src/investigate/testing-scenario.js';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const ENV = { ...process.env };
delete ENV.NIGHTJAR_DB;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-investigate-'));
const db = path.join(dir, 'site.duckdb');
const PERIOD = ['--since', '2024-03-08T00:00:00Z', '--until', '2024-03-09T00:00:00Z'];

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'investigate', '--db', db, ...args], { encoding: 'utf8', env: ENV });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(async () => {
  const store = await openDuckDBStore({ path: db });
  await loadEvents(store, scenarioEvents());
  await store.close();
});

test('investigate prints JSON with the verdict for the compromised and the clean host', () => {
  const bad = run([BAD, ...PERIOD, '--format', 'json']);
  assert.equal(bad.code, 0, bad.err);
  const r = JSON.parse(bad.out);
  assert.equal(r.schema_version, 1);
  assert.equal(r.verdict.decision, 'contain');
  assert.equal(r.external.items[0].address, C2);
  // The default site model (no nightjar.yaml yet): private networks are internal, no resolvers configured.
  assert.equal(r.identity.zone, 'private');
  assert.ok(r.notes.some((n: string) => /no sanctioned resolvers/.test(n)));
  const good = JSON.parse(run([GOOD, ...PERIOD, '--format', 'json', '--baseline', '1w']).out);
  assert.equal(good.verdict.decision, 'no_action');
  assert.equal(good.baseline.window.requested_days, 7);
});

test('terminal, Markdown and HTML outputs; --out writes a file', () => {
  const t = run([BAD, ...PERIOD]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /^VERDICT: CONTAIN/m);
  assert.ok(!t.out.includes('\x1b['), 'no colour when not a TTY');
  assert.match(run([BAD, ...PERIOD, '--format', 'md']).out, /^## Verdict: CONTAIN/m);
  const file = path.join(dir, 'report.html');
  const h = run([BAD, ...PERIOD, '--format', 'html', '--out', file]);
  assert.equal(h.code, 0, h.err);
  assert.equal(h.out, '');
  assert.match(fs.readFileSync(file, 'utf8'), /^<!DOCTYPE html>/);
});

test('bad input gets a clear message and exit code 2', () => {
  const unknown = run(['no-such-host.example', ...PERIOD]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /^nightjar: no host "no-such-host.example"/);
  assert.equal(run([BAD, '--baseline', 'forever']).code, 2);
  assert.match(run([BAD, '--rare', '150%']).err, /--rare 150%/);
  assert.equal(run([BAD, '--format', 'pdf']).code, 2);
});
