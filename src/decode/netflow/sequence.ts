/**
 * Sequence-number tracking per (exporter, domain). Each protocol counts something different (v5:
 * flows, v9: export packets, IPFIX: data records), so the caller says how much this message advances
 * the counter. Forward gaps are lost records; a backward step or an absurd jump is taken as a restart
 * (or reordering) and counting starts again from the new number, wrapping modulo 2^32.
 */
import type { NetflowStats } from './netflow-stats.js';
import type { DomainState } from './template-cache.js';

/** Largest forward gap believed to be loss rather than an exporter restart. */
export const MAX_SEQUENCE_GAP = 1 << 24;

/**
 * Checks `seq` against what `dom` expected and records what the next message should carry:
 * `seq + advance`, or unknown when `advance` is negative (the message's own count is unknowable).
 */
export function trackSequence(stats: NetflowStats, dom: DomainState, seq: number, advance: number): void {
  if (dom.expectedSeq >= 0) {
    const gap = (seq - dom.expectedSeq) >>> 0;
    if (gap !== 0) {
      if (gap < MAX_SEQUENCE_GAP) {
        dom.lostRecords += gap;
        stats.lostRecords += gap;
      } else {
        dom.sequenceResets++;
        stats.sequenceResets++;
      }
    }
  }
  dom.expectedSeq = advance < 0 ? -1 : (seq + advance) >>> 0;
}
