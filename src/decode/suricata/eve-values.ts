/**
 * Reading values out of parsed EVE JSON without trusting their types: a sensor, a shipper or a damaged
 * file can put anything anywhere, and a wrong-typed non-key field becomes null rather than a bad row.
 */

/** A parsed EVE record or one of its sub-objects. */
export type EveObject = Record<string, unknown>;

/** True when `v` is a JSON object (not an array, not null). */
export function isObject(v: unknown): v is EveObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-negative integer count, or null when absent or not one. */
export function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** A string, or null. */
export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** A copy of `obj` without the keys in `skip`; null when nothing is left (non-objects pass through). */
export function rest(obj: unknown, skip: ReadonlySet<string>): unknown {
  if (!isObject(obj)) return obj;
  const out: EveObject = {};
  let n = 0;
  for (const k in obj) {
    if (skip.has(k)) continue;
    out[k] = obj[k];
    n++;
  }
  return n === 0 ? null : out;
}

