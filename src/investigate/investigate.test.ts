import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NightjarError } from '../model/errors.js';
import type { Store } from '../store/store.js';
import type { InvestigationContext } from './context.js';
import { investigate } from './investigate.js';
import type { InvestigationReport } from './report.js';
import { BAD, BLOCKED, C2, DAY0, DROP, GOOD, OUTSIDE_RESOLVER, PERIOD, scenarioEvents, scenarioGeo, scenarioSite } from './testing-scenario.js';
import { overlapsHook } from '../store/connection-overlaps.js';
import { loadEvents, storeWith, type TestEvents, type TestRecord } from './testing.js';

let store: Store;
let ctx: InvestigationContext;
let events: TestEvents;
let bad: InvestigationReport;
let good: InvestigationReport;

before(async () => {
  events = scenarioEvents();
  store = await storeWith(events);
  ctx = { store, site: scenarioSite(), geo: scenarioGeo(), now: Date.parse('2024-03-09T00:00:00Z') };
  bad = await investigate(ctx, BAD, PERIOD);
  good = await investigate(ctx, 'hr-laptop-06', PERIOD);
});
after(() => store.close());

/** Evaluates a reproducing filter over the synthetic records in TypeScript, independently of the SQL. */
function evaluate(filter: string, recs: readonly TestRecord[], since: number, until: number): number {
  const clauses = filter.split(' and ').map((c) => {
    const host = /^host (\S+)$/.exec(c);
    if (host) return (r: TestRecord) => r.orig_h === host[1] || r.resp_h === host[1];
    const q = /^query: (\S+)$/.exec(c);
    if (q) return (r: TestRecord) => String(r.query).toLowerCase() === q[1].toLowerCase();
    const eq = /^(\w+) == (.+)$/.exec(c);
    assert.ok(eq, `unexpected clause ${c}`);
    const value = eq[2].startsWith('"') ? (JSON.parse(eq[2]) as string) : eq[2];
    return (r: TestRecord) => String(r[eq[1]]) === value;
  });
  return recs.filter((r) => r.ts >= since && r.ts < until && clauses.every((c) => c(r))).length;
}

test('the compromised host: beacon, upload, intel match, firewall blocks; verdict contain', () => {
  assert.equal(bad.schema_version, 1);
  assert.deepEqual(bad.identity.addresses, [BAD]);
  assert.equal(bad.identity.zone, 'corp');
  assert.equal(bad.identity.subnet, 'corp-lan');
  assert.equal(bad.identity.asset?.hostname, 'fin-laptop-05');
  assert.ok(bad.identity.names.includes('fin-laptop-05.corp.example'));
  const c2 = bad.external.items.find((x) => x.address === C2)!;
  assert.equal(c2.name, 'cdn-sync.badcdn.example');
  assert.equal(c2.country, 'RU');
  assert.equal(c2.asn, 64511);
  assert.equal(c2.connections, 48);
  assert.deepEqual(c2.flags, { new: true, rare: true, intel: true, denied: false, long_lived: false, regular_timing: true });
  assert.ok(c2.timing!.median_seconds > 295 && c2.timing!.median_seconds < 305);
  const drop = bad.external.items.find((x) => x.address === DROP)!;
  assert.ok(drop.bytes_out >= 250_000_000);
  assert.deepEqual(drop.flags, { new: true, rare: true, intel: false, denied: false, long_lived: true, regular_timing: false });
  assert.equal(bad.external.items[0].address, C2, 'the most suspicious destination comes first');
  // The update server is polled hourly by everyone: regular, but neither new nor rare.
  const upd = bad.external.items.find((x) => x.address === '23.45.67.89')!;
  assert.equal(upd.flags.regular_timing, true);
  assert.equal(upd.flags.new || upd.flags.rare, false);
  assert.equal(bad.firewall.blocked[0].address, BLOCKED);
  assert.equal(bad.firewall.blocked[0].port, 4444);
  assert.equal(bad.firewall.blocked[0].events, 12);
  assert.deepEqual(bad.firewall.blocked[0].rules, ['block-egress-high-ports']);
  assert.equal(bad.verdict.decision, 'contain');
  assert.ok(bad.verdict.score >= 60);
  const rules = bad.verdict.evidence.map((e) => e.rule);
  assert.ok(rules.includes('lateral-admin-many'), 'RDP, SSH and the SMB sessions the sweep established');
  for (const r of ['intel-destination', 'beacon', 'upload', 'internal-scan', 'outside-resolver', 'nxdomain-burst', 'generated-names', 'firewall-blocked', 'ids-alert-high', 'long-lived']) {
    assert.ok(rules.includes(r), `evidence ${r} in ${rules.join(',')}`);
  }
  assert.ok(bad.verdict.next_steps.some((s) => s.startsWith('Isolate fin-laptop-05')));
  assert.ok(bad.verdict.next_steps.some((s) => s.includes(C2) && s.includes(DROP)));
});

