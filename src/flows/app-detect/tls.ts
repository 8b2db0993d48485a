/**
 * TLS over TCP (Zeek's 'ssl'), told by its record layer, not its port: a handshake record carrying a
 * ClientHello or ServerHello with a sane version, an SSLv2-compatible ClientHello, or (when the
 * connection was picked up mid-stream) a chain of well-formed records. Attributes: sni and alpn from
 * the ClientHello, the negotiated version from the ServerHello.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, Dir, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { u16, u24 } from './bytes.js';
import { HelloResult, parseClientHello, parseServerHello } from './tls-hello.js';

const CT_CHANGE_CIPHER_SPEC = 0x14;
const CT_ALERT = 0x15;
const CT_HANDSHAKE = 0x16;
const CT_APPLICATION_DATA = 0x17;
/** Largest record body TLS allows (2^14 plus expansion). */
const MAX_RECORD = 16384 + 2048;

/** True when b[p..p+3) (as far as it goes before end) can start a record of content type ct. */
function recordHeaderFits(b: Uint8Array, p: number, end: number, ct: number): boolean {
  if (b[p] !== ct) return false;
  if (end - p > 1 && b[p + 1] !== 3) return false;
  if (end - p > 2 && b[p + 2] > 4) return false;
  if (end - p > 4) {
    const len = u16(b, p + 3);
    if (len === 0 || len > MAX_RECORD) return false;
  }
  return true;
}

/** A handshake record starting a hello: checks as many of its first 11 bytes as are present. */
function helloStart(b: Uint8Array, off: number, end: number): Verdict {
  if (!recordHeaderFits(b, off, end, CT_HANDSHAKE)) return Verdict.No;
  const n = end - off;
  if (n > 5 && b[off + 5] !== 1 && b[off + 5] !== 2) return Verdict.No;
  if (n > 8 && u24(b, off + 6) < 38) return Verdict.No; // version + random + session id length at least
  if (n > 9 && b[off + 9] !== 3) return Verdict.No;
  if (n > 10 && b[off + 10] > 4) return Verdict.No;
  return n >= 11 ? Verdict.Yes : Verdict.Maybe;
}

/** An SSLv2-framed ClientHello, as old clients send for compatibility (RFC 6101 appendix E). */
function sslv2ClientHello(b: Uint8Array, off: number, end: number): Verdict {
  if (end - off < 11) return Verdict.No;
  const recLen = ((b[off] & 0x7f) << 8) | b[off + 1];
  if (b[off + 2] !== 1) return Verdict.No;
  const ver = u16(b, off + 3);
  if (ver !== 0x0002 && (ver < 0x0300 || ver > 0x0303)) return Verdict.No;
  const cipherSpecs = u16(b, off + 5);
  const sessionId = u16(b, off + 7);
  const challenge = u16(b, off + 9);
  if (cipherSpecs === 0 || cipherSpecs % 3 !== 0) return Verdict.No;
  if (sessionId !== 0 && sessionId !== 16) return Verdict.No;
  if (challenge < 16 || challenge > 32) return Verdict.No;
  return recLen === 9 + cipherSpecs + sessionId + challenge ? Verdict.Yes : Verdict.No;
}

/** Records of a connection joined mid-stream: every whole header valid, the chain not overrunning. */
function recordChain(b: Uint8Array, off: number, end: number): Verdict {
  const first = b[off];
  if (first !== CT_APPLICATION_DATA && first !== CT_ALERT && first !== CT_CHANGE_CIPHER_SPEC) return Verdict.No;
  let p = off;
  while (end - p >= 5) {
    const ct = b[p];
    if (ct < CT_CHANGE_CIPHER_SPEC || ct > CT_APPLICATION_DATA || !recordHeaderFits(b, p, end, ct)) return Verdict.No;
    if (ct === CT_CHANGE_CIPHER_SPEC && u16(b, p + 3) !== 1) return Verdict.No;
    p += 5 + u16(b, p + 3);
  }
  if (p < end && (b[p] < CT_CHANGE_CIPHER_SPEC || b[p] > CT_APPLICATION_DATA || !recordHeaderFits(b, p, end, b[p]))) {
    return Verdict.No;
  }
  return p === off ? Verdict.Maybe : Verdict.Yes;
}

/**
 * Reads the hello at the start of a direction; true when done with it (parsed, or never will be),
 * false when its end has not arrived yet.
 */
function readHello(st: AppFlowState, b: Uint8Array, off: number, end: number): boolean {
  if (b[off] !== CT_HANDSHAKE) return true; // not a hello: nothing to read
  if (end - off < 9) return false;
  const recEnd = off + 5 + u16(b, off + 3);
  // A hello fragmented over several records is rare enough to give up on its attributes.
  if (off + 9 + u24(b, off + 6) > recEnd) return true;
  const msgEnd = Math.min(end, recEnd);
  const r =
    b[off + 5] === 1 ? parseClientHello(st, b, off + 5, msgEnd) : b[off + 5] === 2 ? parseServerHello(st, b, off + 5, msgEnd) : HelloResult.Malformed;
  return r !== HelloResult.Truncated;
}

/** TLS over TCP. */
export const tls: AppProtocol = {
  service: 'ssl',
  transports: Transport.Tcp,

  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict {
    if (len < 1) return Verdict.No;
    const end = off + len;
    const here = ctx.fromOrig ? Dir.Orig : Dir.Resp;
    const there = ctx.fromOrig ? Dir.Resp : Dir.Orig;
    const c0 = b[off];
    if (c0 === CT_HANDSHAKE) {
      const v = helloStart(b, off, end);
      if (v !== Verdict.Yes) return v;
      const clientHello = b[off + 5] === 1;
      // After a ClientHello the ServerHello (version) follows; a ServerHello seen first means the
      // ClientHello was missed, so only the rest of this hello is wanted.
      st.decide(tls, clientHello ? there : 0);
      if (!readHello(st, b, off, end)) st.want |= here;
      return Verdict.Yes;
    }
    if (c0 & 0x80) {
      if (end - off < 11) return end - off < 3 || b[off + 2] === 1 ? Verdict.Maybe : Verdict.No;
      if (sslv2ClientHello(b, off, end) !== Verdict.Yes) return Verdict.No;
      st.decide(tls, there);
      return Verdict.Yes;
    }
    const v = recordChain(b, off, end);
    if (v === Verdict.Yes) st.decide(tls, 0);
    return v;
  },

  follow(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): void {
    if (readHello(st, b, off, off + len)) st.want &= ctx.fromOrig ? ~Dir.Orig : ~Dir.Resp;
  },
};
