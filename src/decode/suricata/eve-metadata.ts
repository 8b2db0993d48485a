/**
 * Every EVE event type without a table of its own (http, tls, fileinfo, ssh, smb, dhcp, anomaly,
 * krb5, smtp, quic, and types Suricata adds later) to metadata rows: `log` is the event_type and
 * `data` the record's JSON text exactly as read, with the shared key columns so it joins to its flow
 * by uid (flow_id) or community_id.
 */
import { METADATA, columnIndex } from '../../model/fields.js';
import type { EveSession } from './eve-session.js';

const M = columnIndex(METADATA);

/** Writes the current record as a metadata row with `log` = `eventType`. */
export function decodeMetadata(s: EveSession, eventType: string): void {
  const b = s.beginRow('metadata');
  const r = b.length - 1;
  b.setStr(M.log, r, eventType);
  // The line's bytes are the record's text; copy them unless they are not valid UTF-8 (then the
  // decoded text, with replacement characters, is what we can store).
  if (s.rawIsUtf8()) b.setBytes(M.data, r, s.buf, s.start, s.end);
  else b.setStr(M.data, r, s.text);
  s.endRow();
}
