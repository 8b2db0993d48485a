/**
 * One generated TCP connection, packet by packet, as a capture point next to the client sees it: the
 * three-way handshake (Linux-style options with timestamps, or Windows-style without), then request and
 * response exchanges with correct sequence and acknowledgement numbers, responses in full-size segments
 * sent in slow-start flights that grow to the path's bandwidth-delay product, the receiver acknowledging
 * every second segment, idle gaps between exchanges, and a FIN or RST teardown. Also the connections
 * that never open: a SYN answered by RST, a SYN answered by nothing, and a scanner's half-open probes.
 * Payloads (TLS 1.3, HTTP/1.1, SSH) come from tcp-payload.ts.
 */
import { PATTERN_MASK, Proto, type FrameWriter } from './frame-writer.js';
import { DnsSession } from './dns-session.js';
import { endpoints, ephemeralPort, type Endpoints, type Host } from './site.js';
import { logUniform, skewed, type Session, type SessionContext } from './session.js';
import { App, requestMessage, responseMessage, writePayload, type Message } from './tcp-payload.js';

const FIN = 1;
const SYN = 2;
const RST = 4;
const PSH = 8;
const ACK = 16;

/** TCP option layouts: header length and which bytes follow the fixed header. */
const OPT_NONE = 0;
const OPT_TS = 1;
const OPT_SYN_LINUX = 2;
const OPT_SYN_WINDOWS = 3;
const OPT_SYNACK_WINDOWS = 4;
const OPT_MSS = 5;
const OPT_LEN = [20, 32, 40, 32, 32, 24];

const PLAN_NORMAL = 0;
const PLAN_REJECT = 1;
const PLAN_SILENT = 2;
const PLAN_SCAN_OPEN = 3;
const PLAN_SCAN_CLOSED = 4;

const CLOSE_CLIENT_FIN = 0;
const CLOSE_SERVER_FIN = 1;
const CLOSE_CLIENT_RST = 2;
const CLOSE_SERVER_RST = 3;

const ST_SYN = 0;
const ST_SYNACK = 1;
const ST_HSACK = 2;
const ST_XFER = 3;
const ST_CLOSE = 4;
const ST_REJECT = 5;
const ST_SCAN_RST = 6;

const SCAN_PORTS = [22, 23, 80, 443, 445, 3389, 8080, 21, 25, 53, 110, 135, 139, 143, 1433, 3306, 5900, 8443];

/** A TCP connection or connection attempt; see the module comment. */
export class TcpSession implements Session {
  private readonly ep: Endpoints;
  private readonly cPort: number;
  private readonly sPort: number;
  private readonly plan: number;
  private readonly app: number;
  private readonly close: number;
  private readonly host: string;
  private readonly opt: number;
  private readonly mss: number;
  private readonly rtt: number;
  private readonly gap: number;
  private readonly think: number;
  private readonly ackDelay: number;
  private readonly maxCwnd: number;
  private readonly winC: number;
  private readonly winS: number;
  private readonly tsBaseC: number;
  private readonly tsBaseS: number;
  private readonly saltC: number;
  private readonly saltS: number;
  private readonly upload: boolean;
  private dns: DnsSession | null = null;
  /** The connection, and the DNS lookup before it when there is one. */
  readonly flows: number;
  private state = ST_SYN;
  private closeStep = 0;
  private seqC: number;
  private seqS: number;
  private tsLastC = 0;
  private tsLastS = 0;
  private offC = 0;
  private offS = 0;
  private exchange = 0;
  private readonly exchanges: number;
  // The message being sent: its sender, start (stream offset), length, literal prefix and where TLS records start.
  private xFromClient = true;
  private msgStart = 0;
  private msgLen = 0;
  private msgPre: Uint8Array | null = null;
  private msgRec = -1;
  private xLeft = 0;
  private xUnacked = 0;
  private cwnd = 10;
  private flight = 10;
  private flightStart = 0;
  private pendingAck = false;
  private nextData = 0;
  private readonly sid: Uint8Array;

