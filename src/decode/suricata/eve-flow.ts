/**
 * Suricata `flow` and `netflow` events to connection rows.
 *
 * Byte counts: Suricata's flow.bytes_toserver / bytes_toclient (and netflow.bytes) count whole IP
 * packets, so they go to orig_ip_bytes / resp_ip_bytes. orig_bytes / resp_bytes (Zeek: payload bytes)
 * stay null: EVE does not log payload sizes, and subtracting guessed header sizes would be invented data.
 *
 * Times: ts is flow.start (the connection start, as in Zeek's conn.log; the record's own `timestamp`,
 * when it was logged, stays in extra), end_ts is flow.end, duration is end - start in seconds, left
 * null when end precedes start (only damaged or sanitized records show that).
 *
 * State: state_reason is Suricata's "<flow.state>/<flow.reason>" ("closed/timeout",
 * "established/shutdown"); conn_state is derived as documented in eve-conn-state.ts; history is null.
 *
 * A `netflow` event is one direction of a flow: its pkts/bytes go to the orig_* columns, src/dest are
 * kept as given, state_reason is "netflow" and the rest of its `netflow` object stays in extra.
 */
import { CONNECTIONS, columnIndex } from '../../model/fields.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import { zeekConnState } from './eve-conn-state.js';
import { subObject, type EveSession } from './eve-session.js';
import { count, isObject, str, type EveObject } from './eve-values.js';
import { parseEveTime } from './eve-time.js';

const C = columnIndex(CONNECTIONS);

const FLOW = subObject('flow', ['pkts_toserver', 'pkts_toclient', 'bytes_toserver', 'bytes_toclient', 'start', 'end', 'state', 'reason']);
const NETFLOW = subObject('netflow', ['pkts', 'bytes', 'start', 'end']);

/** The service name of an app_proto, or null when Suricata identified none. */
export function serviceOf(appProto: unknown): string | null {
  if (typeof appProto !== 'string' || appProto.length === 0 || appProto === 'failed' || appProto === 'unknown') return null;
  return appProto;
}

/**
 * Sets the key's ts from `<name>.start` (when present) and returns `<name>.end` in microseconds (NaN
 * when absent), or the name of the field that is malformed.
 */
function readTimes(s: EveSession, f: EveObject, name: string): number | string {
  const start = f.start;
  if (start !== undefined && (typeof start !== 'string' || !s.setTime(start))) return `${name}.start`;
  const end = f.end;
  if (end === undefined) return NaN;
  const t = typeof end === 'string' ? parseEveTime(end) : NaN;
  return Number.isNaN(t) ? `${name}.end` : t;
}

function writeTimes(s: EveSession, b: ColumnBatch, r: number, end: number): void {
  if (Number.isNaN(end)) return;
  b.setNum(C.end_ts, r, end);
  const start = s.key.tsMicros;
  if (start !== null && end >= start) b.setNum(C.duration, r, (end - start) / 1e6);
}

/** Writes a `flow` event as a connection row (or skips it as bad_value). */
export function decodeFlow(s: EveSession, rec: EveObject): void {
  const f = rec.flow;
  if (!isObject(f)) return s.ctx.skip('bad_value', s.lineNo, 'flow');
  const end = readTimes(s, f, 'flow');
  if (typeof end === 'string') return s.ctx.skip('bad_value', s.lineNo, end);
  const service = serviceOf(rec.app_proto);
  const pktsTs = count(f.pkts_toserver);
  const pktsTc = count(f.pkts_toclient);
  const bytesTs = count(f.bytes_toserver);
  const bytesTc = count(f.bytes_toclient);
  const state = str(f.state);
  const reason = str(f.reason);

  const b = s.beginRow('connections');
  const r = b.length - 1;
  writeTimes(s, b, r, end);
  b.setStr(C.service, r, service);
  if (pktsTs !== null) b.setNum(C.orig_pkts, r, pktsTs);
  if (pktsTc !== null) b.setNum(C.resp_pkts, r, pktsTc);
  if (bytesTs !== null) b.setNum(C.orig_ip_bytes, r, bytesTs);
  if (bytesTc !== null) b.setNum(C.resp_ip_bytes, r, bytesTc);
  b.setStr(C.conn_state, r, zeekConnState(s.ipProto, rec.tcp, pktsTs, pktsTc));
  if (state !== null || reason !== null) b.setStr(C.state_reason, r, state === null ? reason : reason === null ? state : `${state}/${reason}`);
  s.writeExtra(b, C.extra, r, rec, FLOW, service !== null);
  s.endRow();
}

/** Writes a `netflow` event (one direction of a flow) as a connection row (or skips it as bad_value). */
export function decodeNetflow(s: EveSession, rec: EveObject): void {
  const f = rec.netflow;
  if (!isObject(f)) return s.ctx.skip('bad_value', s.lineNo, 'netflow');
  const end = readTimes(s, f, 'netflow');
  if (typeof end === 'string') return s.ctx.skip('bad_value', s.lineNo, end);
  const service = serviceOf(rec.app_proto);
  const pkts = count(f.pkts);
  const bytes = count(f.bytes);

  const b = s.beginRow('connections');
  const r = b.length - 1;
  writeTimes(s, b, r, end);
  b.setStr(C.service, r, service);
  if (pkts !== null) b.setNum(C.orig_pkts, r, pkts);
  if (bytes !== null) b.setNum(C.orig_ip_bytes, r, bytes);
  b.setStr(C.state_reason, r, 'netflow');
  s.writeExtra(b, C.extra, r, rec, NETFLOW, service !== null);
  s.endRow();
}
