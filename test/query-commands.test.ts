// The query commands as users run them (query with a filter and Parquet, top with a filter,
// conversations, timeline, sql), checked against answers computed from the fixture files themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const FIX = path.join(process.cwd(), 'test/fixtures/zeek');
const ENV = { ...process.env };
delete ENV.NIGHTJAR_DB;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: ENV });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function zeekRows(file: string): Record<string, string>[] {
  const lines = fs.readFileSync(path.join(FIX, file), 'utf8').split('\n');
  const names = lines.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
  return lines.filter((l) => l && !l.startsWith('#')).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [names[i], v])));
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-qc-'));
const db = path.join(dir, 'q.duckdb');
const conns = zeekRows('rita_tsv_conn.log');
const dns = zeekRows('rita_tsv_dns.log');

test('ingest the fixtures', () => {
  const r = run(['ingest', '--db', db, path.join(FIX, 'rita_tsv_conn.log'), path.join(FIX, 'rita_tsv_dns.log')]);
  assert.equal(r.code, 0, r.err);
});

test('query takes a filter (ANDed with the options) and returns exactly the matching records', () => {
  const inNet = (a: string) => a.startsWith('10.136.0.');
  const want = conns.filter(
    (c) => (inNet(c['id.orig_h']) || inNet(c['id.resp_h'])) && ['tcp', 'udp'].includes(c.proto) && (c['id.orig_p'] === '3128' || c['id.resp_p'] === '3128'),
  );
  const got = JSON.parse(run(['query', '--db', db, 'net 10.136.0.0/24 and port 3128', '--format', 'json']).out);
  assert.equal(got.length, want.length);
  assert.ok(got.length > 100);
  // The options AND in; words may be separate arguments.
  const fewer = JSON.parse(run(['query', '--db', db, 'dst', 'port', '3128', '--host', '10.136.0.16', '--since', '2023-01-05T00:00:00Z', '--format', 'json']).out);
  const wantFewer = want.filter((c) => c['id.resp_p'] === '3128' && Number(c.ts) >= Date.UTC(2023, 0, 5) / 1000);
  assert.equal(fewer.length, wantFewer.length);

  const names = dns.filter((d) => /\.microsoft\.com$/i.test(d.query));
  const nd = run(['query', '--db', db, '--type', 'dns', 'query: *.MICROSOFT.com', '--format', 'ndjson']);
  assert.equal(nd.code, 0, nd.err);
  const rows = nd.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(rows.length, names.length);
  assert.ok(rows.length > 0);
  const answers = dns.filter((d) => d.answers.split(',').includes('13.107.4.50'));
  const byAnswer = JSON.parse(run(['query', '--db', db, '--type', 'dns', 'answers: 13.107.4.50', '--format', 'json']).out);
  assert.equal(byAnswer.length, answers.length);
});