  constructor(
    private readonly ctx: SessionContext,
    kind: 'normal' | 'scan',
  ) {
    const r = ctx.r;
    const site = ctx.site;
    let client: Host;
    let server: Host;
    let v6 = false;
    this.upload = false;
    if (kind === 'scan') {
      // A half-open scan sweeping the client subnets, one port list pass per host, from a fixed source port.
      const n = ctx.scanProbes++;
      client = site.scanner;
      server = site.clients[n % site.clients.length];
      this.cPort = 41234;
      this.sPort = SCAN_PORTS[Math.floor(n / site.clients.length) % SCAN_PORTS.length];
      this.plan = r() < 0.15 ? PLAN_SCAN_OPEN : r() < 0.7 ? PLAN_SCAN_CLOSED : PLAN_SILENT;
      this.app = App.TLS;
      this.opt = OPT_MSS;
      this.host = '';
      this.rtt = logUniform(r, 20e3, 150e3);
      this.exchanges = 0;
    } else {
      client = site.clients[skewed(r, site.clients.length, 1.6)];
      const internal = r() < 0.12;
      if (internal) {
        server = site.internal[(r() * site.internal.length) | 0];
        const x = r();
        this.app = x < 0.3 ? App.SSH : x < 0.65 ? App.TLS : App.HTTP;
        this.sPort = this.app === App.SSH ? 22 : this.app === App.TLS ? 443 : r() < 0.5 ? 80 : 8080;
        this.host = this.app === App.SSH ? '' : 'intranet.corp.example';
        this.rtt = logUniform(r, 100, 900);
        this.upload = r() < 0.15;
      } else {
        const name = site.names[skewed(r, site.names.length, 2)];
        server = name.servers[(r() * name.servers.length) | 0];
        const x = r();
        this.app = x < 0.85 ? App.TLS : App.HTTP;
        this.sPort = this.app === App.HTTP ? 80 : x < 0.82 ? 443 : x < 0.835 ? 8443 : 993;
        this.host = name.text;
        this.rtt = logUniform(r, 4e3, 200e3);
        this.upload = r() < 0.03;
        if (r() < 0.3) this.dns = new DnsSession(ctx, client, name);
      }
      v6 = client.ip6 !== null && server.ip6 !== null && r() < 0.6;
      this.cPort = ephemeralPort(client);
      const p = r();
      this.plan = p < 0.05 ? PLAN_REJECT : p < 0.08 ? PLAN_SILENT : PLAN_NORMAL;
      this.opt = client.ttl === 128 ? OPT_SYN_WINDOWS : OPT_SYN_LINUX;
      this.exchanges = (this.app === App.HTTP ? 0 : 1) + 1 + Math.min(40, Math.floor(-Math.log(1 - r()) * 2.5));
    }
    this.ep = endpoints(client, server, v6, r);
    this.flows = this.dns ? 2 : 1;
    const internalPath = this.rtt < 1000;
    this.mss = this.opt === OPT_SYN_LINUX ? 1448 : 1460;
    const mbps = internalPath ? logUniform(r, 50, 1000) : logUniform(r, 2, 200);
    this.gap = (this.mss * 8) / mbps;
    this.maxCwnd = Math.max(10, Math.ceil(this.rtt / this.gap));
    this.think = internalPath ? logUniform(r, 50, 5e3) : logUniform(r, 300, 60e3);
    this.ackDelay = logUniform(r, 10, 120);
    this.winC = this.opt === OPT_SYN_WINDOWS ? 1026 : 501 + ((r() * 1500) | 0);
    this.winS = 235 + ((r() * 300) | 0);
    this.tsBaseC = (r() * 2 ** 32) >>> 0;
    this.tsBaseS = (r() * 2 ** 32) >>> 0;
    this.saltC = (r() * 65536) | 0;
    this.saltS = (r() * 65536) | 0;
    this.seqC = (r() * 2 ** 32) >>> 0;
    this.seqS = (r() * 2 ** 32) >>> 0;
    this.sid = Uint8Array.from({ length: 32 }, () => (r() * 256) | 0);
    const c = r();
    this.close = c < 0.7 ? CLOSE_CLIENT_FIN : c < 0.9 ? CLOSE_SERVER_FIN : c < 0.96 ? CLOSE_CLIENT_RST : CLOSE_SERVER_RST;
  }

