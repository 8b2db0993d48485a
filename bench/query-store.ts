/**
 * Builds the store the query benchmark runs on: 10 M connections and 5 M DNS transactions over seven
 * days, generated inside DuckDB (INSERT ... SELECT over range(), values from seeded hashes of the row
 * number), so the store takes about a minute to build instead of the many minutes that generating and
 * ingesting 15 M log lines takes on a shared 2-core machine. The populations follow the issue: 4,000
 * internal clients in 10.1.0.0/16-10.4.0.0/16 (skewed, so there are top talkers), 200 internal servers
 * and two resolvers in 10.0.0.0/24, 50,000 external destinations (heavy-tailed popularity), and DNS
 * names for them under twenty domains (a fifth under example.com), asked of the resolvers. Rows are in
 * time order, as ingest writes them. The per-day host summary is then derived by the ingest hook that
 * maintains it (src/store/host-rollup.ts). Built once and cached (`$NJ_BENCH_DIR/query-<sizes>-v3.duckdb`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { hostRollupHook } from '../src/store/host-rollup.js';
import { openStore } from '../src/store/open.js';
import { raw } from '../src/store/sql.js';

/** Sizes of the benchmark store. */
export interface QueryStoreSize {
  connections: number;
  dns: number;
}

/** First day of the generated week (2024-03-01T00:00:00Z), in microseconds. */
export const BENCH_START_US = Date.UTC(2024, 2, 1) * 1000;
const WEEK_US = 7 * 86400e6;

// u(i, k): a uniform number in [0, 1) from row i and stream k.
const MACROS = [
  `CREATE OR REPLACE TEMP MACRO u(i, k) AS (hash(i, k) % 1000003) / 1000003.0`,
  // Internal client c (0..3999) as 10.(1..4).(0..19).(1..50): fifty hosts in each of twenty /24s per /16.
  `CREATE OR REPLACE TEMP MACRO client_ip(c) AS '10.' || (1 + c // 1000) || '.' || ((c % 1000) // 50) || '.' || (1 + c % 50)`,
  // External host e (0..49999), never in 10/8.
  `CREATE OR REPLACE TEMP MACRO ext_ip(e) AS (20 + e % 100) || '.' || ((e // 100) % 256) || '.' || (1 + (e // 25600) % 250) || '.' || (1 + (e * 37) % 254)`,
  `CREATE OR REPLACE TEMP MACRO ext_name(e) AS 'h' || e || '.' || ['example.com', 'example.net', 'cdn.example.org', 'mail.example.io', 'api.example.dev'][1 + e % 5] || CASE WHEN e % 4 = 0 THEN '' ELSE '.x' || (e % 4) END`,
];

function connectionsSql(n: number): string {
  return `INSERT INTO connections BY NAME
  WITH g AS (
    SELECT i,
      floor(4000 * pow(u(i, 1), 2))::INTEGER AS c,
      floor(50000 * pow(u(i, 2), 3))::INTEGER AS e,
      u(i, 3) AS kind, u(i, 4) AS size, u(i, 5) AS dur
    FROM range(${n}) AS r(i)
  )
  SELECT
    make_timestamp((${BENCH_START_US} + i * ${WEEK_US / n} + (hash(i, 6) % 1000000))::BIGINT) AS ts,
    'C' || i AS uid,
    client_ip(c) AS orig_h,
    (1024 + hash(i, 7) % 64000)::USMALLINT AS orig_p,
    CASE WHEN kind < 0.10 THEN '10.0.0.' || (53 + (c % 2))
         WHEN kind < 0.22 THEN '10.0.0.' || (100 + e % 150)
         ELSE ext_ip(e) END AS resp_h,
    (CASE WHEN kind < 0.10 THEN 53 WHEN kind < 0.16 THEN 445 WHEN kind < 0.22 THEN 22
          WHEN kind < 0.70 THEN 443 WHEN kind < 0.88 THEN 80 WHEN kind < 0.93 THEN 8080 ELSE 1024 + e % 60000 END)::USMALLINT AS resp_p,
    CASE WHEN kind < 0.10 THEN 'udp' ELSE 'tcp' END AS proto,
    (CASE WHEN kind < 0.10 THEN 17 ELSE 6 END)::UTINYINT AS ip_proto,
    CASE WHEN kind < 0.10 THEN 'dns' WHEN kind < 0.16 THEN 'smb' WHEN kind < 0.22 THEN 'ssh'
         WHEN kind < 0.70 THEN 'ssl' WHEN kind < 0.93 THEN 'http' END AS service,
    round(exp(dur * 8) / 100, 6) AS duration,
    floor(exp(size * 12))::UBIGINT AS orig_bytes,
    floor(exp(u(i, 8) * 16))::UBIGINT AS resp_bytes,
    CASE WHEN u(i, 9) < 0.85 THEN 'SF' WHEN u(i, 9) < 0.95 THEN 'S0' ELSE 'REJ' END AS conn_state,
    true AS local_orig, starts_with(resp_h, '10.') AS local_resp,
    (2 + floor(size * 40))::UBIGINT AS orig_pkts, (floor(exp(size * 12)) + 40 * (2 + floor(size * 40)))::UBIGINT AS orig_ip_bytes,
    (2 + floor(u(i, 8) * 60))::UBIGINT AS resp_pkts, (floor(exp(u(i, 8) * 16)) + 40 * (2 + floor(u(i, 8) * 60)))::UBIGINT AS resp_ip_bytes,
    'zeek' AS source_type, 'bench' AS sensor, 1 AS ingest_id
  FROM g`;
}

