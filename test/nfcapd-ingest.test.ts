// nfdump's own files, end to end: softflowd replays the corpus captures (NetFlow v9, IPv4 and IPv6)
// into a real nfcapd; `nfdump -r FILE -w OUT` rewrites its file uncompressed and with LZO, LZ4 and
// BZ2; `nightjar ingest OUT` must store exactly the flows `nfdump -r OUT -o json` prints (count,
// 5-tuples, first and last times, packets, bytes, TCP flags, exporter). Skips when a tool is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts, outputMatch } from '../src/collector/collector-test-support.js';
import { fromNfdump, fromRow, type ComparableFlow } from '../src/decode/nfcapd/test-support.js';
import type { TestValue } from '../src/decode/testing.js';
import { openDuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import { sql } from '../src/store/sql.js';
import { exited, missingTools, sleep, softflowd } from './softflowd-support.js';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const FIX = path.join(process.cwd(), 'test/fixtures/collector');
const CAPTURES = ['zeek_smtp.pcap', 'sv_ethernet_eve_dns_flow_netflow.pcap', 'sv_community_id_ipv6.pcap'];
const missing = missingTools(['softflowd', 'softflowctl', 'nfcapd', 'nfdump']);

const order = (a: ComparableFlow, b: ComparableFlow): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

function nfdumpFlows(file: string): ComparableFlow[] {
  const r = spawnSync('nfdump', ['-r', file, '-o', 'json'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, TZ: 'UTC' } });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as Record<string, unknown>[]).map(fromNfdump).sort(order);
}

async function storedFlows(db: string): Promise<ComparableFlow[]> {
  const store = await openDuckDBStore({ path: db });
  try {
    const rows = await store.all(
      sql`SELECT epoch_us(ts) AS ts, epoch_us(end_ts) AS end_ts, orig_h, orig_p, resp_h, resp_p, ip_proto, orig_pkts, orig_ip_bytes, extra FROM connections`,
    );
    return rows.map((r) => fromRow(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])) as Record<string, TestValue>)).sort(order);
  } finally {
    await store.close();
  }
}

test('nfcapd files of a real nfcapd, in every compression: nightjar ingest stores what nfdump reads', { skip: missing.length ? `needs ${missing.join(', ')}` : false, timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-nfcapd-'));
  const capDir = path.join(dir, 'cap');
  fs.mkdirSync(capDir);
  const [port] = await freePorts(1);
  const nf = spawn('nfcapd', ['-w', capDir, '-p', String(port), '-b', '127.0.0.1', '-I', 'nj-test'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await outputMatch(nf, /Startup/, 10_000);
    for (const cap of CAPTURES) await softflowd(dir, path.join(FIX, cap), port, 9);
    await sleep(300);
    nf.kill('SIGTERM');
    await exited(nf, 10_000);
    const files = fs.readdirSync(capDir).filter((f) => f.startsWith('nfcapd.') && !f.startsWith('nfcapd.current'));
    assert.equal(files.length, 1, files.join(' '));
    const source = path.join(capDir, files[0]);
    for (const [flag, name] of [
      [null, 'none'],
      ['-z', 'lzo'],
      ['-y', 'lz4'],
      ['-j', 'bz2'],
    ] as const) {
      const out = path.join(dir, `nfcapd.${name}`);
      const w = spawnSync('nfdump', ['-r', source, ...(flag ? [flag] : []), '-w', out], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(w.status, 0, w.stderr);
      const expected = nfdumpFlows(out);
      assert.ok(expected.length >= 43, `nfdump read ${expected.length} flows`);
      const db = path.join(dir, `${name}.duckdb`);
      const r = spawnSync(process.execPath, [BIN, 'ingest', '--db', db, out], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout + r.stderr, /\[nfcapd, #1\].* 0 skipped/s);
      assert.deepEqual(await storedFlows(db), expected, name);
    }
  } finally {
    if (nf.exitCode === null) nf.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
