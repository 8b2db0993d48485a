/**
 * Application protocol detection by content, the way Zeek's dynamic protocol detection works: the
 * first few payload packets of each direction of a connection are shown to every protocol's probe
 * (registry.ts), whatever the port, until one recognises its protocol; then that protocol reads the
 * few attributes analysts want (SNI, HTTP host, SSH banners, ...) and detection ends. A decided
 * connection costs one flag check per packet and allocates nothing.
 *
 * Over TCP a probe sees the start of the direction's byte stream: when it needs more than the first
 * segment held (a ClientHello split over two segments, an "EHLO" typed one key at a time), the
 * segments are joined in a small per-direction buffer, kept only until the answer is known. The
 * caller should pass new segments in order (the flow table knows sequence numbers, this does not);
 * a duplicate of the first segment is recognised and skipped; other retransmissions are not, and can
 * cost the attributes.
 */
import type { PacketInfo } from '../../decode/packet/packet-info.js';
import { NightjarError } from '../../model/errors.js';
import type { AppFlowState } from './app-flow-state.js';
import { type AppProtocol, Dir, type ProbeContext, Transport, Verdict } from './app-protocol.js';
import { APP_PROTOCOLS } from './registry.js';

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
/** First size of a direction's buffer; it doubles as segments arrive, up to maxStreamBytes. */
const INITIAL_BUFFER = 512;

/** Settings of an AppDetector. */
export interface AppDetectorOptions {
  /** Payload-bearing packets inspected in each direction of a connection (default 4, at most 64). */
  maxPacketsPerFlow?: number;
  /** Bytes of a TCP direction's start kept while a probe needs more of it (default 8192). */
  maxStreamBytes?: number;
}

/** Defaults of AppDetectorOptions. */
export const APP_DETECTOR_DEFAULTS: Readonly<Required<AppDetectorOptions>> = Object.freeze({
  maxPacketsPerFlow: 4,
  maxStreamBytes: 8192,
});

function checkInt(name: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new NightjarError('NJ_USAGE', `app detection: ${name} must be an integer from ${min} to ${max}, not ${v}`);
  }
  return v;
}

/** True when b[o..o+n) equals buf[at..at+n). */
function sameBytes(buf: Uint8Array, at: number, b: Uint8Array, o: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (buf[at + i] !== b[o + i]) return false;
  return true;
}

/** Detects the application protocol of connections from their first payload packets. */
export class AppDetector {
  /** The settings in force, validated and frozen. */
  readonly options: Readonly<Required<AppDetectorOptions>>;
  private readonly tcpProtocols: readonly AppProtocol[];
  private readonly udpProtocols: readonly AppProtocol[];
  private readonly ctx: ProbeContext = { tcp: false, fromOrig: true, srcPort: 0, dstPort: 0 };

  constructor(opts: AppDetectorOptions = {}) {
    for (const key of Object.keys(opts)) {
      if (!(key in APP_DETECTOR_DEFAULTS)) throw new NightjarError('NJ_USAGE', `app detection: unknown option '${key}'`);
    }
    this.options = Object.freeze({
      maxPacketsPerFlow: checkInt('maxPacketsPerFlow', opts.maxPacketsPerFlow ?? APP_DETECTOR_DEFAULTS.maxPacketsPerFlow, 1, 64),
      maxStreamBytes: checkInt('maxStreamBytes', opts.maxStreamBytes ?? APP_DETECTOR_DEFAULTS.maxStreamBytes, 64, 65536),
    });
    this.tcpProtocols = APP_PROTOCOLS.filter((p) => p.transports & Transport.Tcp);
    this.udpProtocols = APP_PROTOCOLS.filter((p) => p.transports & Transport.Udp);
  }

