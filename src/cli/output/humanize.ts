/**
 * Human-readable numbers for terminal output: byte sizes, counts, durations and rates. These are
 * for people only; machine formats (json, ndjson, csv) always carry the exact values.
 */

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;
const COUNT_UNITS = ['', 'k', 'M', 'G', 'T'] as const;
const BIT_UNITS = ['bit', 'kbit', 'Mbit', 'Gbit', 'Tbit'] as const;

/** Scales n by powers of 1000 to one decimal, moving up a unit when rounding reaches 1000. */
function scale(n: number, units: readonly string[], sep: string): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 0) return `-${scale(-n, units, sep)}`;
  if (n < 1000) {
    const small = Number.isInteger(n) ? String(n) : n.toFixed(1);
    return `${small}${sep}${units[0]}`.trimEnd();
  }
  let v = n;
  let u = 0;
  // Compare the rounded value, so 999_950 prints as "1.0 MB" and never as "1000.0 kB".
  while (u < units.length - 1 && Math.round(v * 10) / 10 >= 1000) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(1)}${sep}${units[u]}`;
}

/** A byte count in SI units (1000-based) with one decimal, e.g. `1.2 MB`; below 1 kB it is exact. */
export function humanBytes(bytes: number | bigint): string {
  return scale(Number(bytes), BYTE_UNITS, ' ');
}

/** A count with an SI suffix and one decimal, e.g. `1.2k`, `3.4M`; below 1000 it is exact. */
export function humanCount(n: number | bigint): string {
  return scale(Number(n), COUNT_UNITS, '');
}

/** A duration given in seconds (the unit of every stored duration), e.g. `250ms`, `3.2s`, `1h02m`. */
export function humanDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 0) return `-${humanDuration(-seconds)}`;
  if (seconds === 0) return '0s';
  if (seconds < 0.0005) return `${Math.max(1, Math.round(seconds * 1e6))}µs`;
  if (seconds < 0.9995) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 59.95) return `${seconds.toFixed(1)}s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
  const m = Math.round(seconds / 60);
  if (m < 24 * 60) return `${Math.floor(m / 60)}h${pad2(m % 60)}m`;
  const h = Math.round(seconds / 3600);
  return `${Math.floor(h / 24)}d${pad2(h % 24)}h`;
}

/** What a rate counts: bytes (`1.2 MB/s`), bits (`9.6 Mbit/s`, from a byte rate) or events (`3.4k/s`). */
export type RateUnit = 'bytes' | 'bits' | 'count';

/** A per-second rate; for 'bits' pass bytes per second, it is multiplied by 8. */
export function humanRate(perSecond: number, unit: RateUnit = 'count'): string {
  if (unit === 'bytes') return `${humanBytes(perSecond)}/s`;
  if (unit === 'bits') return `${scale(perSecond * 8, BIT_UNITS, ' ')}/s`;
  return `${humanCount(perSecond)}/s`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
