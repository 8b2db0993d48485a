/**
 * SSH on any port, told by the identification string each side sends first (RFC 4253 §4.2):
 * "SSH-protoversion-softwareversion", at most 255 bytes with its CR LF. Attributes: client and
 * server, the two banners as sent (without the line end), as Zeek's ssh.log has them.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, Dir, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { ascii, attrText, matchPrefix } from './bytes.js';

const SSH_DASH = ascii('SSH-');
const MAX_BANNER = 255;

/**
 * Checks "SSH-" digits "." digits "-" and a printable rest up to the line end; returns the banner's
 * end (before CR LF), -1 when it is not one, -2 when the line has not ended yet.
 */
function banner(b: Uint8Array, off: number, end: number): number {
  const m = matchPrefix(b, off, end, SSH_DASH);
  if (m < 0) return -1;
  if (m === 0) return -2;
  let p = off + 4;
  // protoversion: "2.0", "1.99", "1.5"
  let digits = 0;
  let dot = false;
  for (; p < end && b[p] !== 0x2d; p++) {
    const c = b[p];
    if (c === 0x2e && digits > 0 && !dot) dot = true;
    else if (c >= 0x30 && c <= 0x39 && digits < 4) digits++;
    else return -1;
  }
  if (p >= end) return p - off < 12 ? -2 : -1;
  if (!dot || b[p - 1] === 0x2e) return -1;
  for (p++; p < end && p - off < MAX_BANNER; p++) {
    const c = b[p];
    if (c === 0x0a) return b[p - 1] === 0x0d ? p - 1 : p;
    if (c === 0x0d) continue;
    if (c < 0x20 || c === 0x7f) return -1;
  }
  return p < end ? -1 : -2;
}

/** SSH. */
export const ssh: AppProtocol = {
  service: 'ssh',
  transports: Transport.Tcp,

  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict {
    const e = banner(b, off, off + len);
    if (e === -1) return Verdict.No;
    if (e === -2) return Verdict.Maybe;
    st.decide(ssh, ctx.fromOrig ? Dir.Resp : Dir.Orig);
    st.setAttr(ctx.fromOrig ? 'client' : 'server', attrText(b, off, e));
    return Verdict.Yes;
  },

  follow(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): void {
    const e = banner(b, off, off + len);
    if (e === -2) return;
    if (e >= 0) st.setAttr(ctx.fromOrig ? 'client' : 'server', attrText(b, off, e));
    st.want &= ctx.fromOrig ? ~Dir.Orig : ~Dir.Resp;
  },
};
