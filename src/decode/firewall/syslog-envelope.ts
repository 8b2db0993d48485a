/**
 * The syslog envelope firewall logs arrive in, parsed from the front of one line so a decoder can
 * read its own message after it. Recognised forms:
 *
 *   RFC 3164   `<PRI>Mmm dd hh:mm:ss host tag[pid]: msg` (PRI optional; also `Mmm dd yyyy hh:mm:ss`
 *              and fractional seconds), as written by syslog daemons, `journalctl` and kernel logs
 *   RFC 5424   `<PRI>1 ISO-TS host app procid msgid SD msg`
 *   ISO 3164   `<PRI>ISO-TS host tag: msg` (rsyslog's high-precision template; PRI optional)
 *
 * The host and tag are optional where devices leave them out: `Mmm dd hh:mm:ss DENY: ...` has a tag but
 * no host, `Mmm dd hh:mm:ss host [RULE] ...` a host but no tag, and a host written twice (UniFi) is read
 * once. For the kernel tag, the uptime stamp `[ 123.456]` that follows it is consumed too.
 *
 * Time: RFC 3164 stamps carry neither a year nor a zone. They are read in the configured UTC offset
 * (UTC by default) and given the current year, or the year before when that would put the time more
 * than a day in the future (a December line read in January). Stamps with a zone are used as given;
 * ISO stamps without one are read like RFC 3164 stamps.
 */

/** What the envelope of one line says; `msgStart` is where the device's own message begins. */
export interface SyslogEnvelope {
  /** Priority value, -1 when absent. */
  pri: number;
  /** Time in microseconds since the epoch, null when the line has no stamp (or `-` in RFC 5424). */
  tsMicros: number | null;
  host: string | null;
  app: string | null;
  pid: string | null;
  /** RFC 5424 MSGID, null when absent or `-`. */
  msgid: string | null;
  /** RFC 5424 structured data as written (`[id k="v"]...`), null when absent or `-`. */
  structuredData: string | null;
  /** Where the structured data is in the line (meaningful only when `structuredData` is set). */
  sdStart: number;
  sdEnd: number;
  /** Kernel uptime stamp (`50028442.088484`) after a kernel tag, null when absent. */
  kernelTime: string | null;
  /** Offset of the tag (`kernel:`, `filterlog[123]:`), -1 when there is none. */
  appStart: number;
  /** Offset of the message. */
  msgStart: number;
}

/** How to read envelope times. */
export interface EnvelopeOptions {
  /** Clock used to infer the year of RFC 3164 stamps (ms since the epoch); Date.now by default. */
  readonly now?: () => number;
  /** UTC offset, in minutes, of stamps that carry no zone; 0 (UTC) by default. */
  readonly utcOffsetMinutes?: number;
}

/** Result of parsing an envelope: none found (the message is the whole line). */
export const ENVELOPE_NONE = 0;
/** Result of parsing an envelope: found and read. */
export const ENVELOPE_OK = 1;
/** Result of parsing an envelope: it looks like syslog but its time is impossible (`Feb 30`, `25:00`). */
export const ENVELOPE_BAD_TIME = 2;

/** A fresh envelope to parse into (reused line after line). */
export function newEnvelope(): SyslogEnvelope {
  return { pri: -1, tsMicros: null, host: null, app: null, pid: null, msgid: null, structuredData: null, sdStart: 0, sdEnd: 0, kernelTime: null, appStart: -1, msgStart: 0 };
}

const DAY_MS = 86_400_000;