test('internal systems: the SMB sweep is a scan, RDP and SSH logins are new admin peers', () => {
  const scan = bad.internal.scans.find((s) => s.kind === 'horizontal')!;
  assert.equal(scan.port, 445);
  assert.equal(scan.targets, 40);
  // 32 of the 40 probes refused, plus the file server's normal daily session on 445.
  assert.equal(scan.connections, 41);
  assert.equal(scan.first, '2024-03-08T12:00:00.200000Z', 'the first refused probe, not the daily file-server session');
  assert.equal(scan.failed_share, Math.round((32 / 41) * 1000) / 1000);
  const admin = new Map(bad.internal.admin.map((p) => [p.address, p]));
  assert.deepEqual(admin.get('10.2.0.20')!.admin, ['smb', 'rdp'], 'swept on SMB, then logged into over RDP');
  assert.equal(admin.get('10.2.0.20')!.new, true);
  assert.deepEqual(admin.get('10.2.0.21')!.admin, ['ssh', 'smb']);
  const files = bad.internal.peers.items.find((p) => p.address === '10.2.0.10')!;
  assert.equal(files.hostname, 'files01');
  assert.equal(files.new, false, 'the file server is in the baseline');
  assert.equal(files.connections, 2, 'the daily visit and the sweep');
});

test('DNS: NXDOMAIN burst, generated names, the outside resolver', () => {
  assert.equal(bad.dns.nxdomain, 40);
  assert.ok(bad.dns.nxdomain_rate > 0.4);
  const outside = bad.dns.resolvers.find((r) => r.address === OUTSIDE_RESOLVER)!;
  assert.equal(outside.sanctioned, false);
  assert.equal(outside.queries, 5);
  assert.equal(outside.connections, 5);
  assert.equal(bad.dns.resolvers.find((r) => r.address === '10.2.0.53')!.sanctioned, true);
  const gen = bad.dns.domains.items.filter((d) => d.high_entropy);
  assert.ok(gen.length >= 30, `${gen.length} high-entropy names`);
  assert.ok(gen.every((d) => d.name.endsWith('.dga-zone.example')));
  const c2 = bad.dns.domains.items.find((d) => d.name === 'cdn-sync.badcdn.example')!;
  assert.equal(c2.new, true);
  assert.equal(c2.rare, true);
  const www = bad.dns.domains.items.find((d) => d.name === 'www.example.com')!;
  assert.equal(www.new || www.rare || www.high_entropy, false);
});

