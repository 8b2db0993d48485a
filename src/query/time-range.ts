/**
 * Parses the times users type: relative (`90s`, `15m`, `2h`, `7d`, `1w`, meaning that long before now)
 * and absolute (ISO 8601 dates or date-times, UTC unless an offset is given, or epoch seconds).
 */
import { NightjarError } from '../model/errors.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Parses a time expression into microseconds since the epoch; `now` is in milliseconds. */
export function parseTime(text: string, now = Date.now()): number {
  const t = text.trim();
  const rel = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(t);
  if (rel) return Math.round((now - Number(rel[1]) * UNITS[rel[2].toLowerCase()] * 1000) * 1000);
  if (/^\d{9,10}(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1e6);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/i.test(t)) {
    let iso = t.replace(' ', 'T');
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) iso += iso.includes('T') ? 'Z' : 'T00:00:00Z';
    const frac = /\.(\d+)/.exec(iso);
    const ms = Date.parse(iso);
    if (!Number.isNaN(ms)) {
      const extraMicros = frac && frac[1].length > 3 ? Number(frac[1].slice(3, 6).padEnd(3, '0')) : 0;
      return ms * 1000 + extraMicros;
    }
  }
  throw new NightjarError(
    'NJ_USAGE',
    `cannot read the time "${text}": use a duration before now (30m, 2h, 7d) or an ISO time (2024-03-01T12:00:00Z)`,
  );
}

/** Parses a duration (`90s`, `15m`, `2h`, `7d`, `1w`, or plain seconds) into microseconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw]?)$/i.exec(text.trim());
  if (!m) throw new NightjarError('NJ_USAGE', `${what} ${text}: give a duration such as 30s, 5m, 2h or 7d`);
  return Math.round(Number(m[1]) * UNITS[(m[2] || 's').toLowerCase()] * 1e6);
}

/** A time range in microseconds; either end may be open. */
export interface TimeRange {
  readonly since?: number;
  readonly until?: number;
}

/** Parses optional --since/--until texts into a range, checking their order. */
export function parseTimeRange(since?: string, until?: string, now = Date.now()): TimeRange {
  const r = { since: since ? parseTime(since, now) : undefined, until: until ? parseTime(until, now) : undefined };
  if (r.since !== undefined && r.until !== undefined && r.since > r.until) {
    throw new NightjarError('NJ_USAGE', `--since (${since}) is after --until (${until})`);
  }
  return r;
}