function monthIndex(s: string, i: number): number {
  const a = s.charCodeAt(i) | 0x20;
  const b = s.charCodeAt(i + 1) | 0x20;
  const c = s.charCodeAt(i + 2) | 0x20;
  const k = (a << 16) | (b << 8) | c;
  switch (k) {
    case 0x6a616e: return 0; // jan
    case 0x666562: return 1;
    case 0x6d6172: return 2;
    case 0x617072: return 3;
    case 0x6d6179: return 4;
    case 0x6a756e: return 5;
    case 0x6a756c: return 6;
    case 0x617567: return 7;
    case 0x736570: return 8;
    case 0x6f6374: return 9;
    case 0x6e6f76: return 10;
    case 0x646563: return 11;
    default: return -1;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

function daysIn(year: number, month: number): number {
  if (month === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
}

/** Fields of a date read from text, filled by the parsers below. */
const tm = { end: 0, micros: 0 };

/**
 * Parses `YYYY-MM-DD[T ]hh:mm:ss[.frac][Z|±hh:mm|±hhmm]` at `start`; returns microseconds since the epoch,
 * or null when malformed. Without a zone the time is read at `utcOffsetMinutes`. The end offset is left
 * in `isoEnd()`.
 */
export function parseIsoTimestamp(s: string, start: number, utcOffsetMinutes = 0): number | null {
  const y = digits(s, start, 4);
  if (y < 0 || s.charCodeAt(start + 4) !== 45) return null;
  const mo = digits(s, start + 5, 2) - 1;
  const d = digits(s, start + 8, 2);
  const sep = s.charCodeAt(start + 10);
  if (s.charCodeAt(start + 7) !== 45 || (sep !== 84 && sep !== 32 && sep !== 116)) return null;
  return clockAt(s, start + 11, y, mo, d, utcOffsetMinutes, true);
}

/** End offset of the last timestamp parsed by `parseIsoTimestamp`. */
export function isoEnd(): number {
  return tm.end;
}

/** Reads `hh:mm:ss[.frac][zone]` at `i` for the given date; zone only when `zoned`. */
function clockAt(s: string, i: number, y: number, mo: number, d: number, offMin: number, zoned: boolean): number | null {
  const h = digits(s, i, 2);
  const mi = digits(s, i + 3, 2);
  const se = digits(s, i + 6, 2);
  if (s.charCodeAt(i + 2) !== 58 || s.charCodeAt(i + 5) !== 58) return null;
  if (mo < 0 || mo > 11 || d < 1 || d > daysIn(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return null;
  i += 8;
  let frac = 0;
  if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
    i++;
    let scale = 100_000;
    const f0 = i;
    while (isDigit(s.charCodeAt(i))) {
      if (scale >= 1) frac += (s.charCodeAt(i) - 48) * scale;
      scale /= 10;
      i++;
    }
    if (i === f0) return null;
    frac = Math.floor(frac);
  }
  let off = offMin;
  if (zoned) {
    const z = s.charCodeAt(i);
    if (z === 90 || z === 122) {
      off = 0;
      i++;
    } else if (z === 43 || z === 45) {
      const oh = digits(s, i + 1, 2);
      let om: number;
      if (s.charCodeAt(i + 3) === 58) {
        om = digits(s, i + 4, 2);
        i += 6;
      } else {
        om = digits(s, i + 3, 2);
        i += 5;
      }
      if (oh < 0 || om < 0) return null;
      off = (z === 45 ? -1 : 1) * (oh * 60 + om);
    }
  }
  tm.end = i;
  return (dayStart(y, mo, d) + ((h * 60 + mi) * 60 + se) * 1000 - off * 60_000) * 1000 + frac;
}

/** The last day asked for and its start, since consecutive lines almost always fall on the same day. */
const lastDay = { key: -1, ms: 0 };

/** Milliseconds since the epoch at 00:00 UTC of a valid date. */
function dayStart(y: number, mo: number, d: number): number {
  const key = (y * 16 + mo) * 32 + d;
  if (key !== lastDay.key) {
    lastDay.key = key;
    lastDay.ms = Date.UTC(y, mo, d);
  }
  return lastDay.ms;
}

/** The current year at a UTC offset, kept with the span it holds for (checked with two comparisons a line). */
const thisYear = { from: 0, to: -1, off: 0, year: 0 };

function currentYear(now: number, off: number): number {
  if (now >= thisYear.from && now < thisYear.to && off === thisYear.off) return thisYear.year;
  const y = new Date(now + off * 60_000).getUTCFullYear();
  thisYear.year = y;
  thisYear.off = off;
  thisYear.from = Date.UTC(y, 0, 1) - off * 60_000;
  thisYear.to = Date.UTC(y + 1, 0, 1) - off * 60_000;
  return y;
}

/** Reads an RFC 3164 stamp `Mmm dd [yyyy ]hh:mm:ss[.frac]` at `i`; the year is inferred when absent. */
function parse3164(s: string, i: number, opts: EnvelopeOptions): number | null {
  const mo = monthIndex(s, i);
  if (mo < 0 || s.charCodeAt(i + 3) !== 32) return null;
  i += 4;
  if (s.charCodeAt(i) === 32) i++;
  let d = s.charCodeAt(i) - 48;
  if (d < 0 || d > 9) return null;
  i++;
  if (isDigit(s.charCodeAt(i))) d = d * 10 + s.charCodeAt(i++) - 48;
  if (s.charCodeAt(i) !== 32) return null;
  i++;
  const off = opts.utcOffsetMinutes ?? 0;
  if (s.charCodeAt(i + 4) === 32 && digits(s, i, 4) >= 0) {
    const y = digits(s, i, 4);
    return clockAt(s, i + 5, y, mo, d, off, false);
  }
  const now = (opts.now ?? Date.now)();
  const y = currentYear(now, off);
  // Feb 29 exists only in some years: a stamp that fits no day of this year belongs to an earlier one.
  const t = d <= daysIn(y, mo) ? clockAt(s, i, y, mo, d, off, false) : null;
  if (t !== null && t <= (now + DAY_MS) * 1000) return t;
  for (let back = 1; back <= 4; back++) {
    const t2 = clockAt(s, i, y - back, mo, d, off, false);
    if (t2 !== null) return t2;
    if (d <= daysIn(y - back, mo)) return null;
  }
  return null;
}

function isTagChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46 || c === 47
  );
}

/**
 * Reads a tag token `name[pid]:` or `name:` in [i, e); on success sets app/pid/appStart, returns the
 * offset after the colon, else -1.
 */
function readTag(s: string, i: number, e: number, env: SyslogEnvelope): number {
  if (e - i < 2 || s.charCodeAt(e - 1) !== 58) return -1;
  let j = i;
  while (j < e - 1 && isTagChar(s.charCodeAt(j))) j++;
  if (j === i) return -1;
  let pid: string | null = null;
  if (j < e - 1) {
    if (s.charCodeAt(j) !== 91 || s.charCodeAt(e - 2) !== 93) return -1;
    pid = s.slice(j + 1, e - 2);
  }
  env.app = s.slice(i, j);
  env.pid = pid;
  env.appStart = i;
  return e;
}

function tokenEnd(s: string, i: number): number {
  const sp = s.indexOf(' ', i);
  return sp < 0 ? s.length : sp;
}

function skipSpaces(s: string, i: number): number {
  while (s.charCodeAt(i) === 32) i++;
  return i;
}

/** After a tag: skips the space and, for the kernel, its uptime stamp. */
function afterTag(s: string, i: number, env: SyslogEnvelope): number {
  if (s.charCodeAt(i) === 32) i++;
  if (env.app === 'kernel' && s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close > 0) {
      let k = i + 1;
      while (k < close && (s.charCodeAt(k) === 32 || isDigit(s.charCodeAt(k)) || s.charCodeAt(k) === 46)) k++;
      if (k === close && close > i + 1) {
        env.kernelTime = s.slice(i + 1, close).trim();
        i = close + 1;
        if (s.charCodeAt(i) === 32) i++;
      }
    }
  }
  return i;
}

/** Reads `host tag: msg` (either part optional) after a stamp ending at `i`. */
function hostAndTag(s: string, i: number, env: SyslogEnvelope): number {
  i = skipSpaces(s, i);
  const e1 = tokenEnd(s, i);
  const t1 = readTag(s, i, e1, env);
  if (t1 >= 0) return afterTag(s, t1, env);
  if (e1 - i > 0 && s.charCodeAt(i) !== 91) {
    env.host = s.slice(i, e1);
    i = skipSpaces(s, e1);
    let e2 = tokenEnd(s, i);
    if (e2 - i === env.host.length && s.startsWith(env.host, i)) {
      i = skipSpaces(s, e2);
      e2 = tokenEnd(s, i);
    }
    const t2 = readTag(s, i, e2, env);
    if (t2 >= 0) return afterTag(s, t2, env);
  }
  return i;
}

/** The RFC 5424 header field `s[i..e)`, null for the nil value `-`. */
function nilOr(s: string, i: number, e: number): string | null {
  return e - i === 1 && s.charCodeAt(i) === 45 ? null : s.slice(i, e);
}

/** Reads an RFC 5424 header after `<PRI>1 ` at `i`. */
function parse5424(s: string, i: number, env: SyslogEnvelope, opts: EnvelopeOptions): number {
  const tsEnd = tokenEnd(s, i);
  if (!(tsEnd - i === 1 && s.charCodeAt(i) === 45)) {
    const t = parseIsoTimestamp(s, i, opts.utcOffsetMinutes ?? 0);
    if (t === null || tm.end !== tsEnd) return ENVELOPE_BAD_TIME;
    env.tsMicros = t;
  }
  i = tsEnd + 1;
  let e = tokenEnd(s, i);
  env.host = nilOr(s, i, e);
  i = e + 1;
  e = tokenEnd(s, i);
  env.app = nilOr(s, i, e);
  env.appStart = env.app === null ? -1 : i;
  i = e + 1;
  e = tokenEnd(s, i);
  env.pid = nilOr(s, i, e);
  i = e + 1;
  e = tokenEnd(s, i);
  env.msgid = nilOr(s, i, e);
  i = e + 1;
  if (s.charCodeAt(i) === 45) i++;
  else if (s.charCodeAt(i) === 91) {
    const sdStart = i;
    while (s.charCodeAt(i) === 91) {
      let inQuote = false;
      i++;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === 92 && inQuote) i++;
        else if (c === 34) inQuote = !inQuote;
        else if (c === 93 && !inQuote) break;
      }
      i++;
    }
    env.sdStart = sdStart;
    env.sdEnd = Math.min(i, s.length);
    env.structuredData = s.slice(sdStart, env.sdEnd);
  }
  if (s.charCodeAt(i) === 32) i++;
  if (s.charCodeAt(i) === 0xfeff) i++;
  env.msgStart = Math.min(i, s.length);
  return ENVELOPE_OK;
}

