/**
 * Turns a connection's flow state into a ConnectionRecord: Zeek's conn_state function
 * (scripts/base/protocols/conn/main.zeek), TCP_Endpoint::Size for the byte counts, and the
 * "duration > 0 or else '-'" rule of set_conn. Runs only when a record is emitted.
 */
import { TunnelKind } from '../decode/packet/packet-info.js';
import { formatAddress } from '../model/address-format.js';
import type { ConnectionEndReason, ConnectionRecord, ConnectionTunnel, ConnState } from './connection-record.js';
import {
  B_KIND,
  B_ORIG_SIDE,
  B_PROTO,
  B_TUNNEL,
  EB_FLAGS,
  EB_PREV_STATE,
  EB_STATE,
  EF,
  EF_DATA,
  EF_IP_BYTES,
  EF_PKTS,
  EU_ACK_SEQ,
  EU_ACK_WRAPS,
  EU_LAST_SEQ,
  EU_SEQ_WRAPS,
  EU_START_SEQ,
  endpoint,
  F_LAST_TS,
  F_MISSED,
  F_START_TS,
  FF,
  FlowKind,
  type FlowState,
  H_FLAGS,
  H_INNER_VLAN,
  H_VLAN,
  I_KEY,
  I_TUNNEL,
  peerOf,
  S2,
  S4,
  S8,
  STRIDE,
  Tcp,
} from './flow-state.js';
import { historyString } from './history.js';

const TWO32 = 4294967296;
const RSTOS0 = /^\^?S[^HAFGIQ]*R/;

const TUNNEL_NAMES: Record<number, string> = {
  [TunnelKind.IpInIp]: 'ip',
  [TunnelKind.Gre]: 'gre',
  [TunnelKind.Vxlan]: 'vxlan',
  [TunnelKind.Geneve]: 'geneve',
  [TunnelKind.Teredo]: 'teredo',
};

/** Zeek's TCP_Endpoint::Size: payload bytes from sequence numbers (SYN and FIN octets excluded). */
export function tcpEndpointSize(st: FlowState, e: number): number {
  const u32 = st.u32;
  const u8 = st.u8;
  const e4 = e >> 2;
  const start = u32[e4 + EU_START_SEQ];
  const ack64 = u32[e4 + EU_ACK_WRAPS] * TWO32 + u32[e4 + EU_ACK_SEQ];
  if (
    u8[e + EB_PREV_STATE] === Tcp.SynSent &&
    u8[e + EB_STATE] === Tcp.Reset &&
    u8[peerOf(e) + EB_STATE] === Tcp.Inactive &&
    ack64 !== start &&
    ack64 !== start + 1
  ) {
    return 0; // a half-open connection discovered and aborted: the sequence numbers mean nothing
  }
  const last64 = u32[e4 + EU_SEQ_WRAPS] * TWO32 + u32[e4 + EU_LAST_SEQ];
  let size = (last64 > ack64 ? last64 : ack64) - start;
  if (size < 0) size = 0; // Zeek's unsigned arithmetic would wrap; nothing sensible to report
  if (size !== 0) size--;
  if ((u8[e + EB_FLAGS] & EF.Fin) !== 0 && size !== 0) size--;
  return size;
}

