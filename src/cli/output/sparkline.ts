/**
 * Block-character charts for the terminal: a one-line sparkline for timelines and a horizontal bar
 * for top-N lists. Scales start at zero, so heights compare honestly, and a zero is drawn blank so
 * quiet periods (the gaps between beacons, say) stand out from small but non-zero activity.
 */

const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'] as const;

/** Sums `values` into `width` consecutive buckets of near-equal size; never stretches a shorter series. */
export function resample(values: readonly number[], width: number): number[] {
  const n = values.length;
  const w = Math.max(0, Math.floor(width));
  if (n <= w) return values.slice();
  const out: number[] = [];
  for (let b = 0; b < w; b++) {
    const from = Math.floor((b * n) / w);
    const to = Math.floor(((b + 1) * n) / w);
    let sum = 0;
    for (let i = from; i < to; i++) sum += clean(values[i]);
    out.push(sum);
  }
  return out;
}

/** A sparkline of non-negative values (one character per value, or per bucket when wider than `width`). */
export function sparkline(values: readonly number[], width: number = values.length): string {
  const series = resample(values, width).map(clean);
  const max = series.reduce((m, v) => (v > m ? v : m), 0);
  if (max === 0) return ' '.repeat(series.length);
  // ceil keeps any non-zero value visible and maps 1..8 of max 8 onto ▁..█ exactly.
  return series.map((v) => (v === 0 ? ' ' : LEVELS[Math.min(7, Math.ceil((v / max) * 8) - 1)])).join('');
}

/** A horizontal bar of at most `width` cells for value/max, in eighths of a cell; not padded. */
export function bar(value: number, max: number, width: number): string {
  if (!(max > 0) || !(value > 0) || !(width > 0)) return '';
  const eighths = Math.round(Math.min(1, value / max) * Math.floor(width) * 8);
  // A non-zero value always gets a sliver, so it never looks the same as zero.
  if (eighths === 0) return PARTIAL[1];
  return '█'.repeat(Math.floor(eighths / 8)) + PARTIAL[eighths % 8];
}

function clean(v: number): number {
  return Number.isFinite(v) && v > 0 ? v : 0;
}