/**
 * Parses the syslog envelope at the start of `s` into `env`. Returns ENVELOPE_NONE (msgStart 0) when the
 * line does not start with one, ENVELOPE_BAD_TIME when its stamp is impossible, else ENVELOPE_OK.
 */
export function parseSyslogEnvelope(s: string, env: SyslogEnvelope, opts: EnvelopeOptions = {}): number {
  env.pri = -1;
  env.tsMicros = null;
  env.host = env.app = env.pid = env.msgid = env.structuredData = env.kernelTime = null;
  env.appStart = -1;
  env.msgStart = 0;
  let i = 0;
  if (s.charCodeAt(0) === 60) {
    const close = s.indexOf('>', 1);
    if (close < 2 || close > 4) return ENVELOPE_NONE;
    const pri = digits(s, 1, close - 1);
    if (pri < 0 || pri > 191) return ENVELOPE_NONE;
    env.pri = pri;
    i = close + 1;
    if (s.charCodeAt(i) === 49 && s.charCodeAt(i + 1) === 32) return parse5424(s, i + 2, env, opts);
  }
  const c = s.charCodeAt(i);
  if (isDigit(c)) {
    const t = parseIsoTimestamp(s, i, opts.utcOffsetMinutes ?? 0);
    if (t === null) {
      if (env.pri < 0) return ENVELOPE_NONE;
      env.msgStart = i;
      return ENVELOPE_BAD_TIME;
    }
    env.tsMicros = t;
    env.msgStart = hostAndTag(s, tm.end, env);
    return ENVELOPE_OK;
  }
  if (monthIndex(s, i) >= 0 && s.charCodeAt(i + 3) === 32) {
    const t = parse3164(s, i, opts);
    if (t === null) {
      env.msgStart = i;
      return ENVELOPE_BAD_TIME;
    }
    env.tsMicros = t;
    env.msgStart = hostAndTag(s, tm.end, env);
    return ENVELOPE_OK;
  }
  if (env.pri >= 0) {
    env.msgStart = hostAndTag(s, i, env);
    return ENVELOPE_OK;
  }
  return ENVELOPE_NONE;
}

/**
 * The first `max` complete non-empty lines of a sniffed head (a last line cut off by the end of the
 * head is left out unless it is the only one), for the firewall formats' `sniff`.
 */
export function headLines(head: Buffer, max = 5): string[] {
  let text = head.toString('utf8', 0, Math.min(head.length, 65536));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parts = text.split('\n');
  const complete = parts.length > 1 ? parts.slice(0, -1) : parts;
  const out: string[] = [];
  for (const p of complete) {
    const l = p.endsWith('\r') ? p.slice(0, -1) : p;
    if (l.trim().length === 0) continue;
    out.push(l);
    if (out.length >= max) break;
  }
  return out;
}

/** Sniff confidence from how many head lines look like a format: all of them high, most of them lower. */
export function sniffScore(lines: readonly string[], looksLike: (line: string) => boolean): number {
  if (lines.length === 0) return 0;
  let n = 0;
  for (const l of lines) if (looksLike(l)) n++;
  if (n === lines.length) return 0.95;
  return n * 2 >= lines.length ? 0.6 : 0;
}
