/**
 * The line handling the text firewall decoders share: blank lines skipped, a line that is not valid
 * UTF-8 re-encoded once so its bytes can be copied into the store as they are, any exception turned into
 * a counted `decoder_error` skip, and the syslog envelope read with its offsets as byte offsets.
 */
import { isUtf8 } from 'node:buffer';
import { ViewCache, isAsciiRange } from '../word-copy.js';
import type { DecodeContext } from '../decoder.js';
import { latin1 } from '../zeek/zeek-values.js';
import { ENVELOPE_NONE, parseSyslogEnvelope, type EnvelopeOptions, type SyslogEnvelope } from './syslog-envelope.js';

/** The view over the chunk being read (one buffer kept: the last one). */
const lineViews = new ViewCache();

/** Handles one trimmed line as bytes: buf[start..end). */
export type ByteRecordFn = (buf: Buffer, start: number, end: number, lineNo: number) => void;

/**
 * Runs `record` for one line as bytes, without blanks at either end (or with them, when `keepBlanks`,
 * for decoders whose `message` keeps the line as written); a blank line is skipped; a line that is not
 * valid UTF-8 is re-encoded (invalid sequences replaced) first; a thrown error becomes a `decoder_error` skip.
 */
export function readByteLine(
  buf: Buffer,
  start: number,
  end: number,
  lineNo: number,
  ctx: DecodeContext,
  record: ByteRecordFn,
  keepBlanks = false,
): void {
  let s = start;
  let e = end;
  while (s < e && (buf[s] === 32 || buf[s] === 9)) s++;
  while (e > s && (buf[e - 1] === 32 || buf[e - 1] === 9)) e--;
  if (s === e) return;
  if (!keepBlanks) {
    start = s;
    end = e;
  }
  // Checked eight bytes a step: no view object per line (a `subarray` for the native check made one).
  const ascii = isAsciiRange(buf, lineViews.of(buf), start, end);
  if (!ascii && !isUtf8(buf.subarray(start, end))) {
    buf = Buffer.from(buf.toString('utf8', start, end));
    start = 0;
    end = buf.length;
  }
  try {
    record(buf, start, end, lineNo);
  } catch (err) {
    ctx.skip('decoder_error', lineNo, err instanceof Error ? err.message : String(err));
  }
}

/** A string read as latin1 (one character per byte) with its bytes re-read as UTF-8 when any is not ASCII. */
export function utf8Of<T extends string | null>(s: T): T {
  if (s === null) return s;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 128) return Buffer.from(s, 'latin1').toString('utf8') as T;
  return s;
}

/**
 * Parses the syslog envelope of the line `buf[start..end)` into `env`, with `env.msgStart` and
 * `env.appStart` as offsets into `buf`. The line is read as latin1, so string offsets are byte offsets
 * whatever the line holds; the few strings the envelope keeps are re-read as UTF-8 when they are not ASCII.
 */
export function parseEnvelopeBytes(buf: Buffer, start: number, end: number, env: SyslogEnvelope, opts: EnvelopeOptions): number {
  return parseEnvelopeLatin1(latin1(buf, start, end), buf, start, env, opts);
}

/** As parseEnvelopeBytes, for a caller that already holds the line read as latin1 (`line`, from `start`). */
export function parseEnvelopeLatin1(line: string, buf: Buffer, start: number, env: SyslogEnvelope, opts: EnvelopeOptions): number {
  const end = start + line.length;
  const r = parseSyslogEnvelope(line, env, opts);
  env.host = utf8Of(env.host);
  env.app = utf8Of(env.app);
  env.pid = utf8Of(env.pid);
  env.msgid = utf8Of(env.msgid);
  if (env.structuredData !== null) {
    env.structuredData = utf8Of(env.structuredData);
    env.sdStart += start;
    env.sdEnd += start;
  }
  let m = start + env.msgStart;
  // A UTF-8 byte order mark at the start of an RFC 5424 message (the string parser knows it as U+FEFF).
  if (r !== ENVELOPE_NONE && buf[m] === 0xef && buf[m + 1] === 0xbb && buf[m + 2] === 0xbf && m + 3 <= end) m += 3;
  env.msgStart = m;
  if (env.appStart >= 0) env.appStart += start;
  return r;
}
