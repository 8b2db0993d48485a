/**
 * HTTP/1.x over TCP on any port, told by a well-formed request line ("GET /x HTTP/1.1") or status
 * line ("HTTP/1.1 200"). Attributes: method, uri, host and user_agent from the first request, status
 * from the first response.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, Dir, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { ascii, attrText } from './bytes.js';
import { line, LineResult, readHeaders, requestLine, statusLine, type WantedHeader } from './http-text.js';

const HTTP = ascii('HTTP/');
const HEADERS: readonly WantedHeader[] = [
  { name: ascii('host'), attr: 'host' },
  { name: ascii('user-agent'), attr: 'user_agent' },
];

/** Reads what a direction's first bytes hold; returns the verdict and, through `st.want`, what is missing. */
function read(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext, decided: boolean): Verdict {
  const end = off + len;
  const here = ctx.fromOrig ? Dir.Orig : Dir.Resp;
  const req = requestLine(b, off, end, HTTP);
  if (req === LineResult.Ok) {
    // The response (status) follows a request; a request from the responder means the table's
    // orientation is reversed, which changes nothing here.
    if (!decided) st.decide(http, ctx.fromOrig ? Dir.Resp : Dir.Orig);
    if (!st.hasAttr('method')) {
      st.setAttr('method', attrText(b, line.start, line.methodEnd));
      st.setAttr('uri', attrText(b, line.targetStart, line.targetEnd));
    }
    const complete = readHeaders(st, b, line.next, end, HEADERS) || (st.hasAttr('host') && st.hasAttr('user_agent'));
    if (complete) st.want &= ~here;
    else st.want |= here;
    return Verdict.Yes;
  }
  const resp = statusLine(b, off, end, HTTP);
  if (resp === LineResult.Ok) {
    if (!decided) st.decide(http, 0);
    st.setAttr('status', String(line.code));
    st.want &= ~here;
    return Verdict.Yes;
  }
  return req === LineResult.Partial || resp === LineResult.Partial ? Verdict.Maybe : Verdict.No;
}

/** HTTP/1.x. */
export const http: AppProtocol = {
  service: 'http',
  transports: Transport.Tcp,
  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict {
    return read(st, b, off, len, ctx, false);
  },
  follow(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): void {
    // Bytes that are neither a request nor a response end the interest in this direction.
    if (read(st, b, off, len, ctx, true) === Verdict.No) st.want &= ctx.fromOrig ? ~Dir.Orig : ~Dir.Resp;
  },
};
