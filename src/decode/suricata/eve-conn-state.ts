/**
 * Zeek `conn_state` for a Suricata flow record, so that `conn_state = 'S0'` means the same thing
 * whichever sensor saw the connection.
 *
 * Zeek derives conn_state from the final TCP state of each endpoint (`conn_state()` in
 * base/protocols/conn/main.zeek). Suricata logs, per direction, the OR of every TCP flag seen
 * (`tcp.tcp_flags_ts` to the server, `tcp.tcp_flags_tc` to the client), not their order. The rule here
 * rebuilds each endpoint's final state from those flags the way Zeek's TCP state machine would reach it
 * for ordinary packet orders, then applies Zeek's function:
 *
 *   sent nothing                                   -> INACTIVE
 *   sent RST (unless it and its peer both sent FIN) -> RESET    (Zeek keeps a FIN-closed endpoint
 *                                                               CLOSED when RST follows a FIN exchange)
 *   sent FIN                                       -> CLOSED
 *   originator sent SYN, responder sent SYN        -> ESTABLISHED (Zeek establishes both on the SYN-ACK)
 *   originator sent SYN only                       -> SYN_SENT
 *   responder sent SYN                             -> ESTABLISHED
 *   originator sent ACK without SYN, responder SYN -> ESTABLISHED (Zeek: the first SYN was missed)
 *   sent packets otherwise                         -> PARTIAL (midstream)
 *
 * Two Zeek rules need more than flags. REJ for two RESET endpoints requires that no payload moved, and
 * Suricata logs only IP bytes: we answer REJ when the originator sent SYN and the responder never did
 * (a connection never accepted carries no payload) and null otherwise. RSTOS0 requires a history
 * without a handshake or FIN: we answer it when the originator sent SYN and no FIN, else OTH. Without
 * both per-direction flag fields TCP gets null. UDP follows Zeek exactly (SF, S0, SHR, OTH from which
 * sides sent packets); every other transport is OTH, as in Zeek. `history` is not derived: it needs
 * the order of packets, which the flags do not keep.
 */
import { isObject } from './eve-values.js';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

const INACTIVE = 0;
const SYN_SENT = 1;
const PARTIAL = 3;
const ESTABLISHED = 4;
const CLOSED = 5;
const RESET = 6;

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  c |= 0x20;
  return c >= 97 && c <= 102 ? c - 87 : -1;
}

/** A one- or two-digit hex flags byte ("1b"), or -1. */
function hexFlags(v: unknown): number {
  if (typeof v !== 'string' || v.length === 0 || v.length > 2) return -1;
  const hi = hexDigit(v.charCodeAt(0));
  if (v.length === 1) return hi;
  const lo = hexDigit(v.charCodeAt(1));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

function endpointState(own: number, peer: number, pkts: number, orig: boolean): number {
  if (own === 0 && pkts === 0) return INACTIVE;
  if (own & RST && !(own & FIN && peer & FIN)) return RESET;
  if (own & FIN) return CLOSED;
  if (own & SYN) return orig && !(peer & SYN) ? SYN_SENT : ESTABLISHED;
  if (orig && own & ACK && peer & SYN) return ESTABLISHED;
  return PARTIAL;
}

/** Zeek conn_state of a Suricata flow, or null when its flags cannot decide it. */
export function zeekConnState(ipProto: number | undefined, tcp: unknown, pktsToServer: number | null, pktsToClient: number | null): string | null {
  if (ipProto === 17) {
    if (pktsToServer === null || pktsToClient === null) return null;
    if (pktsToServer > 0) return pktsToClient > 0 ? 'SF' : 'S0';
    return pktsToClient > 0 ? 'SHR' : 'OTH';
  }
  if (ipProto !== 6) return ipProto === undefined ? null : 'OTH';
  if (!isObject(tcp)) return null;
  const ts = hexFlags(tcp.tcp_flags_ts);
  const tc = hexFlags(tcp.tcp_flags_tc);
  if (ts < 0 || tc < 0) return null;
  const os = endpointState(ts, tc, pktsToServer ?? 1, true);
  const rs = endpointState(tc, ts, pktsToClient ?? 1, false);
  const oInactive = os === INACTIVE || os === PARTIAL;
  const rInactive = rs === INACTIVE || rs === PARTIAL;
  if (rs === RESET) {
    if (os === SYN_SENT) return 'REJ';
    if (os === RESET) return ts & SYN && !(tc & SYN) ? 'REJ' : null;
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === RESET) {
    if (!rInactive) return 'RSTO';
    return ts & SYN && !(ts & FIN) ? 'RSTOS0' : 'OTH';
  }
  if (os === CLOSED && rs === CLOSED) return 'SF';
  if (os === CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === SYN_SENT && rs === INACTIVE) return 'S0';
  if (os === ESTABLISHED && rs === ESTABLISHED) return 'S1';
  return 'OTH';
}
