/**
 * Value conversions for Zeek JSON records: times (epoch seconds or milliseconds, or ISO 8601 text) to
 * exact integer microseconds, lenient number and bool checks, and flattening of nested records to Zeek's
 * dotted names.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Epoch seconds text (`1517422326.539915`) to microseconds exactly from its digits; NaN if malformed. */
function microsFromDecimal(s: string): number {
  const neg = s.charCodeAt(0) === 45;
  const dot = s.indexOf('.');
  const intText = s.slice(neg ? 1 : 0, dot < 0 ? s.length : dot);
  if (intText.length > 12) return NaN;
  let frac = 0;
  let roundUp = 0;
  if (dot >= 0) {
    for (let i = 0; i < 6; i++) {
      const c = dot + 1 + i < s.length ? s.charCodeAt(dot + 1 + i) - 48 : 0;
      frac = frac * 10 + c;
    }
    if (dot + 7 < s.length && s.charCodeAt(dot + 7) >= 53) roundUp = 1;
  }
  const micros = Number(intText) * 1e6 + frac + roundUp;
  return neg ? -micros : micros;
}

function microsFromIso(m: RegExpExecArray): number {
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (!Number.isFinite(ms)) return NaN;
  let micros = ms * 1000;
  if (m[7] !== undefined) micros += Number((m[7] + '00000').slice(0, 6)) + (m[7].length > 6 && m[7].charCodeAt(6) >= 53 ? 1 : 0);
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    micros -= sign * offsetMin * 60_000_000;
  }
  return micros;
}

/**
 * Integers from here up are epoch milliseconds (`JSON::TS_MILLIS`, the default of the Kafka writer and
 * of several JSON log packages): as seconds they would be past the year 5000, as milliseconds they
 * cover 1973 onwards.
 */
const MILLIS_FROM = 1e11;

/**
 * A Zeek JSON time in microseconds, or NaN: epoch seconds as a number or text (`JSON::TS_EPOCH`), an
 * integer of epoch milliseconds (`JSON::TS_MILLIS`), or ISO 8601 text (`JSON::TS_ISO8601`).
 */
export function jsonMicros(v: unknown): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return NaN;
    if (Number.isSafeInteger(v) && Math.abs(v) >= MILLIS_FROM) return v * 1000;
    const s = String(v);
    return DECIMAL.test(s) ? microsFromDecimal(s) : Math.round(v * 1e6);
  }
  if (typeof v !== 'string') return NaN;
  if (DECIMAL.test(v)) return microsFromDecimal(v);
  const m = ISO.exec(v);
  return m === null ? NaN : microsFromIso(m);
}

/** A number from a JSON number or decimal text, or NaN. */
export function jsonNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && DECIMAL.test(v)) return Number(v);
  return NaN;
}

/** A non-negative integer no larger than `max`, or NaN. */
export function jsonUint(v: unknown, max: number): number {
  const n = jsonNumber(v);
  return Number.isInteger(n) && n >= 0 && n <= max ? n : NaN;
}

/** A bool from JSON true/false or Zeek's T/F text, or null when it is neither. */
export function jsonBool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'T' || v === 'true') return true;
  if (v === 'F' || v === 'false') return false;
  return null;
}

/** Text of a scalar (strings as they are, numbers and bools printed), or null for arrays and objects. */
export function jsonText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flattenInto(out: Record<string, unknown>, prefix: string, obj: Record<string, unknown>): void {
  for (const k in obj) {
    const v = obj[k];
    if (v === null || v === undefined) continue;
    if (isRecord(v)) flattenInto(out, prefix + k + '.', v);
    else out[prefix + k] = v;
  }
}

/**
 * The record with nested records flattened to dotted names (`{"id":{"orig_h":..}}` -> `id.orig_h`,
 * as Zeek names them) and nulls (unset values) dropped; the object itself when there is nothing to do.
 */
export function flattenRecord(obj: Record<string, unknown>): Record<string, unknown> {
  for (const k in obj) {
    const v = obj[k];
    if (v === null || isRecord(v)) {
      const out: Record<string, unknown> = {};
      flattenInto(out, '', obj);
      return out;
    }
  }
  return obj;
}

/** True for a JSON object (not an array, not null). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return isRecord(v);
}

const LOG_NAME = /^[a-z][a-z0-9_-]*$/i;

/**
 * The record inside a tagged line (`{"conn": {...}}`, the zeek-kafka writer's `tag_json` form), with
 * the tag as its `_path` and the writer's `additional_message_values` (scalars beside the tag) as
 * fields; any other object as it is. The tag is the one member named like a log whose value is an
 * object with `ts`; nothing else may be an object and the line has no `ts` of its own, so an ordinary
 * record is never taken for one.
 */
export function untagRecord(obj: Record<string, unknown>): Record<string, unknown> {
  if (obj.ts !== undefined) return obj;
  let tag: string | null = null;
  for (const k in obj) {
    const v = obj[k];
    if (!isRecord(v)) continue;
    if (tag !== null || v.ts === undefined || !LOG_NAME.test(k)) return obj;
    tag = k;
  }
  if (tag === null) return obj;
  const inner = obj[tag] as Record<string, unknown>;
  const out: Record<string, unknown> = { _path: tag };
  for (const k in obj) if (k !== tag) out[k] = obj[k];
  return Object.assign(out, inner);
}
