/**
 * EVE records that arrive inside syslog lines: Suricata's `eve-log` with `filetype: syslog` (identity
 * `suricata`), and appliances that forward eve.json over syslog, write
 * `Mmm dd hh:mm:ss host suricata[pid]: {...}` or an RFC 5424 / ISO-stamped envelope. The record is
 * read as if the line held only the JSON; its own `timestamp` is the time, not the envelope's.
 */
import { ENVELOPE_OK, newEnvelope, parseSyslogEnvelope } from '../firewall/syslog-envelope.js';

const env = newEnvelope();
/** Longer envelopes than this are not looked for (a host and tag fit easily). */
const MAX_ENVELOPE = 512;

/** Byte offset of the JSON object after a syslog envelope in `buf[start, end)`, or -1 when there is none. */
export function eveJsonStart(buf: Buffer, start: number, end: number): number {
  // latin1 keeps one character per byte, so the envelope's offsets are byte offsets.
  const head = buf.toString('latin1', start, Math.min(end, start + MAX_ENVELOPE));
  if (parseSyslogEnvelope(head, env) !== ENVELOPE_OK) return -1;
  let p = start + env.msgStart;
  while (p < end && buf[p] === 32) p++;
  // RFC 5424 lets a UTF-8 message start with a byte order mark.
  if (p + 2 < end && buf[p] === 0xef && buf[p + 1] === 0xbb && buf[p + 2] === 0xbf) p += 3;
  return p < end && buf[p] === 123 ? p : -1;
}
