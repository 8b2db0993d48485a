// Enrichment end to end: a sample site config, records ingested through the store the CLI opens (so
// the ip_info hook runs), and the questions that use both: host profiles and the enriched rankings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSite } from '../src/enrich/site.js';
import { loadSiteConfig } from '../src/enrich/site-config.js';
import { CONNECTIONS, DNS, columnIndex } from '../src/model/fields.js';
import { hostProfile, reverseName } from '../src/query/host-profile.js';
import { topEnriched } from '../src/query/top-enriched.js';
import { ColumnBatch } from '../src/store/column-batch.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';

const C = columnIndex(CONNECTIONS);
const D = columnIndex(DNS);
const SITE_FILE = path.join(process.cwd(), 'test/fixtures/site/nightjar.yaml');
const T0 = Date.parse('2024-03-01T10:00:00Z') * 1000;
const MIN = 60_000_000;
const REC = { fingerprint: 'site', sha256: null, path: 'synthetic', size: 1, format: 'test', sensor: null, startedAt: '2024-03-01T00:00:00Z', finishedAt: '2024-03-01T00:00:01Z', records: 0, skipped: 0, summary: '{}' };

interface Conn { ts: number; o: string; op: number; r: string; rp: number; proto: string; service?: string; ob: number; rb: number }
interface Dns { ts: number; o: string; r: string; query: string; qtype: string; rcode: string | null; answers?: string[] }

const conns: Conn[] = [
  // The finance laptop: outbound to a CDN and to Google DNS, and internal to the database.
  { ts: T0, o: '10.2.3.4', op: 50000, r: '192.0.2.9', rp: 443, proto: 'tcp', service: 'ssl', ob: 1000, rb: 50000 },
  { ts: T0 + 2 * MIN, o: '10.2.3.4', op: 50001, r: '192.0.2.9', rp: 443, proto: 'tcp', service: 'ssl', ob: 2000, rb: 30000 },
  { ts: T0 + 5 * MIN, o: '10.2.3.4', op: 50002, r: '8.8.8.8', rp: 53, proto: 'udp', service: 'dns', ob: 60, rb: 120 },
  { ts: T0 + 61 * MIN, o: '10.2.3.4', op: 50003, r: '10.10.5.20', rp: 5432, proto: 'tcp', service: 'postgresql', ob: 400, rb: 9000 },
  // Inbound: an outside host reaches the laptop's SSH; a guest reaches the database.
  { ts: T0 + 90 * MIN, o: '1.1.1.1', op: 40000, r: '10.2.3.4', rp: 22, proto: 'tcp', service: 'ssh', ob: 3000, rb: 4000 },
  { ts: T0 + 95 * MIN, o: '10.99.0.7', op: 40001, r: '10.10.5.20', rp: 5432, proto: 'tcp', ob: 10, rb: 0 },
  // External to external.
  { ts: T0 + 100 * MIN, o: '9.9.9.9', op: 53, r: '208.67.222.222', rp: 53, proto: 'udp', service: 'dns', ob: 80, rb: 80 },
];

const dns: Dns[] = [
  { ts: T0 - MIN, o: '10.2.3.4', r: '10.0.0.53', query: 'cdn.example.', qtype: 'A', rcode: 'NOERROR', answers: ['192.0.2.9'] },
  { ts: T0 + MIN, o: '10.2.3.5', r: '10.0.0.53', query: 'CDN.example', qtype: 'A', rcode: 'NOERROR', answers: ['192.0.2.9'] },
  { ts: T0 + 3 * MIN, o: '10.2.3.4', r: '10.0.0.53', query: 'static.cdn.example', qtype: 'CNAME', rcode: 'NOERROR', answers: ['cdn.example', '192.0.2.9'] },
  { ts: T0 + 4 * MIN, o: '10.2.3.5', r: '10.0.0.53', query: reverseName('10.2.3.4'), qtype: 'PTR', rcode: 'NOERROR', answers: ['fin-laptop-7.corp.example'] },
  { ts: T0 + 6 * MIN, o: '10.2.3.4', r: '10.0.0.53', query: 'nope.example', qtype: 'A', rcode: 'NXDOMAIN' },
  { ts: T0 + 7 * MIN, o: '10.2.3.5', r: '10.0.0.53', query: 'nope.example', qtype: 'A', rcode: 'NXDOMAIN' },
  { ts: T0 + 8 * MIN, o: '10.2.3.5', r: '10.0.0.53', query: 'nope.example', qtype: 'A', rcode: null },
];

