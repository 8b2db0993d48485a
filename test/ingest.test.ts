// End-to-end ingest: real Zeek and Suricata samples through the pipeline into a real DuckDB store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { ingest, type IngestReport } from '../src/pipeline/ingest.js';
import { openStore } from '../src/store/open.js';
import { sql, raw } from '../src/store/sql.js';
import type { Store } from '../src/store/store.js';

const FIX = path.join(process.cwd(), 'test/fixtures');

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nj-ingest-'));
}

async function counts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['connections', 'dns', 'firewall', 'findings', 'metadata']) {
    out[t] = Number((await store.all(sql`SELECT count(*) AS n FROM ${raw(t)}`))[0].n);
  }
  return out;
}

function only(report: IngestReport) {
  assert.equal(report.files.length, 1, JSON.stringify(report));
  return report.files[0];
}

test('a Zeek conn.log goes in whole, and a second ingest is a no-op that says so', async () => {
  const store = await openStore(path.join(tmpDir(), 'a.duckdb'));
  const file = path.join(FIX, 'zeek/rita_tsv_conn.log');
  const first = only(await ingest(store, [file]));
  assert.equal(first.status, 'ingested');
  assert.equal(first.format, 'zeek-tsv');
  assert.equal(first.totalSkipped, 0);
  const dataLines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).length;
  assert.equal(first.records.connections, dataLines);
  const again = only(await ingest(store, [file]));
  assert.equal(again.status, 'already-ingested');
  assert.match(again.message!, /already ingested as #1/);
  assert.equal((await counts(store)).connections, dataLines);
  // --force replaces the rows rather than adding to them.
  const forced = only(await ingest(store, [file], { force: true }));
  assert.equal(forced.status, 'ingested');
  assert.equal(forced.ingestId, 2);
  assert.equal((await counts(store)).connections, dataLines);
  assert.deepEqual((await store.listIngests()).map((i) => i.ingestId), [2]);
  const row = (await store.all(sql`SELECT * FROM connections WHERE uid = ${'CXHB1X22027MRWU6D'}`))[0];
  assert.equal(row.ts, '2023-01-04T14:37:36.913119Z');
  assert.equal(row.orig_h, '10.136.0.18');
  assert.equal(row.resp_p, 3128);
  assert.equal(row.service, 'http,ssl');
  assert.equal(row.orig_bytes, 1030);
  assert.equal(row.resp_ip_bytes, 21011);
  assert.equal(row.history, 'ShADadFf');
  assert.equal(row.source_type, 'zeek');
  assert.match(String(row.community_id), /^1:[A-Za-z0-9+/]{27}=$/);
  await store.close();
});

test('a directory of mixed sources, by content: the same rows from the worker and inline decoders', async () => {
  const dir = tmpDir();
  const src = path.join(dir, 'logs');
  fs.mkdirSync(path.join(src, 'nested'), { recursive: true });
  // Misleading names on purpose: the format is taken from the content.
  fs.copyFileSync(path.join(FIX, 'zeek/rita_tsv_dns.log'), path.join(src, 'a.txt'));
  fs.copyFileSync(path.join(FIX, 'zeek/rita_json_conn.log'), path.join(src, 'nested/b.data'));
  fs.copyFileSync(path.join(FIX, 'suricata/crowdsec_suricata_eve.json'), path.join(src, 'nested/c.log'));
  fs.copyFileSync(path.join(FIX, 'zeek/rita_tsv_http.log'), path.join(src, 'http.log'));
  const results: Record<string, number>[] = [];
  for (const worker of [true, false]) {
    const store = await openStore(path.join(dir, `${worker}.duckdb`));
    const report = await ingest(store, [src], { worker });
    assert.deepEqual(
      report.files.map((f) => [path.basename(f.input), f.status, f.format]),
      [
        ['a.txt', 'ingested', 'zeek-tsv'],
        ['http.log', 'ingested', 'zeek-tsv'],
        ['b.data', 'ingested', 'zeek-json'],
        ['c.log', 'ingested', 'suricata-eve'],
      ],
    );
    const c = await counts(store);
    assert.ok(c.dns > 900, `dns rows ${c.dns}`);
    assert.ok(c.connections >= 28, `connections ${c.connections}`);
    assert.ok(c.metadata > 400, `metadata ${c.metadata}`);
    results.push(c);
    await store.close();
  }
  assert.deepEqual(results[0], results[1]);
});

test('gzip is read transparently and gives the same rows as the plain file', async () => {
  const dir = tmpDir();
  const plain = path.join(FIX, 'zeek/rita_tsv_conn.log');
  const gz = path.join(dir, 'conn.log.gz');
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(plain)));
  const s1 = await openStore(path.join(dir, '1.duckdb'));
  const s2 = await openStore(path.join(dir, '2.duckdb'));
  const a = only(await ingest(s1, [plain]));
  const b = only(await ingest(s2, [gz]));
  assert.equal(b.status, 'ingested');
  assert.equal(b.totalRecords, a.totalRecords);
  const q = sql`SELECT uid, community_id, orig_bytes FROM connections ORDER BY uid`;
  assert.deepEqual(await s2.all(q), await s1.all(q));
  await s1.close();
  await s2.close();
});

