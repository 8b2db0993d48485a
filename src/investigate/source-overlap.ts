/**
 * The investigation's note when the host's connections are stored by two sources (the same traffic from
 * Zeek and Suricata, or a capture and its flow export: src/store/connection-overlaps.ts): its counts and
 * bytes then include each source's row, and the analyst must know before reading them.
 */
import { connectionOverlaps } from '../store/connection-overlaps.js';
import { raw, sql } from '../store/sql.js';
import type { InvestigationContext } from './context.js';
import type { MicroRange } from './context.js';
import { inAddresses, inRange } from './host-sql.js';

/** The note, or null when the host's connections in the period come from ingests that share none. */
export async function sourceOverlapNote(ctx: InvestigationContext, addresses: readonly string[], period: MicroRange): Promise<string | null> {
  const rows = await ctx.store.all(sql`SELECT DISTINCT ingest_id FROM connections
    WHERE (${inAddresses(raw('orig_h'), addresses)} OR ${inAddresses(raw('resp_h'), addresses)}) AND ${inRange(ctx.store.dialect, period)}`);
  const ids = new Set(rows.map((r) => Number(r.ingest_id)));
  if (ids.size < 2) return null;
  const pairs = (await connectionOverlaps(ctx.store)).filter((v) => ids.has(v.ingest_id) && ids.has(v.other_ingest_id));
  if (pairs.length === 0) return null;
  const named = pairs.map((v) => `${v.source_type} (ingest #${v.ingest_id}) and ${v.other_source_type} (#${v.other_ingest_id})`);
  return `connections of this host are stored by two sources, ${named.join('; ')}: the same traffic seen twice, so connection counts and bytes include both rows`;
}
