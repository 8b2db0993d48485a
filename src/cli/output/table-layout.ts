/**
 * Fits table columns into a terminal width. Text columns shrink first, the widest first, down to a
 * small minimum; numbers and times never shrink, since a cut number is worse than a missing one. Only
 * when even the minimum widths do not fit are trailing columns dropped, and the caller says so.
 */

/** What the fitter needs to know about one column. */
export interface ColumnFitInput {
  /** Width of the widest cell or header. */
  readonly natural: number;
  /** Whether cells may be cut with '…' to save room. */
  readonly shrinkable: boolean;
}

/** Widths for the first `widths.length` columns; the rest do not fit. */
export interface ColumnFit {
  readonly widths: number[];
}

/** Narrowest a text column is cut to before columns are dropped instead. */
export const MIN_TEXT_WIDTH = 6;

function minWidth(c: ColumnFitInput): number {
  return c.shrinkable ? Math.min(c.natural, MIN_TEXT_WIDTH) : c.natural;
}

function widthsAt(cols: readonly ColumnFitInput[], cap: number): number[] {
  return cols.map((c) => (c.shrinkable ? Math.min(c.natural, Math.max(cap, minWidth(c))) : c.natural));
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** Shrinks the widest shrinkable columns until the total fits `avail`; needs the minimums to fit. */
function shrink(cols: readonly ColumnFitInput[], avail: number): number[] {
  const natural = cols.map((c) => c.natural);
  if (sum(natural) <= avail) return natural;
  // Largest cap on shrinkable widths that fits, found by bisection: total width grows with the cap.
  let lo = 0;
  let hi = Math.max(...natural);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sum(widthsAt(cols, mid)) <= avail) lo = mid;
    else hi = mid - 1;
  }
  const widths = widthsAt(cols, lo);
  let spare = avail - sum(widths);
  for (let i = 0; i < cols.length && spare > 0; i++) {
    if (cols[i].shrinkable && widths[i] < cols[i].natural) {
      widths[i]++;
      spare--;
    }
  }
  return widths;
}

/** Column widths that fit `termWidth` with `gap` cells between columns, dropping trailing columns last. */
export function fitColumns(cols: readonly ColumnFitInput[], termWidth: number, gap: number): ColumnFit {
  if (cols.length === 0) return { widths: [] };
  if (!Number.isFinite(termWidth)) return { widths: cols.map((c) => c.natural) };
  for (let k = cols.length; k >= 1; k--) {
    const shown = cols.slice(0, k);
    const avail = termWidth - gap * (k - 1);
    if (sum(shown.map(minWidth)) <= avail) return { widths: shrink(shown, avail) };
  }
  // Even the first column alone is too wide: cut it to the terminal rather than overflow.
  return { widths: [Math.max(1, termWidth)] };
}
