// Inputs as real systems write them, through the CLI as users run it: gzip with junk after its
// member (a copy tool or transfer appended bytes), read from a file and from standard input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

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

