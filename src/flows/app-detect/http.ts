/**
 * HTTP/1.x over TCP on any port, told by a well-formed request line ("GET /x HTTP/1.1") or status
 * line ("HTTP/1.1 200"). Attributes: method, uri, host and user_agent from the first request, status
 * from the first final response. Interim 1xx responses (a server's "100 Continue" before a client
 * sends a large body) are read past, as Zeek does: their code becomes info_code and the status is the
 * final response's, which may arrive segments later; 101 Switching Protocols is final.
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
  let at = off;
  let resp = statusLine(b, at, end, HTTP);
  let interim = false;
  while (resp === LineResult.Ok && line.code < 200 && line.code !== 101) {
    if (!decided) st.decide(http, 0);
    decided = interim = true;
    if (!st.hasAttr('info_code')) st.setAttr('info_code', String(line.code));
    at = afterHeaders(b, at, end);
    resp = at < 0 ? LineResult.Partial : statusLine(b, at, end, HTTP);
  }
  if (resp === LineResult.Ok) {
    if (!decided) st.decide(http, 0);
    st.setAttr('status', String(line.code));
    st.want &= ~here;
    return Verdict.Yes;
  }
  if (interim) {
    // The final response is still to come (Partial), or what follows is not one: stop looking.
    if (resp === LineResult.Partial) st.want |= here;
    else st.want &= ~here;
    return Verdict.Yes;
  }
  return req === LineResult.Partial || resp === LineResult.Partial ? Verdict.Maybe : Verdict.No;
}

/** Offset just after the blank line ending the header block that starts at `off`, or -1 when not there yet. */
function afterHeaders(b: Uint8Array, off: number, end: number): number {
  for (let i = off; i < end; i++) {
    if (b[i] !== 0x0a) continue;
    if (i + 1 < end && b[i + 1] === 0x0a) return i + 2;
    if (i + 2 < end && b[i + 1] === 0x0d && b[i + 2] === 0x0a) return i + 3;
  }
  return -1;
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
