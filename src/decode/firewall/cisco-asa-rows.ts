/**
 * Writes Cisco ASA messages as rows: a Built/Teardown pair (or either half alone) as one connections
 * row, and a decision message as one firewall row. ASA reports one byte count for both directions of
 * a connection, so it goes to `extra.bytes_total` and `orig_bytes`/`resp_bytes` stay null rather than
 * holding a split the device never made.
 */
import { CONNECTIONS, FIREWALL, columnIndex } from '../../model/fields.js';
import type { DecodeContext } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import type { AsaConnMessage, AsaDecision, AsaEndpoint } from './cisco-asa-messages.js';

const C = columnIndex(CONNECTIONS);
const F = columnIndex(FIREWALL);

/** Name every ASA row carries in `source_type`. */
export const ASA_SOURCE = 'cisco-asa';

/** One half of a connection as it was read: the message, its time and where it came from. */
export interface AsaConnHalf {
  msg: AsaConnMessage;
  tsMicros: number;
  sensor: string | null;
  asaId: number;
}

const key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };

function setKey(ts: number, uid: string | null, o: AsaEndpoint, r: AsaEndpoint, proto: string, icmpType: number | null, icmpCode: number | null): void {
  const icmp = proto === 'icmp' || proto === 'icmp6';
  key.tsMicros = ts;
  key.uid = uid;
  key.origH = o.addr;
  key.respH = r.addr;
  key.origP = icmp ? icmpType : o.port;
  key.respP = icmp ? icmpCode : r.port;
  // ASA says `icmp` for ICMPv6 too (106023 with IPv6 addresses): the key needs protocol 58.
  key.proto = proto === 'icmp' && o.addr.includes(':') ? 'icmp6' : proto;
}

/**
 * Writes one connection. With a build, its direction says who originated; a teardown alone does not
 * say, so the side with the service port (< 1024 against >= 1024) is taken as the responder, else the
 * `for` side (ASA's outside) is, and `extra.direction_guessed` is set.
 */
export function writeConnection(ctx: DecodeContext, built: AsaConnHalf | null, td: AsaConnHalf | null, stateReason: string | null, evicted = false): void {
  const m = (built ?? td)!.msg;
  let outbound: boolean;
  let guessed = false;
  if (built !== null && built.msg.direction !== null) outbound = built.msg.direction === 'outbound';
  else {
    guessed = true;
    const fp = m.forSide.port;
    const tp = m.toSide.port;
    outbound = !(fp !== null && tp !== null && tp < 1024 && fp >= 1024);
  }
  const b = ctx.batch('connections');
  const row = b.addRow();
  const orig = outbound ? m.toSide : m.forSide;
  const resp = outbound ? m.forSide : m.toSide;
  const bm = built?.msg ?? null;
  const origMapped = bm === null ? null : outbound ? bm.toMapped : bm.forMapped;
  const respMapped = bm === null ? null : outbound ? bm.forMapped : bm.toMapped;
  const icmpType = bm?.icmpType ?? td?.msg.icmpType ?? null;
  const icmpCode = bm?.icmpCode ?? td?.msg.icmpCode ?? null;
  let ts: number;
  let duration: number | null = null;
  if (td !== null) {
    duration = td.msg.durationS ?? (built !== null ? (td.tsMicros - built.tsMicros) / 1e6 : null);
    ts = built !== null ? built.tsMicros : td.tsMicros - (duration ?? 0) * 1e6;
  } else ts = built!.tsMicros;
  setKey(ts, m.id, orig, resp, m.proto, icmpType, icmpCode);
  writeFlowKey(b, row, key, ASA_SOURCE, ctx.sensor ?? (built ?? td)!.sensor, ctx.ingestId);
  if (duration !== null) b.setNum(C.duration, row, duration);
  if (td !== null) b.setNum(C.end_ts, row, td.tsMicros);
  b.setStr(C.state_reason, row, stateReason ?? td?.msg.reason ?? null);
  b.setStr(C.action, row, 'allow');
  const extra: Record<string, string | number | boolean> = {};
  extra.direction = guessed ? (outbound ? 'outbound' : 'inbound') : bm!.direction!;
  if (guessed) extra.direction_guessed = true;
  if (orig.iface !== null) extra.orig_iface = orig.iface;
  if (resp.iface !== null) extra.resp_iface = resp.iface;
  mappedExtra(extra, 'orig', origMapped, orig);
  mappedExtra(extra, 'resp', respMapped, resp);
  if (orig.user !== null) extra.orig_user = orig.user;
  if (resp.user !== null) extra.resp_user = resp.user;
  if (td?.msg.bytes != null) extra.bytes_total = td.msg.bytes;
  if (built !== null) extra.built_id = built.asaId;
  if (td !== null) extra.teardown_id = td.asaId;
  if (evicted) extra.evicted = true;
  b.setStr(C.extra, row, JSON.stringify(extra));
}

function mappedExtra(extra: Record<string, string | number | boolean>, side: string, mapped: AsaEndpoint | null, real: AsaEndpoint): void {
  if (mapped === null) return;
  extra[`${side}_mapped_h`] = mapped.addr;
  if (mapped.port !== null) extra[`${side}_mapped_p`] = mapped.port;
  if (mapped.addr !== real.addr || mapped.port !== real.port) extra[`${side}_translated`] = true;
}

/** Writes one decision message as a firewall row. */
export function writeDecision(ctx: DecodeContext, d: AsaDecision, ts: number, sensor: string | null, asaId: number, severity: number, line: string): void {
  const b = ctx.batch('firewall');
  const row = b.addRow();
  setKey(ts, null, d.src, d.dst, d.proto, d.icmpType, d.icmpCode);
  writeFlowKey(b, row, key, ASA_SOURCE, ctx.sensor ?? sensor, ctx.ingestId);
  b.setStr(F.action, row, d.action);
  b.setStr(F.rule, row, d.rule);
  b.setStr(F.in_iface, row, d.inIface);
  b.setStr(F.out_iface, row, d.outIface);
  b.setStr(F.message, row, line);
  const extra: Record<string, string | number> = { asa_id: asaId, severity, ...d.detail };
  if (d.src.user !== null) extra.orig_user = d.src.user;
  if (d.dst.user !== null) extra.resp_user = d.dst.user;
  b.setStr(F.extra, row, JSON.stringify(extra));
}
