/** Time values shared by every layer: microseconds since the epoch rendered as ISO-8601 UTC text. */

/** Microseconds per millisecond, as a bigint. */
export const MICROS_PER_MS = 1000n;
/** Largest magnitude a Date holds, in milliseconds. */
export const MAX_DATE_MS = 8.64e15;

/** Microseconds since the epoch as `2023-01-05T18:51:06.913123Z`, or null when out of Date's range. */
export function isoMicros(us: number | bigint): string | null {
  let ms: number;
  let rest: number;
  if (typeof us === 'bigint') {
    // Floor division, so times before 1970 keep a positive sub-millisecond part.
    const big = us / MICROS_PER_MS - (us % MICROS_PER_MS < 0n ? 1n : 0n);
    if (big > BigInt(MAX_DATE_MS) || big < -BigInt(MAX_DATE_MS)) return null;
    ms = Number(big);
    rest = Number(us - big * MICROS_PER_MS);
  } else {
    if (!Number.isFinite(us)) return null;
    const whole = Math.round(us);
    ms = Math.floor(whole / 1000);
    rest = whole - ms * 1000;
  }
  if (Math.abs(ms) > MAX_DATE_MS) return null;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}
