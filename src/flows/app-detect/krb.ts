/**
 * Kerberos 5 (RFC 4120) over UDP ('krb') and TCP ('krb_tcp', behind a 4-byte record mark), as Zeek
 * names the two. Told by the DER encoding: an APPLICATION tag of a KDC message (AS-REQ, AS-REP,
 * TGS-REQ, TGS-REP, KRB-ERROR) around a SEQUENCE that opens with pvno 5 and a msg-type equal to that
 * tag. Attribute: request_type ('AS' or 'TGS'), as in Zeek's kerberos.log.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { u32 } from './bytes.js';

const AS_REQ = 10;
const AS_REP = 11;
const TGS_REQ = 12;
const TGS_REP = 13;
const KRB_ERROR = 30;

/** Reads a DER length at p; returns [length, offset after it], or null. */
function derLength(b: Uint8Array, p: number, end: number): [number, number] | null {
  if (p >= end) return null;
  const first = b[p];
  if (first < 0x80) return [first, p + 1];
  const n = first & 0x7f;
  if (n === 0 || n > 3 || end - p < 1 + n) return null;
  let v = 0;
  for (let i = 1; i <= n; i++) v = v * 256 + b[p + i];
  return [v, p + 1 + n];
}

/** True when b[p..] is the small INTEGER field [tag] INTEGER value (a0 03 02 01 05 style). */
function smallInt(b: Uint8Array, p: number, end: number, tag: number, value: number): boolean {
  return end - p >= 5 && b[p] === tag && b[p + 1] === 3 && b[p + 2] === 2 && b[p + 3] === 1 && b[p + 4] === value;
}

/**
 * Checks a KDC message at off whose whole length is `total` (the datagram, or the TCP record) and of
 * which the bytes up to `end` are present; returns its message type, or 0 when it is not one.
 */
function kdcMessage(b: Uint8Array, off: number, end: number, total: number): number {
  if (end - off < 2) return 0;
  const tag = b[off];
  if ((tag & 0xe0) !== 0x60) return 0; // [APPLICATION n], constructed
  const type = tag & 0x1f;
  if (type !== AS_REQ && type !== AS_REP && type !== TGS_REQ && type !== TGS_REP && type !== KRB_ERROR) return 0;
  const outer = derLength(b, off + 1, end);
  if (outer === null || outer[1] + outer[0] !== off + total || outer[1] >= end || b[outer[1]] !== 0x30) return 0;
  const seq = derLength(b, outer[1] + 1, end);
  if (seq === null || seq[1] + seq[0] !== outer[1] + outer[0]) return 0;
  const p = seq[1];
  // KDC-REQ opens with [1] pvno, [2] msg-type; KDC-REP and KRB-ERROR with [0] pvno, [1] msg-type.
  if (type === AS_REQ || type === TGS_REQ) return smallInt(b, p, end, 0xa1, 5) && smallInt(b, p + 5, end, 0xa2, type) ? type : 0;
  return smallInt(b, p, end, 0xa0, 5) && smallInt(b, p + 5, end, 0xa1, type) ? type : 0;
}

function decide(st: AppFlowState, proto: AppProtocol, type: number): void {
  st.decide(proto, 0);
  if (type === AS_REQ || type === AS_REP) st.setAttr('request_type', 'AS');
  else if (type === TGS_REQ || type === TGS_REP) st.setAttr('request_type', 'TGS');
}

/** Kerberos over UDP. */
export const krb: AppProtocol = {
  service: 'krb',
  transports: Transport.Udp,
  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, _ctx: ProbeContext): Verdict {
    const type = kdcMessage(b, off, off + len, len);
    if (type === 0) return Verdict.No;
    decide(st, krb, type);
    return Verdict.Yes;
  },
};

/** Kerberos over TCP: a 4-byte big-endian record length (high bit reserved) before each message. */
export const krbTcp: AppProtocol = {
  service: 'krb_tcp',
  transports: Transport.Tcp,
  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, _ctx: ProbeContext): Verdict {
    if (len < 4) return Verdict.Maybe;
    const recLen = u32(b, off);
    if (recLen < 16 || recLen > 65535) return Verdict.No;
    if (len < 4 + 16) return Verdict.Maybe;
    const type = kdcMessage(b, off + 4, off + len, recLen);
    if (type === 0) return Verdict.No;
    decide(st, krbTcp, type);
    return Verdict.Yes;
  },
};
