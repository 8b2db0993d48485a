/**
 * The `extra` JSON of a NetFlow/IPFIX connection row written straight as UTF-8 bytes into one reused
 * buffer: the same text `JSON.stringify(flowExtra(rec, portsMoved))` gives, without building the object, its
 * nested `elements` object or the string per flow. Written by hand because the per-flow object and
 * stringify were the largest cost of the collector's decode path (2 of 4 µs per flow on softflowd's
 * NetFlow v9, measured with bench/collector-stages.ts); no library writes JSON from typed state.
 * A record this writer cannot reproduce exactly (one element twice in a record, where the object keeps
 * the last value at the first key's place) returns -1 and the caller takes the object path.
 */
import { elementKey, elementType } from './elements.js';
import type { FlowRecord } from './flow-record.js';
import { valueOf } from './values.js';

const enc = new TextEncoder();

/** ASCII bytes of a string known to be ASCII (keys and fixed words). */
function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

// Every fixed key with its separator, in the order flowExtra() sets them.
const K_HEAD = ascii('{"exporter":');
const K_VERSION = ascii(',"version":');
const K_DOMAIN_IPFIX = ascii(',"observation_domain":');
const K_DOMAIN_V9 = ascii(',"source_id":');
const K_DOMAIN_V5 = ascii(',"engine":');
const K = {
  bytesRaw: ascii(',"bytes_raw":'),
  packetsRaw: ascii(',"packets_raw":'),
  samplingRate: ascii(',"sampling_rate":'),
  bytesScaled: ascii(',"bytes_scaled":'),
  packetsScaled: ascii(',"packets_scaled":'),
  respBytes: ascii(',"resp_bytes_raw":'),
  respPackets: ascii(',"resp_packets_raw":'),
  srcPort: ascii(',"src_port":'),
  dstPort: ascii(',"dst_port":'),
  tcpFlags: ascii(',"tcp_flags":'),
  tos: ascii(',"tos":'),
  direction: ascii(',"direction":'),
  inIf: ascii(',"in_if":'),
  outIf: ascii(',"out_if":'),
  nextHop: ascii(',"next_hop":'),
  srcAs: ascii(',"src_as":'),
  dstAs: ascii(',"dst_as":'),
  srcMask: ascii(',"src_mask":'),
  dstMask: ascii(',"dst_mask":'),
  vlan: ascii(',"vlan":'),
  icmpTypeCode: ascii(',"icmp_type_code":'),
  samplerId: ascii(',"sampler_id":'),
  natSrcH: ascii(',"nat_src_h":'),
  natDstH: ascii(',"nat_dst_h":'),
  natSrcP: ascii(',"nat_src_p":'),
  natDstP: ascii(',"nat_dst_p":'),
  natEvent: ascii(',"nat_event":'),
  firewallEvent: ascii(',"firewall_event":'),
  elements: ascii(',"elements":{'),
};
const W_INGRESS = ascii('"ingress"');
const W_EGRESS = ascii('"egress"');
const W_NULL = ascii('null');
const W_TRUE = ascii('true');
const W_FALSE = ascii('false');

/** Element keys (`"name":`) by enterprise number and id; bounded, as unknown enterprise ids are endless. */
const MAX_KEYS = 4096;

/** Writes flow `extra` JSON into a reused byte buffer. */
export class FlowExtraJson {
  /** The bytes of the last `write`, from 0. */
  buf = new Uint8Array(2048);
  private n = 0;
  private readonly keys = new Map<number, Uint8Array>();
  private readonly digits = new Uint8Array(24);
  // The head (exporter, version, domain) and the derived names of the last record, as bytes: both
  // stay the same over a datagram and usually far longer (derived objects are shared, see addNames).
  private headExporter = '';
  private headVersion = -1;
  private headDomain = -1;
  private head = new Uint8Array(0);
  private namesOf: object | null = null;
  private names = new Uint8Array(0);

