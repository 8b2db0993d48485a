/**
 * SMB over TCP (direct on 445 or NetBIOS session service on 139, same 4-byte framing), told by the
 * protocol id right after the frame header: 0xFF 'SMB' (SMB1), 0xFE 'SMB' (SMB2/3), 0xFD 'SMB'
 * (SMB3 encrypted) or 0xFC 'SMB' (SMB3 compressed). NetBIOS session requests, responses and keepalives
 * before it are skipped. Attributes: version (SMB1, SMB2, SMB3) and, from an SMB2 NEGOTIATE response,
 * the dialect (2.0.2, 2.1, 3.0, 3.0.2, 3.1.1).
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, Dir, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { u16, u16le, u32le } from './bytes.js';

const NBSS_MESSAGE = 0x00;
const NBSS_REQUEST = 0x81;
const NBSS_POSITIVE = 0x82;
const NBSS_NEGATIVE = 0x83;
const NBSS_RETARGET = 0x84;
const NBSS_KEEPALIVE = 0x85;
const SMB2_HEADER = 64;
const SMB2_NEGOTIATE = 0;
const SMB2_FLAGS_RESPONSE = 1;

/** The offset of the first session message's SMB header, -1 when this is not NBSS, -2 for more bytes. */
function firstMessage(b: Uint8Array, off: number, end: number): number {
  let p = off;
  for (let frames = 0; frames < 4; frames++) {
    if (end - p < 4) return -2;
    const type = b[p];
    // The length is 17 bits in RFC 1002 and 24 bits in direct-hosted SMB; accept both.
    const len = (b[p + 1] << 16) | u16(b, p + 2);
    if (type === NBSS_MESSAGE) return len >= 32 ? p + 4 : -1;
    const known = type === NBSS_REQUEST || type === NBSS_POSITIVE || type === NBSS_NEGATIVE || type === NBSS_RETARGET || type === NBSS_KEEPALIVE;
    if (!known || b[p + 1] > 1 || len > 1024) return -1;
    p += 4 + len;
  }
  return -1;
}

/** The SMB version a protocol id names, or null. */
function protocolVersion(b: Uint8Array, p: number): string | null {
  if (b[p + 1] !== 0x53 || b[p + 2] !== 0x4d || b[p + 3] !== 0x42) return null;
  switch (b[p]) {
    case 0xff:
      return 'SMB1';
    case 0xfe:
      return 'SMB2';
    case 0xfd:
    case 0xfc:
      return 'SMB3';
  }
  return null;
}

/** SMB2 dialect revision as Zeek and Microsoft write it. */
function dialectName(d: number): string {
  switch (d) {
    case 0x0202:
      return '2.0.2';
    case 0x0210:
      return '2.1';
    case 0x0300:
      return '3.0';
    case 0x0302:
      return '3.0.2';
    case 0x0311:
      return '3.1.1';
  }
  return `0x${d.toString(16).padStart(4, '0')}`;
}

/**
 * Reads the dialect from an SMB2 NEGOTIATE response at p; true when this direction needs no more
 * (read, or not a negotiate response), false when the bytes end first.
 */
function readDialect(st: AppFlowState, b: Uint8Array, p: number, end: number): boolean {
  if (end - p < 16 + 4) return false;
  if (b[p] !== 0xfe || u16le(b, p + 12) !== SMB2_NEGOTIATE || !(u32le(b, p + 16) & SMB2_FLAGS_RESPONSE)) return true;
  if (end - p < SMB2_HEADER + 6) return false;
  if (u16le(b, p + SMB2_HEADER) !== 65) return true;
  // An SMB1 NEGOTIATE answered in SMB2 upgrades the connection (MS-SMB2 §3.3.5.3.1).
  const attrs = (st.attrs ??= {});
  const dialect = u16le(b, p + SMB2_HEADER + 4);
  attrs.version = dialect >= 0x0300 && dialect !== 0x02ff ? 'SMB3' : 'SMB2';
  // 0x02FF is the "SMB2 wildcard": the real dialect comes in a second negotiation, not read here.
  if (dialect !== 0x02ff) st.setAttr('dialect', dialectName(dialect));
  return true;
}

/** SMB. */
export const smb: AppProtocol = {
  service: 'smb',
  transports: Transport.Tcp,

  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict {
    const end = off + len;
    const p = firstMessage(b, off, end);
    if (p === -1) return Verdict.No;
    if (p === -2 || end - p < 4) return Verdict.Maybe;
    const version = protocolVersion(b, p);
    if (version === null) return Verdict.No;
    // The dialect is in the server's NEGOTIATE response.
    st.decide(smb, ctx.fromOrig ? Dir.Resp : 0);
    st.setAttr('version', version);
    if (!ctx.fromOrig && !readDialect(st, b, p, end)) st.want |= Dir.Resp;
    return Verdict.Yes;
  },

  follow(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): void {
    const end = off + len;
    const p = firstMessage(b, off, end);
    if (p === -2 || (p >= 0 && !readDialect(st, b, p, end))) return;
    st.want &= ctx.fromOrig ? ~Dir.Orig : ~Dir.Resp;
  },
};
