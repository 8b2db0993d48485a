// Inputs as real systems write them: gzip with junk after its member (a copy tool or transfer
// appended bytes), UTF-16 text (PowerShell 5's `>` and Out-File), through the pipeline into a real
// store and through the CLI as users run it, from files and from standard input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { ingest, type IngestReport } from '../src/pipeline/ingest.js';
import { openStore } from '../src/store/open.js';
import { sql, raw } from '../src/store/sql.js';
import type { Store } from '../src/store/store.js';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const FIX = path.join(process.cwd(), 'test/fixtures');
const ENV = { ...process.env };
delete ENV.NIGHTJAR_DB;

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nj-odd-'));
}

function run(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env: ENV });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('gzip with junk after its member, from a file and from stdin: rows kept, junk named with its offset, exit 0 as for other skips', () => {
  const dir = tmpDir();
  const member = zlib.gzipSync(fs.readFileSync(path.join(FIX, 'zeek/rita_tsv_conn.log')));
  const bytes = Buffer.concat([member, Buffer.from('\r\n-- end of transfer --\r\n')]);
  const file = path.join(dir, 'conn.log.gz');
  fs.writeFileSync(file, bytes);
  for (const [args, input, name] of [[[file], undefined, file], [['-'], bytes, '-']] as const) {
    const r = run(['ingest', '--db', path.join(dir, `${name === '-' ? 'stdin' : 'file'}.duckdb`), '--json', ...args], input);
    assert.equal(r.code, 0, r.err);
    const f = JSON.parse(r.out).files[0];
    assert.equal(f.status, 'ingested');
    assert.equal(f.records.connections, 463);
    assert.deepEqual(f.skipped.gzip_trailing_garbage.first, [member.length]);
    assert.equal(f.skipped.gzip_trailing_garbage.example, `${name}: trailing garbage after the last complete gzip member ignored, from compressed byte offset ${member.length} (the data before it was kept)`);
    const text = run(['ingest', '--db', path.join(dir, `t-${name === '-' ? 'stdin' : 'file'}.duckdb`), ...args], input);
    assert.match(text.out, /warning: skipped 1: gzip_trailing_garbage ×1 \(offset \d+\)/);
  }
});

/** `text` as UTF-16 with a byte order mark: little-endian as PowerShell 5 writes it, or big-endian. */
function utf16(text: Buffer, order: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\ufeff${text.toString('utf8')}`, 'utf16le');
  return order === 'le' ? le : le.swap16();
}

// Zeek TSV with a cut last line, Zeek TSV with non-ASCII text, Windows Firewall's pfirewall.log with a
// short line, CEF with a line that has no time: the skips must name the same lines in every encoding.
const TEXTS = [
  'zeek/rita_tsv_truncated_conn.log',
  'zeek/zed_edge_zeek_utf8_json.log',
  'firewall/windows_pfirewall_azure_stack_edge_doc.log',
  'firewall/crowdsec_cef_unifi.log',
];

async function rows(store: Store): Promise<string[]> {
  const out: string[] = [];
  for (const t of ['connections', 'dns', 'firewall', 'findings', 'metadata']) {
    for (const r of await store.all(sql`SELECT * EXCLUDE (ingest_id) FROM ${raw(t)} ORDER BY ALL`)) out.push(`${t} ${JSON.stringify(r)}`);
  }
  return out;
}

function skipsOf(report: IngestReport): unknown[] {
  return report.files.map((f) => [f.status, f.format, f.records, f.skipped, f.ignored]);
}

for (const worker of [true, false]) {
  test(`UTF-16LE and UTF-16BE text with a BOM, plain or gzip'd, gives the rows and skip lines of the UTF-8 file (${worker ? 'decode worker' : 'inline'})`, async () => {
    const dir = tmpDir();
    const variants: Record<string, (b: Buffer) => Buffer> = {
      utf8: (b) => b,
      le: (b) => utf16(b, 'le'),
      be: (b) => utf16(b, 'be'),
      'le-gz': (b) => zlib.gzipSync(utf16(b, 'le')),
    };
    const results: Record<string, { rows: string[]; skips: unknown[] }> = {};
    for (const [variant, encode] of Object.entries(variants)) {
      const files = TEXTS.map((f, i) => {
        const p = path.join(dir, `${variant}-${i}-${path.basename(f)}`);
        fs.writeFileSync(p, encode(fs.readFileSync(path.join(FIX, f))));
        return p;
      });
      const store = await openStore(path.join(dir, `${variant}.duckdb`));
      const report = await ingest(store, files, { worker });
      results[variant] = { rows: await rows(store), skips: skipsOf(report) };
      await store.close();
    }
    const want = results.utf8;
    assert.ok(want.rows.length > 50, `${want.rows.length} rows`);
    assert.deepEqual(
      want.skips.map((s) => (s as unknown[])[0]),
      ['ingested', 'ingested', 'ingested', 'ingested'],
    );
    for (const variant of ['le', 'be', 'le-gz']) {
      assert.deepEqual(results[variant].skips, want.skips, variant);
      assert.deepEqual(results[variant].rows, want.rows, variant);
    }
  });
}

test('UTF-16LE from standard input (PowerShell piping a file) is recognised and stored as from the UTF-8 file', () => {
  const dir = tmpDir();
  const text = fs.readFileSync(path.join(FIX, 'firewall/windows_pfirewall_azure_stack_edge_doc.log'));
  const a = run(['ingest', '--db', path.join(dir, 'a.duckdb'), '--json', '-'], text);
  const b = run(['ingest', '--db', path.join(dir, 'b.duckdb'), '--json', '-'], utf16(text, 'le'));
  assert.equal(b.code, 0, b.err);
  const [fa, fb] = [JSON.parse(a.out).files[0], JSON.parse(b.out).files[0]];
  assert.equal(fb.format, 'windows-firewall');
  assert.deepEqual([fb.records, fb.skipped], [fa.records, fa.skipped]);
});

test('AWS VPC flow logs exported from CloudWatch Logs (gzip\'d export object) store the plain files\' connections', async () => {
  const dir = tmpDir();
  const cloud = path.join(FIX, 'cloud');
  const gz = path.join(dir, '000000.gz');
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(path.join(cloud, 'DERIVED_aws_vpcflow_cloudwatch_export.log'))));
  const plain = ['aws_vpcflow_v2_extra_samples.log', 'aws_vpcflow_custom_ecs_fields.log', 'aws_vpcflow_v5_all_fields.log'].map((f) => path.join(cloud, f));
  const q = sql`SELECT * EXCLUDE (ingest_id, extra), json_extract_string(extra, '$.cloudwatch_timestamp') AS cw FROM connections ORDER BY ALL`;
  const a = await openStore(path.join(dir, 'a.duckdb'));
  const ra = await ingest(a, plain);
  const b = await openStore(path.join(dir, 'b.duckdb'));
  const [fb] = (await ingest(b, [gz])).files;
  assert.equal(fb.format, 'aws-vpc-flow');
  assert.equal(fb.totalSkipped, 0);
  assert.deepEqual(fb.ignored, { nodata: 5, skipdata: 3 });
  assert.equal(fb.totalRecords, ra.files.reduce((n, f) => n + f.totalRecords, 0));
  const rowsA = (await a.all(q)).map((r) => ({ ...r, cw: null }));
  const rowsB = await b.all(q);
  assert.ok(rowsB.every((r) => typeof r.cw === 'string' && /^\d{4}-\d\d-\d\dT.*Z$/.test(r.cw)));
  assert.deepEqual(rowsB.map((r) => ({ ...r, cw: null })), rowsA);
  await a.close();
  await b.close();
});
