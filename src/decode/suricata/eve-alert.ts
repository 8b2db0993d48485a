/**
 * Suricata `alert` events to findings rows: the rule's identity (signature, signature_id, rev),
 * its category and severity (Suricata's scale: 1 is the most severe), the action taken and the flow's
 * app_proto. Everything else (gid, rule metadata, the rule text, http/tls/flow context, payload)
 * stays in extra, so nothing the sensor said is lost.
 *
 * Suricata writes an alert's src/dest in the direction of the packet that matched, so an alert on a
 * response (`direction: "to_client"`, Suricata 7+) names the server as src. The row is oriented like
 * the flow instead (orig is the client, as in connections and DNS rows, so the 5-tuple joins them and
 * `resp_h` is the peer the client talked to): it is turned round when the alert's `flow` object
 * (Suricata 7+: `flow.src_ip`...) names the other side as the source, or, without those, when
 * `direction` says `to_client`. `direction` stays in extra.
 */
import { FINDINGS, columnIndex } from '../../model/fields.js';
import type { FlowKey } from '../flow-key.js';
import { subObject, turnKey, type EveSession } from './eve-session.js';
import { count, isObject, str, type EveObject } from './eve-values.js';

const F = columnIndex(FINDINGS);

const turned: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };

/**
 * True when the alert names the flow's responder as src: by the flow's own src/dest when the alert
 * has them (they say it exactly), else by `direction`.
 */
function toClient(rec: EveObject): boolean {
  const f = rec.flow;
  if (!isObject(f) || typeof f.src_ip !== 'string') return rec.direction === 'to_client';
  return f.src_ip === rec.dest_ip && f.dest_ip === rec.src_ip && f.src_port === rec.dest_port && f.dest_port === rec.src_port &&
    !(rec.src_ip === rec.dest_ip && rec.src_port === rec.dest_port);
}

const ALERT = subObject('alert', ['signature', 'signature_id', 'rev', 'category', 'severity', 'action']);

/** Writes an `alert` event as a findings row (or skips it as bad_value when it has no alert object). */
export function decodeAlert(s: EveSession, rec: EveObject): void {
  const a = rec.alert;
  if (!isObject(a)) return s.ctx.skip('bad_value', s.lineNo, 'alert');
  const appProto = str(rec.app_proto);
  const severity = count(a.severity);
  const sid = count(a.signature_id);
  const rev = count(a.rev);

  const b = s.beginRow('findings', toClient(rec) ? turnKey(s.key, turned) : s.key);
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
