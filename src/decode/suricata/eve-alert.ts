/**
 * Suricata `alert` events to findings rows: the rule's identity (signature, signature_id, rev),
 * its category and severity (Suricata's scale: 1 is the most severe), the action taken and the flow's
 * app_proto. Everything else (gid, rule metadata, the rule text, http/tls/flow context, payload)
 * stays in extra, so nothing the sensor said is lost.
 */
import { FINDINGS, columnIndex } from '../../model/fields.js';
import { subObject, type EveSession } from './eve-session.js';
import { count, isObject, str, type EveObject } from './eve-values.js';

const F = columnIndex(FINDINGS);

const ALERT = subObject('alert', ['signature', 'signature_id', 'rev', 'category', 'severity', 'action']);

/** Writes an `alert` event as a findings row (or skips it as bad_value when it has no alert object). */
export function decodeAlert(s: EveSession, rec: EveObject): void {
  const a = rec.alert;
  if (!isObject(a)) return s.ctx.skip('bad_value', s.lineNo, 'alert');
  const appProto = str(rec.app_proto);
  const severity = count(a.severity);
  const sid = count(a.signature_id);
  const rev = count(a.rev);

  const b = s.beginRow('findings');
  const r = b.length - 1;
  b.setStr(F.signature, r, str(a.signature));
  if (sid !== null) b.setNum(F.signature_id, r, sid);
  if (rev !== null) b.setNum(F.rev, r, rev);
  b.setStr(F.category, r, str(a.category));
  if (severity !== null && severity <= 255) b.setNum(F.severity, r, severity);
  b.setStr(F.action, r, str(a.action));
  b.setStr(F.app_proto, r, appProto);
  s.writeExtra(b, F.extra, r, rec, ALERT, appProto !== null);
  s.endRow();
}