function dnsSql(n: number): string {
  return `INSERT INTO dns BY NAME
  WITH g AS (
    SELECT i, floor(4000 * pow(u(i, 11), 2))::INTEGER AS c, floor(50000 * pow(u(i, 12), 3))::INTEGER AS e, u(i, 13) AS kind
    FROM range(${n}) AS r(i)
  )
  SELECT
    make_timestamp((${BENCH_START_US} + i * ${WEEK_US / n} + (hash(i, 14) % 1000000))::BIGINT) AS ts,
    'D' || i AS uid,
    client_ip(c) AS orig_h, (1024 + hash(i, 15) % 64000)::USMALLINT AS orig_p,
    '10.0.0.' || (53 + (c % 2)) AS resp_h, 53::USMALLINT AS resp_p, 'udp' AS proto, 17::UTINYINT AS ip_proto,
    (hash(i, 16) % 65536)::USMALLINT AS trans_id, round(u(i, 17) / 20, 6) AS rtt,
    CASE WHEN kind < 0.02 THEN upper(ext_name(e)) ELSE ext_name(e) END AS query,
    1::USMALLINT AS qclass, 'C_INTERNET' AS qclass_name,
    (CASE WHEN kind < 0.7 THEN 1 ELSE 28 END)::USMALLINT AS qtype, CASE WHEN kind < 0.7 THEN 'A' ELSE 'AAAA' END AS qtype_name,
    (CASE WHEN kind > 0.95 THEN 3 ELSE 0 END)::USMALLINT AS rcode, CASE WHEN kind > 0.95 THEN 'NXDOMAIN' ELSE 'NOERROR' END AS rcode_name,
    false AS aa, false AS tc, true AS rd, true AS ra, 0::UTINYINT AS z,
    CASE WHEN kind > 0.95 THEN NULL WHEN kind < 0.7 THEN [ext_ip(e)] ELSE ['2001:db8:' || printf('%x', e) || '::1'] END AS answers,
    CASE WHEN kind > 0.95 THEN NULL ELSE [300.0] END AS ttls,
    false AS rejected, 'zeek' AS source_type, 'bench' AS sensor, 1 AS ingest_id
  FROM g`;
}

/** The cached benchmark store's path, building it first when it is missing. */
export async function queryBenchStore(dir: string, size: QueryStoreSize, log: (s: string) => void): Promise<string> {
  const file = path.join(dir, `query-${size.connections}-${size.dns}-v3.duckdb`);
  if (fs.existsSync(file)) return file;
  const tmp = `${file}.building`;
  for (const f of [tmp, `${tmp}.wal`]) fs.rmSync(f, { force: true });
  const store = await openStore(tmp);
  try {
    for (const m of MACROS) await store.run(raw(m));
    let t0 = performance.now();
    await store.run(raw(connectionsSql(size.connections)));
    log(`built ${size.connections} connections in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    t0 = performance.now();
    await store.run(raw(dnsSql(size.dns)));
    log(`built ${size.dns} DNS transactions in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    // The per-day host summary, derived by the same hook every ingest runs, for the one ingest id here.
    t0 = performance.now();
    const hook = hostRollupHook(store.dialect);
    await store.transaction((tx) => hook.beforeCommit(tx, 1, null));
    log(`built the host summary in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await store.close();
  }
  fs.renameSync(tmp, file);
  return file;
}
