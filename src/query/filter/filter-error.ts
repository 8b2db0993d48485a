/**
 * Errors that point into the filter text: the message, the filter line, and a caret line under the
 * words at fault, plus "did you mean" suggestions chosen by edit distance.
 */
import { NightjarError } from '../../model/errors.js';

/** A filter the language cannot accept, with the span at fault (for the API and UI to highlight). */
export class FilterError extends NightjarError {
  readonly pos: number;
  readonly end: number;
  /** The problem alone, without the caret drawing. */
  readonly reason: string;
  constructor(source: string, pos: number, end: number, reason: string) {
    super('NJ_QUERY', `${reason}\n${caret(source, pos, end)}`);
    this.name = 'FilterError';
    this.pos = pos;
    this.end = end;
    this.reason = reason;
  }
}

/** Longest stretch of the filter shown around the fault, so a 1 MB filter does not flood the terminal. */
const WINDOW = 60;

/** Two lines: the filter (windowed around the fault) and carets under `[pos, end)`. */
export function caret(source: string, pos: number, end: number): string {
  const from = Math.max(0, pos - WINDOW);
  const to = Math.min(source.length, Math.min(Math.max(end, pos + 1), pos + WINDOW) + WINDOW);
  // Control characters would shift the carets or rewrite the terminal; show them as spaces.
  const clean = (s: string) => [...s].map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' ? ' ' : c)).join('');
  const head = (from > 0 ? '…' : '') + clean(source.slice(from, pos));
  const stop = Math.min(Math.max(end, pos), pos + WINDOW);
  const body = clean(source.slice(pos, stop)) + (stop < end ? '…' : '');
  const tail = stop < end ? '' : clean(source.slice(stop, to)) + (to < source.length ? '…' : '');
  const width = Math.max(1, [...body].length);
  return `  ${head}${body}${tail}\n  ${' '.repeat([...head].length)}${'^'.repeat(width)}`;
}

/** Levenshtein distance, capped: returns `cap + 1` once the distance exceeds `cap`. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** The candidates nearest to `word` (case-insensitively), best first, at most `max`. */
export function nearest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  const cap = w.length <= 3 ? 1 : w.length <= 6 ? 2 : 3;
  const scored: { c: string; d: number }[] = [];
  for (const c of new Set(candidates)) {
    const lc = c.toLowerCase();
    let d = editDistance(w, lc, cap);
    // `port` for `resp_p`-style short forms and `orig` for `id.orig_h`: a prefix or suffix is close too.
    if (d > cap && w.length >= 3 && (lc.endsWith(w) || lc.startsWith(w))) d = cap;
    if (d <= cap) scored.push({ c, d });
  }
  scored.sort((x, y) => x.d - y.d || x.c.length - y.c.length || x.c.localeCompare(y.c));
  return scored.slice(0, max).map((s) => s.c);
}

/** " (did you mean a, b?)" or "" when nothing is near. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const n = nearest(word, candidates);
  return n.length ? `; did you mean ${n.join(', ')}?` : '';
}
