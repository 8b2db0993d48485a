import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDBStore } from '../store/duckdb/duckdb-store.js';
import { MIGRATIONS } from '../store/migrations.js';
import { duckdbDialectFor } from '../store/duckdb/dialect.js';

/** The dialect of a store file in DuckDB's default format, as older builds made them. */
const duckdbDialect = duckdbDialectFor('v1.0.0+');
import { join, sql, type SqlFragment } from '../store/sql.js';
import type { Store } from '../store/store.js';
import { at, conn, dns, ingestFiles, tmpDir, tmpStore, writeLog } from './enrich-test-support.js';
import { nameServers, namesFor, passiveDnsFields, passiveDnsHook, rebuildPassiveDns, resolvedBy, type PassiveDnsOptions } from './passive-dns.js';

const A = '10.1.1.1';
const B = '10.1.1.2';

/** Every connection's uid and destination name, through the catalog's join appended after the base. */
async function names(store: Store, opts?: PassiveDnsOptions): Promise<Record<string, string | null>> {
  const { joins, fields } = passiveDnsFields(store.dialect, opts);
  const f = fields[0];
  const q: SqlFragment = sql`SELECT t.uid, ${f.expr} AS resp_name FROM "connections" AS t ${join([...joins.values()], ' ')} ORDER BY t.uid`;
  const out: Record<string, string | null> = {};
  for (const r of await store.all(q)) out[String(r.uid)] = r.resp_name as string | null;
  return out;
}

const DNS = [
  dns('D1', at(0), A, 'fresh.example', ['203.0.113.5'], [300]),
  dns('D2', at(0), A, 'Short.Example.', ['203.0.113.6'], [60]),
  dns('D3', at(0), A, 'first.example', ['203.0.113.7'], [3600]),
  dns('D4', at(100), A, 'second.example', ['203.0.113.7'], [3600]),
  dns('D5', at(0), B, 'theirs.example', ['203.0.113.8'], [3600]),
  dns('D6', at(0), A, 'www.example.com', ['cdn.example.net', 'edge.cdn.example.net', '198.51.100.9', '198.51.100.10'], [30, 30, 20, 20]),
  dns('D7', at(0), A, 'v6.example', ['2001:db8::10'], [600]),
  dns('D8', at(0), A, 'txt.example', ['TXT 18 302f017537c68f5169'], [60]),
];

const CONN = [
  conn('C01', at(10), A, '203.0.113.5'), // fresh answer
  conn('C02', at(120), A, '203.0.113.6'), // TTL 60 expired
  conn('C03', at(50), A, '203.0.113.7'), // only the first answer exists yet
  conn('C04', at(200), A, '203.0.113.7'), // the second, more recent answer wins
  conn('C05', at(10), A, '203.0.113.8'), // B's answer does not name A's connection
  conn('C06', at(10), B, '203.0.113.8'), // but names B's
  conn('C07', at(5), A, '198.51.100.10'), // end of a CNAME chain: the queried name
  conn('C08', at(5), A, '2001:db8::10'), // IPv6
  conn('C09', at(-5), A, '203.0.113.5'), // before the answer
  conn('C10', at(0), A, '203.0.113.5'), // at the very time of the answer
  conn('C11', at(300), A, '203.0.113.5'), // exactly at expiry: still valid
  conn('C12', at(301), A, '203.0.113.5'), // one second later: expired
];

async function setup(): Promise<{ store: Store; dir: string; files: string[] }> {
  const store = await tmpStore();
  store.addIngestHook(passiveDnsHook());
  const dir = tmpDir();
  // Connections first: naming is computed at query time, so ingest order does not matter.
  const files = [writeLog(dir, 'conn.log', CONN), writeLog(dir, 'dns.log', DNS)];
  await ingestFiles(store, files);
  return { store, dir, files };
}