  /**
   * Writes the JSON of `rec` (what `flowExtra(rec, portsMoved)` holds) and returns its length in
   * `buf`, or -1 when the record needs the object path.
   */
  write(rec: FlowRecord, portsMoved: boolean): number {
    if (hasRepeatedElement(rec)) return -1;
    if (rec.exporter !== this.headExporter || rec.version !== this.headVersion || rec.domain !== this.headDomain) {
      this.n = 0;
      this.raw(K_HEAD);
      this.str(rec.exporter);
      this.raw(K_VERSION);
      this.num(rec.version);
      this.raw(rec.version === 10 ? K_DOMAIN_IPFIX : rec.version === 9 ? K_DOMAIN_V9 : K_DOMAIN_V5);
      this.num(rec.domain);
      this.head = this.buf.slice(0, this.n);
      this.headExporter = rec.exporter;
      this.headVersion = rec.version;
      this.headDomain = rec.domain;
    }
    this.n = 0;
    this.raw(this.head);
    const sampled = rec.samplingRate !== null && rec.samplingRate > 1;
    if (sampled) {
      this.optNum(K.bytesRaw, rec.bytes);
      this.optNum(K.packetsRaw, rec.packets);
    }
    this.optNum(K.samplingRate, rec.samplingRate);
    if (sampled) {
      this.optNum(K.bytesScaled, rec.scaledBytes);
      this.optNum(K.packetsScaled, rec.scaledPackets);
      this.optNum(K.respBytes, rec.respBytes);
      this.optNum(K.respPackets, rec.respPackets);
    }
    if (portsMoved) {
      this.optNum(K.srcPort, rec.srcPort);
      this.optNum(K.dstPort, rec.dstPort);
    }
    this.optNum(K.tcpFlags, rec.tcpFlags);
    this.optNum(K.tos, rec.tos);
    if (rec.direction !== null) {
      this.raw(K.direction);
      if (rec.direction === 0) this.raw(W_INGRESS);
      else if (rec.direction === 1) this.raw(W_EGRESS);
      else this.num(rec.direction);
    }
    this.optNum(K.inIf, rec.inIf);
    this.optNum(K.outIf, rec.outIf);
    this.optStr(K.nextHop, rec.nextHop);
    this.optNum(K.srcAs, rec.srcAs);
    this.optNum(K.dstAs, rec.dstAs);
    this.optNum(K.srcMask, rec.srcMask);
    this.optNum(K.dstMask, rec.dstMask);
    this.optNum(K.vlan, rec.vlan);
    this.optNum(K.icmpTypeCode, rec.icmpTypeCode);
    this.optNum(K.samplerId, rec.samplerId);
    this.optStr(K.natSrcH, rec.natSrcAddr);
    this.optStr(K.natDstH, rec.natDstAddr);
    this.optNum(K.natSrcP, rec.natSrcPort);
    this.optNum(K.natDstP, rec.natDstPort);
    this.optNum(K.natEvent, rec.natEvent);
    this.optNum(K.firewallEvent, rec.firewallEvent);
    if (rec.extraCount > 0 || rec.derived !== null) this.elements(rec);
    this.byte(125); // }
    return this.n;
  }

  private elements(rec: FlowRecord): void {
    this.raw(K.elements);
    let first = true;
    for (let i = 0; i < rec.extraCount; i++) {
      const pen = rec.extraPen[i];
      const id = rec.extraId[i];
      if (!first) this.byte(44);
      first = false;
      this.raw(this.key(pen, id));
      this.value(valueOf(elementType(pen, id), rec.extraBuf, rec.extraOff[i], rec.extraLen[i]));
    }
    const d = rec.derived;
    if (d !== null) {
      if (d !== this.namesOf) this.cacheNames(d);
      if (this.names.length > 0) {
        if (!first) this.byte(44);
        this.raw(this.names);
      }
    }
    this.byte(125);
  }