/** Zeek's conn_state for a connection. */
export function connState(st: FlowState, slot: number, history: string | null): ConnState {
  const u8 = st.u8;
  const os = u8[slot * STRIDE + B_ORIG_SIDE];
  const oe = endpoint(slot, os);
  const re = endpoint(slot, os ^ 1);
  switch (u8[slot * STRIDE + B_KIND]) {
    case FlowKind.Udp: {
      const o = st.f64[(oe >> 3) + EF_PKTS] > 0;
      const r = st.f64[(re >> 3) + EF_PKTS] > 0;
      if (o) return r ? 'SF' : 'S0';
      return r ? 'SHR' : 'OTH';
    }
    case FlowKind.Tcp:
      break;
    default:
      return 'OTH';
  }
  const ost = u8[oe + EB_STATE];
  const rst = u8[re + EB_STATE];
  const oInactive = ost === Tcp.Inactive || ost === Tcp.Partial;
  const rInactive = rst === Tcp.Inactive || rst === Tcp.Partial;
  if (rst === Tcp.Reset) {
    if (
      ost === Tcp.SynSent ||
      ost === Tcp.SynAckSent ||
      (ost === Tcp.Reset && tcpEndpointSize(st, oe) === 0 && tcpEndpointSize(st, re) === 0)
    ) {
      return 'REJ';
    }
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (ost === Tcp.Reset) {
    if (rInactive) return history !== null && RSTOS0.test(history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rst === Tcp.Closed && ost === Tcp.Closed) return 'SF';
  if (ost === Tcp.Closed) return rInactive ? 'SH' : 'S2';
  if (rst === Tcp.Closed) return oInactive ? 'SHR' : 'S3';
  if (ost === Tcp.SynSent && rst === Tcp.Inactive) return 'S0';
  if (ost === Tcp.Established && rst === Tcp.Established) return 'S1';
  return 'OTH';
}

/** What the record builder needs besides the state. */
export interface RecordContext {
  uid(slot: number): string;
  service(slot: number): string | null;
}

/** Builds the record of connection `slot` as it stands. */
export function buildRecord(st: FlowState, slot: number, reason: ConnectionEndReason, ctx: RecordContext): ConnectionRecord {
  const u8 = st.u8;
  const f64 = st.f64;
  const b = slot * STRIDE;
  const os = u8[b + B_ORIG_SIDE];
  const oe = endpoint(slot, os);
  const re = endpoint(slot, os ^ 1);
  const k = slot * S4 + I_KEY;
  const v6 = (st.i32[k] & 0x100) !== 0;
  const addrA = formatAddress(u8, (k + 3) * 4, v6);
  const addrB = formatAddress(u8, (k + 7) * 4, v6);
  const ports = st.i32[k + 2];
  const portA = ports & 0xffff;
  const portB = ports >>> 16;
  const kind = u8[b + B_KIND];
  const history = historyString(st, slot);
  const s8 = slot * S8;
  const durationMicros = f64[s8 + F_LAST_TS] - f64[s8 + F_START_TS];
  let ob = 0;
  let rb = 0;
  if (kind === FlowKind.Tcp) {
    ob = tcpEndpointSize(st, oe);
    rb = tcpEndpointSize(st, re);
  } else if (kind !== FlowKind.Other) {
    ob = f64[(oe >> 3) + EF_DATA];
    rb = f64[(re >> 3) + EF_DATA];
  }
  const has = durationMicros > 0;
  const vlan = st.i16[slot * S2 + H_VLAN];
  const innerVlan = st.i16[slot * S2 + H_INNER_VLAN];
  return {
    ts: f64[s8 + F_START_TS],
    uid: ctx.uid(slot),
    orig_h: os === 0 ? addrA : addrB,
    orig_p: os === 0 ? portA : portB,
    resp_h: os === 0 ? addrB : addrA,
    resp_p: os === 0 ? portB : portA,
    ip_proto: u8[b + B_PROTO],
    service: ctx.service(slot),
    duration: has ? durationMicros / 1e6 : null,
    orig_bytes: has ? ob : null,
    resp_bytes: has ? rb : null,
    conn_state: connState(st, slot, history),
    local_orig: null,
    local_resp: null,
    missed_bytes: f64[s8 + F_MISSED],
    history,
    orig_pkts: f64[(oe >> 3) + EF_PKTS],
    orig_ip_bytes: f64[(oe >> 3) + EF_IP_BYTES],
    resp_pkts: f64[(re >> 3) + EF_PKTS],
    resp_ip_bytes: f64[(re >> 3) + EF_IP_BYTES],
    end_ts: f64[s8 + F_LAST_TS],
    state_reason: reason,
    interim: reason === 'interim',
    vlan: vlan < 0 ? null : vlan,
    inner_vlan: innerVlan < 0 ? null : innerVlan,
    tunnel: tunnelOf(st, slot),
  };
}

function tunnelOf(st: FlowState, slot: number): ConnectionTunnel | null {
  const t = st.u8[slot * STRIDE + B_TUNNEL];
  const kind = t & 7;
  if (kind === TunnelKind.None) return null;
  const v6 = (t & 8) !== 0;
  const k = slot * S4 + I_TUNNEL;
  const lo = formatAddress(st.u8, k * 4, v6);
  const hi = formatAddress(st.u8, (k + 4) * 4, v6);
  const swap = (st.u16[slot * S2 + H_FLAGS] & FF.TunnelSwap) !== 0;
  return { kind: TUNNEL_NAMES[kind] ?? String(kind), src_h: swap ? hi : lo, dst_h: swap ? lo : hi };
}
