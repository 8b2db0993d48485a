/** Counts skipped and ignored records per reason, keeping the first few positions of each for the summary. */

/** How many skip positions are kept per reason for the summary. */
export const FIRST_POSITIONS = 5;

/** What a skip position counts: lines of text, bytes, or packets of a capture. */
export type PositionUnit = 'line' | 'offset' | 'packet';

/** Skipped records of one reason. */
export interface SkipSummary {
  count: number;
  /** The first few line numbers (or byte offsets) where it happened. */
  first: number[];
  /** What a position means. */
  unit: PositionUnit;
  /** Detail of the first occurrence, when the decoder gave one. */
  example?: string;
}

/** The skip and ignore counts of one input. */
export interface SkipCounts {
  skipped: Record<string, SkipSummary>;
  totalSkipped: number;
  ignored: Record<string, number>;
}

/** Accumulates skips and ignores for one input. */
export class SkipLog implements SkipCounts {
  skipped: Record<string, SkipSummary> = {};
  totalSkipped = 0;
  ignored: Record<string, number> = {};

  constructor(private readonly unit: PositionUnit) {}

  /** Counts one skipped record. */
  skip(reason: string, position: number, detail?: string): void {
    this.totalSkipped++;
    const s = (this.skipped[reason] ??= { count: 0, first: [], unit: this.unit });
    s.count++;
    if (s.first.length < FIRST_POSITIONS) s.first.push(position);
    if (s.example === undefined && detail !== undefined) s.example = detail.slice(0, 200);
  }

  /** Counts one record deliberately not stored. */
  ignore(kind: string): void {
    this.ignored[kind] = (this.ignored[kind] ?? 0) + 1;
  }

  /** Adds counts from elsewhere (a worker's). */
  merge(other: SkipCounts): void {
    for (const [reason, s] of Object.entries(other.skipped)) {
      const mine = (this.skipped[reason] ??= { count: 0, first: [], unit: s.unit });
      mine.count += s.count;
      mine.first = [...mine.first, ...s.first].slice(0, FIRST_POSITIONS);
      mine.example ??= s.example;
    }
    this.totalSkipped += other.totalSkipped;
    for (const [k, n] of Object.entries(other.ignored)) this.ignored[k] = (this.ignored[k] ?? 0) + n;
  }

  /** A plain copy for messages and reports. */
  toJSON(): SkipCounts {
    return { skipped: this.skipped, totalSkipped: this.totalSkipped, ignored: this.ignored };
  }
}
