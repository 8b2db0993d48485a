// The CLI as users run it: a real process, real files, exit codes, formats, stdin, and SIGKILL mid-ingest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeConnLog } from '../bench/gen-zeek-conn.js';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const FIX = path.join(process.cwd(), 'test/fixtures');

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nj-cli-'));
}

const ENV = { ...process.env };
delete ENV.NIGHTJAR_DB;

function run(args: string[], input?: Buffer | string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env: ENV });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('ingest, stats, query and top answer with the formats scripts need', () => {
  const db = path.join(tmpDir(), 'cli.duckdb');
  const ing = run(['ingest', '--db', db, path.join(FIX, 'zeek/rita_tsv_conn.log'), path.join(FIX, 'zeek/rita_tsv_dns.log')]);
  assert.equal(ing.code, 0, ing.err);
  assert.match(ing.out, /2 input\(s\): 2 ingested/);
  assert.equal(ing.err, '');

  const stats = JSON.parse(run(['stats', '--db', db, '--format', 'json']).out);
  assert.ok(stats.totals.connections > 400);
  assert.ok(stats.totals.dns > 900);
  assert.equal(stats.ingests.length, 2);

  const q = run(['query', '--db', db, '--host', '10.136.0.18', '--port', '3128', '--limit', '5', '--format', 'ndjson']);
  assert.equal(q.code, 0, q.err);
  const rows = q.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, 5);
  for (const r of rows) {
    assert.ok(r.orig_h === '10.136.0.18' || r.resp_h === '10.136.0.18');
    assert.ok(r.orig_p === 3128 || r.resp_p === 3128);
  }
  // Newest first.
  assert.ok(rows[0].ts >= rows[4].ts);

  const cidr = JSON.parse(run(['query', '--db', db, '--host', '10.136.0.0/24', '--format', 'json']).out);
  assert.ok(cidr.length > 0);
  for (const r of cidr) assert.ok(r.orig_h.startsWith('10.136.0.') || r.resp_h.startsWith('10.136.0.'));

  const csv = run(['query', '--db', db, '--type', 'dns', '--limit', '3', '--format', 'csv']);
  const lines = csv.out.trim().split('\r\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0], /^ts,uid,community_id,orig_h/);

  const topPorts = JSON.parse(run(['top', 'ports', '--db', db, '--by', 'connections', '--format', 'json']).out);
  assert.equal(topPorts[0].port, 3128);
  assert.equal(topPorts[0].proto, 'tcp');
  const expected = fs
    .readFileSync(path.join(FIX, 'zeek/rita_tsv_conn.log'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#') && l.split('\t')[5] === '3128' && l.split('\t')[6] === 'tcp').length;
  assert.equal(topPorts[0].connections, expected);
  for (let i = 1; i < topPorts.length; i++) assert.ok(topPorts[i - 1].connections >= topPorts[i].connections);

  const table = run(['top', 'talkers', '--db', db]);
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, /10\.136\.0\.18/);
});

test('usage errors exit 2 with a message, unreadable inputs exit 3 naming the file, never a stack trace', () => {
  const db = path.join(tmpDir(), 'err.duckdb');
  const bad = run(['query', '--db', db, '--since', 'yesterday-ish']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /cannot read the time "yesterday-ish"/);
  const port = run(['query', '--db', db, '--port', '70000']);
  assert.equal(port.code, 2);
  const unknown = run(['frobnicate']);
  assert.equal(unknown.code, 2);
  const notLog = run(['ingest', '--db', db, path.join(FIX, 'zeek/rita_not_a_log_conn.log')]);
  assert.equal(notLog.code, 3);
  assert.match(notLog.out + notLog.err, /rita_not_a_log_conn\.log: not a format Nightjar recognises/);
  assert.doesNotMatch(notLog.out + notLog.err, /at .*\.js:\d+/);
  const partial = run(['ingest', '--db', db, path.join(FIX, 'zeek/rita_tsv_conn.log'), path.join(FIX, 'zeek/rita_not_a_log_conn.log')]);
  assert.equal(partial.code, 1);
});

test('standard input is ingested once; the same bytes again are recognised', () => {
  const db = path.join(tmpDir(), 'stdin.duckdb');
  const data = fs.readFileSync(path.join(FIX, 'suricata/crowdsec_suricata_eve.json'));
  const a = run(['ingest', '--db', db, '--json', '-'], data);
  assert.equal(a.code, 0, a.err);
  const rep = JSON.parse(a.out);
  assert.equal(rep.files[0].status, 'ingested');
  assert.equal(rep.files[0].format, 'suricata-eve');
  const b = JSON.parse(run(['ingest', '--db', db, '--json', '-'], data).out);
  assert.equal(b.files[0].status, 'already-ingested');
});

test('an ingest killed with SIGKILL half-way leaves nothing; running it again completes it', async () => {
  const dir = tmpDir();
  const db = path.join(dir, 'kill.duckdb');
  const file = path.join(dir, 'conn.log');
  const lines = 1_500_000;
  writeConnLog(file, lines, 'tsv', 7);
  const child = spawn(process.execPath, [BIN, 'ingest', '--db', db, file], { stdio: 'ignore' });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
    setTimeout(() => child.kill('SIGKILL'), 1200);
    child.on('exit', (_code, sig) => resolve(sig));
  });
  assert.equal(signal, 'SIGKILL', 'the ingest finished before it could be killed; the test input is too small');
  const after = JSON.parse(run(['stats', '--db', db, '--format', 'json']).out);
  assert.equal(after.totals.connections, 0);
  assert.equal(after.ingests.length, 0);
  const again = run(['ingest', '--db', db, file]);
  assert.equal(again.code, 0, again.err);
  const done = JSON.parse(run(['stats', '--db', db, '--format', 'json']).out);
  assert.equal(done.totals.connections, lines);
  assert.equal(done.ingests.length, 1);
  fs.rmSync(dir, { recursive: true, force: true });
});
