/**
 * NTP over UDP. On port 123 the header's version (1..4) and mode (1..7) and a length fitting the mode
 * are enough, as Zeek's port-based analyzer assumes; elsewhere only a client or server packet of
 * version 3 or 4 passes, with stratum, poll and timestamps a real clock would send (RFC 5905 §7.3).
 * Attributes: version and mode.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { u16, u32 } from './bytes.js';

const NTP_PORT = 123;
const HEADER = 48;
const MODES = ['reserved', 'symmetric_active', 'symmetric_passive', 'client', 'server', 'broadcast', 'control', 'private'];
const VERSIONS = ['0', '1', '2', '3', '4', '5', '6', '7'];

/** The length fits: the 48-byte header, then extension fields and a MAC in 4-byte words. */
function timePacketLength(len: number): boolean {
  return len >= HEADER && (len - HEADER) % 4 === 0 && len <= 1024;
}

/** Mode 6 (control, RFC 9327) and 7 (ntpd's private requests) have short headers of their own. */
function controlLength(b: Uint8Array, off: number, len: number, mode: number): boolean {
  if (mode === 7) return len >= 8;
  return len >= 12 && u16(b, off + 10) <= len - 12;
}

/** True when a client or server packet on any port looks like a real clock's. */
function strict(b: Uint8Array, off: number, len: number, version: number, mode: number): boolean {
  if (!timePacketLength(len) || version < 3 || (mode !== 3 && mode !== 4)) return false;
  const stratum = b[off + 1];
  const poll = b[off + 2];
  if (stratum > 16 || (poll > 17 && poll < 0xfa)) return false;
  // Root delay under a second and root dispersion under 16 s (16.16 fixed point): true of any
  // synchronised clock, and of clients, which send zero.
  if (u16(b, off + 4) !== 0 || u16(b, off + 8) >= 16) return false;
  const transmit = u32(b, off + 40);
  if (transmit === 0) return false;
  if (mode === 3) return true;
  // A server's receive and transmit times are close (here: within an hour) to each other.
  const receive = u32(b, off + 32);
  return receive !== 0 && Math.abs(transmit - receive) < 3600;
}

/** NTP. */
export const ntp: AppProtocol = {
  service: 'ntp',
  transports: Transport.Udp,
  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict {
    if (len < 8) return Verdict.No;
    const version = (b[off] >> 3) & 7;
    const mode = b[off] & 7;
    let ok: boolean;
    if (ctx.srcPort === NTP_PORT || ctx.dstPort === NTP_PORT) {
      ok = version >= 1 && version <= 4 && mode !== 0 && (mode >= 6 ? controlLength(b, off, len, mode) : timePacketLength(len));
    } else {
      ok = strict(b, off, len, version, mode);
    }
    if (!ok) return Verdict.No;
    st.decide(ntp, 0);
    st.setAttr('version', VERSIONS[version]);
    st.setAttr('mode', MODES[mode]);
    return Verdict.Yes;
  },
};
