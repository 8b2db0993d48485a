/**
 * One generated NTP poll: a version 4 client request (mode 3) from an ephemeral port, as chrony sends
 * it, to the internal time server or a public one, and the server's mode 4 reply one round trip later
 * with its receive and transmit timestamps and the client's transmit time echoed as the origin.
 */
import { Proto, type FrameWriter } from './frame-writer.js';
import { endpoints, ephemeralPort, type Endpoints } from './site.js';
import { logUniform, skewed, type Session, type SessionContext } from './session.js';

/** Seconds from the NTP epoch (1900) to the Unix epoch. */
const NTP_EPOCH = 2208988800;

/** An NTP request and its answer. */
export class NtpSession implements Session {
  readonly flows = 1;
  private readonly ep: Endpoints;
  private readonly sport: number;
  private readonly rtt: number;
  private readonly refid: number;
  private sentAt = 0;
  private n = 0;

  constructor(ctx: SessionContext) {
    const r = ctx.r;
    const site = ctx.site;
    const client = site.clients[skewed(r, site.clients.length, 1.2)];
    const internal = r() < 0.6;
    const server = site.ntp[internal ? 0 : 1 + ((r() * (site.ntp.length - 1)) | 0)];
    this.ep = endpoints(client, server, client.ip6 !== null && server.ip6 !== null && r() < 0.3, r);
    this.sport = ephemeralPort(client) + 1;
    this.rtt = internal ? logUniform(r, 150, 900) : logUniform(r, 5e3, 80e3);
    this.refid = (r() * 2 ** 32) >>> 0; // The upstream server's IPv4 address.
  }

  step(w: FrameWriter, now: number): number {
    const reply = this.n++ === 1;
    const l4 = w.ip(now, this.ep, !reply, Proto.UDP, 56);
    const dv = w.dv;
    dv.setUint16(l4, reply ? 123 : this.sport);
    dv.setUint16(l4 + 2, reply ? this.sport : 123);
    dv.setUint16(l4 + 4, 56);
    dv.setUint16(l4 + 6, 0);
    const o = l4 + 8;
    w.b.fill(0, o, o + 48);
    if (!reply) {
      dv.setUint32(o, 0x2300_06e9); // LI 0, version 4, mode 3; stratum 0; poll 6; precision -23.
      this.sentAt = now;
      ntpTime(dv, o + 40, now);
    } else {
      dv.setUint32(o, 0x2402_06e7); // Mode 4, stratum 2.
      dv.setUint32(o + 4, 0x00000a3b);
      dv.setUint32(o + 8, 0x00000c12);
      dv.setUint32(o + 12, this.refid);
      ntpTime(dv, o + 16, now - 37e6);
      ntpTime(dv, o + 24, this.sentAt);
      ntpTime(dv, o + 32, now - 25);
      ntpTime(dv, o + 40, now - 5);
    }
    w.checksum(this.ep, Proto.UDP, 56, l4 + 6, w.sum(l4, 56));
    return reply ? -1 : now + this.rtt;
  }
}

/** Writes `us` (microseconds since the Unix epoch) as a 64-bit NTP timestamp. */
function ntpTime(dv: DataView, o: number, us: number): void {
  const sec = Math.floor(us / 1e6);
  dv.setUint32(o, sec + NTP_EPOCH);
  dv.setUint32(o + 4, Math.floor((us - sec * 1e6) * 4294.967296));
}
