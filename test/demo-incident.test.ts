// The recorded demo incident (demo/incident, made by record.sh with real programs in network
// namespaces) ingested whole, and what the script did checked with plain SQL against its ground truth
// (ground-truth.json, written from the script's own action log, nmap's report, dig's answers, the
// upload server's log and the firewall log's text: never from Nightjar). Keeps the dataset from
// rotting silently: a decoder change that loses the beacon, the upload, the scan, the blocked
// attempts or the DNS evidence fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ingest } from '../src/pipeline/ingest.js';
import { openStore } from '../src/store/open.js';
import { join, sql } from '../src/store/sql.js';
import type { Row, Store } from '../src/store/store.js';

const DIR = path.join(process.cwd(), 'demo/incident');

interface Truth {
  phases: { t0_baseline_start: string; t1_compromise: string; t2_end: string };
  files: Record<string, { bytes: number; sha256: string }>;
  hosts: Record<string, { address: string; denied_firewall_entries: number; normal?: { browse: number }; incident?: Incident }>;
  firewall: { entries: number; by_rule: Record<string, number> };
}
interface Incident {
  beacon: { resp_h: string; resp_p: number; count: number; first: string; last: string; interval_seconds: { mean: number; min: number; max: number } };
  dga_lookups: { query: string; rcode: string }[];
  sinkholed_lookup: { query: string; answer: string };
  outside_resolver: { resolver: string; query: string; firewall_rule: string; firewall_entries: number };
  scan: { targets: string[]; ports: number[]; open: string[]; closed: string[]; first: string; last: string; firewall_dropped_entries: number };
  ssh_attempt: { resp_h: string; firewall_rule: string; firewall_entries: number };
  smb_attempt: { resp_h: string; resp_p: number };
  upload: { resp_h: string; resp_p: number; body_bytes: number; ts: string; firewall_rule: string; http_status: number };
}

const truth = JSON.parse(fs.readFileSync(path.join(DIR, 'ground-truth.json'), 'utf8')) as Truth;
const bob = truth.hosts['ws-bob'].address;
const inc = truth.hosts['ws-bob'].incident!;
let store: Store;
let dir: string;

const one = async (q: ReturnType<typeof sql>): Promise<Row> => (await store.all(q))[0];
const num = (v: unknown): number => Number(v);
const secs = (iso: string): number => Date.parse(iso) / 1000;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-incident-'));
  store = await openStore(path.join(dir, 'incident.duckdb'));
  const files = ['capture.pcap', 'flows.pcap', 'firewall.log'].map((f) => path.join(DIR, 'data', f));
  const report = await ingest(store, files);
  for (const f of report.files) {
    assert.equal(f.status, 'ingested', JSON.stringify(f));
    assert.equal(f.totalSkipped, 0, JSON.stringify(f));
  }
  assert.deepEqual(report.files.map((f) => f.format).sort(), ['netfilter', 'pcap', 'pcap']);
});

after(async () => {
  await store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the committed files are the ones the ground truth describes', () => {
  for (const [name, f] of Object.entries(truth.files)) assert.equal(fs.statSync(path.join(DIR, 'data', name)).size, f.bytes, name);
});

test('the IPFIX export: a row per exported record, every one from the router as exporter', async () => {
  const f = truth.files['flows.pcap'] as { records?: number };
  const r = await one(sql`SELECT count(*) AS n, count(*) FILTER (WHERE sensor = '10.10.2.1') AS fw FROM connections WHERE source_type = 'ipfix'`);
  assert.ok(f.records && f.records > 100);
  assert.equal(num(r.n), f.records);
  assert.equal(num(r.fw), f.records);
});

