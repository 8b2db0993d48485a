/**
 * SIP over UDP or TCP, told by a request line whose target is a sip:, sips: or tel: URI and whose
 * version is SIP/2.0, or by a "SIP/2.0 NNN" status line. Attributes: method, uri and user_agent from
 * a request, status from a response, as Zeek's sip.log has them.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { ascii, attrText, matchPrefix } from './bytes.js';
import { line, LineResult, readHeaders, requestLine, statusLine, type WantedHeader } from './http-text.js';

const SIP = ascii('SIP/');
const SIP_URI = ascii('sip:');
const SIPS_URI = ascii('sips:');
const TEL_URI = ascii('tel:');
const HEADERS: readonly WantedHeader[] = [{ name: ascii('user-agent'), attr: 'user_agent' }];

/** True when the request target parsed last is a SIP, SIPS or tel URI. */
function sipTarget(b: Uint8Array): boolean {
  const s = line.targetStart;
  const e = line.targetEnd;
  return matchPrefix(b, s, e, SIP_URI, true) === 1 || matchPrefix(b, s, e, SIPS_URI, true) === 1 || matchPrefix(b, s, e, TEL_URI, true) === 1;
}

/** The bytes after "SIP/" must be "2.0". */
function version2(b: Uint8Array, versionEnd: number): boolean {
  return b[versionEnd - 3] === 0x32 && b[versionEnd - 1] === 0x30;
}

/** SIP. */
export const sip: AppProtocol = {
  service: 'sip',
  transports: Transport.Both,
  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, _ctx: ProbeContext): Verdict {
    const end = off + len;
    const req = requestLine(b, off, end, SIP);
    if (req === LineResult.Ok) {
      const lf = line.next - 1;
      const versionEnd = b[lf - 1] === 0x0d ? lf - 1 : lf;
      if (!sipTarget(b) || !version2(b, versionEnd)) return Verdict.No;
      st.decide(sip, 0);
      st.setAttr('method', attrText(b, line.start, line.methodEnd));
      st.setAttr('uri', attrText(b, line.targetStart, line.targetEnd));
      readHeaders(st, b, line.next, end, HEADERS);
      return Verdict.Yes;
    }
    const resp = statusLine(b, off, end, SIP);
    if (resp === LineResult.Ok && b[off + 4] === 0x32 && b[off + 6] === 0x30) {
      st.decide(sip, 0);
      st.setAttr('status', String(line.code));
      return Verdict.Yes;
    }
    return req === LineResult.Partial || resp === LineResult.Partial ? Verdict.Maybe : Verdict.No;
  },
};