async function loadStore(): Promise<{ store: Store; db: string }> {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-site-e2e-')), 'site.duckdb');
  const store = await openStore(db);
  const w = await store.beginIngest();
  const b = new ColumnBatch(CONNECTIONS, 64);
  for (const c of conns) {
    const i = b.addRow();
    b.setNum(C.ts, i, c.ts);
    b.setStr(C.orig_h, i, c.o);
    b.setNum(C.orig_p, i, c.op);
    b.setStr(C.resp_h, i, c.r);
    b.setNum(C.resp_p, i, c.rp);
    b.setStr(C.proto, i, c.proto);
    b.setStr(C.service, i, c.service ?? null);
    b.setNum(C.orig_ip_bytes, i, c.ob);
    b.setNum(C.resp_ip_bytes, i, c.rb);
    b.setNum(C.ingest_id, i, w.ingestId);
  }
  w.append(b);
  const d = new ColumnBatch(DNS, 64);
  for (const q of dns) {
    const i = d.addRow();
    d.setNum(D.ts, i, q.ts);
    d.setStr(D.orig_h, i, q.o);
    d.setStr(D.resp_h, i, q.r);
    d.setStr(D.query, i, q.query);
    d.setStr(D.qtype_name, i, q.qtype);
    d.setStr(D.rcode_name, i, q.rcode);
    if (q.rcode !== null) d.setNum(D.rcode, i, q.rcode === 'NXDOMAIN' ? 3 : 0);
    for (const a of q.answers ?? []) d.pushStr(D.answers, i, a);
    d.setNum(D.ingest_id, i, w.ingestId);
  }
  w.append(d);
  await w.commit(REC);
  return { store, db };
}

