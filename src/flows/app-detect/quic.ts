/**
 * QUIC over UDP, told by a long-header packet (RFC 8999 invariants) of a known version with
 * connection ids of at most 20 bytes: the 32-bit version field makes this a strong test on any port.
 * Short-header packets carry nothing to recognise, so a connection joined after its handshake stays
 * unknown. Attributes: version as Zeek's quic.log writes it ('1', 'quicv2'), and sni and alpn from the
 * client's Initial packets, decrypted as RFC 9001 allows any observer to.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, Dir, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { u32 } from './bytes.js';
import { QUIC_V1, QUIC_V2, readClientInitial } from './quic-initial.js';

const MAX_CID = 20;

/** Zeek's name of a QUIC version, or null for versions this module does not recognise. */
export function quicVersionName(v: number): string | null {
  if (v === QUIC_V1) return '1';
  if (v === QUIC_V2) return 'quicv2';
  if (v >= 0xff00001d && v <= 0xff000022) return `draft-${v & 0xff}`;
  return null;
}

/** Checks the long header at off; returns the version, or 0 when this is not a QUIC packet we know. */
function longHeader(b: Uint8Array, off: number, end: number): number {
  if (end - off < 7) return 0;
  const b0 = b[off];
  if ((b0 & 0xc0) !== 0xc0) return 0; // long form with the fixed bit
  const version = u32(b, off + 1);
  if (quicVersionName(version) === null) return 0;
  const dcil = b[off + 5];
  if (dcil > MAX_CID || end - off < 7 + dcil) return 0;
  const scil = b[off + 6 + dcil];
  return scil > MAX_CID || end - off < 7 + dcil + scil ? 0 : version;
}

/** QUIC. */
export const quic: AppProtocol = {
  service: 'quic',
  transports: Transport.Udp,

  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict {
    const version = longHeader(b, off, off + len);
    if (version === 0) return Verdict.No;
    st.decide(quic, 0);
    st.setAttr('version', quicVersionName(version) ?? '');
    // The ClientHello is in the originator's Initial packets; a server packet seen first means they
    // were missed.
    if (ctx.fromOrig && !readClientInitial(st, b, off, off + len, version)) st.want = Dir.Orig;
    return Verdict.Yes;
  },

  follow(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): void {
    const version = longHeader(b, off, off + len);
    if (!ctx.fromOrig || version === 0 || readClientInitial(st, b, off, off + len, version)) st.want = 0;
  },
};
