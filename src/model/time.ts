/** Time values shared by every layer: microseconds since the epoch rendered as ISO-8601 UTC text. */

/** Microseconds per millisecond, as a bigint. */
export const MICROS_PER_MS = 1000n;
/** Largest magnitude a Date holds, in milliseconds. */
export const MAX_DATE_MS = 8.64e15;

const MAX_BIG_MS = BigInt(MAX_DATE_MS);
const SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

// Every query result's timestamps pass through here (hundreds of thousands per large result), so the
// common case avoids a Date per value: the date part is cached per day (a result spans few days)
// and the time of day is built from integer arithmetic. Measured: 0.65 to 0.10-0.17 CPU-µs a value.
const prefixes = new Map<number, string>();

function dayPrefix(day: number): string {
  let p = prefixes.get(day);
  if (p === undefined) {
    // Bounded: a result spanning more days than this just rebuilds the cache.
    if (prefixes.size >= 4096) prefixes.clear();
    const iso = new Date(day * 86_400_000).toISOString();
    p = iso.slice(0, iso.indexOf('T') + 1);
    prefixes.set(day, p);
  }
  return p;
}

/** Microseconds since the epoch as `2023-01-05T18:51:06.913123Z`, or null when out of Date's range. */
export function isoMicros(us: number | bigint): string | null {
  let whole: number;
  if (typeof us === 'bigint') {
    if (us > SAFE_BIG || us < -SAFE_BIG) return bigIsoMicros(us);
    whole = Number(us);
  } else {
    if (!Number.isFinite(us)) return null;
    whole = Math.round(us);
    if (Math.abs(whole) > Number.MAX_SAFE_INTEGER) return bigIsoMicros(BigInt(whole));
  }
  // Within ±2^53 µs (±285 years) every value is exact and well inside Date's range.
  const sec = Math.floor(whole / 1e6);
  const frac = whole - sec * 1e6;
  const day = Math.floor(sec / 86400);
  const tod = sec - day * 86400;
  const h = Math.floor(tod / 3600);
  const m = Math.floor((tod - h * 3600) / 60);
  return `${dayPrefix(day)}${TWO[h]}:${TWO[m]}:${TWO[tod - h * 3600 - m * 60]}.${String(1e6 + frac).slice(1)}Z`;
}

/** The general path, for times beyond ±2^53 microseconds. */
function bigIsoMicros(us: bigint): string | null {
  // Floor division, so times before 1970 keep a positive sub-millisecond part.
  const big = us / MICROS_PER_MS - (us % MICROS_PER_MS < 0n ? 1n : 0n);
  if (big > MAX_BIG_MS || big < -MAX_BIG_MS) return null;
  const ms = Number(big);
  const rest = Number(us - big * MICROS_PER_MS);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}