for (const worker of [true, false]) {
test(`bad inputs: each skipped record counted with its line, valid ones kept, unreadable ones named (${worker ? 'decode worker' : 'inline'})`, async () => {
  const dir = tmpDir();
  const store = await openStore(path.join(dir, 'bad.duckdb'));
  const report = await ingest(store, [
    path.join(FIX, 'zeek/rita_tsv_truncated_conn.log'),
    path.join(FIX, 'zeek/rita_not_a_log_conn.log'),
    path.join(dir, 'missing.log'),
  ], { worker });
  assert.equal(report.problems.length, 1);
  assert.match(report.problems[0].message, /no such file/);
  const [trunc, notLog] = report.files;
  assert.equal(trunc.status, 'ingested');
  assert.ok(trunc.totalRecords > 0);
  assert.ok(trunc.totalSkipped > 0);
  for (const s of Object.values(trunc.skipped)) assert.ok(s.first.length > 0 && s.first.every((n) => n > 0));
  assert.equal(notLog.status, 'failed');
  assert.match(notLog.message!, /rita_not_a_log_conn\.log: not a format Nightjar recognises/);
  assert.equal((await counts(store)).connections, trunc.totalRecords);
  await store.close();
});

test(`a damaged gzip keeps everything decoded before the damage and reports where it stopped (${worker ? 'decode worker' : 'inline'})`, async () => {
  const dir = tmpDir();
  const full = zlib.gzipSync(fs.readFileSync(path.join(FIX, 'zeek/rita_tsv_dns.log')));
  const cut = path.join(dir, 'dns.log.gz');
  fs.writeFileSync(cut, full.subarray(0, Math.floor(full.length * 0.6)));
  const store = await openStore(path.join(dir, 'gz.duckdb'));
  const f = only(await ingest(store, [cut], { worker }));
  assert.equal(f.status, 'ingested');
  assert.ok((f.records.dns ?? 0) > 100, JSON.stringify(f.records));
  assert.ok(f.skipped.read_error, JSON.stringify(f.skipped));
  assert.match(f.skipped.read_error.example!, /damaged gzip|unexpected end/);
  await store.close();
});

test(`junk after a complete gzip member: the member's rows kept, the junk one skip at its offset; several members all read (${worker ? 'decode worker' : 'inline'})`, async () => {
  const dir = tmpDir();
  const text = fs.readFileSync(path.join(FIX, 'zeek/rita_tsv_dns.log'));
  const member = zlib.gzipSync(text);
  const junk = path.join(dir, 'junk.log.gz');
  fs.writeFileSync(junk, Buffer.concat([member, Buffer.from('trailing garbage\n')]));
  const twice = path.join(dir, 'twice.log.gz');
  fs.writeFileSync(twice, Buffer.concat([member, member, Buffer.alloc(64)]));
  const store = await openStore(path.join(dir, 'gz.duckdb'));
  const report = await ingest(store, [junk, twice], { worker });
  const [j, t] = report.files;
  const rows = text.toString().split('\n').filter((l) => l && !l.startsWith('#')).length;
  assert.equal(j.status, 'ingested');
  assert.equal(j.records.dns, rows);
  assert.equal(j.totalSkipped, 1);
  assert.deepEqual(j.skipped.gzip_trailing_garbage.first, [member.length]);
  assert.match(j.skipped.gzip_trailing_garbage.example!, /junk\.log\.gz: trailing garbage .* offset \d+/);
  assert.equal(t.status, 'ingested');
  assert.equal(t.records.dns, 2 * rows);
  assert.equal(t.totalSkipped, 0);
  await store.close();
});
}

test('an input of records ignored by design and one bad line is ingested with the skip counted, not failed', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'pa-system.log');
  fs.writeFileSync(file, [
    '1,2021/10/26 15:05:03,001901000999,SYSTEM,general,2561,2021/10/26 15:05:03,,general,,0,0,general,informational,"update server reached: 192.0.2.7",1,0x0,0,0,0,0,,pa-lab,0,0,2021-10-26T15:05:03.440-07:00',
    '1,2021/10/26 15:06:03,001901000999,CONFIG,0,2561,2021/10/26 15:06:03,192.0.2.8,,set,admin,Web,Succeeded, deviceconfig system,2,0x0',
    '001901000999,2021/10/26 15:07:03,audit,2561,gui-op,admin,"<show/>",success',
    '',
  ].join('\n'));
  const store = await openStore(path.join(dir, 's.duckdb'));
  const f = only(await ingest(store, [file]));
  assert.equal(f.status, 'ingested', f.message);
  assert.equal(f.format, 'panos');
  assert.deepEqual(f.ignored, { 'panos-system': 1, 'panos-config': 1 });
  assert.deepEqual(Object.keys(f.skipped), ['not_panos']);
  assert.equal(f.totalRecords, 0);
  await store.close();
});