test('every evidence filter reproduces exactly the records it claims', () => {
  const tables: Record<string, TestRecord[]> = {
    connections: events.connections!, dns: events.dns!, firewall: events.firewall!, findings: events.findings!,
  };
  let checked = 0;
  for (const e of bad.verdict.evidence) {
    assert.ok(e.reproduce.length > 0, e.rule);
    for (const r of e.reproduce) {
      assert.ok(r.records > 0, `${e.rule}: ${r.filter}`);
      assert.equal(evaluate(r.filter, tables[r.table], PERIOD.since, PERIOD.until), r.records, `${e.rule}: ${r.filter}`);
      assert.match(r.filter, /^(orig_h == |host )10\.1\.0\.5( and (resp_h == [\d.]+|resp_p == \d+|rcode_name == NXDOMAIN|query: \S+|signature == "[^"]+"))?$/);
      checked++;
    }
  }
  assert.ok(checked >= 12);
  const beacon = bad.verdict.evidence.find((e) => e.rule === 'beacon')!;
  assert.deepEqual(beacon.reproduce.map((r) => [r.filter, r.records]), [[`orig_h == ${BAD} and resp_h == ${C2}`, 48]]);
});

test('the timeline merges the key events in time order', () => {
  const ts = bad.timeline.map((e) => e.ts);
  assert.deepEqual(ts, [...ts].sort());
  const kinds = new Set(bad.timeline.map((e) => e.kind));
  for (const k of ['activity', 'external', 'scan', 'internal', 'dns', 'firewall', 'finding']) assert.ok(kinds.has(k as never), k);
  assert.ok(bad.timeline.some((e) => e.summary.includes(C2) && e.summary.includes('regular timing')));
});

test('the clean host: resolved by asset hostname, nothing flagged, no action', () => {
  assert.equal(good.identity.matched_by, 'asset');
  assert.deepEqual(good.identity.addresses, [GOOD]);
  assert.equal(good.verdict.decision, 'no_action');
  assert.equal(good.verdict.score, 0);
  assert.deepEqual(good.verdict.evidence, []);
  assert.ok(good.external.items.every((x) => !x.flags.new && !x.flags.rare && !x.flags.intel));
  assert.deepEqual(good.internal.scans, []);
  assert.equal(good.dns.nxdomain, 0);
  assert.deepEqual(good.firewall.by_rule, [{ action: 'allow', rule: 'allow-web', events: 1 }]);
  assert.equal(good.summary.connections, 37);
  assert.equal(good.activity.bucket_seconds, 900);
  assert.equal(good.activity.points.length, 96);
  assert.equal(good.activity.points.reduce((n, p) => n + p.connections, 0), 37);
});

test('HOST may be a name from DNS answers; an unknown name is a usage error', async () => {
  const r = await investigate(ctx, 'fin-laptop-05.corp.example', PERIOD);
  assert.equal(r.identity.matched_by, 'dns');
  assert.deepEqual(r.identity.addresses, [BAD]);
  await assert.rejects(investigate(ctx, 'no-such-host.example', PERIOD), (e: unknown) => e instanceof NightjarError && e.code === 'NJ_USAGE');
  await assert.rejects(investigate(ctx, BAD, { since: DAY0, until: DAY0 }), /period is empty/);
});

test('a server that only receives is still identified, with nothing to report as a client', async () => {
  const r = await investigate(ctx, 'files01', PERIOD);
  assert.deepEqual(r.identity.addresses, ['10.2.0.10']);
  assert.equal(r.identity.zone, 'servers');
  assert.equal(r.identity.first_seen, '2024-03-01T09:00:00.000000Z');
  assert.equal(r.summary.connections, 0);
  assert.equal(r.verdict.decision, 'no_action');
});

test('a host whose connections two sources stored gets a note saying its counts include both; a host whose own are distinct does not', async () => {
  const st = await storeWith({});
  st.addIngestHook(overlapsHook(st.dialect));
  const conn = (host: string, source: string, cid: string, ts: number): TestRecord => ({
    ts, orig_h: host, orig_p: 41000, resp_h: C2, resp_p: 443, proto: 'tcp', community_id: cid, source_type: source, orig_bytes: 100, resp_bytes: 200,
  });
  try {
    await loadEvents(st, { connections: [conn(BAD, 'zeek', '1:a', DAY0 + 1_000_000), conn(BAD, 'zeek', '1:b', DAY0 + 2_000_000), conn(GOOD, 'zeek', '1:g', DAY0 + 3_000_000)] });
    const c = { store: st, site: scenarioSite(), geo: scenarioGeo(), now: Date.parse('2024-03-09T00:00:00Z') };
    const before = await investigate(c, BAD, PERIOD);
    assert.ok(!before.notes.some((n) => n.includes('another source')));
    await loadEvents(st, { connections: [conn(BAD, 'suricata', '1:a', DAY0 + 1_200_000), conn(GOOD, 'suricata', '1:h', DAY0 + 3_000_000)] });
    const after = await investigate(c, BAD, PERIOD);
    assert.equal(after.summary.connections, 3);
    assert.ok(after.notes.some((n) => n.startsWith("2 of this host's connection rows are the same connection stored by another source (suricata, zeek)")), after.notes.join('\n'));
    // GOOD's two connections are distinct, although its two ingests share BAD's.
    const good2 = await investigate(c, GOOD, PERIOD);
    assert.ok(!good2.notes.some((n) => n.includes('another source')), good2.notes.join('\n'));
  } finally {
    await st.close();
  }
});
