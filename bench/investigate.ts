/**
 * `node dist/bench/investigate.js [CONNECTIONS]`: times one host investigation on a store of about
 * 10 million connections (default) and 2 million DNS records spread over eight days, 400 clients and
 * 3,000 servers (the mix of `gen-zeek-conn.ts`: mostly TLS and HTTP, DNS, some SSH/SMB/RDP, a tenth of
 * servers internal, heavy-tailed bytes), plus the incident scenario of the investigation tests (the
 * compromised host 10.1.0.5 and its 62-host fleet). The background rows are generated inside DuckDB
 * with INSERT ... SELECT over range(): loading 10 M lines through the Zeek decoder would take minutes
 * on the shared machine, this takes seconds and exercises the same tables and columns the queries read.
 * Prints build time, then the cold and warm investigation times. Not a test: nothing fails when slow.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import { raw, sql } from '../src/store/sql.js';
import { createSite } from '../src/enrich/site.js';
import { defaultSiteConfig } from '../src/enrich/site-config.js';
import { duckdbDialect } from '../src/store/duckdb/dialect.js';
import { investigate } from '../src/investigate/investigate.js';
import { loadEvents } from '../src/investigate/testing.js';
import { BAD, DAY0, PERIOD, scenarioEvents } from '../src/investigate/testing-scenario.js';

const n = Number(process.argv[2] ?? process.env.NJ_BENCH_CONNECTIONS ?? 10_000_000);
const dnsRows = Math.round(n / 5);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-bench-investigate-'));
const db = path.join(dir, 'bench.duckdb');
const start = DAY0 - 7 * 86_400_000_000;
const span = 8 * 86_400_000_000;

function seconds(t0: bigint): string {
  return (Number(process.hrtime.bigint() - t0) / 1e9).toFixed(3);
}

const store = await openDuckDBStore({ path: db });
try {
  let t0 = process.hrtime.bigint();
  const w = await store.beginIngest();
  await w.commit({
    fingerprint: 'bench', sha256: null, path: 'generated', size: 0, format: 'bench', sensor: null,
    startedAt: '2024-03-01T00:00:00Z', finishedAt: '2024-03-01T00:00:00Z', records: n + dnsRows, skipped: 0, summary: '{}',
  });
  // Clients 10.5.x.y; servers skewed towards the first few (x*x), every tenth one internal.
  await store.run(sql`INSERT INTO connections (ts, uid, orig_h, orig_p, resp_h, resp_p, proto, ip_proto, source_type, ingest_id,
      service, duration, orig_bytes, resp_bytes, conn_state, orig_ip_bytes, resp_ip_bytes)
    SELECT make_timestamp((${start} + i * ${Math.floor(span / n)})::BIGINT), 'C' || i, c, 1024 + (h % 64000)::INTEGER, s,
      port, CASE WHEN port IN (53, 123) THEN 'udp' ELSE 'tcp' END, CASE WHEN port IN (53, 123) THEN 17 ELSE 6 END, 'zeek', ${w.ingestId},
      CASE port WHEN 443 THEN 'ssl' WHEN 80 THEN 'http' WHEN 53 THEN 'dns' WHEN 22 THEN 'ssh' WHEN 445 THEN 'smb' ELSE NULL END,
      (h % 30000) / 1000.0, 50 + (h % 2000), (exp((h % 1400) / 100.0))::UBIGINT,
      CASE WHEN h % 10 < 7 THEN 'SF' WHEN h % 10 < 8 THEN 'S0' WHEN h % 10 < 9 THEN 'REJ' ELSE 'RSTO' END,
      90 + (h % 2000), 60 + (exp((h % 1400) / 100.0))::UBIGINT
    FROM (
      SELECT i, h, '10.5.' || ((h >> 8) % 2) || '.' || ((h >> 12) % 200 + 10) AS c,
        CASE WHEN sv % 10 = 0 THEN '10.0.' || (sv & 255) || '.' || ((sv >> 8) + 1)
             ELSE (23 + sv % 180) || '.' || ((sv * 7) & 255) || '.' || ((sv * 13) & 255) || '.' || (1 + sv % 250) END AS s,
        CASE WHEN h % 100 < 55 THEN 443 WHEN h % 100 < 70 THEN 80 WHEN h % 100 < 88 THEN 53 WHEN h % 100 < 91 THEN 22
             WHEN h % 100 < 94 THEN 445 WHEN h % 100 < 96 THEN 3389 ELSE 8080 END AS port
      FROM (SELECT i, hash(i) AS h, ((hash(i * 7 + 1) % 3000) * (hash(i * 7 + 1) % 3000) // 3000)::BIGINT AS sv FROM range(${n}) t(i))
    )`);
  await store.run(sql`INSERT INTO dns (ts, uid, orig_h, orig_p, resp_h, resp_p, proto, ip_proto, source_type, ingest_id, query, qtype_name, rcode_name, answers)
    SELECT make_timestamp((${start} + i * ${Math.floor(span / dnsRows)})::BIGINT), 'D' || i, '10.5.' || ((h >> 8) % 2) || '.' || ((h >> 12) % 200 + 10),
      1024 + (h % 64000)::INTEGER, '10.2.0.53', 53, 'udp', 17, 'zeek', ${w.ingestId}, 'host' || (h % 5000) || '.example.com', 'A',
      CASE WHEN h % 50 = 0 THEN 'NXDOMAIN' ELSE 'NOERROR' END,
      CASE WHEN h % 50 = 0 THEN []::VARCHAR[] ELSE ['203.0.' || ((h >> 4) % 256) || '.' || (h % 250 + 1)] END
    FROM (SELECT i, hash(i + 99) AS h FROM range(${dnsRows}) t(i))`);
  await loadEvents(store, scenarioEvents());
  await store.run(raw('CHECKPOINT'));
  const counts = await store.all(sql`SELECT (SELECT count(*) FROM connections) AS c, (SELECT count(*) FROM dns) AS d`);
  process.stdout.write(`store: ${Number(counts[0].c).toLocaleString('en')} connections, ${Number(counts[0].d).toLocaleString('en')} DNS records, built in ${seconds(t0)} s\n`);

  // NJ_BENCH_PROFILE=1 prints the slowest statements of the last run.
  const profile: [number, string][] = [];
  const all = store.all.bind(store);
  store.all = async (q) => {
    const t = process.hrtime.bigint();
    const r = await all(q);
    profile.push([Number(process.hrtime.bigint() - t) / 1e6, q.parts.join('?').replace(/\s+/g, ' ').slice(0, 110)]);
    return r;
  };
  const ctx = { store, site: createSite(defaultSiteConfig(), duckdbDialect), now: PERIOD.until / 1000 };
  for (const label of ['cold', 'warm', 'warm', 'warm']) {
    profile.length = 0;
    t0 = process.hrtime.bigint();
    const r = await investigate(ctx, BAD, PERIOD);
    process.stdout.write(`investigate ${BAD} over 24 h with a 7-day baseline (${label}): ${seconds(t0)} s, verdict ${r.verdict.decision}, ` +
      `${r.summary.connections} connections, ${r.external.total} destinations\n`);
  }
  if (process.env.NJ_BENCH_PROFILE) {
    for (const [ms, q] of profile.sort((a, b) => b[0] - a[0]).slice(0, 15)) process.stdout.write(`${ms.toFixed(1).padStart(8)} ms  ${q}\n`);
  }
} finally {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