  step(w: FrameWriter, now: number): number {
    if (this.dns) {
      const t = this.dns.step(w, now);
      if (t >= 0) return t;
      this.dns = null;
      return now + logUniform(this.ctx.r, 50, 2000);
    }
    switch (this.state) {
      case ST_SYN: {
        const scan = this.plan === PLAN_SCAN_OPEN || this.plan === PLAN_SCAN_CLOSED;
        this.seg(w, now, true, SYN, this.seqC, 0, this.opt === OPT_MSS ? 1024 : 64240, this.opt, 0);
        this.seqC = (this.seqC + 1) >>> 0;
        if (this.plan === PLAN_SILENT) return -1;
        this.state = this.plan === PLAN_REJECT || this.plan === PLAN_SCAN_CLOSED ? ST_REJECT : ST_SYNACK;
        return now + this.rtt * (scan ? 0.5 : 1);
      }
      case ST_REJECT:
        this.seg(w, now, false, RST | ACK, 0, this.seqC, 0, OPT_NONE, 0);
        return -1;
      case ST_SYNACK: {
        const opt = this.opt === OPT_SYN_WINDOWS ? OPT_SYNACK_WINDOWS : this.opt;
        this.seg(w, now, false, SYN | ACK, this.seqS, this.seqC, this.opt === OPT_MSS ? 29200 : 65160, opt, 0);
        this.seqS = (this.seqS + 1) >>> 0;
        if (this.plan === PLAN_SCAN_OPEN) {
          this.state = ST_SCAN_RST;
          return now + this.rtt * 0.5;
        }
        this.state = ST_HSACK;
        return now + this.ackDelay * 2;
      }
      case ST_SCAN_RST:
        this.seg(w, now, true, RST, this.seqC, 0, 0, OPT_NONE, 0);
        return -1;
      case ST_HSACK:
        this.ack(w, now, true);
        this.state = ST_XFER;
        this.startRequest();
        return now + logUniform(this.ctx.r, 30, 800);
      case ST_XFER:
        return this.transfer(w, now);
      default:
        return this.closing(w, now);
    }
  }

  /** Writes one segment's headers; returns its TCP header offset (with a payload, `fill` completes it). */
  private seg(w: FrameWriter, now: number, fromClient: boolean, flags: number, seq: number, ack: number,
    win: number, opt: number, plen: number): number {
    const hl = OPT_LEN[opt];
    const l4 = w.ip(now, this.ep, fromClient, Proto.TCP, hl + plen);
    const dv = w.dv;
    dv.setUint16(l4, fromClient ? this.cPort : this.sPort);
    dv.setUint16(l4 + 2, fromClient ? this.sPort : this.cPort);
    dv.setUint32(l4 + 4, seq);
    dv.setUint32(l4 + 8, ack);
    dv.setUint16(l4 + 12, (hl << 10) | flags);
    dv.setUint16(l4 + 14, win);
    dv.setUint32(l4 + 16, 0);
    const o = l4 + 20;
    if (opt === OPT_TS || opt === OPT_SYN_LINUX) {
      const ms = Math.floor(now / 1000);
      const tsval = fromClient ? (this.tsBaseC + ms) >>> 0 : (this.tsBaseS + ms) >>> 0;
      const ecr = flags === SYN ? 0 : fromClient ? this.tsLastS : this.tsLastC;
      if (fromClient) this.tsLastC = tsval;
      else this.tsLastS = tsval;
      if (opt === OPT_TS) {
        dv.setUint32(o, 0x0101080a);
        dv.setUint32(o + 4, tsval);
        dv.setUint32(o + 8, ecr);
      } else {
        dv.setUint32(o, 0x020405b4);
        dv.setUint32(o + 4, 0x0402080a);
        dv.setUint32(o + 8, tsval);
        dv.setUint32(o + 12, ecr);
        dv.setUint32(o + 16, 0x01030307);
      }
    } else if (opt === OPT_SYN_WINDOWS) {
      dv.setUint32(o, 0x020405b4);
      dv.setUint32(o + 4, 0x01030308);
      dv.setUint32(o + 8, 0x01010402);
    } else if (opt === OPT_SYNACK_WINDOWS) {
      dv.setUint32(o, 0x020405b4);
      dv.setUint32(o + 4, 0x01010402);
      dv.setUint32(o + 8, 0x01030307);
    } else if (opt === OPT_MSS) {
      dv.setUint32(o, 0x020405b4);
    }
    if (plen === 0) w.checksum(this.ep, Proto.TCP, hl, l4 + 16, w.sum(l4, hl));
    return l4;
  }

