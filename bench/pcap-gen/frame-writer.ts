/**
 * The byte side of the pcap generator: large reused buffers that packets are written into in place and
 * handed to a sink a few MiB at a time, the classic pcap file and record headers, Ethernet
 * (with an optional 802.1Q tag), IPv4 and IPv6 headers, and Internet checksums. Payload bytes come
 * from one seeded random pattern with prefix sums of its 16-bit words, so a full-size segment's
 * checksum costs two array reads instead of a pass over 1448 bytes.
 */
import type { Sink } from './file-sink.js';
import type { Endpoints } from './site.js';

/** Size of the random payload pattern; a power of two so offsets wrap with a mask. */
export const PATTERN_SIZE = 1 << 16;
/** Mask that wraps an offset into the payload pattern. */
export const PATTERN_MASK = PATTERN_SIZE - 1;
/** Largest frame the generator writes: Ethernet + 802.1Q + IPv6 + TCP with options + 1448 bytes. */
const MAX_FRAME = 14 + 4 + 40 + 60 + 1500;
/** Per-record header size of classic pcap. */
const RECORD_HEADER = 16;

/** IP protocol numbers used by the generator. */
export const Proto = { ICMP: 1, TCP: 6, UDP: 17, ICMP6: 58 } as const;

/** Folds an unfolded one's-complement sum to 16 bits. */
export function fold(sum: number): number {
  let s = (sum % 65536) + Math.floor(sum / 65536);
  s = (s & 0xffff) + (s >>> 16);
  return (s & 0xffff) + (s >>> 16);
}

/** Streams pcap records into a file through one reused buffer. */
export class FrameWriter {
  /** The output buffer; packets are built in it in place. */
  b: Buffer;
  /** Big-endian field access to `b`. */
  dv: DataView;
  /** Next free byte in `b`. */
  off = 0;
  /** Bytes flushed to the file so far. */
  flushed = 0;
  /** Records written so far. */
  packets = 0;
  private readonly pat: Buffer;
  private readonly sumEven: Float64Array;
  private readonly sumOdd: Float64Array;

