/**
 * Connections stored twice: the same traffic seen by two sources (Zeek and Suricata on one tap, a
 * capture and the Zeek logs made from it, a capture and a NetFlow export of it) is two rows in
 * `connections`, and every count over them (top talkers, conversations, timelines) counts it twice.
 * Rows are kept as each source wrote them; what this module keeps is the knowledge of the overlap, so
 * that `nightjar stats` and the ingest summary can say so and how to scope a question to one source.
 *
 * Two rows are the same connection when they have the same Community ID, come from different source
 * types and start within OVERLAP_WINDOW_S of each other (exporters' clocks and flow-start rules differ
 * by seconds). Each ingest is matched against the ingests stored before it, inside its transaction by
 * an ingest hook, so a pair of ingests is counted once, by the later one; the counts are per UTC day,
 * so that a live ingest's checkpoints redo only the days from the hook's `since` on. A live ingest's
 * rows committed after a later file's ingest are not matched against that file (the file is newer).
 * Ingests stored before this table existed have no entries.
 */
import type { FieldDef } from '../model/fields.js';
import type { Dialect } from './dialect.js';
import { HOST_ROLLUP_BUCKET_US } from './host-rollup.js';
import { raw, sql, type SqlFragment } from './sql.js';
import { newRowsFilter } from './new-rows.js';
import type { FreshRows, IngestHook, Store, TxContext } from './store.js';

/** The table's name. */
export const OVERLAPS_TABLE = 'connection_overlaps';

/** Largest difference between two rows' start times for them to be one connection, in seconds. */
export const OVERLAP_WINDOW_S = 60;

/** Width of one count bucket: a UTC day, as the host summary's. */
const DAY_US = HOST_ROLLUP_BUCKET_US;

/** Columns of the table, in the field registry's style. */
export const OVERLAP_FIELDS: readonly FieldDef[] = [
  { name: 'ingest_id', type: 'i32', meaning: 'The later ingest, whose connections were matched' },
  { name: 'source_type', type: 'string', meaning: "That ingest's source type" },
  { name: 'other_ingest_id', type: 'i32', meaning: 'An earlier ingest holding the same connections' },
  { name: 'other_source_type', type: 'string', meaning: "The earlier ingest's source type" },
  { name: 'bucket', type: 'timestamp', meaning: 'UTC day the matched connections started in' },
  { name: 'connections', type: 'u64', meaning: "The later ingest's connections that the earlier one holds too" },
];

/** CREATE TABLE of the overlap counts. */
export function overlapsDdl(d: Dialect): string {
  const cols = OVERLAP_FIELDS.map((f) => `  "${f.name}" ${d.columnType(f.type)}`);
  return `CREATE TABLE IF NOT EXISTS "${OVERLAPS_TABLE}" (\n${cols.join(',\n')}\n)`;
}

const TABLE = raw(`"${OVERLAPS_TABLE}"`);

/**
 * The condition under which row `o` is row `n`'s twin from another source: the same Community ID, another
 * source type, a start within the window. `n` and `o` are the two tables' aliases.
 */
export function twinCondition(d: Dialect, n: string, o: string): SqlFragment {
  const w = raw(String(OVERLAP_WINDOW_S * 1_000_000));
  const nTs = d.epochMicros(raw(`${n}.ts`));
  return sql`${raw(o)}.community_id = ${raw(n)}.community_id AND ${raw(o)}.source_type <> ${raw(n)}.source_type
      AND ${d.epochMicros(raw(`${o}.ts`))} BETWEEN ${nTs} - ${w} AND ${nTs} + ${w}`;
}

/**
 * INSERT ... SELECT counting, per earlier ingest and day, the connections of `ingestId` starting at or
 * after `fromMicros` (all of them when null) that an earlier ingest of another source type holds.
 * The earlier rows are read only inside the ingest's own time span widened by the window.
 */
