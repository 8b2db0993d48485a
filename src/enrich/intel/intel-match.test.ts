import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { duckdbDialect } from '../../store/duckdb/dialect.js';
import { join, raw, sql, type SqlFragment } from '../../store/sql.js';
import type { Row, Store } from '../../store/store.js';
import { at, conn, dns, ingestFiles, tmpDir, tmpStore, writeLog } from '../enrich-test-support.js';
import { passiveDnsFields, passiveDnsHook } from '../passive-dns.js';
import { intelFields, type IntelTable } from './intel-fields.js';
import { huntMatches, intelMatchHook, recordHunt } from './intel-match.js';
import { loadFeed } from './intel-store.js';

const FEEDS = path.join(process.cwd(), 'test/fixtures/intel');

const CONN = [
  conn('C1', at(10), '10.1.1.1', '198.51.100.23'), // plain.txt address, responder side
  conn('C2', at(20), '203.0.113.9', '10.1.1.1', 22), // plain.txt IPv4 CIDR, originator side
  conn('C3', at(30), '10.1.1.1', '2001:db8:bad::5'), // plain.txt IPv6 CIDR
  conn('C4', at(40), '10.1.1.1', '2001:db8::66'), // plain.txt IPv6 address
  conn('C5', at(50), '10.1.1.1', '198.51.100.24'), // nothing
  conn('C6', at(60), '10.1.1.1', '2001:db8:c0de::1'), // STIX ISSUBSET, before valid_until
  conn('C7', at(200 * 86400), '10.1.1.1', '2001:db8:c0de::2'), // after valid_until: no match
];

const DNS = [
  dns('D1', at(1), '10.1.1.1', 'BAD.example', ['192.0.2.10'], [60]), // exact domain
  dns('D2', at(2), '10.1.1.1', 'www.bad.example', ['192.0.2.11'], [60]), // exact does not cover subdomains
  dns('D3', at(3), '10.1.1.1', 'x.y.evil.example', ['192.0.2.12'], [60]), // wildcard
  dns('D4', at(4), '10.1.1.1', 'evil.example', ['192.0.2.13'], [60]), // wildcard does not cover the apex
  dns('D5', at(5), '10.1.1.1', 'innocent.example', ['c.evil.example', '198.51.100.23'], [60, 60]), // answers: CNAME + address
  dns('D6', at(6), '10.1.1.1', 'deep.sub.phish.example', ['192.0.2.14'], [60]), // STIX LIKE '%.phish.example'
  dns('D7', at(7), '10.1.1.1', 'exfil2.example', ['192.0.2.15'], [60]), // STIX IN list, case folded
];

const FIREWALL = [
  '2024-03-01T00:00:30Z fw kernel: [wan-in-D]IN=eth0 OUT= SRC=203.0.113.200 DST=10.4.0.5 LEN=52 TOS=0x00 PREC=0x00 TTL=63 ID=0 DF PROTO=TCP SPT=38842 DPT=443 WINDOW=2853 RES=0x00 SYN URGP=0',
  '2024-03-01T00:00:31Z fw kernel: [wan-in-D]IN=eth0 OUT= SRC=192.0.2.99 DST=10.4.0.5 LEN=52 TOS=0x00 PREC=0x00 TTL=63 ID=0 DF PROTO=TCP SPT=38843 DPT=443 WINDOW=2853 RES=0x00 SYN URGP=0',
];

const EXPECTED = [
  'connections C1 resp_h 198.51.100.23 plain 198.51.100.23',
  'connections C2 orig_h 203.0.113.9 plain 203.0.113.0/24',
  'connections C3 resp_h 2001:db8:bad::5 plain 2001:db8:bad::/48',
  'connections C4 resp_h 2001:db8::66 plain 2001:DB8::66',
  'connections C6 resp_h 2001:db8:c0de::1 stix 2001:db8:c0de::/48',
  'dns D1 query bad.example plain bad.example',
  'dns D3 query x.y.evil.example plain *.evil.example',
  'dns D5 answers 198.51.100.23 plain 198.51.100.23',
  'dns D5 answers c.evil.example plain *.evil.example',
  'dns D6 query deep.sub.phish.example stix *.phish.example',
  'dns D7 query exfil2.example stix EXFIL2.example',
  'firewall - orig_h 203.0.113.200 plain 203.0.113.0/24',
];

function files(dir: string): string[] {
  const fw = path.join(dir, 'fw.log');
  fs.writeFileSync(fw, FIREWALL.join('\n') + '\n');
  return [writeLog(dir, 'conn.log', CONN), writeLog(dir, 'dns.log', DNS), fw];
}

async function loadFeeds(store: Store): Promise<void> {
  await loadFeed(store, { file: path.join(FEEDS, 'plain.txt'), name: 'plain' });
  await loadFeed(store, { file: path.join(FEEDS, 'bundle.stix.json'), name: 'stix' });
}

function describe(r: Row): string {
  return [r.table, r.uid ?? '-', r.field, r.value, r.feed, r.indicator].join(' ');
}

async function findings(store: Store): Promise<string[]> {
  const rows = await store.all(sql`SELECT uid, extra->>'$.table' AS "table", extra->>'$.field' AS field, extra->>'$.value' AS value,
  extra->>'$.feed' AS feed, extra->>'$.indicator' AS indicator FROM findings WHERE source_type = 'intel'`);
  return rows.map(describe).sort();
}

async function hunt(store: Store, feed?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const b of huntMatches(store, { feed })) for (const r of b) out.push(describe(r));
  return out.sort();
}