test('the beacon: one TLS connection to the C2 per check-in, every 5 s with jitter, from the compromise on', async () => {
  const rows = await store.all(sql`
    SELECT epoch_us(ts) / 1e6 AS t, service, conn_state FROM connections
    WHERE source_type = 'pcap' AND orig_h = ${bob} AND resp_h = ${inc.beacon.resp_h} AND resp_p = ${inc.beacon.resp_p}
    ORDER BY ts`);
  assert.equal(rows.length, inc.beacon.count);
  for (const r of rows) {
    assert.equal(r.service, 'ssl');
    assert.equal(r.conn_state, 'SF');
  }
  const times = rows.map((r) => num(r.t));
  assert.ok(Math.abs(times[0] - secs(inc.beacon.first)) < 1, 'the first beacon is where the script says');
  assert.ok(times[0] >= secs(truth.phases.t1_compromise), 'no beacon before the compromise');
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  assert.ok(Math.abs(mean - inc.beacon.interval_seconds.mean) < 0.2, `mean interval ${mean}`);
  for (const g of gaps) assert.ok(g > inc.beacon.interval_seconds.min - 0.5 && g < inc.beacon.interval_seconds.max + 0.5, `gap ${g}`);
  // Nobody else talks to the C2.
  const others = await one(sql`SELECT count(*) AS n FROM connections WHERE resp_h = ${inc.beacon.resp_h} AND orig_h <> ${bob}`);
  assert.equal(num(others.n), 0);
  // The implant resolves its C2 through the sanctioned resolver before each check-in.
  const q = await one(sql`
    SELECT count(*) AS n, count(*) FILTER (WHERE list_contains(answers, ${inc.beacon.resp_h})) AS answered FROM dns
    WHERE orig_h = ${bob} AND resp_h = '10.10.2.53' AND query = 'c2.badcorp.example' AND qtype_name = 'A'`);
  assert.equal(num(q.n), inc.beacon.count);
  assert.equal(num(q.answered), inc.beacon.count);
});

test('the upload: a 2 MiB POST to files.exfil.example on 8080, in the capture and in the IPFIX export', async () => {
  const c = await one(sql`
    SELECT count(*) AS n, max(orig_bytes) AS up, max(resp_bytes) AS down, any_value(service) AS service, any_value(extra) AS extra,
      min(epoch_us(ts)) / 1e6 AS t
    FROM connections WHERE source_type = 'pcap' AND orig_h = ${bob} AND resp_h = ${inc.upload.resp_h} AND resp_p = ${inc.upload.resp_p}`);
  assert.equal(num(c.n), 1);
  assert.equal(c.service, 'http');
  assert.deepEqual(JSON.parse(String(c.extra)).app, {
    method: 'POST', uri: '/upload', host: 'files.exfil.example:8080', user_agent: 'curl/7.88.1', info_code: '100', status: String(inc.upload.http_status),
  });
  assert.ok(num(c.up) >= inc.upload.body_bytes && num(c.up) < inc.upload.body_bytes + 2000, `orig_bytes ${c.up}`);
  assert.ok(num(c.down) < 2000);
  assert.ok(Math.abs(num(c.t) - secs(inc.upload.ts)) < 1);
  const nf = await one(sql`
    SELECT count(*) AS n, sum(orig_ip_bytes) AS b, min(epoch_us(ts)) / 1e6 AS t FROM connections
    WHERE source_type = 'ipfix' AND orig_h = ${bob} AND resp_h = ${inc.upload.resp_h} AND resp_p = ${inc.upload.resp_p}`);
  assert.equal(num(nf.n), 1);
  assert.ok(num(nf.b) > inc.upload.body_bytes, `ipfix bytes ${nf.b}`);
  assert.ok(Math.abs(num(nf.t) - num(c.t)) < 0.002, 'the flow export starts when the capture saw the SYN (millisecond stamps)');
  const fw = await one(sql`
    SELECT count(*) AS n FROM firewall WHERE orig_h = ${bob} AND resp_h = ${inc.upload.resp_h} AND rule = ${inc.upload.firewall_rule} AND action = 'allow'`);
  assert.equal(num(fw.n), 1, 'the too-broad corp-web rule let it through');
});