async function derive(tx: TxContext, d: Dialect, ingestId: number, fromMicros: number | null, fresh?: FreshRows): Promise<void> {
  const since = fromMicros === null ? null : d.timestampFromMicros(fromMicros);
  const from = newRowsFilter(fresh, since);
  const span = await tx.all(sql`SELECT ${d.epochMicros(raw('min(ts)'))} AS lo, ${d.epochMicros(raw('max(ts)'))} AS hi
    FROM connections WHERE ingest_id = ${ingestId} AND community_id IS NOT NULL${from}`);
  if (span.length === 0 || span[0].lo === null || span[0].hi === null) return;
  const windowUs = OVERLAP_WINDOW_S * 1_000_000;
  const lo = Number(span[0].lo) - windowUs;
  const hi = Number(span[0].hi) + windowUs;
  const day = raw(String(DAY_US));
  const nTs = d.epochMicros(raw('n.ts'));
  const nFrom = newRowsFilter(fresh, since, 'n');
  await tx.run(sql`INSERT INTO ${TABLE} (ingest_id, source_type, other_ingest_id, other_source_type, bucket, connections)
    SELECT n.ingest_id, any_value(n.source_type), o.ingest_id, any_value(o.source_type),
      make_timestamp(CAST(floor(${nTs} / ${day}) AS BIGINT) * ${day}) AS b, count(DISTINCT n.rowid)
    FROM connections AS n
    JOIN connections AS o ON ${twinCondition(d, 'n', 'o')}
    WHERE n.ingest_id = ${ingestId}${nFrom} AND n.community_id IS NOT NULL
      AND n.state_reason IS DISTINCT FROM 'interim' AND o.state_reason IS DISTINCT FROM 'interim'
      AND o.ingest_id < ${ingestId} AND o.ts BETWEEN ${d.timestampFromMicros(lo)} AND ${d.timestampFromMicros(hi)}
    GROUP BY n.ingest_id, o.ingest_id, b`);
}

/** The ingest hook keeping the overlap counts in step with `connections`. */
export function overlapsHook(d: Dialect): IngestHook {
  return {
    name: 'connections stored by several sources',
    async beforeCommit(tx: TxContext, ingestId: number, since: number | null, fresh?: FreshRows): Promise<void> {
      if (since === null) {
        await tx.run(sql`DELETE FROM ${TABLE} WHERE ingest_id = ${ingestId}`);
        await derive(tx, d, ingestId, null);
        return;
      }
      if (!Number.isFinite(since)) return;
      // Counts add up: the new connections' own are added (questions sum them per pair of ingests).
      if (fresh !== undefined) return derive(tx, d, ingestId, null, fresh);
      // Rows appended since the last checkpoint all have ts >= since: their days are redone whole.
      const from = Math.floor(since / DAY_US) * DAY_US;
      await tx.run(sql`DELETE FROM ${TABLE} WHERE ingest_id = ${ingestId} AND bucket >= ${d.timestampFromMicros(from)}`);
      await derive(tx, d, ingestId, from);
    },
    async onReplace(tx: TxContext, oldIngestId: number): Promise<void> {
      await tx.run(sql`DELETE FROM ${TABLE} WHERE ingest_id = ${oldIngestId} OR other_ingest_id = ${oldIngestId}`);
    },
  };
}

/** One pair of ingests holding the same connections. */
export interface ConnectionOverlap {
  ingest_id: number;
  path: string | null;
  source_type: string;
  other_ingest_id: number;
  other_path: string | null;
  other_source_type: string;
  /** Connections of the later ingest that the earlier one holds too. */
  connections: number;
}

/** Every pair of ingests holding the same connections (or only those of `ingestId`), largest first. */
export async function connectionOverlaps(store: Store, ingestId?: number): Promise<ConnectionOverlap[]> {
  const only = ingestId === undefined ? raw('') : sql` WHERE v.ingest_id = ${ingestId} OR v.other_ingest_id = ${ingestId}`;
  const rows = await store.all(sql`SELECT v.ingest_id, a.path, any_value(v.source_type) AS source_type, v.other_ingest_id,
      b.path AS other_path, any_value(v.other_source_type) AS other_source_type, sum(v.connections) AS connections
    FROM ${TABLE} AS v LEFT JOIN ingests AS a ON a.ingest_id = v.ingest_id LEFT JOIN ingests AS b ON b.ingest_id = v.other_ingest_id${only}
    GROUP BY v.ingest_id, a.path, v.other_ingest_id, b.path
    ORDER BY connections DESC, v.ingest_id, v.other_ingest_id`);
  return rows.map((r) => ({
    ingest_id: Number(r.ingest_id),
    path: (r.path as string | null) ?? null,
    source_type: String(r.source_type),
    other_ingest_id: Number(r.other_ingest_id),
    other_path: (r.other_path as string | null) ?? null,
    other_source_type: String(r.other_source_type),
    connections: Number(r.connections),
  }));
}