test('host profile: names, zone, subnet, asset, geo, peers, services and volume of the finance laptop', async () => {
  const { store } = await loadStore();
  try {
    const site = createSite(loadSiteConfig(SITE_FILE), store.dialect);
    const p = await hostProfile(store, site, '10.2.3.4');
    assert.equal(p.names.asset, 'fin-laptop-7b'); // the CSV entry wins over the inline one
    assert.deepEqual(p.names.ptr, ['fin-laptop-7.corp.example']);
    assert.deepEqual(p.names.dns, []);
    assert.equal(p.zone, 'corp');
    assert.equal(p.internal, true);
    assert.equal(p.subnet?.name, 'finance');
    assert.equal(p.asset?.owner, 'alice');
    assert.deepEqual(p.geo, { country: null, asn: null, as_org: null });
    assert.equal(p.first_seen, '2024-03-01T09:59:00.000000Z'); // its first DNS query
    assert.equal(p.last_seen, '2024-03-01T11:30:00.000000Z');
    assert.deepEqual(p.totals, { as_client: 4, as_server: 1, bytes_sent: 1000 + 2000 + 60 + 400 + 4000, bytes_received: 50000 + 30000 + 120 + 9000 + 3000, dns_queries: 3 });
    assert.deepEqual(p.peers.map((x) => [x.address, x.zone, x.asset, x.country, x.asn, x.connections, x.bytes]), [
      ['192.0.2.9', null, null, null, null, 2, 83000],
      ['10.10.5.20', 'corp', 'db-primary', null, null, 1, 9400],
      ['1.1.1.1', null, null, 'AU', 13335, 1, 7000],
      ['8.8.8.8', null, null, 'US', 15169, 1, 180],
    ]);
    assert.deepEqual(p.services_used.map((s) => [s.service, s.port, s.proto, s.connections, s.hosts]), [
      ['ssl', 443, 'tcp', 2, 1], ['postgresql', 5432, 'tcp', 1, 1], ['dns', 53, 'udp', 1, 1],
    ]);
    assert.deepEqual(p.services_offered.map((s) => [s.service, s.port, s.connections, s.hosts]), [['ssh', 22, 1, 1]]);
    // From first to last seen (09:59 to 11:30) in 5-minute buckets, every connection counted once.
    assert.equal(p.volume.interval_seconds, 300);
    assert.equal(p.volume.buckets[0].start, '2024-03-01T09:55:00.000Z');
    assert.equal(p.volume.buckets.length, 20);
    assert.equal(p.volume.buckets.reduce((n, b) => n + b.connections, 0), 5);
    assert.deepEqual(p.volume.buckets.map((b) => b.connections).filter((n) => n > 0), [2, 1, 1, 1]);

    const cdn = await hostProfile(store, site, '192.0.2.9', { since: T0 - 30 * MIN });
    assert.deepEqual(cdn.names.dns.map((d) => [d.name, d.answers]), [['cdn.example', 2], ['static.cdn.example', 1]]);
    assert.equal(cdn.totals.as_server, 2);
    // A time range excludes what lies outside it.
    const late = await hostProfile(store, site, '10.2.3.4', { since: T0 + 60 * MIN });
    assert.deepEqual([late.totals.as_client, late.totals.as_server], [1, 1]);
    await assert.rejects(hostProfile(store, site, 'not-an-ip'), /not an IP address/);
    assert.equal(reverseName('2001:db8::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
    assert.equal(reverseName('10.2.3.4'), '4.3.2.10.in-addr.arpa');
  } finally {
    await store.close();
  }
});

test('top countries, asns, zones and domains over the sample site', async () => {
  const { store } = await loadStore();
  try {
    const site = createSite(loadSiteConfig(SITE_FILE), store.dialect);
    // "No filter" in both forms topEnriched has taken (a WHERE fragment on this branch, a RecordFilter
    // on main): a fragment with no filter keys. After the merge it can simply be `{}`.
    const all = {};
    const countries = await topEnriched(store, site, 'countries', 'connections', all);
    // Far ends: the CDN (documentation range: no country), Google (US), 1.1.1.1 (AU, inbound: the
    // originator is the far end), the guest host (not internal, inbound to the database), and an
    // external pair whose responder is OpenDNS (US).
    assert.deepEqual(countries.map((r) => [r.country, r.connections, r.local_hosts, r.remote_hosts]), [
      ['(unknown)', 3, 2, 2], ['US', 2, 2, 2], ['(internal)', 1, 1, 1], ['AU', 1, 1, 1],
    ]);
    const asns = await topEnriched(store, site, 'asns', 'bytes', all);
    assert.deepEqual(asns.map((r) => [r.asn, r.as_org, r.bytes]), [
      [null, '(unknown)', 83010], [null, '(internal)', 9400], [13335, 'Cloudflare, Inc.', 7000], [15169, 'Google LLC', 180], [36692, 'Cisco OpenDNS, LLC', 160],
    ]);
    const zones = await topEnriched(store, site, 'zones', 'connections', all);
    assert.deepEqual(zones.map((r) => [r.orig_zone, r.resp_zone, r.direction, r.connections]), [
      // Ties in connections are broken by bytes.
      ['corp', '(none)', 'outbound', 3], ['corp', 'corp', 'internal', 1], ['(none)', 'corp', 'inbound', 1], ['(none)', '(none)', 'external', 1], ['guest', 'corp', 'inbound', 1],
    ]);
    const domains = await topEnriched(store, site, 'domains', 'connections', all);
    assert.deepEqual(domains.map((r) => [r.domain, r.queries, r.clients, r.answered, r.nxdomain_share]), [
      ['nope.example', 3, 2, 2, 1], ['cdn.example', 2, 2, 2, 0], [reverseName('10.2.3.4'), 1, 1, 1, 0], ['static.cdn.example', 1, 1, 1, 0],
    ]);
  } finally {
    await store.close();
  }
});

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const ENV = { ...process.env };
delete ENV.NIGHTJAR_DB;
delete ENV.NIGHTJAR_CONFIG;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: ENV, cwd: os.tmpdir() });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Rows of a Zeek TSV log as objects keyed by its #fields. */
function zeekRows(file: string): Record<string, string>[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const fields = lines.find((l) => l.startsWith('#fields'))!.split('\t').slice(1);
  return lines.filter((l) => l && !l.startsWith('#')).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [fields[i], v])));
}