  /** Writes into `first`, handing full buffers to `sink`; payloads come from `pattern` (PATTERN_SIZE bytes). */
  constructor(
    private readonly sink: Sink,
    first: Buffer,
    pattern: Buffer,
  ) {
    this.b = first;
    this.dv = new DataView(this.b.buffer, this.b.byteOffset, this.b.byteLength);
    this.pat = pattern;
    // Prefix sums of each byte's checksum contribution, for a slice starting on an even and on an odd byte.
    this.sumEven = new Float64Array(PATTERN_SIZE + 1);
    this.sumOdd = new Float64Array(PATTERN_SIZE + 1);
    for (let i = 0; i < PATTERN_SIZE; i++) {
      const v = pattern[i];
      this.sumEven[i + 1] = this.sumEven[i] + (i & 1 ? v : v << 8);
      this.sumOdd[i + 1] = this.sumOdd[i] + (i & 1 ? v << 8 : v);
    }
    // File header: microsecond magic, version 2.4, snaplen 65535, linktype 1 (Ethernet), little-endian.
    const dv = this.dv;
    dv.setUint32(0, 0xa1b2c3d4, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setUint32(8, 0, true);
    dv.setUint32(12, 0, true);
    dv.setUint32(16, 65535, true);
    dv.setUint32(20, 1, true);
    this.off = 24;
  }

  /** Hands what the buffer holds to the sink and carries on in the buffer it returns. */
  flush(): void {
    const next = this.sink.write(this.b, this.off);
    if (next !== this.b) {
      this.b = next;
      this.dv = new DataView(next.buffer, next.byteOffset, next.byteLength);
    }
    this.flushed += this.off;
    this.off = 0;
  }

  /**
   * Starts a packet at `tsUs` (microseconds since the epoch) from one side of `ep` and writes its
   * record header, Ethernet and IP headers; returns the offset of the transport header, where the
   * caller writes `l4len` bytes and then calls `checksum` or nothing.
   */
  ip(tsUs: number, ep: Endpoints, fromClient: boolean, proto: number, l4len: number): number {
    if (this.off + MAX_FRAME + RECORD_HEADER > this.b.length) this.flush();
    const dv = this.dv;
    let o = this.off;
    const l2 = ep.vlan ? 18 : 14;
    const frame = l2 + (ep.v6 ? 40 : 20) + l4len;
    const us = Math.floor(tsUs);
    const sec = Math.floor(us / 1e6);
    dv.setUint32(o, sec, true);
    dv.setUint32(o + 4, us - sec * 1e6, true);
    dv.setUint32(o + 8, frame, true);
    dv.setUint32(o + 12, frame, true);
    o += RECORD_HEADER;
    if (fromClient) {
      dv.setUint16(o, ep.sMacHi);
      dv.setUint32(o + 2, ep.sMacLo);
      dv.setUint16(o + 6, ep.cMacHi);
      dv.setUint32(o + 8, ep.cMacLo);
    } else {
      dv.setUint16(o, ep.cMacHi);
      dv.setUint32(o + 2, ep.cMacLo);
      dv.setUint16(o + 6, ep.sMacHi);
      dv.setUint32(o + 8, ep.sMacLo);
    }
    if (ep.vlan) {
      dv.setUint16(o + 12, 0x8100);
      dv.setUint16(o + 14, ep.vlan);
      o += 4;
    }
    o += 12;
    if (ep.v6) {
      dv.setUint16(o, 0x86dd);
      o += 2;
      dv.setUint32(o, 0x60000000 | (fromClient ? ep.labelC : ep.labelS));
      dv.setUint16(o + 4, l4len);
      this.b[o + 6] = proto;
      this.b[o + 7] = fromClient ? ep.ttlC : ep.ttlS;
      const src = fromClient ? ep.c6 : ep.s6;
      const dst = fromClient ? ep.s6 : ep.c6;
      for (let i = 0; i < 4; i++) {
        dv.setUint32(o + 8 + 4 * i, src[i]);
        dv.setUint32(o + 24 + 4 * i, dst[i]);
      }
      o += 40;
    } else {
      dv.setUint16(o, 0x0800);
      o += 2;
      const total = 20 + l4len;
      const id = fromClient ? ep.idC : ep.idS;
      const ttlProto = ((fromClient ? ep.ttlC : ep.ttlS) << 8) | proto;
      const flags = proto === Proto.TCP ? 0x4000 : 0; // Linux sets DF on TCP, not on DNS or ICMP.
      dv.setUint32(o, 0x45000000 | total);
      dv.setUint32(o + 4, (id << 16) | flags);
      dv.setUint16(o + 8, ttlProto);
      dv.setUint32(o + 12, fromClient ? ep.c4 : ep.s4);
      dv.setUint32(o + 16, fromClient ? ep.s4 : ep.c4);
      dv.setUint16(o + 10, 0xffff - fold(0x4500 + total + id + flags + ttlProto + ep.addrSum));
      if (fromClient) ep.idC = (id + 1) & 0xffff;
      else ep.idS = (id + 1) & 0xffff;
      o += 20;
    }
    this.off = o + l4len;
    this.packets++;
    return o;
  }

  /** Writes the transport checksum at `at` from `sum`, the unfolded sum of the transport bytes. */
  checksum(ep: Endpoints, proto: number, l4len: number, at: number, sum: number): void {
    // ICMPv4 alone has no pseudo-header.
    const c = 0xffff - fold(proto === Proto.ICMP ? sum : sum + ep.addrSum + proto + l4len);
    this.dv.setUint16(at, c === 0 && proto === Proto.UDP ? 0xffff : c);
  }

  /** Unfolded checksum sum of `len` bytes at `o`, the first byte taken as a high byte. */
  sum(o: number, len: number): number {
    const b = this.b;
    let s = 0;
    const end = o + (len & ~1);
    for (let i = o; i < end; i += 2) s += (b[i] << 8) | b[i + 1];
    if (len & 1) s += b[end] << 8;
    return s;
  }

  /**
   * Copies `len` pattern bytes starting at pattern offset `p` to `o`, and returns their unfolded
   * checksum contribution; `odd` says the first byte sits at an odd distance from the checksum start.
   */
  pattern(o: number, p: number, len: number, odd: boolean): number {
    p &= PATTERN_MASK;
    let s = 0;
    while (len > 0) {
      const n = Math.min(len, PATTERN_SIZE - p);
      this.pat.copy(this.b, o, p, p + n);
      // A byte contributes its high half when its distance from the checksum start is even.
      const even = ((p & 1) === 1) === odd;
      s += even ? this.sumEven[p + n] - this.sumEven[p] : this.sumOdd[p + n] - this.sumOdd[p];
      o += n;
      len -= n;
      odd = odd !== ((n & 1) === 1);
      p = 0;
    }
    return s;
  }

  /** Overwrites the byte at `o` with `v`; returns the change to the checksum sum (`odd` as in `pattern`). */
  patch(o: number, v: number, odd: boolean): number {
    const old = this.b[o];
    this.b[o] = v;
    return odd ? v - old : (v - old) * 256;
  }
}
