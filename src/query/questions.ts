/**
 * The questions the CLI asks of the store, as plain functions returning rows, so the HTTP API and the
 * UI can call exactly the same code: what the store holds, records matching a filter, and top-N lists.
 */
import { EVENT_TABLES, tableByName, type EventTableName } from '../model/fields.js';
import { NightjarError } from '../model/errors.js';
import { connectionOverlaps, type ConnectionOverlap } from '../store/connection-overlaps.js';
import { hostRollupComplete } from '../store/host-rollup.js';
import { ident, join, raw, sql, type SqlFragment } from '../store/sql.js';
import type { Row, Store } from '../store/store.js';
import { catalogOf } from './base-catalog.js';
import type { FieldCatalog } from './catalog.js';
import { BYTES_ORIG, BYTES_RESP, FINAL_ROWS } from './connection-sql.js';
import { compileRecordFilter, type RecordFilter } from './filter/filter.js';
import { summaryAnswers, topTalkersSql } from './top-talkers.js';

/** Rows per table and source, the covered time span, and the ingested inputs. */
export interface StoreStats {
  location: string;
  tables: { table: EventTableName; source_type: string | null; records: number; first: string | null; last: string | null }[];
  totals: Record<EventTableName, number>;
  first: string | null;
  last: string | null;
  ingests: { ingest_id: number; path: string; format: string; records: number; skipped: number; finished_at: string }[];
  /** Pairs of ingests holding the same connections (the same traffic from two sources), largest first. */
  overlaps: ConnectionOverlap[];
}

/** Summarises what the store holds. */
export async function storeStats(store: Store): Promise<StoreStats> {
  const tables: StoreStats['tables'] = [];
  const totals = {} as Record<EventTableName, number>;
  let first: string | null = null;
  let last: string | null = null;
  for (const t of EVENT_TABLES) {
    const rows = await store.all(
      sql`SELECT source_type, count(*) AS records, min(ts) AS first, max(ts) AS last FROM ${ident(t.name)} GROUP BY source_type ORDER BY source_type`,
    );
    totals[t.name] = 0;
    for (const r of rows) {
      const rec = {
        table: t.name,
        source_type: r.source_type as string | null,
        records: Number(r.records),
        first: r.first as string | null,
        last: r.last as string | null,
      };
      tables.push(rec);
      totals[t.name] += rec.records;
      if (rec.first !== null && (first === null || rec.first < first)) first = rec.first;
      if (rec.last !== null && (last === null || rec.last > last)) last = rec.last;
    }
  }
  const ingests = (await store.listIngests()).map((i) => ({
    ingest_id: i.ingestId,
    path: i.path,
    format: i.format,
    records: i.records,
    skipped: i.skipped,
    finished_at: i.finishedAt,
  }));
  return { location: store.location, tables, totals, first, last, ingests, overlaps: await connectionOverlaps(store) };
}

/** Names accepted for `--type`, mapped to tables (`conn` and `connections` both work). */
export const TYPE_ALIASES: Record<string, EventTableName> = {
  conn: 'connections',
  connections: 'connections',
  connection: 'connections',
  flow: 'connections',
  dns: 'dns',
  firewall: 'firewall',
  fw: 'firewall',
  alert: 'findings',
  alerts: 'findings',
  findings: 'findings',
  metadata: 'metadata',
  meta: 'metadata',
};

/** Resolves a `--type` value. */
export function resolveTable(type: string): EventTableName {
  const t = TYPE_ALIASES[type.toLowerCase()];
  if (!t) throw new NightjarError('NJ_USAGE', `--type ${type}: unknown; use one of ${Object.keys(TYPE_ALIASES).join(', ')}`);
  return t;
}

/** The columns `queryRecords` returns for a table: every stored field but the internal ingest id. */
export function recordColumns(table: EventTableName): string[] {
  return tableByName(table)!.fields.map((f) => f.name).filter((n) => n !== 'ingest_id');
}

