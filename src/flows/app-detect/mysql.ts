/**
 * MySQL (and MariaDB), told by the server's greeting (the Initial Handshake Packet, protocol 10): a
 * 3-byte little-endian length matching the segment, sequence id 0, protocol version 10, a printable
 * NUL-terminated server version, the connection id, 8 bytes of scramble and a NUL filler.
 * Attribute: server_version.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { attrText } from './bytes.js';

const PROTOCOL_10 = 0x0a;
const MAX_VERSION = 64;

/** MySQL. */
export const mysql: AppProtocol = {
  service: 'mysql',
  transports: Transport.Tcp,
  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, _ctx: ProbeContext): Verdict {
    if (len < 5) return len < 4 || b[off + 3] === 0 ? Verdict.Maybe : Verdict.No;
    const pktLen = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16);
    if (b[off + 3] !== 0 || b[off + 4] !== PROTOCOL_10 || pktLen < 1 + 2 + 4 + 8 + 1 || pktLen > 1024) return Verdict.No;
    if (len < 4 + pktLen) return Verdict.Maybe;
    if (len !== 4 + pktLen) return Verdict.No;
    const end = off + 4 + pktLen;
    let p = off + 5;
    for (; p < end && b[p] !== 0; p++) if (b[p] < 0x20 || b[p] > 0x7e || p - off - 5 >= MAX_VERSION) return Verdict.No;
    const versionEnd = p;
    if (versionEnd === off + 5 || end - versionEnd < 1 + 4 + 8 + 1 || b[versionEnd + 1 + 4 + 8] !== 0) return Verdict.No;
    st.decide(mysql, 0);
    st.setAttr('server_version', attrText(b, off + 5, versionEnd));
    return Verdict.Yes;
  },
};
