/**
 * A syslog message no registered log decoder recognised, kept whole in `metadata` (log `syslog`):
 * its RFC 3164 or RFC 5424 envelope read with the shared envelope parser (priority split into
 * facility and severity, host, app, pid, msgid, structured data) and the message text, so nothing
 * received is lost and it can be searched and re-decoded later.
 */
import { METADATA, columnIndex } from '../../model/fields.js';
import type { DecodeContext } from '../decoder.js';
import { K } from '../flow-key.js';
import { ENVELOPE_NONE, newEnvelope, parseSyslogEnvelope } from '../firewall/syslog-envelope.js';

const M = columnIndex(METADATA);
const env = newEnvelope();

/** The text of a syslog message: UTF-8, without the trailing newline, CR or NUL some senders add. */
export function syslogText(buf: Uint8Array): string {
  let end = buf.length;
  while (end > 0 && (buf[end - 1] === 10 || buf[end - 1] === 13 || buf[end - 1] === 0)) end--;
  return Buffer.from(buf.buffer, buf.byteOffset, end).toString('utf8');
}

/** Writes one raw syslog message as a metadata row; `from` is the sender's address. */
export function writeSyslogRow(ctx: DecodeContext, text: string, from: string, receivedMicros: number): void {
  const r = parseSyslogEnvelope(text, env);
  const data: Record<string, unknown> = { from };
  if (r !== ENVELOPE_NONE) {
    if (env.pri >= 0) {
      data.facility = env.pri >> 3;
      data.severity = env.pri & 7;
    }
    if (env.host !== null) data.host = env.host;
    if (env.app !== null) data.app = env.app;
    if (env.pid !== null) data.pid = env.pid;
    if (env.msgid !== null) data.msgid = env.msgid;
    if (env.structuredData !== null) data.structured_data = env.structuredData;
    if (env.tsMicros === null) data.envelope = 'no_time';
  } else data.envelope = 'none';
  data.message = text.slice(env.msgStart);
  data.raw = text;
  const b = ctx.batch('metadata');
  const row = b.addRow();
  b.setNum(K.ts, row, env.tsMicros ?? receivedMicros);
  b.setStr(K.source_type, row, 'syslog');
  b.setStr(K.sensor, row, ctx.sensor ?? env.host ?? from);
  b.setNum(K.ingest_id, row, ctx.ingestId);
  b.setStr(M.log, row, 'syslog');
  b.setStr(M.data, row, JSON.stringify(data));
}
