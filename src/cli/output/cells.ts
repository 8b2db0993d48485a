/**
 * Turns row values into what each format prints: display text for tables, plain text for CSV, and
 * JSON-safe values (no bigint, no Date) for json and ndjson. A timestamp may arrive as a Date, as
 * microseconds since the epoch (the stored unit) or as the store's ISO string; machine formats print
 * numbers as ISO 8601 UTC with all six fractional digits, and tables show milliseconds.
 */
import { isoMicros, MAX_DATE_MS, MICROS_PER_MS } from '../../model/time.js';
import { humanBytes, humanDuration } from './humanize.js';
import { sanitize } from './text-width.js';

/** What a column holds, which decides how its values print; see OutputColumn in format.ts. */
export type ColumnKind = 'text' | 'number' | 'bytes' | 'time' | 'duration';

/** A JSON value as JSON.stringify writes it without loss. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export { isoMicros };

/** A Date as the table shows it, `2023-01-05 18:51:06.913` (UTC), or null when invalid. */
export function tableTime(d: Date): string | null {
  const t = d.getTime();
  if (Number.isNaN(t)) return null;
  return d.toISOString().replace('T', ' ').slice(0, -1);
}

const ISO_UTC = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/;
const ISO_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:?\d{2}$/;

/** An ISO timestamp string (as the store returns them) in table form; other text is returned as is. */
export function tableTimeFromText(text: string): string {
  const m = ISO_UTC.exec(text);
  // Cut the fraction as text: going through Date would round microseconds, and the table truncates.
  if (m) return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}`;
  if (ISO_OFFSET.test(text)) return tableTime(new Date(text)) ?? text;
  return text;
}

function microsToDate(v: number | bigint): Date {
  const ms = typeof v === 'bigint' ? Number(v / MICROS_PER_MS) : Math.floor(v / 1000);
  return new Date(Math.abs(ms) <= MAX_DATE_MS ? ms : NaN);
}

/** Whether a value is a number or bigint (used to right-align columns of undeclared kind). */
export function isNumeric(v: unknown): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** Plain text of a value for CSV and, before humanising, tables; null and undefined become ''. */
export function plainText(v: unknown, kind: ColumnKind | undefined): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (kind === 'time' && isNumeric(v)) return isoMicros(v) ?? String(v);
  if (Array.isArray(v)) return v.map((x) => plainText(x, kind)).join(',');
  if (typeof v === 'object') return JSON.stringify(toJson(v, undefined));
  return String(v);
}

/** Text of a value as a table cell: humanised by kind, cleaned of control characters, '-' for null. */
export function tableText(v: unknown, kind: ColumnKind | undefined): string {
  if (v === null || v === undefined) return '-';
  if (v instanceof Date) return tableTime(v) ?? '-';
  if (isNumeric(v)) {
    if (kind === 'time') return tableTime(microsToDate(v)) ?? String(v);
    if (kind === 'bytes') return humanBytes(v);
    if (kind === 'duration') return humanDuration(Number(v));
    if (typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v)) return String(Number(v.toPrecision(6)));
    return String(v);
  }
  if (Array.isArray(v)) return v.map((x) => tableText(x, kind)).join(',');
  if (kind === 'time' && typeof v === 'string') return sanitize(tableTimeFromText(v));
  return sanitize(plainText(v, kind));
}

/** A JSON-safe copy of a value: bigint as a number when exact, else a string; Date and times as ISO. */
export function toJson(v: unknown, kind: ColumnKind | undefined): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') {
    if (kind === 'time') return isoMicros(v);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  if (typeof v === 'number') {
    if (kind === 'time') return isoMicros(v);
    return Number.isFinite(v) ? v : null;
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Array.isArray(v)) return v.map((x) => toJson(x, kind));
  if (typeof v === 'object') {
    const o: { [key: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) o[k] = toJson(x, undefined);
    return o;
  }
  return String(v);
}