test('passive DNS names connections by the client\'s own most recent live answer', async () => {
  const { store } = await setup();
  assert.deepEqual(await names(store), {
    C01: 'fresh.example',
    C02: null,
    C03: 'first.example',
    C04: 'second.example',
    C05: null,
    C06: 'theirs.example',
    C07: 'www.example.com',
    C08: 'v6.example',
    C09: null,
    C10: 'fresh.example',
    C11: 'fresh.example',
    C12: null,
  });
  // A fixed window instead of TTLs: the 60 s answer names the connection two minutes later.
  const w = await names(store, { validity: 'window', windowSeconds: 3600 });
  assert.equal(w.C02, 'short.example');
  assert.equal(w.C12, 'fresh.example');
  assert.equal(w.C05, null);
  const tight = await names(store, { validity: 'window', windowSeconds: 5 });
  assert.deepEqual([tight.C01, tight.C07, tight.C08], [null, 'www.example.com', 'v6.example']);
  await store.close();
});

test('the answers table holds address answers only, CNAME chains under the queried name', async () => {
  const { store } = await setup();
  const rows = await store.all(sql`SELECT client, name, answer, ttl FROM dns_answers WHERE name = 'www.example.com' ORDER BY answer`);
  assert.deepEqual(rows, [
    { client: A, name: 'www.example.com', answer: '198.51.100.10', ttl: 20 },
    { client: A, name: 'www.example.com', answer: '198.51.100.9', ttl: 20 },
  ]);
  const total = await store.all(sql`SELECT count(*) AS n, count(*) FILTER (WHERE name = 'txt.example') AS txt FROM dns_answers`);
  assert.deepEqual(total, [{ n: 8, txt: 0 }]);
  await store.close();
});

test('--force re-ingest keeps the answers table exact, and a rebuild derives the same rows', async () => {
  const { store, files } = await setup();
  const snapshot = async (): Promise<unknown[]> =>
    store.all(sql`SELECT ts, client, name, answer, ttl FROM dns_answers ORDER BY client, name, answer`);
  const before = await snapshot();
  await ingestFiles(store, [files[1]], true);
  assert.deepEqual(await snapshot(), before);
  const ids = await store.all(sql`SELECT DISTINCT ingest_id FROM dns_answers`);
  assert.deepEqual(ids, [{ ingest_id: 3 }]);
  await ingestFiles(store, [files[1]]); // already ingested: nothing changes
  assert.deepEqual(await snapshot(), before);
  assert.equal(await rebuildPassiveDns(store), before.length);
  assert.deepEqual(await snapshot(), before);
  await store.close();
});

test('namesFor and resolvedBy answer the host investigation\'s questions', async () => {
  const { store } = await setup();
  const n = await namesFor(store, '203.0.113.7');
  assert.deepEqual(n.map((x) => [x.name, x.answers, x.clients]), [['second.example', 1, 1], ['first.example', 1, 1]]);
  assert.deepEqual((await namesFor(store, '2001:DB8:0::10')).map((x) => x.name), ['v6.example']);
  assert.deepEqual(await namesFor(store, '203.0.113.7', { since: at(50) * 1e6 }).then((r) => r.map((x) => x.name)), ['second.example']);
  const r = await resolvedBy(store, A, {}, 3);
  assert.equal(r.length, 3);
  assert.equal(r[0].name, 'second.example');
  const all = await resolvedBy(store, A);
  assert.deepEqual(all.find((x) => x.name === 'www.example.com')?.addresses, ['198.51.100.10', '198.51.100.9']);
  assert.deepEqual((await resolvedBy(store, B)).map((x) => x.name), ['theirs.example']);
  await assert.rejects(namesFor(store, 'not-an-ip'), /not an IP address/);
  await store.close();
});