  /** A pure ACK from one side. */
  private ack(w: FrameWriter, now: number, fromClient: boolean): void {
    const opt = this.opt === OPT_SYN_LINUX ? OPT_TS : OPT_NONE;
    if (fromClient) this.seg(w, now, true, ACK, this.seqC, this.seqS, this.winC, opt, 0);
    else this.seg(w, now, false, ACK, this.seqS, this.seqC, this.winS, opt, 0);
  }

  /** True in the exchange where an uploading session sends its bulk (the first after any handshake). */
  private uploading(): boolean {
    return this.upload && this.exchange === (this.app === App.HTTP ? 0 : 1);
  }

  /** Sets the message the client sends next: a hello, a request or an upload. */
  private startRequest(): void {
    this.begin(true, requestMessage(this.app, this.exchange, this.host, this.uploading(), this.sid, this.ctx.r));
  }

  /** Sets the server's answer to the message just received. */
  private startResponse(): void {
    const closing = this.exchange === this.exchanges - 1 && this.close === CLOSE_SERVER_FIN;
    this.begin(false, responseMessage(this.app, this.exchange, this.sid, this.uploading(), closing, this.ctx.r));
  }

  private begin(fromClient: boolean, m: Message): void {
    const { len, pre, rec } = m;
    this.xFromClient = fromClient;
    this.msgStart = fromClient ? this.offC : this.offS;
    this.msgLen = len;
    this.msgPre = pre;
    this.msgRec = rec;
    this.xLeft = len;
    this.xUnacked = 0;
    this.flight = this.cwnd;
    this.pendingAck = false;
  }