test('the CLI on real Zeek logs: top domains and host agree with counts taken from the files', () => {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-site-cli-')), 'cli.duckdb');
  const dnsLog = path.join(process.cwd(), 'test/fixtures/zeek/rita_tsv_dns.log');
  const connLog = path.join(process.cwd(), 'test/fixtures/zeek/rita_tsv_conn.log');
  assert.equal(run(['ingest', '--db', db, dnsLog, connLog]).code, 0);

  const byName = new Map<string, { n: number; clients: Set<string>; nx: number; answered: number }>();
  for (const r of zeekRows(dnsLog)) {
    if (r.query === '-' || r.query === '') continue;
    const k = r.query.toLowerCase().replace(/\.$/, '');
    const e = byName.get(k) ?? { n: 0, clients: new Set(), nx: 0, answered: 0 };
    e.n++;
    e.clients.add(r['id.orig_h']);
    if (r.rcode !== '-') e.answered++;
    if (r.rcode_name === 'NXDOMAIN') e.nx++;
    byName.set(k, e);
  }
  const expected = [...byName.entries()].sort((a, b) => b[1].n - a[1].n || b[1].clients.size - a[1].clients.size || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
  const top = run(['top', 'domains', '--db', db, '--limit', '5', '--format', 'json']);
  assert.equal(top.code, 0, top.err);
  assert.deepEqual(
    (JSON.parse(top.out) as Record<string, unknown>[]).map((r) => [r.domain, r.queries, r.clients, r.nxdomain_share]),
    expected.map(([k, e]) => [k, e.n, e.clients.size, e.answered ? Math.round((e.nx / e.answered) * 1e4) / 1e4 : null]),
  );

  const host = '10.136.0.18';
  const mine = zeekRows(connLog).filter((r) => r['id.orig_h'] === host || r['id.resp_h'] === host);
  assert.ok(mine.length > 0);
  const h = run(['host', host, '--db', db, '--format', 'json']);
  assert.equal(h.code, 0, h.err);
  const p = JSON.parse(h.out);
  assert.equal(p.totals.as_client, mine.filter((r) => r['id.orig_h'] === host).length);
  assert.equal(p.totals.as_server, mine.filter((r) => r['id.resp_h'] === host).length);
  assert.equal(p.zone, 'private');
  assert.equal(p.volume.buckets.reduce((n: number, b: { connections: number }) => n + b.connections, 0), mine.length);
  const table = run(['host', host, '--db', db]);
  assert.match(table.out, /^Host 10\.136\.0\.18\n/);
  assert.match(table.out, /zone +private \(internal\)/);
  assert.match(table.out, /Peers\n/);

  // Zones and direction come from the config given at query time: a new config changes old answers.
  const zones = JSON.parse(run(['top', 'zones', '--db', db, '--format', 'json']).out) as Record<string, unknown>[];
  assert.ok(zones.some((z) => z.orig_zone === 'private'));
  const renamed = JSON.parse(run(['top', 'zones', '--db', db, '--config', SITE_FILE, '--format', 'json']).out) as Record<string, unknown>[];
  assert.ok(renamed.every((z) => z.orig_zone !== 'private'));
  assert.ok(renamed.some((z) => z.orig_zone === 'corp'));
});

test('check-config, geo lookup and enrich refresh as users run them', () => {
  const ok = run(['check-config', SITE_FILE, '--format', 'json']);
  assert.equal(ok.code, 0, ok.err);
  assert.equal(JSON.parse(ok.out).assets, 6);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-site-cfg-'));
  fs.writeFileSync(path.join(dir, 'bad.yaml'), 'zones:\n  - name: x\n    networks: [10.0.0.0/8]\n    intrenal: true\n');
  const bad = run(['check-config', path.join(dir, 'bad.yaml')]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad\.yaml:4: zones\[0\]: unknown key "intrenal" \(did you mean "internal"\?\)/);
  assert.doesNotMatch(bad.err, /at .*\.js/); // no stack trace
  const geo = run(['geo', 'lookup', '8.8.8.8', '2620:fe::fe', '--format', 'json', '--db', path.join(dir, 'x.duckdb')]);
  assert.equal(geo.code, 0, geo.err);
  assert.deepEqual((JSON.parse(geo.out) as Record<string, unknown>[]).map((r) => [r.address, r.country, r.asn]), [['8.8.8.8', 'US', 15169], ['2620:fe::fe', 'US', 19281]]);
  assert.equal(run(['geo', 'lookup', 'bogus']).code, 2);
  const db = path.join(dir, 'r.duckdb');
  assert.equal(run(['ingest', '--db', db, path.join(process.cwd(), 'test/fixtures/zeek/rita_tsv_conn.log')]).code, 0);
  const refresh = run(['enrich', 'refresh', '--db', db, '--format', 'json']);
  assert.equal(refresh.code, 0, refresh.err);
  assert.ok(JSON.parse(refresh.out)[0].addresses > 0);
});
