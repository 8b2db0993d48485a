/**
 * What every generated session is to the scheduler: something that writes its next packet when its
 * time comes and says when the one after it is due. Sessions hold their own protocol state; the
 * scheduler only orders them by time.
 */
import type { FrameWriter } from './frame-writer.js';
import type { Site } from './site.js';

/** One conversation (TCP connection, DNS lookup, NTP poll, QUIC connection, ping run). */
export interface Session {
  /** How many flows (5-tuples) the session uses. */
  readonly flows: number;
  /** Writes the packet due at `now` (microseconds); returns when the next is due, or -1 when done. */
  step(w: FrameWriter, now: number): number;
}

/** Shared inputs of session constructors. */
export interface SessionContext {
  /** The seeded random source. */
  r: () => number;
  site: Site;
  /** Probes the scanner has sent so far (its sweep position). */
  scanProbes: number;
}

/** A log-uniform draw between `lo` and `hi`. */
export function logUniform(r: () => number, lo: number, hi: number): number {
  return lo * Math.exp(r() * Math.log(hi / lo));
}

/** An index into a list of `n` items, skewed towards the start (a few popular items, a long tail). */
export function skewed(r: () => number, n: number, power: number): number {
  return Math.min(n - 1, Math.floor(r() ** power * n));
}