  /** Sends the next data segment of the current message, or the receiver's ACK. */
  private transfer(w: FrameWriter, now: number): number {
    const fromClient = this.xFromClient;
    if (this.pendingAck) {
      this.pendingAck = false;
      this.ack(w, now, !fromClient);
      this.xUnacked = 0;
      if (this.xLeft === 0) return this.messageDone(now);
      return this.nextData;
    }
    if (this.xLeft === this.msgLen) this.flightStart = now;
    const len = Math.min(this.mss, this.xLeft);
    const rel = this.msgLen - this.xLeft;
    const opt = this.opt === OPT_SYN_LINUX ? OPT_TS : OPT_NONE;
    const flags = len === this.xLeft ? ACK | PSH : ACK;
    const l4 = fromClient
      ? this.seg(w, now, true, flags, this.seqC, this.seqS, this.winC, opt, len)
      : this.seg(w, now, false, flags, this.seqS, this.seqC, this.winS, opt, len);
    const hl = OPT_LEN[opt];
    const salt = fromClient ? this.saltC : this.saltS;
    const sum = writePayload(w, l4 + hl, (salt + this.msgStart + rel) & PATTERN_MASK, rel, len, this.msgLen, this.msgPre, this.msgRec);
    w.checksum(this.ep, Proto.TCP, hl + len, l4 + 16, sum + w.sum(l4, hl));
    if (fromClient) {
      this.seqC = (this.seqC + len) >>> 0;
      this.offC += len;
    } else {
      this.seqS = (this.seqS + len) >>> 0;
      this.offS += len;
    }
    this.xLeft -= len;
    this.xUnacked++;
    if (this.xLeft === 0) {
      if (fromClient) {
        // The response acknowledges the request.
        this.startResponse();
        return now + this.rtt + this.think * (this.exchange === 0 ? 0.1 : 1);
      }
      this.pendingAck = true;
      return now + this.ackDelay;
    }
    let next = now + this.gap;
    if (--this.flight === 0) {
      this.cwnd = Math.min(this.cwnd * 2, this.maxCwnd);
      this.flight = this.cwnd;
      next = Math.max(next, this.flightStart + this.rtt);
      this.flightStart = next;
    }
    this.nextData = next;
    if (this.xUnacked >= 2) {
      this.pendingAck = true;
      return now + Math.min(this.ackDelay, (next - now) / 2);
    }
    return next;
  }

  /** After a response is acknowledged: the next request after an idle gap, or the teardown. */
  private messageDone(now: number): number {
    const r = this.ctx.r;
    this.exchange++;
    if (this.exchange < this.exchanges) {
      const handshake = this.app === App.TLS && this.exchange === 1;
      const idle = handshake || (this.app === App.SSH && this.exchange === 1)
        ? logUniform(r, 200, 3000)
        : r() < 0.4 ? logUniform(r, 2e3, 300e3) : logUniform(r, 1e6, 120e6);
      // Linux restarts slow start after an idle period longer than the retransmission timeout.
      if (idle > 200e3 + this.rtt) this.cwnd = 10;
      this.startRequest();
      return now + idle;
    }
    this.state = ST_CLOSE;
    this.closeStep = 0;
    return now + (this.close === CLOSE_SERVER_FIN ? logUniform(r, 50, 1000) : logUniform(r, 100e3, 300e6));
  }

  /** The teardown, one packet per call. */
  private closing(w: FrameWriter, now: number): number {
    const step = this.closeStep++;
    const opt = this.opt === OPT_SYN_LINUX ? OPT_TS : OPT_NONE;
    switch (this.close) {
      case CLOSE_CLIENT_RST:
        this.seg(w, now, true, RST | ACK, this.seqC, this.seqS, 0, OPT_NONE, 0);
        return -1;
      case CLOSE_SERVER_RST:
        this.seg(w, now, false, RST | ACK, this.seqS, this.seqC, 0, OPT_NONE, 0);
        return -1;
      case CLOSE_CLIENT_FIN:
        if (step === 0) {
          this.seg(w, now, true, FIN | ACK, this.seqC, this.seqS, this.winC, opt, 0);
          this.seqC = (this.seqC + 1) >>> 0;
          return now + this.rtt;
        }
        if (step === 1) {
          this.seg(w, now, false, FIN | ACK, this.seqS, this.seqC, this.winS, opt, 0);
          this.seqS = (this.seqS + 1) >>> 0;
          return now + this.ackDelay;
        }
        this.ack(w, now, true);
        return -1;
      default:
        if (step === 0) {
          this.seg(w, now, false, FIN | ACK, this.seqS, this.seqC, this.winS, opt, 0);
          this.seqS = (this.seqS + 1) >>> 0;
          return now + this.ackDelay + logUniform(this.ctx.r, 50, 2000);
        }
        if (step === 1) {
          this.seg(w, now, true, FIN | ACK, this.seqC, this.seqS, this.winC, opt, 0);
          this.seqC = (this.seqC + 1) >>> 0;
          return now + this.rtt;
        }
        this.ack(w, now, false);
        return -1;
    }
  }
}