test('at ingest: addresses, CIDRs (v4, v6), exact and wildcard domains and STIX values become findings', async () => {
  const store = await tmpStore();
  store.addIngestHook(intelMatchHook(store.dialect));
  await loadFeeds(store);
  await ingestFiles(store, files(tmpDir()));
  assert.deepEqual(await findings(store), EXPECTED);
  // Findings join back to their records by uid, Community ID and the 5-tuple.
  const back = await store.all(sql`SELECT f.signature, c.uid, f.community_id = c.community_id AS same_cid FROM findings f
  JOIN connections c ON c.uid = f.uid AND c.orig_h = f.orig_h AND c.resp_h = f.resp_h AND c.resp_p = f.resp_p AND c.ts = f.ts WHERE f.uid = 'C1'`);
  assert.deepEqual(back, [{ signature: 'intel plain: 198.51.100.23', uid: 'C1', same_cid: true }]);
  await store.close();
});

test('retroactive hunt agrees with ingest-time matching and records nothing twice', async () => {
  const store = await tmpStore();
  const dir = tmpDir();
  const fs3 = files(dir);
  await ingestFiles(store, fs3); // no feeds yet, no hook: nothing matched
  assert.deepEqual(await findings(store), []);
  await loadFeeds(store);
  assert.deepEqual(await hunt(store), EXPECTED);
  assert.deepEqual(await hunt(store, 'stix'), EXPECTED.filter((e) => e.includes(' stix ')));
  assert.equal(await recordHunt(store), EXPECTED.length);
  assert.equal(await recordHunt(store), 0);
  assert.deepEqual(await findings(store), EXPECTED);
  // With the hook on, a --force re-ingest replaces the findings with the rows: still no duplicates.
  store.addIngestHook(intelMatchHook(store.dialect));
  await ingestFiles(store, fs3, true);
  assert.deepEqual(await findings(store), EXPECTED);
  assert.equal(await recordHunt(store), 0);
  // A time range narrows the hunt.
  const early: string[] = [];
  for await (const b of huntMatches(store, { range: { until: at(8) * 1e6 } })) for (const r of b) early.push(String(r.uid));
  assert.deepEqual(early, ['D1', 'D3', 'D5', 'D5', 'D6', 'D7']);
  await store.close();
});

test('a feed naming subdomains matches them; reloading a feed changes what later hunts find', async () => {
  const store = await tmpStore();
  await ingestFiles(store, files(tmpDir()));
  const f = path.join(tmpDir(), 'zone.txt');
  fs.writeFileSync(f, 'bad.example\n');
  await loadFeed(store, { file: f, name: 'zone', subdomains: true });
  assert.deepEqual(await hunt(store), ['dns D1 query bad.example zone bad.example', 'dns D2 query www.bad.example zone bad.example']);
  fs.writeFileSync(f, '192.0.2.99\n');
  await loadFeed(store, { file: f, name: 'zone' });
  assert.deepEqual(await hunt(store), ['firewall - orig_h 192.0.2.99 zone 192.0.2.99']);
  await store.close();
});

test('catalog fields: intel_match, intel_feed and intel_indicator on connections and DNS, beside passive DNS', async () => {
  const store = await tmpStore();
  store.addIngestHook(passiveDnsHook());
  store.addIngestHook(intelMatchHook(store.dialect));
  await loadFeeds(store);
  const dir = tmpDir();
  const extra = writeLog(dir, 'more.log', [
    dns('D9', at(100), '10.1.1.1', 'www.plain.example', ['198.51.100.23'], [300]),
    conn('C9', at(101), '10.1.1.1', '198.51.100.23'),
  ]);
  await ingestFiles(store, [...files(dir), extra]);
  const conns = catalogQuery(store, 'connections', sql`t.uid, ${col('intel_match')} AS m, ${col('intel_feed')} AS f, ${col('intel_indicator')} AS i, ${col('resp_name')} AS n`);
  const rows = await store.all(sql`${conns} WHERE t.uid IN ('C1', 'C2', 'C5', 'C9') ORDER BY t.uid`);
  assert.deepEqual(rows, [
    // C1 follows D5, whose answers named 198.51.100.23 for innocent.example a few seconds earlier.
    { uid: 'C1', m: true, f: 'plain', i: '198.51.100.23', n: 'innocent.example' },
    { uid: 'C2', m: true, f: 'plain', i: '203.0.113.0/24', n: null },
    { uid: 'C5', m: false, f: null, i: null, n: null },
    { uid: 'C9', m: true, f: 'plain', i: '198.51.100.23', n: 'www.plain.example' },
  ]);
  const d = await store.all(sql`${catalogQuery(store, 'dns', sql`t.uid, ${col('intel_feed', 'dns')} AS f`)} WHERE ${col('intel_match', 'dns')} ORDER BY t.uid`);
  assert.deepEqual(d, [{ uid: 'D1', f: 'plain' }, { uid: 'D3', f: 'plain' }, { uid: 'D5', f: 'plain' }, { uid: 'D6', f: 'stix' }, { uid: 'D7', f: 'stix' }, { uid: 'D9', f: 'plain' }]);
  await store.close();
});

/** A SELECT over a table with the intel (and, for connections, passive DNS) joins appended after `t`. */
function catalogQuery(store: Store, table: IntelTable, select: SqlFragment): SqlFragment {
  const j = [...intelFields(store.dialect, table).joins.values()];
  if (table === 'connections') j.push(...passiveDnsFields(store.dialect).joins.values());
  return sql`SELECT ${select} FROM ${raw(`"${table}"`)} AS t ${join(j, ' ')}`;
}

function col(name: string, table: IntelTable = 'connections'): SqlFragment {
  const all = [...intelFields(duckdbDialect, table).fields, ...passiveDnsFields(duckdbDialect).fields];
  return all.find((f) => f.name === name)!.expr;
}
