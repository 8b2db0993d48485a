/**
 * EVE timestamps ("2017-07-07T14:24:47.551573+0200") to integer microseconds since the epoch, UTC.
 * Parsed digit by digit rather than with Date.parse, which keeps only milliseconds and accepts many
 * shapes we should reject. The UTC offset is required (Suricata always writes one); `Z`, `+HHMM`,
 * `+HH:MM` and `+HH` are accepted, as are 0 to 9 fraction digits (beyond 6 they are truncated).
 */

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Parses an EVE timestamp to microseconds since the epoch (UTC); NaN when it is malformed. */
export function parseEveTime(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return NaN;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return NaN;
  if (d > MONTH_DAYS[mo] || (mo === 2 && d === 29 && !isLeap(y))) return NaN;
  let i = 19;
  let frac = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    let nd = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (nd < 6) frac = frac * 10 + c;
      nd++;
    }
    if (nd === 0 || nd > 9) return NaN;
    for (let k = nd; k < 6; k++) frac *= 10;
  }
  if (i >= n) return NaN; // no UTC offset: the instant is unknown
  let offset = 0;
  const sign = s.charCodeAt(i);
  if (sign === 90) {
    if (i + 1 !== n) return NaN;
  } else if (sign === 43 || sign === 45) {
    const rest = n - i - 1;
    const oh = digits(s, i + 1, 2);
    let om = 0;
    if (rest === 4) om = digits(s, i + 3, 2);
    else if (rest === 5 && s.charCodeAt(i + 3) === 58) om = digits(s, i + 4, 2);
    else if (rest !== 2) return NaN;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offset = (oh * 60 + om) * 60;
    if (sign === 45) offset = -offset;
  } else return NaN;
  const secs = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
  return secs * 1_000_000 + frac;
}
