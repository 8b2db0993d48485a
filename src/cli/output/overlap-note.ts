/** The note printed when two ingests hold the same connections (src/store/connection-overlaps.ts). */
import type { ConnectionOverlap } from '../../store/connection-overlaps.js';
import { humanCount } from './humanize.js';

/** One line naming both ingests, what the overlap does to counts, and how to scope a question to one source. */
export function overlapNote(v: ConnectionOverlap): string {
  const other = `#${v.other_ingest_id} (${v.other_source_type}${v.other_path === null ? '' : `, ${v.other_path}`})`;
  return (
    `  note: ${humanCount(v.connections)} connections of #${v.ingest_id} (${v.source_type}) are also stored from ${other}: ` +
    `the same traffic seen by two sources. Counts (top, conversations, timeline, host) include both; ` +
    `scope a question to one source with a filter such as 'source_type: ${v.source_type}'.`
  );
}