test('the scan: every target and port nmap probed, the open and closed ports answering', async () => {
  const rows = await store.all(sql`
    SELECT resp_h, resp_p, conn_state FROM connections
    WHERE source_type = 'pcap' AND orig_h = ${bob} AND resp_h LIKE '10.10.2.%' AND resp_p IN (${join(inc.scan.ports.map((p) => sql`${p}`))})
      AND ts BETWEEN ${inc.scan.first}::TIMESTAMP - INTERVAL 1 SECOND AND ${inc.scan.last}::TIMESTAMP + INTERVAL 1 SECOND`);
  const targets = new Set(rows.map((r) => String(r.resp_h)));
  assert.deepEqual([...targets].sort(), [...inc.scan.targets].sort());
  for (const t of inc.scan.targets) {
    const ports = new Set(rows.filter((r) => r.resp_h === t).map((r) => num(r.resp_p)));
    assert.deepEqual([...ports].sort((a, b) => a - b), inc.scan.ports, t);
  }
  const state = (hp: string) => rows.find((r) => `${String(r.resp_h)}:${num(r.resp_p)}` === hp)?.conn_state;
  for (const hp of inc.scan.open) assert.match(String(state(hp)), /^(RSTO|SF|S1|RSTOS0)$/, hp);
  for (const hp of inc.scan.closed) assert.equal(state(hp), 'REJ', hp);
  const dropped = await one(sql`
    SELECT count(*) AS n, count(DISTINCT resp_h) AS hosts FROM firewall
    WHERE orig_h = ${bob} AND rule = 'DROP default' AND action = 'drop'
      AND ts BETWEEN ${inc.scan.first}::TIMESTAMP - INTERVAL 1 SECOND AND ${inc.scan.last}::TIMESTAMP + INTERVAL 2 SECOND`);
  assert.equal(num(dropped.n), inc.scan.firewall_dropped_entries);
  assert.equal(num(dropped.hosts), inc.scan.targets.length);
});

test('blocked attempts: the outside resolver and SSH to the jump host, each with its rule', async () => {
  const dnsOut = await one(sql`
    SELECT count(*) AS n FROM firewall WHERE orig_h = ${bob} AND resp_h = ${inc.outside_resolver.resolver} AND resp_p = 53
      AND proto = 'udp' AND rule = ${inc.outside_resolver.firewall_rule} AND action = 'drop'`);
  assert.equal(num(dnsOut.n), inc.outside_resolver.firewall_entries);
  assert.ok(num(dnsOut.n) >= 1);
  const q = await store.all(sql`
    SELECT query, rcode_name FROM dns WHERE orig_h = ${bob} AND resp_h = ${inc.outside_resolver.resolver}`);
  assert.ok(q.length >= 1);
  for (const r of q) {
    assert.equal(r.query, inc.outside_resolver.query);
    assert.equal(r.rcode_name, null, 'no answer came back');
  }
  const ssh = await one(sql`
    SELECT count(*) AS n FROM firewall WHERE orig_h = ${bob} AND resp_h = ${inc.ssh_attempt.resp_h} AND resp_p = 22
      AND rule = ${inc.ssh_attempt.firewall_rule}`);
  // The scan's probe of port 22 is dropped by the same rule.
  assert.equal(num(ssh.n), inc.ssh_attempt.firewall_entries);
  const smb = await one(sql`
    SELECT count(*) AS n FROM connections WHERE source_type = 'pcap' AND orig_h = ${bob} AND resp_h = ${inc.smb_attempt.resp_h}
      AND resp_p = ${inc.smb_attempt.resp_p} AND conn_state = 'REJ'`);
  assert.equal(num(smb.n), 2, 'the scan probe and the SMB connection attempt, both refused');
});

