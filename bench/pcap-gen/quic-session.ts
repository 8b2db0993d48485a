/**
 * One generated QUIC-like connection on UDP 443, Chrome-shaped: a padded client Initial, the server's
 * coalesced Initial and Handshake datagrams, the client's Handshake, then short-header 1-RTT packets: a
 * request, a paced response in 1252-byte datagrams and the client acknowledging every second one. The
 * long headers are well-formed (version 1, connection ids, lengths); the protected parts are random
 * bytes, as they look to anyone without the keys.
 */
import { PATTERN_MASK, Proto, type FrameWriter } from './frame-writer.js';
import { endpoints, ephemeralPort, type Endpoints } from './site.js';
import { logUniform, skewed, type Session, type SessionContext } from './session.js';

const DATAGRAM = 1252;

/** A QUIC connection; see the module comment. */
export class QuicSession implements Session {
  readonly flows = 1;
  private readonly ep: Endpoints;
  private readonly cPort: number;
  private readonly dcid: number[];
  private readonly scid: number[];
  private readonly rtt: number;
  private readonly gap: number;
  private readonly salt: number;
  private respLeft: number;
  private n = 0;
  private pnC = 0;
  private pnS = 0;
  private sinceAck = 0;

  constructor(private readonly ctx: SessionContext) {
    const r = ctx.r;
    const site = ctx.site;
    const client = site.clients[skewed(r, site.clients.length, 1.6)];
    const name = site.names[skewed(r, site.names.length, 2)];
    const server = name.servers[(r() * name.servers.length) | 0];
    this.ep = endpoints(client, server, client.ip6 !== null && server.ip6 !== null && r() < 0.45, r);
    this.cPort = ephemeralPort(client) + 1;
    this.dcid = Array.from({ length: 8 }, () => (r() * 256) | 0);
    this.scid = Array.from({ length: 8 }, () => (r() * 256) | 0);
    this.rtt = logUniform(r, 4e3, 150e3);
    this.gap = (DATAGRAM * 8) / logUniform(r, 5, 300);
    this.salt = (r() * 65536) | 0;
    this.respLeft = Math.ceil(logUniform(r, 2e3, 4e6) / (DATAGRAM - 40));
  }

  step(w: FrameWriter, now: number): number {
    const k = this.n++;
    const r = this.ctx.r;
    switch (k) {
      case 0:
        this.long(w, now, true, 0, 1250, 0);
        return now + this.rtt;
      case 1:
        this.long(w, now, false, 0, DATAGRAM, 180);
        return now + this.gap;
      case 2:
        this.long(w, now, false, 2, DATAGRAM, 0);
        return now + this.gap;
      case 3:
        this.long(w, now, false, 2, 400 + ((r() * 600) | 0), 0);
        return now + logUniform(r, 300, 3000);
      case 4:
        this.long(w, now, true, 2, 1250, 0);
        return now + logUniform(r, 20, 200);
      case 5:
        this.short(w, now, true, 60 + ((r() * 400) | 0));
        return now + this.rtt + logUniform(r, 300, 30e3);
      default:
        if (this.sinceAck === 2 || this.respLeft === 0) {
          this.sinceAck = 0;
          this.short(w, now, true, 30 + ((r() * 20) | 0));
          return this.respLeft === 0 ? -1 : now + this.gap / 2;
        }
        this.short(w, now, false, this.respLeft === 1 ? 100 + ((r() * 1100) | 0) : DATAGRAM);
        this.respLeft--;
        this.sinceAck++;
        return now + (this.sinceAck === 2 ? this.gap / 2 : this.gap);
    }
  }

  private udp(w: FrameWriter, now: number, fromClient: boolean, len: number): number {
    const l4 = w.ip(now, this.ep, fromClient, Proto.UDP, 8 + len);
    const dv = w.dv;
    dv.setUint16(l4, fromClient ? this.cPort : 443);
    dv.setUint16(l4 + 2, fromClient ? 443 : this.cPort);
    dv.setUint16(l4 + 4, 8 + len);
    dv.setUint16(l4 + 6, 0);
    return l4;
  }

  /**
   * A datagram starting with a long-header packet of `type` (0 Initial, 2 Handshake); when `first` is
   * non-zero the Initial is that long and a Handshake packet fills the rest, as servers coalesce them.
   */
  private long(w: FrameWriter, now: number, fromClient: boolean, type: number, len: number, first: number): void {
    const l4 = this.udp(w, now, fromClient, len);
    let sum = w.sum(l4, 8) + w.pattern(l4 + 8, this.salt + this.n * 977, len, false);
    let o = l4 + 8;
    const put = (v: number): void => {
      sum += w.patch(o, v, ((o - l4) & 1) === 1);
      o++;
    };
    const header = (t: number, size: number): void => {
      const start = o;
      put(0xc0 | (t << 4) | 3); // Long header, fixed bit, type, 4-byte packet number.
      for (const v of [0, 0, 0, 1]) put(v);
      // The client's own id is empty (Chrome), so packets to it carry no destination id.
      // After the server's first reply the client addresses the id the server chose.
      const dst = fromClient ? (this.n > 1 ? this.scid : this.dcid) : [];
      const src = fromClient ? [] : this.scid;
      put(dst.length);
      for (const v of dst) put(v);
      put(src.length);
      for (const v of src) put(v);
      if (t === 0) put(0); // Token length.
      const rest = size - (o - start) - 2;
      put(0x40 | (rest >> 8));
      put(rest & 0xff);
      const pn = fromClient ? this.pnC++ : this.pnS++;
      for (const v of [0, 0, pn >> 8, pn & 0xff]) put(v);
      o = start + size;
    };
    if (first) {
      header(0, first);
      header(2, len - first);
    } else header(type, len);
    w.checksum(this.ep, Proto.UDP, 8 + len, l4 + 6, sum);
  }

  /** A short-header 1-RTT datagram; only packets to the server carry a connection id. */
  private short(w: FrameWriter, now: number, fromClient: boolean, len: number): void {
    const l4 = this.udp(w, now, fromClient, len);
    const p = (this.salt + (fromClient ? this.pnC : this.pnS) * 1301) & PATTERN_MASK;
    let sum = w.sum(l4, 8) + w.pattern(l4 + 8, p, len, false);
    sum += w.patch(l4 + 8, 0x40 | (w.b[l4 + 8] & 0x27), false);
    if (fromClient) for (let i = 0; i < 8; i++) sum += w.patch(l4 + 9 + i, this.scid[i], (i & 1) === 0);
    if (fromClient) this.pnC++;
    else this.pnS++;
    w.checksum(this.ep, Proto.UDP, 8 + len, l4 + 6, sum);
  }
}
