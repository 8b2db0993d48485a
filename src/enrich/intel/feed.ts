/**
 * What every feed parser returns: the indicators it understood (deduplicated), and what it skipped,
 * counted by reason with the first few positions, so nothing is dropped silently.
 */
import type { FeedIndicator } from './indicator.js';

/** Feed formats Nightjar reads. */
export type FeedFormat = 'text' | 'csv' | 'stix';

/** Skipped entries of one reason. */
export interface SkipCount {
  count: number;
  /** The first few positions (`line 12`, `indicator--...`). */
  examples: string[];
}

/** A parsed feed. */
export interface ParsedFeed {
  readonly format: FeedFormat;
  readonly indicators: FeedIndicator[];
  /** Skipped entries by reason code (`not-an-indicator`, `unsupported-pattern`, ...). */
  readonly skipped: Record<string, SkipCount>;
  /** The same indicator given again (kept once). */
  duplicates: number;
  /** Format-specific counts (STIX: patterns matched fully, partly, not at all). */
  readonly counts: Record<string, number>;
}

/** An empty result to fill. */
export function emptyFeed(format: FeedFormat): ParsedFeed {
  return { format, indicators: [], skipped: {}, duplicates: 0, counts: {} };
}

/** Counts one skipped entry. */
export function skip(feed: ParsedFeed, reason: string, where: string): void {
  const s = (feed.skipped[reason] ??= { count: 0, examples: [] });
  s.count++;
  if (s.examples.length < 5) s.examples.push(where);
}

/** Adds an indicator unless the feed already has the same one. */
export function addIndicator(feed: ParsedFeed, seen: Set<string>, ind: FeedIndicator): void {
  const key = `${ind.kind}|${ind.value}|${ind.subdomains}`;
  if (seen.has(key)) {
    feed.duplicates++;
    return;
  }
  seen.add(key);
  feed.indicators.push(ind);
}

/** Total skipped entries. */
export function skippedTotal(feed: ParsedFeed): number {
  return Object.values(feed.skipped).reduce((n, s) => n + s.count, 0);
}