test('DNS: high-entropy NXDOMAIN names and the sinkholed domain, asked of the sanctioned resolver', async () => {
  for (const d of inc.dga_lookups) {
    const r = await one(sql`SELECT count(*) AS n, any_value(rcode_name) AS rc FROM dns WHERE orig_h = ${bob} AND query = ${d.query}`);
    assert.equal(num(r.n), 1, d.query);
    assert.equal(r.rc, d.rcode, d.query);
  }
  const s = await one(sql`SELECT any_value(answers) AS a FROM dns WHERE orig_h = ${bob} AND query = ${inc.sinkholed_lookup.query}`);
  assert.deepEqual(s.a, [inc.sinkholed_lookup.answer]);
});

test('the firewall log: every entry stored with its rule and action; clean hosts have no denied entry', async () => {
  const rows = await store.all(sql`SELECT rule, action, count(*) AS n FROM firewall GROUP BY rule, action`);
  const byRule: Record<string, number> = {};
  for (const r of rows) {
    byRule[String(r.rule)] = num(r.n);
    assert.equal(r.action, String(r.rule).startsWith('ALLOW') ? 'allow' : 'drop');
  }
  assert.deepEqual(byRule, truth.firewall.by_rule);
  for (const [name, h] of Object.entries(truth.hosts)) {
    const d = await one(sql`SELECT count(*) AS n FROM firewall WHERE orig_h = ${h.address} AND action = 'drop'`);
    assert.equal(num(d.n), h.denied_firewall_entries, name);
  }
  for (const name of ['ws-alice', 'ws-carol', 'ws-admin']) assert.equal(truth.hosts[name].denied_firewall_entries, 0, name);
});

test('clean workstations: only the usual sites, DNS only through the sanctioned resolver', async () => {
  for (const name of ['ws-alice', 'ws-carol']) {
    const a = truth.hosts[name].address;
    const dests = await store.all(sql`
      SELECT DISTINCT resp_h FROM connections WHERE source_type = 'pcap' AND orig_h = ${a} ORDER BY resp_h`);
    for (const r of dests) assert.ok(['10.10.2.20', '10.10.2.53', '198.51.100.20', '198.51.100.21', '198.51.100.30'].includes(String(r.resp_h)), `${name} ${r.resp_h}`);
    const dns = await one(sql`SELECT count(*) AS n, count(*) FILTER (WHERE resp_h <> '10.10.2.53') AS other FROM dns WHERE orig_h = ${a}`);
    assert.ok(num(dns.n) > 0);
    assert.equal(num(dns.other), 0);
    const web = await one(sql`
      SELECT count(*) AS n FROM connections WHERE source_type = 'pcap' AND orig_h = ${a} AND resp_p IN (80, 443)`);
    assert.equal(num(web.n), truth.hosts[name].normal!.browse, name);
  }
});

test('the site config, egress policy and blocklist agree with the ground truth', () => {
  const site = YAML.parse(fs.readFileSync(path.join(DIR, 'nightjar.yaml'), 'utf8')) as {
    zones: { name: string; networks: string[] }[];
    sanctioned_resolvers: string[];
    assets_csv: string;
  };
  assert.deepEqual(site.sanctioned_resolvers, ['10.10.2.53']);
  const csv = fs.readFileSync(path.join(DIR, site.assets_csv), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  for (const [name, h] of Object.entries(truth.hosts)) {
    const row = csv.find((r) => r[0] === h.address);
    assert.ok(row, `${name} ${h.address} is in the inventory`);
    assert.ok(row[1].startsWith(name), `${name}: ${row[1]}`);
  }
  const egress = YAML.parse(fs.readFileSync(path.join(DIR, 'egress.yaml'), 'utf8')) as { zones: Record<string, { ports?: number[] }[]> };
  for (const zone of Object.keys(egress.zones)) assert.ok(site.zones.some((z) => z.name === zone), zone);
  const blocked = fs.readFileSync(path.join(DIR, 'blocklist.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  for (const d of ['c2.badcorp.example', 'files.exfil.example', 'malware-drop.example']) assert.ok(blocked.includes(d), d);
});
