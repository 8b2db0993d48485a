/**
 * Byte-level reading of one PAN-OS CSV line: where the CSV starts after a syslog envelope, the field
 * boundaries (PAN-OS quotes a field that holds a comma, doubling any quote inside), and its two time
 * formats. Nothing here makes a string unless asked.
 */
import { ViewCache } from '../word-copy.js';

/** Field boundaries of the current line; `quoted[i]` is 2 when field i holds doubled quotes. */
export class CsvFields {
  start = new Int32Array(256);
  end = new Int32Array(256);
  quoted = new Uint8Array(256);
  count = 0;
  private readonly views = new ViewCache();

  /** Splits `buf[from .. to)`; returns false when a quoted field is not closed. */
  split(buf: Uint8Array, from: number, to: number): boolean {
    const dv = this.views.of(buf);
    let n = 0;
    let i = from;
    while (true) {
      if (n === this.start.length) this.grow();
      if (i < to && buf[i] === 34) {
        let j = i + 1;
        let doubled = 1;
        while (true) {
          while (j < to && buf[j] !== 34) j++;
          if (j >= to) return false;
          if (j + 1 < to && buf[j + 1] === 34) {
            doubled = 2;
            j += 2;
            continue;
          }
          break;
        }
        this.start[n] = i + 1;
        this.end[n] = j;
        this.quoted[n] = doubled;
        n++;
        i = j + 1;
        if (i >= to) break;
        if (buf[i] !== 44) return false;
        i++;
        continue;
      }
      // The next comma: four bytes at a time while a word holds none (a byte loop costs about four
      // times as much a byte), then byte by byte within the word that holds it.
      let j = i;
      while (j + 4 <= to) {
        const x = dv.getInt32(j, true) ^ 0x2c2c2c2c;
        if (((x - 0x01010101) & ~x & 0x80808080) !== 0) break;
        j += 4;
      }
      while (j < to && buf[j] !== 44) j++;
      this.start[n] = i;
      this.end[n] = j;
      this.quoted[n] = 0;
      n++;
      if (j >= to) break;
      i = j + 1;
    }
    this.count = n;
    return true;
  }

  private grow(): void {
    const n = this.start.length * 2;
    const s = new Int32Array(n);
    s.set(this.start);
    const e = new Int32Array(n);
    e.set(this.end);
    const q = new Uint8Array(n);
    q.set(this.quoted);
    this.start = s;
    this.end = e;
    this.quoted = q;
  }
}

/**
 * Where the CSV starts in `buf[from .. to)`: after the last space (or `>`) before the first comma,
 * since the first CSV field never holds a space and a syslog envelope always ends with one.
 */
export function csvStart(buf: Uint8Array, from: number, to: number): number {
  let c = from;
  while (c < to && buf[c] !== 44) c++;
  if (c >= to) return -1;
  let s = c;
  while (s > from && buf[s - 1] !== 32 && buf[s - 1] !== 62) s--;
  return s;
}

function dig(buf: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = buf[k] - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function civil(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60)) return NaN;
  return (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1e6;
}

/** A byte range [start, end) of a line. */
export interface ByteSpan {
  start: number;
  end: number;
}

/**
 * The host named by a syslog envelope `buf[from .. to)`: RFC 5424's HOSTNAME (third token after
 * `<PRI>1`), else the last token, unless it is a time (holds a colon). Written to `out` as [start, end),
 * or [0, 0) for none (into a caller's object, so a line costs no allocation).
 */
export function envelopeHost(buf: Uint8Array, from: number, to: number, out: ByteSpan): void {
  out.start = out.end = 0;
  while (to > from && buf[to - 1] === 32) to--;
  if (to <= from) return;
  let i = from;
  if (buf[i] === 60) {
    while (i < to && buf[i] !== 62) i++;
    i++;
    if (i + 1 < to && buf[i] === 49 && buf[i + 1] === 32) {
      i += 2;
      while (i < to && buf[i] !== 32) i++; // the timestamp
      while (i < to && buf[i] === 32) i++;
      let e = i;
      while (e < to && buf[e] !== 32) e++;
      if (e > i && !(e - i === 1 && buf[i] === 45)) {
        out.start = i;
        out.end = e;
      }
      return;
    }
  }
  let h = to;
  while (h > i && buf[h - 1] !== 32 && buf[h - 1] !== 62) h--;
  for (let k = h; k < to; k++) if (buf[k] === 58) return;
  if (h < to) {
    out.start = h;
    out.end = to;
  }
}

/** `YYYY/MM/DD HH:MM:SS` (the device's local time, no zone) as microseconds read as UTC; NaN if malformed. */
export function panosTime(buf: Uint8Array, s: number, e: number): number {
  if (e - s !== 19 || buf[s + 4] !== 47 || buf[s + 7] !== 47 || buf[s + 10] !== 32 || buf[s + 13] !== 58 || buf[s + 16] !== 58) return NaN;
  return civil(dig(buf, s, 4), dig(buf, s + 5, 2), dig(buf, s + 8, 2), dig(buf, s + 11, 2), dig(buf, s + 14, 2), dig(buf, s + 17, 2));
}

/**
 * ISO 8601 `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]` at `buf[s ..]`: sets `iso.micros` (UTC) and
 * `iso.offsetMicros` (NaN when no zone was written); returns false when it is not such a time.
 */
export function isoTime(buf: Uint8Array, s: number, e: number, iso: { micros: number; offsetMicros: number }): boolean {
  if (e - s < 19 || buf[s + 4] !== 45 || buf[s + 7] !== 45 || (buf[s + 10] !== 84 && buf[s + 10] !== 32) || buf[s + 13] !== 58 || buf[s + 16] !== 58) return false;
  const t = civil(dig(buf, s, 4), dig(buf, s + 5, 2), dig(buf, s + 8, 2), dig(buf, s + 11, 2), dig(buf, s + 14, 2), dig(buf, s + 17, 2));
  if (Number.isNaN(t)) return false;
  let i = s + 19;
  let frac = 0;
  if (i < e && buf[i] === 46) {
    let n = 0;
    for (i++; i < e && buf[i] >= 48 && buf[i] <= 57; i++, n++) if (n < 6) frac = frac * 10 + buf[i] - 48;
    for (; n < 6; n++) frac *= 10;
  }
  let off = NaN;
  if (i < e && buf[i] === 90) off = 0;
  else if (i + 5 <= e && (buf[i] === 43 || buf[i] === 45)) {
    const colon = buf[i + 3] === 58 ? 1 : 0;
    off = (buf[i] === 45 ? -1 : 1) * (dig(buf, i + 1, 2) * 60 + dig(buf, i + 3 + colon, 2)) * 60e6;
  }
  iso.micros = t + frac - (Number.isNaN(off) ? 0 : off);
  iso.offsetMicros = off;
  return !Number.isNaN(iso.micros);
}

/** The UTC offset written in a syslog envelope's ISO timestamp (`<PRI>1 2023-...+02:00 host`), else NaN. */
export function envelopeOffset(buf: Uint8Array, s: number, e: number, iso: { micros: number; offsetMicros: number }): number {
  if (s < e && buf[s] === 60) {
    while (s < e && buf[s] !== 62) s++;
    s++;
    if (s + 1 < e && buf[s] === 49 && buf[s + 1] === 32) s += 2;
  }
  let t = s;
  while (t < e && buf[t] !== 32) t++;
  return isoTime(buf, s, t, iso) ? iso.offsetMicros : NaN;
}