test('query --format parquet writes a file whose name has quotes, by a bound path', async () => {
  const out = path.join(dir, `it's a "test"; DROP TABLE connections; --.parquet`);
  const r = run(['query', '--db', db, 'tcp and dst port 3128', '--format', 'parquet', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const want = conns.filter((c) => c.proto === 'tcp' && c['id.resp_p'] === '3128').length;
  assert.match(r.err, new RegExp(`wrote ${want} connections records`));
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  const rows = (await con.runAndReadAll('SELECT count(*) AS n, count(DISTINCT resp_p) AS p FROM read_parquet($1)', [out])).getRowObjects();
  assert.equal(Number(rows[0].n), want);
  assert.equal(Number(rows[0].p), 1);
  con.closeSync();
  const stats = JSON.parse(run(['stats', '--db', db, '--format', 'json']).out);
  assert.equal(stats.totals.connections, conns.length, 'nothing in the path ran as SQL');
  assert.equal(run(['query', '--db', db, '--format', 'parquet']).code, 2);
  assert.equal(run(['query', '--db', db, '--out', out]).code, 2);
});

test('a bad filter exits 2 with a caret under the word and no stack trace', () => {
  const r = run(['query', '--db', db, 'dst porrt 53']);
  assert.equal(r.code, 2);
  assert.match(r.err, /did you mean port\?\n {2}dst porrt 53\n {6}\^{5}\n/);
  assert.doesNotMatch(r.err, /at .*\.js/);
  const f = run(['top', 'talkers', '--db', db, 'resp_pp == 1']);
  assert.equal(f.code, 2);
  assert.match(f.err, /did you mean resp_p/);
});

test('top takes a filter', () => {
  const ports = JSON.parse(run(['top', 'ports', '--db', db, 'not port 3128', '--by', 'connections', '--format', 'json']).out);
  assert.ok(ports.every((p: { port: number }) => p.port !== 3128));
  const only = JSON.parse(run(['top', 'ports', '--db', db, 'dst port 3128', '--format', 'json']).out);
  assert.equal(only.length, 1);
  assert.equal(only[0].connections, conns.filter((c) => c.proto === 'tcp' && c['id.resp_p'] === '3128').length);
});

test('conversations: pairs with connections and bytes each way, ranked', () => {
  const r = run(['conversations', '--db', db, '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const pairs = JSON.parse(r.out);
  const key = (c: Record<string, string>) => `${c['id.orig_h']} ${c['id.resp_h']}`;
  const want = new Map<string, { n: number; sent: number; recv: number }>();
  for (const c of conns) {
    const w = want.get(key(c)) ?? { n: 0, sent: 0, recv: 0 };
    w.n++;
    w.sent += Number(c.orig_ip_bytes === '-' ? 0 : c.orig_ip_bytes);
    w.recv += Number(c.resp_ip_bytes === '-' ? 0 : c.resp_ip_bytes);
    want.set(key(c), w);
  }
  assert.equal(pairs.length, want.size);
  for (const p of pairs) {
    const w = want.get(`${p.src} ${p.dst}`)!;
    assert.deepEqual([p.connections, p.bytes_sent, p.bytes_received], [w.n, w.sent, w.recv], `${p.src} ${p.dst}`);
    assert.ok(p.first_seen <= p.last_seen);
  }
  for (let i = 1; i < pairs.length; i++) assert.ok(pairs[i - 1].bytes >= pairs[i].bytes);
  const byConn = JSON.parse(run(['conversations', '--db', db, 'icmp6', '--by', 'connections', '--limit', '2', '--format', 'json']).out);
  assert.equal(byConn.length, 2);
  assert.ok(byConn.every((p: { src: string }) => p.src.includes(':')));
  const table = run(['conversations', '--db', db]);
  assert.match(table.out, /originator +responder/);
});

test('timeline: every interval in machine formats, sparklines in a table', () => {
  const r = run(['timeline', '--db', db, '--interval', '1h', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const pts = JSON.parse(r.out);
  assert.equal(pts.reduce((s: number, p: { records: number }) => s + p.records, 0), conns.length);
  for (let i = 1; i < pts.length; i++) assert.equal(Date.parse(pts[i].time) - Date.parse(pts[i - 1].time), 3600_000);
  const first = Math.min(...conns.map((c) => Number(c.ts)));
  assert.equal(Date.parse(pts[0].time), Math.floor(first / 3600) * 3600_000);
  const dnsDay = JSON.parse(run(['timeline', '--db', db, '--type', 'dns', '--interval', '1d', '--format', 'json']).out);
  assert.equal(dnsDay.reduce((s: number, p: { records: number }) => s + p.records, 0), dns.length);
  assert.ok(!('bytes' in dnsDay[0]), 'DNS timelines count records only');
  const table = run(['timeline', '--db', db, 'tcp']);
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, /intervals of \d+[mhd]\nrecords +[ ▁▂▃▄▅▆▇█]+ +\d+\nbytes +[ ▁▂▃▄▅▆▇█]+/);
  assert.equal(run(['timeline', '--db', db, '--interval', 'often']).code, 2);
});

test('sql runs one read-only statement; anything else is refused', () => {
  const r = run(['sql', '--db', db, 'SELECT proto, count(*) AS n FROM connections GROUP BY proto ORDER BY proto', '--format', 'json']);
  assert.equal(r.code, 0, r.err);
  const byProto = JSON.parse(r.out);
  assert.equal(byProto.reduce((s: number, x: { n: number }) => s + x.n, 0), conns.length);
  for (const bad of ['DELETE FROM connections', 'SELECT 1; DROP TABLE dns', "COPY connections TO '/tmp/x.csv'", '']) {
    const b = run(['sql', '--db', db, bad]);
    assert.equal(b.code, 2, bad);
  }
  const ext = run(['sql', '--db', db, "SELECT * FROM read_csv('/etc/passwd')"]);
  assert.notEqual(ext.code, 0);
  const stats = JSON.parse(run(['stats', '--db', db, '--format', 'json']).out);
  assert.equal(stats.totals.connections, conns.length);
  assert.equal(stats.totals.dns, dns.length);
});
