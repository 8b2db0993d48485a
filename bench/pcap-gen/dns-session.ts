/**
 * One generated DNS lookup over UDP between a client and one of the site's resolvers: an A query, often
 * followed at once by the AAAA query for the same name from the same socket (as glibc and browsers do),
 * then the answers after a cache-hit or cache-miss delay; a small share is never answered.
 */
import { Proto, type FrameWriter } from './frame-writer.js';
import { QType, dnsLength, writeDns } from './dns-wire.js';
import { endpoints, type Endpoints, type Host, type NameEntry } from './site.js';
import { logUniform, skewed, type Session, type SessionContext } from './session.js';

/** A DNS lookup; see the module comment. */
export class DnsSession implements Session {
  readonly flows = 1;
  private readonly ep: Endpoints;
  private readonly sport: number;
  private readonly name: NameEntry;
  private readonly both: boolean;
  private readonly answered: boolean;
  private readonly delay: number;
  private readonly idA: number;
  private readonly idAAAA: number;
  private n = 0;
  private t0 = 0;

  /** A lookup by `client` (a random one when absent) of `name` (a random, sometimes nonexistent one when absent). */
  constructor(
    private readonly ctx: SessionContext,
    client?: Host,
    name?: NameEntry,
  ) {
    const r = ctx.r;
    const site = ctx.site;
    const c = client ?? site.clients[skewed(r, site.clients.length, 1.6)];
    this.name = name ?? (r() < 0.06 ? site.nxNames[(r() * site.nxNames.length) | 0] : site.names[skewed(r, site.names.length, 2.5)]);
    const resolver = site.resolvers[r() < 0.8 ? 0 : 1];
    this.ep = endpoints(c, resolver, c.ip6 !== null && r() < 0.35, r);
    this.sport = 1024 + ((r() * 64511) | 0);
    this.both = r() < 0.55;
    this.answered = r() > 0.02;
    this.delay = r() < 0.7 ? logUniform(r, 150, 2000) : logUniform(r, 5e3, 150e3);
    this.idA = (r() * 65536) | 0;
    this.idAAAA = (r() * 65536) | 0;
  }

  step(w: FrameWriter, now: number): number {
    const k = this.n++;
    if (k === 0) this.t0 = now;
    const r = this.ctx.r;
    // Packets in order: A query, [AAAA query], A answer, [AAAA answer].
    const response = this.both ? k >= 2 : k >= 1;
    const aaaa = this.both && (k === 1 || k === 3);
    this.packet(w, now, aaaa ? QType.AAAA : QType.A, aaaa ? this.idAAAA : this.idA, response);
    const last = this.both ? 3 : 1;
    if (k === last || (!this.answered && k === last - (this.both ? 2 : 1))) return -1;
    if (this.both && k === 0) return now + logUniform(r, 15, 120);
    if (!response) return Math.max(now + 1, this.t0 + this.delay);
    return now + logUniform(r, 10, 500);
  }

  private packet(w: FrameWriter, now: number, qtype: number, id: number, response: boolean): void {
    const len = 8 + dnsLength(this.name, qtype, response);
    const l4 = w.ip(now, this.ep, !response, Proto.UDP, len);
    const dv = w.dv;
    dv.setUint16(l4, response ? 53 : this.sport);
    dv.setUint16(l4 + 2, response ? this.sport : 53);
    dv.setUint16(l4 + 4, len);
    dv.setUint16(l4 + 6, 0);
    writeDns(w.b, l4 + 8, this.name, qtype, id, response);
    w.checksum(this.ep, Proto.UDP, len, l4 + 6, w.sum(l4, len));
  }
}
