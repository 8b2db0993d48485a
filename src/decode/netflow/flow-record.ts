/**
 * The normalized flow every NetFlow v5/v9 and IPFIX data record becomes. One instance is reused for
 * every record: a callback that keeps a record past its call must take `snapshot()`. Elements without
 * a field of their own are remembered as positions in the datagram and rendered only when asked
 * (`extras()`), so the hot path never builds objects for them.
 */
import { elementKey, elementType } from './elements.js';
import { addrText, valueOf } from './values.js';

const MAX_EXTRAS = 512;
const INTERNAL = new Set([
  'extraCount', 'extraBuf', 'extraPen', 'extraId', 'extraOff', 'extraLen', 'derived', 'srcAt', 'srcLen', 'dstAt', 'dstLen', 'srcText', 'dstText',
]);

/** One flow as exported by a NetFlow v5/v9 or IPFIX exporter, with times in Unix microseconds. */
export class FlowRecord {
  /** Export protocol version: 5, 9 or 10 (IPFIX). */
  version = 0;
  /** Exporter address, as the caller gave it. */
  exporter = '';
  /** NetFlow v9 source id or IPFIX observation domain id (v5: engine type << 8 | engine id). */
  domain = 0;
  /** Flow start and end, microseconds since the epoch. */
  ts: number | null = null;
  end: number | null = null;
  /**
   * Where the source and destination addresses are in `extraBuf` (4 or 16 bytes), -1 when absent.
   * Decoders set these rather than text: a row writer copies address text and hashes the Community ID
   * straight from the bytes, and `srcAddr`/`dstAddr` make the text only when read.
   */
  srcAt = -1;
  srcLen = 0;
  dstAt = -1;
  dstLen = 0;
  private srcText: string | null = null;
  private dstText: string | null = null;
  srcPort: number | null = null;
  dstPort: number | null = null;
  /** IANA protocol number. */
  proto: number | null = null;
  /** Octets and packets as exported (IP-level, before any sampling correction). */
  bytes: number | null = null;
  packets: number | null = null;
  /** Sampling rate applied (1 in N), when the exporter made it known; null otherwise. */
  samplingRate: number | null = null;
  /** Octets and packets multiplied by the sampling rate (equal to the raw counts when it is unknown). */
  scaledBytes: number | null = null;
  scaledPackets: number | null = null;
  /** Reverse-direction counts of a biflow (RFC 5103) or responder counts (NSEL). */
  respBytes: number | null = null;
  respPackets: number | null = null;
  tcpFlags: number | null = null;
  tos: number | null = null;
  /** 0 ingress, 1 egress (flowDirection). */
  direction: number | null = null;
  inIf: number | null = null;
  outIf: number | null = null;
  nextHop: string | null = null;
  srcAs: number | null = null;
  dstAs: number | null = null;
  srcMask: number | null = null;
  dstMask: number | null = null;
  vlan: number | null = null;
  /** ICMP type << 8 | code, when exported. */
  icmpTypeCode: number | null = null;
  samplerId: number | null = null;
  natSrcAddr: string | null = null;
  natDstAddr: string | null = null;
  natSrcPort: number | null = null;
  natDstPort: number | null = null;
  natEvent: number | null = null;
  firewallEvent: number | null = null;

  /** Other elements, as (pen, id, offset, length) into `extraBuf`; valid during the callback only. */
  extraCount = 0;
  extraBuf: Uint8Array = new Uint8Array(0);
  readonly extraPen = new Uint32Array(MAX_EXTRAS);
  readonly extraId = new Uint16Array(MAX_EXTRAS);
  readonly extraOff = new Int32Array(MAX_EXTRAS);
  readonly extraLen = new Int32Array(MAX_EXTRAS);
  /** Values derived from exporter state rather than the record (names from options data); shared between records, never changed. */
  derived: Readonly<Record<string, string | number>> | null = null;

  /** Source address as text (made from the bytes on first read), or null. */
  get srcAddr(): string | null {
    if (this.srcText === null && this.srcAt >= 0) this.srcText = addrText(this.extraBuf, this.srcAt, this.srcLen);
    return this.srcText;
  }

  set srcAddr(v: string | null) {
    this.srcText = v;
    this.srcAt = -1;
  }

  /** Destination address as text (made from the bytes on first read), or null. */
  get dstAddr(): string | null {
    if (this.dstText === null && this.dstAt >= 0) this.dstText = addrText(this.extraBuf, this.dstAt, this.dstLen);
    return this.dstText;
  }

  set dstAddr(v: string | null) {
    this.dstText = v;
    this.dstAt = -1;
  }

  /** True when an address was given as text only (no bytes to write it from). */
  get addrsAsText(): boolean {
    return (this.srcAt < 0 && this.srcText !== null) || (this.dstAt < 0 && this.dstText !== null);
  }

  /** Clears every field before the next record. */
  reset(): void {
    this.ts = this.end = null;
    this.srcText = this.dstText = this.nextHop = this.natSrcAddr = this.natDstAddr = null;
    this.srcAt = this.dstAt = -1;
    this.srcPort = this.dstPort = this.proto = this.bytes = this.packets = null;
    this.samplingRate = this.scaledBytes = this.scaledPackets = this.respBytes = this.respPackets = null;
    this.tcpFlags = this.tos = this.direction = this.inIf = this.outIf = this.srcAs = this.dstAs = null;
    this.srcMask = this.dstMask = this.vlan = this.icmpTypeCode = this.samplerId = null;
    this.natSrcPort = this.natDstPort = this.natEvent = this.firewallEvent = null;
    this.extraCount = 0;
    this.derived = null;
  }

  /** Remembers one element that has no field of its own. */
  addExtra(pen: number, id: number, off: number, len: number): void {
    const n = this.extraCount;
    if (n >= MAX_EXTRAS) return;
    this.extraPen[n] = pen;
    this.extraId[n] = id;
    this.extraOff[n] = off;
    this.extraLen[n] = len;
    this.extraCount = n + 1;
  }

  /** The elements without a field, by element name (`pen<N>_<id>` for unknown enterprise ones). */
  extras(): Record<string, string | number | boolean> {
    const out: Record<string, string | number | boolean> = {};
    for (let i = 0; i < this.extraCount; i++) {
      const pen = this.extraPen[i];
      const id = this.extraId[i];
      out[elementKey(pen, id)] = valueOf(elementType(pen, id), this.extraBuf, this.extraOff[i], this.extraLen[i]);
    }
    if (this.derived) Object.assign(out, this.derived);
    return out;
  }

  /** A plain copy of this record (with its extras rendered) that stays valid after the callback. */
  snapshot(): FlowSnapshot {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(this) as (keyof this & string)[]) if (!INTERNAL.has(k)) out[k] = this[k];
    out.srcAddr = this.srcAddr;
    out.dstAddr = this.dstAddr;
    out.extras = this.extras();
    return out as FlowSnapshot;
  }
}

/** A copied FlowRecord: its fields plus rendered extras. */
export type FlowSnapshot = Omit<
  FlowRecord,
  | 'extraCount' | 'extraBuf' | 'extraPen' | 'extraId' | 'extraOff' | 'extraLen' | 'derived' | 'reset' | 'addExtra' | 'extras' | 'snapshot'
  | 'srcAt' | 'srcLen' | 'dstAt' | 'dstLen' | 'addrsAsText'
> & { extras: Record<string, string | number | boolean> };

/** Receives one decoded flow; the record is reused after the call returns. */
export type FlowHandler = (rec: FlowRecord) => void;
