// --community-id-seed: the Community IDs Nightjar computes take the seed, checked against tshark's own
// Community ID (its `communityid` post-dissector with the same seed) on real captures, and against the
// spec's reference computation for a Zeek log, whose records carry no ID of their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { communityId, setCommunityIdSeed } from '../src/model/community-id.js';
import { openStore } from '../src/store/open.js';
import { sql } from '../src/store/sql.js';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const PCAP = path.join(process.cwd(), 'test/fixtures/pcap');
const HAVE_TSHARK = spawnSync('tshark', ['--version']).status === 0;

function ingest(db: string, file: string, seed: number | null): void {
  const args = [BIN, 'ingest', '--db', db, file, ...(seed === null ? [] : ['--community-id-seed', String(seed)])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

async function storedIds(db: string, table = 'connections'): Promise<Set<string>> {
  const store = await openStore(db);
  try {
    const rows = await store.all(sql`SELECT DISTINCT community_id FROM ${{ parts: [`"${table}"`], params: [] }} WHERE community_id IS NOT NULL`);
    return new Set(rows.map((r) => String(r.community_id)));
  } finally {
    await store.close();
  }
}

function tsharkIds(file: string, seed: number): Set<string> {
  const r = spawnSync('tshark', ['-r', file, '--enable-protocol', 'communityid', '-o', `communityid.seed:${seed}`, '-T', 'fields', '-e', 'communityid'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return new Set(r.stdout.split('\n').filter((l) => l.startsWith('1:')));
}

// Not SCTP: connections there follow Zeek's baseline (zeek_communityid_sctp), which hashes SCTP with ports 0
// where tshark includes them (the zeek-conformance test holds that choice).
for (const name of ['zeek_communityid_tcp', 'zeek_communityid_ipv6', 'zeek_communityid_icmp', 'zeek_http_get']) {
  test(`captures: every connection's Community ID with seed 7 is tshark's (${name})`, { skip: !HAVE_TSHARK && 'tshark not installed' }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-seed-'));
    const file = path.join(PCAP, `${name}.pcap`);
    ingest(path.join(dir, 'seeded.duckdb'), file, 7);
    ingest(path.join(dir, 'plain.duckdb'), file, null);
    const seeded = await storedIds(path.join(dir, 'seeded.duckdb'));
    const plain = await storedIds(path.join(dir, 'plain.duckdb'));
    assert.ok(seeded.size > 0);
    assert.deepEqual([...seeded].sort(), [...tsharkIds(file, 7)].sort());
    assert.deepEqual([...plain].sort(), [...tsharkIds(file, 0)].sort());
    for (const id of seeded) assert.ok(!plain.has(id), `${id} did not change with the seed`);
  });
}

test('a Zeek log without IDs gets them computed with the seed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-seed-'));
  const db = path.join(dir, 'zeek.duckdb');
  ingest(db, path.join(process.cwd(), 'test/fixtures/zeek/rita_tsv_conn.log'), 4242);
  const store = await openStore(db);
  try {
    const rows = await store.all(sql`SELECT orig_h, resp_h, orig_p, resp_p, ip_proto, community_id FROM connections WHERE ip_proto IN (6, 17)`);
    assert.ok(rows.length > 10);
    for (const r of rows) {
      const want = communityId(String(r.orig_h), String(r.resp_h), Number(r.orig_p), Number(r.resp_p), Number(r.ip_proto), 4242);
      assert.equal(r.community_id, want);
    }
  } finally {
    await store.close();
  }
});

test('the default seed of a thread is 0 and can be set; bad seeds are refused', () => {
  const a = communityId('10.0.0.1', '10.0.0.2', 1234, 80, 6);
  assert.equal(a, communityId('10.0.0.1', '10.0.0.2', 1234, 80, 6, 0));
  setCommunityIdSeed(1);
  try {
    assert.equal(communityId('10.0.0.1', '10.0.0.2', 1234, 80, 6), communityId('10.0.0.1', '10.0.0.2', 1234, 80, 6, 1));
    assert.notEqual(communityId('10.0.0.1', '10.0.0.2', 1234, 80, 6), a);
  } finally {
    setCommunityIdSeed(0);
  }
  assert.throws(() => setCommunityIdSeed(65536), RangeError);
  assert.throws(() => setCommunityIdSeed(-1), RangeError);
  assert.throws(() => setCommunityIdSeed(1.5), RangeError);
});

test('--community-id-seed outside 0-65535 is a usage error (exit 2) naming the option', () => {
  const r = spawnSync(process.execPath, [BIN, 'ingest', '--db', ':memory:', '--community-id-seed', '65536', path.join(PCAP, 'zeek_http_get.pcap')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--community-id-seed 65536: give a whole number from 0 to 65535/);
});