/** SELECT of the records of one table matching a filter, newest first (for streaming or export). */
export function recordsSql(store: Store, table: EventTableName, filter: RecordFilter, limit?: number, catalog: FieldCatalog = catalogOf(table)): SqlFragment {
  const { where, from } = compileRecordFilter(filter, catalog, store.dialect);
  const cols = recordColumns(table).map((c) => sql`t.${ident(c)}`);
  const lim = limit === undefined ? raw('') : sql` LIMIT ${limit}`;
  return sql`SELECT ${join(cols)} FROM ${from} WHERE ${where} ORDER BY t.ts DESC${lim}`;
}

/** The records of one table matching a filter, newest first, streamed in batches. */
export function queryRecords(store: Store, table: EventTableName, filter: RecordFilter, limit?: number, catalog?: FieldCatalog): AsyncIterable<Row[]> {
  return store.stream(recordsSql(store, table, filter, limit, catalog));
}

/** What `top` ranks. */
export type TopSubject = 'talkers' | 'ports' | 'services' | 'destinations' | 'sources';

/** What `top` ranks by. */
export type TopMetric = 'bytes' | 'connections';

export { BYTES_ORIG, BYTES_RESP, FINAL_ROWS } from './connection-sql.js';

/**
 * Ranks hosts, ports or services over the connections matching a filter; `opts.summary: false` keeps
 * top talkers off the per-day host summary (to check one against the other).
 */
export async function top(
  store: Store,
  subject: TopSubject,
  by: TopMetric,
  filter: RecordFilter,
  limit = 10,
  catalog: FieldCatalog = catalogOf('connections'),
  opts: { summary?: boolean } = {},
): Promise<Row[]> {
  const f = compileRecordFilter(filter, catalog, store.dialect);
  const where = sql`${f.where} AND ${FINAL_ROWS}`;
  const from = f.from;
  const order = by === 'bytes' ? raw('bytes DESC, connections DESC') : raw('connections DESC, bytes DESC');
  let q: SqlFragment;
  switch (subject) {
    case 'talkers':
      // The summary answers only when it covers every stored connection (checked on one integer column).
      q = topTalkersSql(store.dialect, filter, f, order, limit, opts.summary !== false && summaryAnswers(filter) && (await hostRollupComplete(store)));
      break;
    case 'sources':
    case 'destinations': {
      const col = raw(subject === 'sources' ? 't.orig_h' : 't.resp_h');
      const other = raw(subject === 'sources' ? 't.resp_h' : 't.orig_h');
      q = sql`SELECT ${col} AS host, count(*) AS connections, sum(${BYTES_ORIG} + ${BYTES_RESP})::UBIGINT AS bytes,
               count(DISTINCT ${other}) AS peers, string_agg(DISTINCT t.service, ',') AS services
        FROM ${from} WHERE ${where} AND ${col} IS NOT NULL GROUP BY ${col} ORDER BY ${order}, host LIMIT ${limit}`;
      break;
    }
    case 'ports':
      q = sql`SELECT t.resp_p AS port, t.proto AS proto, count(*) AS connections, sum(${BYTES_ORIG} + ${BYTES_RESP})::UBIGINT AS bytes,
               count(DISTINCT t.orig_h) AS clients, count(DISTINCT t.resp_h) AS servers, string_agg(DISTINCT t.service, ',') AS services
        FROM ${from} WHERE ${where} AND t.resp_p IS NOT NULL AND t.proto IN ('tcp', 'udp', 'sctp')
        GROUP BY t.resp_p, t.proto ORDER BY ${order}, port LIMIT ${limit}`;
      break;
    case 'services':
      q = sql`SELECT coalesce(t.service, '(unknown)') AS service, count(*) AS connections,
               sum(${BYTES_ORIG} + ${BYTES_RESP})::UBIGINT AS bytes, count(DISTINCT t.orig_h) AS clients, count(DISTINCT t.resp_h) AS servers
        FROM ${from} WHERE ${where} GROUP BY 1 ORDER BY ${order}, service LIMIT ${limit}`;
      break;
  }
  return store.all(q);
}
