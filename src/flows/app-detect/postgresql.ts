/**
 * PostgreSQL, told by the client's first message, which has no type byte: a 4-byte length and a
 * protocol code, either 3.0 (StartupMessage, followed by NUL-terminated name/value pairs ending in
 * NUL) or one of the special requests (SSLRequest, GSSENCRequest, CancelRequest) of fixed length.
 * Attributes: user and database from a StartupMessage.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { ascii, attrText, indexOfByte, matchPrefix, u32 } from './bytes.js';

const PROTOCOL_3_0 = 0x00030000;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const MAX_STARTUP = 10000;
const USER = ascii('user\0');
const DATABASE = ascii('database\0');

/** Checks the name/value pairs of a StartupMessage in [p, end) and keeps user and database. */
function startupParameters(st: AppFlowState, b: Uint8Array, p: number, end: number, keep: boolean): boolean {
  for (let pairs = 0; pairs < 64; pairs++) {
    if (p >= end) return false;
    if (b[p] === 0) return p + 1 === end && pairs > 0;
    const nameEnd = indexOfByte(b, p, end, 0);
    const valueEnd = nameEnd < 0 ? -1 : indexOfByte(b, nameEnd + 1, end, 0);
    if (valueEnd < 0) return false;
    for (let i = p; i < nameEnd; i++) if (b[i] < 0x20 || b[i] > 0x7e) return false;
    if (keep && matchPrefix(b, p, nameEnd + 1, USER) === 1) st.setAttr('user', attrText(b, nameEnd + 1, valueEnd));
    if (keep && matchPrefix(b, p, nameEnd + 1, DATABASE) === 1) st.setAttr('database', attrText(b, nameEnd + 1, valueEnd));
    p = valueEnd + 1;
  }
  return false;
}

/** PostgreSQL. */
export const postgresql: AppProtocol = {
  service: 'postgresql',
  transports: Transport.Tcp,
  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, _ctx: ProbeContext): Verdict {
    if (len < 8) return len < 4 || (u32(b, off) >= 8 && u32(b, off) <= MAX_STARTUP) ? Verdict.Maybe : Verdict.No;
    const msgLen = u32(b, off);
    const code = u32(b, off + 4);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      if (msgLen !== 8 || len !== 8) return Verdict.No;
    } else if (code === CANCEL_REQUEST) {
      if (msgLen !== 16 || len !== 16) return Verdict.No;
    } else if (code === PROTOCOL_3_0) {
      if (msgLen < 9 || msgLen > MAX_STARTUP) return Verdict.No;
      if (len < msgLen) return Verdict.Maybe;
      if (len !== msgLen || !startupParameters(st, b, off + 8, off + msgLen, false)) return Verdict.No;
      st.decide(postgresql, 0);
      startupParameters(st, b, off + 8, off + msgLen, true);
      return Verdict.Yes;
    } else {
      return Verdict.No;
    }
    st.decide(postgresql, 0);
    return Verdict.Yes;
  },
};
