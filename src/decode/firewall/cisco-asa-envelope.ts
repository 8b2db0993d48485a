/**
 * The text in front of `%ASA-n-nnnnnn:`: an optional syslog priority, an optional RFC 5424 version,
 * a timestamp (the relay's BSD `Mmm dd HH:MM:SS`, the ASA's own `Mmm dd yyyy HH:MM:SS`, or ISO 8601
 * with an offset) and an optional host. Times without an offset are taken as UTC; a BSD time without
 * a year takes the year that puts it no more than two days in the future of `nowMicros`.
 */

/** What an envelope says: the time in microseconds (NaN when absent) and the host, if any. */
export interface AsaEnvelope {
  tsMicros: number;
  host: string | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_US = 86_400_000_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Civil date and time to microseconds, NaN when a part is out of range. */
function micros(y: number, mo: number, d: number, h: number, mi: number, se: number, frac: number): number {
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && se <= 60)) return NaN;
  return (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se) * 1e6 + frac;
}

/** Reads `.ffffff` at i; returns [microseconds, next index]. */
function fraction(s: string, i: number): [number, number] {
  if (s.charCodeAt(i) !== 46) return [0, i];
  let v = 0;
  let n = 0;
  i++;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    if (n < 6) v = v * 10 + c;
    n++;
  }
  for (; n < 6; n++) v *= 10;
  return [v, i];
}

/** Parses the envelope `s` (everything before the `%ASA-` tag). */
export function parseAsaEnvelope(s: string, nowMicros: number): AsaEnvelope {
  const out: AsaEnvelope = { tsMicros: NaN, host: null };
  let i = 0;
  while (s.charCodeAt(i) === 32) i++;
  if (s.charCodeAt(i) === 60) {
    const gt = s.indexOf('>', i);
    if (gt < 0 || gt > i + 4) return out;
    i = gt + 1;
    if (s.charCodeAt(i) === 49 && s.charCodeAt(i + 1) === 32) i += 2; // RFC 5424 version
  }
  const c0 = s.charCodeAt(i);
  if (c0 >= 48 && c0 <= 57) {
    // ISO 8601: YYYY-MM-DDTHH:MM:SS[.f][Z|±HH:MM|±HHMM]
    const y = digits(s, i, 4);
    const t = micros(y, digits(s, i + 5, 2), digits(s, i + 8, 2), digits(s, i + 11, 2), digits(s, i + 14, 2), digits(s, i + 17, 2), 0);
    if (s[i + 4] !== '-' || (s[i + 10] !== 'T' && s[i + 10] !== ' ') || Number.isNaN(t)) return out;
    let [frac, j] = fraction(s, i + 19);
    const z = s.charCodeAt(j);
    let off = 0;
    if (z === 90) j++;
    else if (z === 43 || z === 45) {
      const oh = digits(s, j + 1, 2);
      const colon = s.charCodeAt(j + 3) === 58 ? 1 : 0;
      const om = digits(s, j + 3 + colon, 2);
      if (Number.isNaN(oh) || Number.isNaN(om)) return out;
      off = (z === 45 ? -1 : 1) * (oh * 60 + om) * 60e6;
      j += 5 + colon;
    }
    out.tsMicros = t + frac - off;
    frac = 0;
    i = j;
  } else {
    // BSD: Mmm dd [yyyy ]HH:MM:SS[.fff]
    const mo = MONTHS.indexOf(s.slice(i, i + 3)) + 1;
    if (mo === 0 || s.charCodeAt(i + 3) !== 32) return out;
    i += 4;
    if (s.charCodeAt(i) === 32) i++;
    let j = i;
    while (s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    const d = digits(s, i, j - i);
    if (j === i || j - i > 2 || s.charCodeAt(j) !== 32) return out;
    i = j + 1;
    let year = NaN;
    if (s.charCodeAt(i + 4) === 32) {
      year = digits(s, i, 4);
      if (Number.isNaN(year)) return out;
      i += 5;
    }
    const h = digits(s, i, 2);
    const mi = digits(s, i + 3, 2);
    const se = digits(s, i + 6, 2);
    if (s[i + 2] !== ':' || s[i + 5] !== ':') return out;
    const [frac, k] = fraction(s, i + 8);
    i = k;
    if (Number.isNaN(year)) {
      year = new Date(nowMicros / 1000).getUTCFullYear();
      const t = micros(year, mo, d, h, mi, se, frac);
      out.tsMicros = t > nowMicros + 2 * DAY_US ? micros(year - 1, mo, d, h, mi, se, frac) : t;
    } else out.tsMicros = micros(year, mo, d, h, mi, se, frac);
  }
  if (s.charCodeAt(i) === 58) i++;
  while (s.charCodeAt(i) === 32) i++;
  let e = i;
  while (e < s.length && s.charCodeAt(e) !== 32) e++;
  let host = s.slice(i, e);
  if (host.endsWith(':')) host = host.slice(0, -1);
  out.host = host === '' || host === '-' ? null : host;
  return out;
}