test('migrations run whatever versions are missing, in any gap; version 4 backfills passive DNS', async () => {
  const file = path.join(tmpDir(), 'gap.duckdb');
  const inst = await DuckDBInstance.create(file);
  const c = await inst.connect();
  await c.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)');
  for (const m of MIGRATIONS.filter((x) => x.version <= 2)) {
    for (const s of m.statements(duckdbDialect)) await c.run(s);
    await c.run('INSERT INTO schema_migrations VALUES ($1, $2, current_timestamp)', [m.version, m.name]);
  }
  await c.run("INSERT INTO dns (ts, orig_h, query, answers, ttls, ingest_id) VALUES ('2024-03-01 00:00:00', '10.9.9.9', 'old.example', ['cname.example', '192.0.2.1'], [60, 60], 1)");
  // A version this build does not know (another branch's, or a newer build's) must not stop the rest.
  await c.run("INSERT INTO schema_migrations VALUES (99, 'future', current_timestamp)");
  c.closeSync();
  inst.closeSync();
  let store = await openDuckDBStore({ path: file });
  const v = await store.all(sql`SELECT version FROM schema_migrations ORDER BY version`);
  assert.deepEqual(v.map((r) => r.version), [...MIGRATIONS.map((m) => m.version), 99]);
  // Migration 4 backfills the answers of DNS records stored before it.
  assert.deepEqual(await store.all(sql`SELECT client, name, answer FROM dns_answers`), [{ client: '10.9.9.9', name: 'old.example', answer: '192.0.2.1' }]);
  await store.close();
  store = await openDuckDBStore({ path: file });
  assert.deepEqual(await store.all(sql`SELECT count(*) AS n FROM intel`), [{ n: 0 }]);
  await store.close();
});

test('a real capture (suricata-verify teredo): the HTTP connection after the lookup is named', async () => {
  const store = await tmpStore();
  store.addIngestHook(passiveDnsHook());
  await ingestFiles(store, [path.join(process.cwd(), 'test/fixtures/pcap/sv_teredo.pcap')]);
  // Keyed by the 5-tuple: capture uids are seeded from the input's path, which differs per checkout.
  const { joins, fields } = passiveDnsFields(store.dialect);
  const n: Record<string, string | null> = {};
  const rows = await store.all(sql`SELECT t.orig_h, t.resp_h, t.resp_p, t.proto, ${fields[0].expr} AS resp_name
    FROM "connections" AS t ${join([...joins.values()], ' ')}`);
  for (const r of rows) n[`${r.orig_h} ${r.resp_h}:${r.resp_p}/${r.proto}`] = r.resp_name as string | null;
  // 192.168.2.16 resolved www.wireshark.org to 67.228.110.120 (TTL 14400) 0.12 s before connecting.
  assert.equal(n['192.168.2.16 67.228.110.120:80/tcp'], 'www.wireshark.org');
  // ipv6.google.com (via a CNAME) was resolved over IPv4 by 192.168.2.16, but the ICMPv6 echo to it
  // came from the host's Teredo address: another client, so no name.
  const echo = Object.keys(n).filter((k) => k.includes('2001:4860:0:2001::68'));
  assert.ok(echo.length > 0);
  for (const k of echo) assert.equal(n[k], null);
  assert.deepEqual(Object.values(n).filter((x) => x !== null), ['www.wireshark.org']);
  assert.deepEqual((await resolvedBy(store, '192.168.2.16')).map((r) => [r.name, r.addresses]), [
    ['www.wireshark.org', ['67.228.110.120']],
    ['ipv6.google.com', ['2001:4860:0:2001::68']],
  ]);
  await store.close();
});

test('nameServers (the investigation\'s batch lookup) names each pair as the connection join does', async () => {
  const { store } = await setup();
  const joined = await names(store);
  for (const c of CONN) {
    const [uid, ts, client, server] = [c.uid as string, c.ts as number, c['id.orig_h'] as string, c['id.resp_h'] as string];
    const m = await nameServers(store, [{ client, server, at: Math.round(ts * 1e6) }]);
    assert.equal(m.get(server) ?? null, joined[uid], uid);
  }
  assert.equal((await nameServers(store, [])).size, 0);
  await store.close();
});