  /** Renders the derived names (`"k":v,...`) once per object. */
  private cacheNames(d: Readonly<Record<string, string | number>>): void {
    const start = this.n;
    let first = true;
    for (const k in d) {
      if (!first) this.byte(44);
      first = false;
      this.str(k);
      this.byte(58);
      this.value(d[k]);
    }
    this.names = this.buf.slice(start, this.n);
    this.namesOf = d;
    this.n = start;
  }

  private key(pen: number, id: number): Uint8Array {
    const k = pen * 65536 + id;
    let b = this.keys.get(k);
    if (b === undefined) {
      if (this.keys.size >= MAX_KEYS) this.keys.clear();
      b = enc.encode(JSON.stringify(elementKey(pen, id)) + ':');
      this.keys.set(k, b);
    }
    return b;
  }

  private value(v: string | number | boolean): void {
    if (typeof v === 'number') this.num(v);
    else if (typeof v === 'string') this.str(v);
    else this.raw(v ? W_TRUE : W_FALSE);
  }

  private optNum(key: Uint8Array, v: number | null): void {
    if (v === null) return;
    this.raw(key);
    this.num(v);
  }

  private optStr(key: Uint8Array, v: string | null): void {
    if (v === null) return;
    this.raw(key);
    this.str(v);
  }

  private byte(b: number): void {
    if (this.n >= this.buf.length) this.grow(1);
    this.buf[this.n++] = b;
  }

  private raw(b: Uint8Array): void {
    if (this.n + b.length > this.buf.length) this.grow(b.length);
    const out = this.buf;
    let p = this.n;
    for (let i = 0; i < b.length; i++) out[p++] = b[i];
    this.n = p;
  }

  /** A number as JSON.stringify writes it: integers digit by digit, anything else through String(). */
  private num(v: number): void {
    // 24 characters hold any number String() writes (-1.7976931348623157e+308).
    if (this.n + 24 > this.buf.length) this.grow(24);
    const out = this.buf;
    let p = this.n;
    if (v >= 0 && v < 2147483648 && (v | 0) === v) {
      // The common case (ports, counts, ids): small integer arithmetic, most significant digit first.
      if (v < 10) out[p++] = 48 + v;
      else if (v < 100) {
        const t = (v / 10) | 0;
        out[p++] = 48 + t;
        out[p++] = 48 + v - t * 10;
      } else {
        const d = this.digits;
        let k = 0;
        let x = v;
        while (x > 0) {
          const q = (x / 10) | 0;
          d[k++] = 48 + x - q * 10;
          x = q;
        }
        while (k > 0) out[p++] = d[--k];
      }
      this.n = p;
      return;
    }
    if (!Number.isFinite(v)) return this.raw(W_NULL);
    const s = String(v);
    for (let i = 0; i < s.length; i++) out[p++] = s.charCodeAt(i);
    this.n = p;
  }

  /** A JSON string: plain printable ASCII copied as is, anything else through JSON.stringify. */
  private str(s: string): void {
    const len = s.length;
    let plain = true;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c < 32 || c > 126 || c === 34 || c === 92) {
        plain = false;
        break;
      }
    }
    if (plain) {
      if (this.n + len + 2 > this.buf.length) this.grow(len + 2);
      const out = this.buf;
      let p = this.n;
      out[p++] = 34;
      for (let i = 0; i < len; i++) out[p++] = s.charCodeAt(i);
      out[p++] = 34;
      this.n = p;
      return;
    }
    const j = JSON.stringify(s);
    // At most 3 UTF-8 bytes per UTF-16 unit.
    if (this.n + j.length * 3 > this.buf.length) this.grow(j.length * 3);
    this.n += enc.encodeInto(j, this.buf.subarray(this.n)).written;
  }

  private grow(extra: number): void {
    let size = this.buf.length * 2;
    while (size < this.n + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }
}

/** True when one element (enterprise number and id) appears twice among a record's extras. */
function hasRepeatedElement(rec: FlowRecord): boolean {
  const n = rec.extraCount;
  if (n < 2) return false;
  const pen = rec.extraPen;
  const id = rec.extraId;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) if (id[i] === id[j] && pen[i] === pen[j]) return true;
  }
  return false;
}
