/**
 * One generated ping run: Linux ping's echo requests (ICMP, or ICMPv6 for IPv6 peers) one second apart
 * with a 56-byte payload holding the send time and the 0x10.. fill, each answered one round trip later,
 * except for unreachable peers, which answer nothing.
 */
import { Proto, type FrameWriter } from './frame-writer.js';
import { endpoints, type Endpoints } from './site.js';
import { logUniform, skewed, type Session, type SessionContext } from './session.js';

const DATA = 56;

/** A run of echo requests and replies. */
export class IcmpSession implements Session {
  readonly flows = 1;
  private readonly ep: Endpoints;
  private readonly id: number;
  private readonly count: number;
  private readonly rtt: number;
  private readonly answered: boolean;
  private n = 0;
  private sentAt = 0;

  constructor(ctx: SessionContext) {
    const r = ctx.r;
    const site = ctx.site;
    const client = site.clients[skewed(r, site.clients.length, 1.2)];
    const internal = r() < 0.4;
    const server = internal
      ? site.internal[(r() * site.internal.length) | 0]
      : site.names[skewed(r, site.names.length, 2)].servers[0];
    this.ep = endpoints(client, server, client.ip6 !== null && server.ip6 !== null && r() < 0.4, r);
    this.id = (r() * 65536) | 0;
    this.count = 1 + ((r() * 5) | 0);
    this.rtt = internal ? logUniform(r, 100, 800) : logUniform(r, 4e3, 200e3);
    this.answered = r() > 0.1;
  }

  step(w: FrameWriter, now: number): number {
    const k = this.n++;
    const reply = this.answered && (k & 1) === 1;
    const seq = this.answered ? (k >> 1) + 1 : k + 1;
    if (!reply) this.sentAt = now;
    const v6 = this.ep.v6;
    const proto = v6 ? Proto.ICMP6 : Proto.ICMP;
    const l4 = w.ip(now, this.ep, !reply, proto, 8 + DATA);
    const dv = w.dv;
    dv.setUint16(l4, v6 ? (reply ? 0x8100 : 0x8000) : reply ? 0x0000 : 0x0800);
    dv.setUint16(l4 + 2, 0);
    dv.setUint16(l4 + 4, this.id);
    dv.setUint16(l4 + 6, seq);
    // struct timeval of the send time in host (little-endian) order, then the fill pattern.
    const sec = Math.floor(this.sentAt / 1e6);
    dv.setBigUint64(l4 + 8, BigInt(sec), true);
    dv.setBigUint64(l4 + 16, BigInt(Math.floor(this.sentAt - sec * 1e6)), true);
    for (let i = 16; i < DATA; i++) w.b[l4 + 8 + i] = i;
    w.checksum(this.ep, proto, 8 + DATA, l4 + 2, w.sum(l4, 8 + DATA));
    const sent = this.answered ? k >> 1 : k;
    if (sent + 1 >= this.count && (reply || !this.answered)) return -1;
    return reply || !this.answered ? this.sentAt + 1e6 : now + this.rtt;
  }
}
