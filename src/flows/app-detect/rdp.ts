/**
 * RDP, told by its first PDU (MS-RDPBCGR §2.2.1.1): a TPKT header (3, 0, length) around an X.224
 * Connection Request whose user data is a "Cookie: mstshash=USER" line, a routing token
 * ("Cookie: msts=..."), an RDP_NEG_REQ, or (on 3389) nothing; or the server's Connection Confirm
 * carrying an RDP_NEG_RSP or RDP_NEG_FAILURE. Plain ISO transport (S7comm on 102, with its TSAP
 * parameters) does not pass. Attributes: cookie (the mstshash value) and, from the server,
 * security_protocol as Zeek's rdp.log names it.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, Dir, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { ascii, attrText, indexOfByte, matchPrefix, u16, u32le } from './bytes.js';

const X224_CR = 0xe0;
const X224_CC = 0xd0;
const NEG_REQ = 1;
const NEG_RSP = 2;
const NEG_FAILURE = 3;
const COOKIE = ascii('Cookie: ');
const MSTSHASH = ascii('mstshash=');
const RDP_PORT = 3389;

/** Zeek's rdp.log names of the selected security protocol. */
function securityName(p: number): string {
  switch (p) {
    case 0:
      return 'RDP';
    case 1:
      return 'SSL';
    case 2:
      return 'HYBRID';
    case 4:
      return 'RDSTLS';
    case 8:
      return 'HYBRID_EX';
  }
  return `unknown-${p}`;
}

/** True when b[p..end) is exactly one RDP_NEG_* structure of the given type. */
function negotiation(b: Uint8Array, p: number, end: number, type: number): boolean {
  return end - p === 8 && b[p] === type && b[p + 2] === 8 && b[p + 3] === 0;
}

/**
 * Checks the TPKT + X.224 header at off; returns the offset of the X.224 user data, -1 when this is
 * not one, -2 when more bytes are needed. The whole TPKT must be present: the PDU is small.
 */
function x224(b: Uint8Array, off: number, end: number, code: number): number {
  const n = end - off;
  if (n > 0 && b[off] !== 3) return -1;
  if (n > 1 && b[off + 1] !== 0) return -1;
  if (n < 4) return -2;
  const tpktLen = u16(b, off + 2);
  if (tpktLen < 11 || tpktLen > 512) return -1;
  if (n > 4 && b[off + 4] !== tpktLen - 5) return -1; // length indicator covers the rest of the PDU
  if (n > 5 && b[off + 5] !== code) return -1;
  if (n > 10 && (b[off + 10] & 0xf0) !== 0) return -1; // class 0
  if (n < tpktLen) return -2;
  return n === tpktLen ? off + 11 : -1;
}

/** RDP. */
export const rdp: AppProtocol = {
  service: 'rdp',
  transports: Transport.Tcp,

  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict {
    const end = off + len;
    const cr = x224(b, off, end, X224_CR);
    if (cr >= 0 && u16(b, off + 6) === 0) {
      let p = cr;
      let cookie = -1;
      if (matchPrefix(b, p, end, COOKIE) === 1) {
        const lf = indexOfByte(b, p, end, 0x0a);
        if (lf < 0 || b[lf - 1] !== 0x0d) return Verdict.No;
        cookie = p + COOKIE.length;
        p = lf + 1;
      }
      const ok = cookie >= 0 ? p === end || negotiation(b, p, end, NEG_REQ) : negotiation(b, p, end, NEG_REQ) || (p === end && isRdpPort(ctx));
      if (!ok) return Verdict.No;
      st.decide(rdp, ctx.fromOrig ? Dir.Resp : Dir.Orig);
      if (cookie >= 0 && matchPrefix(b, cookie, end, MSTSHASH) === 1) {
        const v = cookie + MSTSHASH.length;
        const valueEnd = indexOfByte(b, v, end, 0x0d);
        if (valueEnd > v) st.setAttr('cookie', attrText(b, v, valueEnd));
      }
      return Verdict.Yes;
    }
    const cc = x224(b, off, end, X224_CC);
    if (cc >= 0 && (negotiation(b, cc, end, NEG_RSP) || negotiation(b, cc, end, NEG_FAILURE) || (cc === end && isRdpPort(ctx)))) {
      st.decide(rdp, 0);
      readConfirm(st, b, cc, end);
      return Verdict.Yes;
    }
    return cr === -2 || cc === -2 ? Verdict.Maybe : Verdict.No;
  },

  follow(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): void {
    const end = off + len;
    const cc = x224(b, off, end, X224_CC);
    if (cc === -2) return;
    if (cc >= 0) readConfirm(st, b, cc, end);
    st.want &= ctx.fromOrig ? ~Dir.Orig : ~Dir.Resp;
  },
};

function isRdpPort(ctx: ProbeContext): boolean {
  return ctx.srcPort === RDP_PORT || ctx.dstPort === RDP_PORT;
}

/** Reads the security protocol the server selected from its Connection Confirm's RDP_NEG_RSP. */
function readConfirm(st: AppFlowState, b: Uint8Array, p: number, end: number): void {
  if (negotiation(b, p, end, NEG_RSP)) st.setAttr('security_protocol', securityName(u32le(b, p + 4)));
}