  /**
   * Inspects one packet's transport payload, payload[offset..offset+length), sent by the
   * originator when `fromOrig`; `proto` is the IP protocol (6 TCP, 17 UDP; others end detection).
   * Updates flowState.service and flowState.attrs; never throws on any payload.
   */
  inspect(
    flowState: AppFlowState,
    payload: Uint8Array,
    offset: number,
    length: number,
    proto: number,
    srcPort: number,
    dstPort: number,
    fromOrig: boolean,
  ): void {
    const st = flowState;
    if (st.done) return;
    if (proto !== IPPROTO_TCP && proto !== IPPROTO_UDP) {
      st.finish(); // SCTP, ICMP, ...: nothing here to detect
      return;
    }
    if (offset < 0 || length <= 0 || offset >= payload.length) return;
    if (length > payload.length - offset) length = payload.length - offset;
    const max = this.options.maxPacketsPerFlow;
    if ((fromOrig ? st.origPkts : st.respPkts) >= max) return;
    const bit = fromOrig ? Dir.Orig : Dir.Resp;
    if (st.protocol !== null && (st.want & bit) === 0) return;

    const tcp = proto === IPPROTO_TCP;
    let b = payload;
    let off = offset;
    let len = length;
    let buf = fromOrig ? st.origBuf : st.respBuf;
    const have = fromOrig ? st.origLen : st.respLen;
    if (tcp && buf !== null && have > 0) {
      // A retransmitted first segment (the usual one: the request sent again before any answer).
      if (length <= have && sameBytes(buf, 0, payload, offset, length)) return;
      buf = this.room(st, fromOrig, buf, have + length);
      const n = Math.min(length, buf.length - have);
      buf.set(payload.subarray(offset, offset + n), have);
      b = buf;
      off = 0;
      len = have + n;
      if (fromOrig) st.origLen = len;
      else st.respLen = len;
    }
    if (fromOrig) st.origPkts++;
    else st.respPkts++;

    const ctx = this.ctx;
    ctx.tcp = tcp;
    ctx.fromOrig = fromOrig;
    ctx.srcPort = srcPort;
    ctx.dstPort = dstPort;
    let more: boolean;
    if (st.protocol === null) {
      const v = this.probe(st, b, off, len, tcp ? this.tcpProtocols : this.udpProtocols);
      more = tcp && (v === Verdict.Maybe || (v === Verdict.Yes && (st.want & bit) !== 0));
    } else {
      if (st.protocol.follow) st.protocol.follow(st, b, off, len, ctx);
      else st.want &= ~bit;
      more = tcp && (st.want & bit) !== 0;
    }
    if (tcp) this.keep(st, fromOrig, more, b === payload, payload, offset, length, len);

    const spent = (st.origPkts >= max ? Dir.Orig : 0) | (st.respPkts >= max ? Dir.Resp : 0);
    if (st.protocol !== null ? (st.want & ~spent) === 0 : spent === (Dir.Orig | Dir.Resp)) st.finish();
  }

  /** Inspects a decoded packet's payload (see inspect). */
  inspectPacket(flowState: AppFlowState, pkt: PacketInfo, fromOrig: boolean): void {
    if (!pkt.transportOk) return;
    this.inspect(flowState, pkt.buf, pkt.payloadOffset, pkt.payloadCapLen, pkt.ipProto, pkt.srcPort, pkt.dstPort, fromOrig);
  }

  /** Runs the probes in order; the first Yes wins. */
  private probe(st: AppFlowState, b: Uint8Array, off: number, len: number, protocols: readonly AppProtocol[]): Verdict {
    let maybe = false;
    for (const p of protocols) {
      const v = p.probe(st, b, off, len, this.ctx);
      if (v === Verdict.Yes) return v;
      if (v === Verdict.Maybe) maybe = true;
    }
    return maybe ? Verdict.Maybe : Verdict.No;
  }

  /** Grows a direction's buffer towards `need` bytes, doubling, up to maxStreamBytes. */
  private room(st: AppFlowState, fromOrig: boolean, buf: Uint8Array, need: number): Uint8Array {
    if (need <= buf.length || buf.length >= this.options.maxStreamBytes) return buf;
    const bigger = new Uint8Array(Math.min(this.options.maxStreamBytes, Math.max(need, 2 * buf.length)));
    bigger.set(buf.subarray(0, fromOrig ? st.origLen : st.respLen));
    if (fromOrig) st.origBuf = bigger;
    else st.respBuf = bigger;
    return bigger;
  }

  /**
   * Keeps the direction's stream start when more of it is wanted (copying the first segment into a
   * new buffer), drops it otherwise; a full buffer means no more will come, so interest ends.
   */
  private keep(st: AppFlowState, fromOrig: boolean, more: boolean, first: boolean, payload: Uint8Array, offset: number, length: number, len: number): void {
    const cap = this.options.maxStreamBytes;
    if (more && len < cap) {
      if (!first) return;
      const buf = new Uint8Array(Math.min(cap, Math.max(INITIAL_BUFFER, 2 * length)));
      const n = Math.min(length, buf.length);
      buf.set(payload.subarray(offset, offset + n), 0);
      if (fromOrig) {
        st.origBuf = buf;
        st.origLen = n;
      } else {
        st.respBuf = buf;
        st.respLen = n;
      }
      return;
    }
    if (more) st.want &= fromOrig ? ~Dir.Orig : ~Dir.Resp;
    if (fromOrig) {
      st.origBuf = null;
      st.origLen = 0;
    } else {
      st.respBuf = null;
      st.respLen = 0;
    }
  }
}
