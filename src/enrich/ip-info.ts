/**
 * The `ip_info` table: country and autonomous system of every address the store holds, one row per
 * address. An ingest hook adds the addresses each ingest brings that the table lacks (looked up in
 * TypeScript, inserted in bulk, in the ingest's own transaction); `refreshIpInfo` recomputes every row
 * after a newer database is loaded. Queries join it by address (see geo-fields.ts).
 */
import { EVENT_TABLES } from '../model/fields.js';
import { ident, join, sql, type SqlFragment } from '../store/sql.js';
import { newRowsFilter } from '../store/new-rows.js';
import type { FreshRows, IngestHook, Store, TxContext } from '../store/store.js';
import type { GeoSource } from './geo-answer.js';

/** Rows per INSERT statement: each column travels as one JSON array parameter. */
const ROWS_PER_INSERT = 50000;

/** Every address column of the event tables, as one relation of `a`, optionally for one ingest. */
function addressesSql(ingestId?: number, since: number | null = null, fresh?: FreshRows): SqlFragment {
  const parts: SqlFragment[] = [];
  for (const t of EVENT_TABLES) {
    for (const col of ['orig_h', 'resp_h']) {
      const when = newRowsFilter(fresh, since === null ? null : sql`make_timestamp(${since}::BIGINT)`);
      const where = ingestId === undefined ? sql`` : sql` WHERE ingest_id = ${ingestId}${when}`;
      parts.push(sql`SELECT DISTINCT ${ident(col)} AS a FROM ${ident(t.name)}${where}`);
    }
  }
  return join(parts, ' UNION ');
}

/**
 * Looks up addresses and inserts their rows, a chunk per statement with each column as one JSON array
 * parameter (DuckDB's from_json; thousands of bound VALUES parameters were 300 times slower).
 */
async function insertAnswers(tx: TxContext, addresses: readonly string[], geo: GeoSource): Promise<void> {
  for (let i = 0; i < addresses.length; i += ROWS_PER_INSERT) {
    const chunk = addresses.slice(i, i + ROWS_PER_INSERT);
    const answers = chunk.map((a) => geo.lookup(a));
    const col = (values: unknown[], type: string) => sql`unnest(from_json(${JSON.stringify(values)}, ${`["${type}"]`}))`;
    await tx.run(
      sql`INSERT INTO ip_info (address, country, asn, as_org) SELECT ${col(chunk, 'VARCHAR')}, ${col(answers.map((g) => g.country), 'VARCHAR')}, ${col(answers.map((g) => g.asn), 'UINTEGER')}, ${col(answers.map((g) => g.as_org), 'VARCHAR')}`,
    );
  }
}

/** Adds rows for the addresses of one ingest that ip_info lacks; returns how many. */
export async function addIngestAddresses(
  tx: TxContext, ingestId: number, geo: () => Promise<GeoSource>, since: number | null = null, fresh?: FreshRows,
): Promise<number> {
  if (since !== null && !Number.isFinite(since)) return 0;
  const rows = await tx.all(
    sql`SELECT a FROM (${addressesSql(ingestId, since, fresh)}) AS x WHERE a IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ip_info AS i WHERE i.address = x.a)`,
  );
  if (rows.length === 0) return 0;
  await insertAnswers(tx, rows.map((r) => String(r.a)), await geo());
  return rows.length;
}

/** The hook keeping ip_info complete: every address of every committed ingest has a row. */
export function ipInfoHook(geo: () => Promise<GeoSource>): IngestHook {
  return {
    name: 'address enrichment (ip_info)',
    async beforeCommit(tx, ingestId, since, fresh) {
      // Idempotent for live checkpoints: addresses already present are not looked up again, and only
      // the rows appended since the last one (else those from `since` on) are read.
      await addIngestAddresses(tx, ingestId, geo, since, fresh);
    },
    // Rows are per address, not per ingest: an address a replaced ingest brought may be in others too,
    // and a stale row for an address no record holds any more is never joined.
  };
}

/** What a refresh did. */
export interface RefreshResult {
  addresses: number;
  withCountry: number;
  withAsn: number;
  source: string;
}

/** Recomputes ip_info for every address in the store, in one transaction. */
export async function refreshIpInfo(store: Store, geo: GeoSource): Promise<RefreshResult> {
  await store.transaction(async (tx) => {
    await tx.run(sql`DELETE FROM ip_info`);
    const rows = await tx.all(sql`SELECT a FROM (${addressesSql()}) AS x WHERE a IS NOT NULL`);
    await insertAnswers(tx, rows.map((r) => String(r.a)), geo);
  });
  const n = (await store.all(sql`SELECT count(*) AS n, count(country) AS c, count(asn) AS a FROM ip_info`))[0];
  return { addresses: Number(n.n), withCountry: Number(n.c), withAsn: Number(n.a), source: geo.name };
}
