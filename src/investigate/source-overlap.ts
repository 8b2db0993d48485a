/**
 * The investigation's note when some of the host's connections in the period are stored by two sources
 * (the same traffic from Zeek and Suricata, or a capture and its flow export: src/store/connection-overlaps.ts):
 * its counts and bytes then include each source's row, and the analyst must know before reading them.
 * The store-wide overlap counts say whether any ingests share connections (cheap: a small table); only
 * then are the host's own rows matched, the same way the ingest hook matches them.
 */
import { OVERLAP_WINDOW_S, connectionOverlaps, twinCondition } from '../store/connection-overlaps.js';
import { raw, sql } from '../store/sql.js';
import type { InvestigationContext, MicroRange } from './context.js';
import { FINAL_ROWS, inAddresses, inRange } from './host-sql.js';

/** The note, or null when none of the host's connections in the period has a twin from another source. */
export async function sourceOverlapNote(ctx: InvestigationContext, addresses: readonly string[], period: MicroRange): Promise<string | null> {
  if ((await connectionOverlaps(ctx.store)).length === 0) return null;
  const d = ctx.store.dialect;
  const windowUs = OVERLAP_WINDOW_S * 1_000_000;
  const host = (alias: string) => sql`(${inAddresses(raw(`${alias}.orig_h`), addresses)} OR ${inAddresses(raw(`${alias}.resp_h`), addresses)})`;
  const rows = await ctx.store.all(sql`SELECT count(DISTINCT n.rowid) AS twinned, string_agg(DISTINCT n.source_type, ', ' ORDER BY n.source_type) AS sources
    FROM (SELECT rowid, * FROM connections WHERE ${host('connections')} AND ${inRange(d, period)} AND ${FINAL_ROWS} AND community_id IS NOT NULL) AS n
    JOIN connections AS o ON ${twinCondition(d, 'n', 'o')}
    WHERE ${inRange(d, { since: period.since - windowUs, until: period.until + windowUs }, raw('o.ts'))} AND o.state_reason IS DISTINCT FROM 'interim'`);
  const twinned = Number(rows[0]?.twinned ?? 0);
  if (twinned === 0) return null;
  return `${twinned} of this host's connection rows are the same connection stored by another source (${String(rows[0].sources)}): ` +
    'connection counts and bytes include both rows; scope a question to one source with a filter such as \'source_type: zeek\'';
}
