/**
 * DHCP (BOOTP with the DHCP magic cookie, RFC 2131) over UDP: op 1 or 2, a hardware address length
 * that fits its 16-byte field, and 0x63825363 at offset 236. The cookie is what tells it apart from
 * other traffic, so the port is not required; a packet cut by the capture before the cookie passes
 * only between ports 67 and 68. Attributes: msg_type (DISCOVER, OFFER, ...), mac (for
 * Ethernet clients) and host_name (option 12), as Zeek's dhcp.log names them.
 */
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { attrText, u32 } from './bytes.js';

const CHADDR_OFFSET = 28;
const COOKIE_OFFSET = 236;
const SERVER_PORT = 67;
const CLIENT_PORT = 68;
const MAGIC_COOKIE = 0x63825363;
const OPT_PAD = 0;
const OPT_HOST_NAME = 12;
const OPT_MESSAGE_TYPE = 53;
const OPT_END = 255;
const MESSAGE_TYPES = ['', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM'];

/** The client's hardware address as aa:bb:cc:dd:ee:ff. */
function mac(b: Uint8Array, p: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + b[p + i].toString(16).padStart(2, '0');
  return s;
}

/** Reads the message type and host name options; stops at the end option or at damage. */
function readOptions(st: AppFlowState, b: Uint8Array, p: number, end: number): void {
  while (p < end) {
    const code = b[p];
    if (code === OPT_END) return;
    if (code === OPT_PAD) {
      p++;
      continue;
    }
    if (end - p < 2 || end - p < 2 + b[p + 1]) return;
    const len = b[p + 1];
    if (code === OPT_MESSAGE_TYPE && len === 1 && b[p + 2] < MESSAGE_TYPES.length && b[p + 2] > 0) {
      st.setAttr('msg_type', MESSAGE_TYPES[b[p + 2]]);
    } else if (code === OPT_HOST_NAME && len > 0) {
      st.setAttr('host_name', attrText(b, p + 2, p + 2 + len));
    }
    p += 2 + len;
  }
}

/** True when both ports are BOOTP's (67 and 68, or 67 on both sides through a relay). */
function bootpPorts(ctx: ProbeContext): boolean {
  const a = ctx.srcPort;
  const z = ctx.dstPort;
  return (a === SERVER_PORT || a === CLIENT_PORT) && (z === SERVER_PORT || z === CLIENT_PORT);
}

/** DHCP. */
export const dhcp: AppProtocol = {
  service: 'dhcp',
  transports: Transport.Udp,
  probe(st: AppFlowState, b: Uint8Array, off: number, len: number, ctx: ProbeContext): Verdict {
    if (len < CHADDR_OFFSET + 6) return Verdict.No;
    const op = b[off];
    const htype = b[off + 1];
    const hlen = b[off + 2];
    if ((op !== 1 && op !== 2) || hlen > 16 || b[off + 3] > 16) return Verdict.No;
    if (len >= COOKIE_OFFSET + 4) {
      if (u32(b, off + COOKIE_OFFSET) !== MAGIC_COOKIE) return Verdict.No;
    } else if (!bootpPorts(ctx) || htype !== 1 || hlen !== 6 || (b[off + 10] & 0x7f) !== 0 || b[off + 11] !== 0) {
      // Cut short by the capture's snap length: between the BOOTP ports, an Ethernet client's
      // header with only the broadcast flag defined is evidence enough.
      return Verdict.No;
    }
    st.decide(dhcp, 0);
    if (len >= COOKIE_OFFSET + 4) readOptions(st, b, off + COOKIE_OFFSET + 4, off + len);
    if (htype === 1 && hlen === 6) st.setAttr('mac', mac(b, off + CHADDR_OFFSET));
    return Verdict.Yes;
  },
};
