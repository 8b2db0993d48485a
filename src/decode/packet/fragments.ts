/**
 * IPv4 and IPv6 fragment reassembly. Datagrams are keyed by version, addresses, IP id, protocol
 * (IPv4), VLAN ids and tunnel depth. When a fragment overlaps data already held, the first copy wins
 * (Zeek's policy); a difference is reported as `fragment_inconsistency`, a repeat as
 * `fragment_overlap`. Memory is bounded: every held datagram is charged its buffer capacity, the
 * oldest are dropped to stay under `maxBytes`, and any older than `timeoutMicros` of capture time are
 * dropped whenever a new fragment arrives. A completed datagram is written into a reusable output
 * buffer (one per tunnel depth, since an outer and an inner reassembly can complete in one packet).
 */
import { Weird, type WeirdCode } from './weird-codes.js';

/** Where reassembly anomalies go: `weird` belongs to the current packet, `count` only counts. */
export interface WeirdSink {
  weird(code: WeirdCode): void;
  count(code: WeirdCode): void;
}

/** The fragment being added, filled in place by the IP decoders (no object per fragment). */
export class FragmentInput {
  ts = 0;
  version = 0;
  buf: Uint8Array = new Uint8Array(0);
  /** Offset of the IP header in `buf`, and length of the part copied into the rebuilt datagram. */
  ipOff = 0;
  hdrLen = 0;
  /** IPv6: offset (from ipOff) of the byte that named the fragment header, and the type it names. */
  nextHeaderPos = 0;
  nextHeader = 0;
  /** Fragment offset in bytes, more-fragments flag, identification, protocol. */
  offset = 0;
  more = false;
  dontFragment = false;
  id = 0;
  proto = 0;
  /** Whole fragment length per its IP header (for the small-fragment check). */
  ipLen = 0;
  /** Fragment data: offset in `buf` and length. */
  dataOff = 0;
  dataLen = 0;
  vlan = -1;
  innerVlan = -1;
  depth = 0;
  readonly src = new Uint8Array(16);
  readonly dst = new Uint8Array(16);
}

/** add() result: the datagram still misses parts. */
export const FRAGMENT_HELD = -1;
/** add() result: the datagram was abandoned (the reason went to the sink). */
export const FRAGMENT_DROPPED = -2;

/** Zeek's threshold: a non-final fragment shorter than this is suspicious. */
const MIN_ACCEPTABLE_FRAG_SIZE = 64;
/** Largest IPv4 datagram, and largest IPv6 payload without jumbograms. */
const MAX_IP_LEN = 65535;
/** Bytes charged per datagram on top of its buffers, for the object itself. */
const DATAGRAM_OVERHEAD = 256;
const MIN_DATA_CAPACITY = 2048;
const MAX_RANGES = 512;
const POOL_SIZE = 16;
const OUTPUT_SIZE = MAX_IP_LEN + 40 + 8;

/** One datagram being rebuilt. */
class Datagram {
  hash = 0;
  version = 0;
  id = 0;
  proto = 0;
  vlan = -1;
  innerVlan = -1;
  depth = 0;
  readonly src = new Uint8Array(16);
  readonly dst = new Uint8Array(16);
  /** Chain of datagrams with the same hash. */
  nextInBucket: Datagram | null = null;
  /** Arrival order, oldest first, for timeouts and eviction. */
  older: Datagram | null = null;
  newer: Datagram | null = null;
  firstTs = 0;
  /** Payload bytes at their fragment offsets. */
  data = new Uint8Array(0);
  /** The unfragmentable part, from the offset-0 fragment; hdrLen -1 until it arrives. */
  hdr = new Uint8Array(64);
  hdrLen = -1;
  nextHeaderPos = 0;
  nextHeader = 0;
  /** Payload length implied by the last fragment, or -1. */
  totalLen = -1;
  /** Sorted, disjoint, non-touching [start, end) ranges of payload held. */
  ranges = new Int32Array(16);
  nRanges = 0;
  /** Bytes charged to the table. */
  cost = 0;
}

/** Reassembles IP fragments within fixed bounds on memory and age. */
export class FragmentReassembler {
  /** The fragment to add: fill it, then call add(). */
  readonly input = new FragmentInput();
  private readonly buckets = new Map<number, Datagram>();
  private oldest: Datagram | null = null;
  private newest: Datagram | null = null;
  private readonly pool: Datagram[] = [];
  private readonly outputs: Uint8Array[] = [];
  private bytes = 0;
  private count = 0;

  constructor(
    private readonly sink: WeirdSink,
    private readonly timeoutMicros: number,
    private readonly maxBytes: number,
  ) {}

  /** Bytes currently charged to held datagrams. */
  get bytesInUse(): number {
    return this.bytes;
  }

  /** Datagrams currently waiting for fragments. */
  get pending(): number {
    return this.count;
  }

  /** The buffer a datagram completed at this tunnel depth was written into. */
  output(depth: number): Uint8Array {
    let b = this.outputs[depth];
    if (b === undefined) {
      while (this.outputs.length <= depth) this.outputs.push(new Uint8Array(OUTPUT_SIZE));
      b = this.outputs[depth];
    }
    return b;
  }

  /**
   * Adds `input`. Returns the length of the rebuilt datagram (now at the start of
   * `output(input.depth)`), FRAGMENT_HELD while parts are missing, or FRAGMENT_DROPPED when the
   * datagram was abandoned (the reason is reported to the sink).
   */
  add(): number {
    const f = this.input;
    this.expire(f.ts);
    const sink = this.sink;
    const hash = keyHash(f);
    let d = this.find(hash, f);
    if (d === null) d = this.create(hash, f);
    if (d === null) return FRAGMENT_DROPPED;

    if (f.dontFragment) sink.weird(Weird.fragmentWithDf); // Linux PMTU discovery for UDP does this
    const upper = f.offset + f.dataLen;
    if (!f.more) {
      if (d.totalLen < 0) d.totalLen = upper;
      else if (upper !== d.totalLen) {
        sink.weird(Weird.fragmentSizeInconsistency);
        if (upper > d.totalLen) d.totalLen = upper;
      }
    } else if (f.ipLen < MIN_ACCEPTABLE_FRAG_SIZE) {
      sink.weird(Weird.excessivelySmallFragment);
    }
    if (upper > MAX_IP_LEN - (f.version === 4 ? 20 : 0)) {
      sink.weird(Weird.excessivelyLargeFragment);
      this.remove(d);
      return FRAGMENT_DROPPED;
    }
    if (d.totalLen >= 0 && upper > d.totalLen) {
      // A non-final fragment beyond the end a final one gave: trust the larger (as Zeek does).
      sink.weird(Weird.fragmentSizeInconsistency);
      d.totalLen = upper;
    }
    if (f.offset === 0) {
      if (d.hdrLen >= 0) {
        if (d.hdrLen !== f.hdrLen || d.nextHeader !== f.nextHeader) {
          sink.weird(Weird.fragmentProtocolInconsistency);
        }
      } else if (!this.storeHeader(d, f)) {
        return FRAGMENT_DROPPED;
      }
    }
    if (f.dataLen > 0) {
      if (d.data.length < upper && !this.growData(d, upper)) return FRAGMENT_DROPPED;
      if (!this.insert(d, f.buf, f.dataOff, f.offset, upper)) return FRAGMENT_DROPPED;
    }
    return this.complete(d);
  }

  /** Drops every held datagram. */
  clear(): void {
    while (this.oldest !== null) this.remove(this.oldest);
  }

  private expire(ts: number): void {
    const limit = ts - this.timeoutMicros;
    while (this.oldest !== null && this.oldest.firstTs < limit) {
      this.sink.count(Weird.fragmentTimeout);
      this.remove(this.oldest);
    }
  }

  private find(hash: number, f: FragmentInput): Datagram | null {
    let d = this.buckets.get(hash) ?? null;
    while (d !== null) {
      if (
        d.id === f.id &&
        d.version === f.version &&
        d.proto === f.proto &&
        d.vlan === f.vlan &&
        d.innerVlan === f.innerVlan &&
        d.depth === f.depth &&
        sameAddr(d.src, f.src, f.version) &&
        sameAddr(d.dst, f.dst, f.version)
      ) {
        return d;
      }
      d = d.nextInBucket;
    }
    return null;
  }

  private create(hash: number, f: FragmentInput): Datagram | null {
    const d = this.pool.pop() ?? new Datagram();
    d.hash = hash;
    d.version = f.version;
    d.id = f.id;
    d.proto = f.proto;
    d.vlan = f.vlan;
    d.innerVlan = f.innerVlan;
    d.depth = f.depth;
    d.src.set(f.src);
    d.dst.set(f.dst);
    d.firstTs = f.ts;
    d.hdrLen = -1;
    d.totalLen = -1;
    d.nRanges = 0;
    d.cost = DATAGRAM_OVERHEAD + d.data.length + d.hdr.length + d.ranges.length * 4;
    if (!this.makeRoom(d.cost, null)) {
      this.recycle(d);
      return null;
    }
    this.bytes += d.cost;
    this.count++;
    d.nextInBucket = this.buckets.get(hash) ?? null;
    this.buckets.set(hash, d);
    d.older = this.newest;
    d.newer = null;
    if (this.newest !== null) this.newest.newer = d;
    else this.oldest = d;
    this.newest = d;
    return d;
  }

  /** Evicts the oldest datagrams (never `keep`) until `need` more bytes fit; false if they cannot. */
  private makeRoom(need: number, keep: Datagram | null): boolean {
    if (need > this.maxBytes) {
      this.sink.count(Weird.fragmentTableFull);
      return false;
    }
    let d = this.oldest;
    while (this.bytes + need > this.maxBytes && d !== null) {
      const next: Datagram | null = d.newer;
      if (d !== keep) {
        this.sink.count(Weird.fragmentTableFull);
        this.remove(d);
      }
      d = next;
    }
    return this.bytes + need <= this.maxBytes;
  }

  /** Charges `extra` bytes to `d`, dropping `d` itself if even evicting everything else cannot. */
  private charge(d: Datagram, extra: number): boolean {
    if (!this.makeRoom(extra, d)) {
      this.remove(d);
      return false;
    }
    this.bytes += extra;
    d.cost += extra;
    return true;
  }

  private storeHeader(d: Datagram, f: FragmentInput): boolean {
    if (d.hdr.length < f.hdrLen) {
      let cap = d.hdr.length;
      while (cap < f.hdrLen) cap *= 2;
      if (!this.charge(d, cap - d.hdr.length)) return false;
      d.hdr = new Uint8Array(cap);
    }
    const src = f.buf;
    const base = f.ipOff;
    for (let i = 0; i < f.hdrLen; i++) d.hdr[i] = src[base + i];
    d.hdrLen = f.hdrLen;
    d.nextHeaderPos = f.nextHeaderPos;
    d.nextHeader = f.nextHeader;
    return true;
  }

  private growData(d: Datagram, upper: number): boolean {
    let cap = d.data.length < MIN_DATA_CAPACITY ? MIN_DATA_CAPACITY : d.data.length;
    while (cap < upper) cap *= 2;
    if (!this.charge(d, cap - d.data.length)) return false;
    const grown = new Uint8Array(cap);
    grown.set(d.data.subarray(0, rangesEnd(d)));
    d.data = grown;
    return true;
  }

  /**
   * Copies [start, end) of payload from `src` (at `srcOff`) into the gaps of `d`, reports overlaps,
   * and merges the range into the sorted list. False when the datagram had to be dropped (too many
   * holes, or no memory for a longer list).
   */
  private insert(d: Datagram, src: Uint8Array, srcOff: number, start: number, end: number): boolean {
    const r = d.ranges;
    const n = d.nRanges;
    const data = d.data;
    let pos = start;
    for (let i = 0; i < n && pos < end; i++) {
      const a = r[2 * i];
      const b = r[2 * i + 1];
      if (b <= pos) continue;
      if (a >= end) break;
      if (a > pos) for (let k = pos; k < a; k++) data[k] = src[srcOff + k - start];
      // Like Zeek, one report per block of held data the new fragment overlaps.
      const ostart = a > pos ? a : pos;
      const oend = b < end ? b : end;
      let differs = false;
      for (let k = ostart; k < oend && !differs; k++) if (data[k] !== src[srcOff + k - start]) differs = true;
      this.sink.weird(differs ? Weird.fragmentInconsistency : Weird.fragmentOverlap);
      pos = b;
    }
    for (let k = pos; k < end; k++) data[k] = src[srcOff + k - start];

    // Merge: ranges that overlap or touch [start, end) collapse into one.
    let i = 0;
    while (i < n && r[2 * i + 1] < start) i++;
    let j = i;
    let ms = start;
    let me = end;
    while (j < n && r[2 * j] <= end) {
      if (r[2 * j] < ms) ms = r[2 * j];
      if (r[2 * j + 1] > me) me = r[2 * j + 1];
      j++;
    }
    const removed = j - i;
    const newN = n - removed + 1;
    if (newN > MAX_RANGES) {
      this.sink.weird(Weird.fragmentTooManyHoles);
      this.remove(d);
      return false;
    }
    if (newN * 2 > r.length) {
      if (!this.charge(d, r.length * 4)) return false;
      const grown = new Int32Array(r.length * 2);
      grown.set(r);
      d.ranges = grown;
    }
    const rr = d.ranges;
    if (removed !== 1) rr.copyWithin(2 * (i + 1), 2 * j, 2 * n);
    rr[2 * i] = ms;
    rr[2 * i + 1] = me;
    d.nRanges = newN;
    return true;
  }

  /** Writes the datagram out if every byte up to its end is held. */
  private complete(d: Datagram): number {
    if (d.hdrLen < 0 || d.totalLen < 0 || d.nRanges === 0) return FRAGMENT_HELD;
    const r = d.ranges;
    if (r[0] !== 0 || r[1] < d.totalLen) return FRAGMENT_HELD;
    // Data past the announced end (contiguous, or beyond a hole) means fragments disagreed; use the
    // contiguous run, as Zeek does.
    const payload = r[1];
    if (payload !== d.totalLen || d.nRanges > 1) this.sink.weird(Weird.fragmentSizeInconsistency);
    const total = d.hdrLen + payload;
    const limit = d.version === 4 ? MAX_IP_LEN : MAX_IP_LEN + 40;
    if (total > limit) {
      this.sink.weird(Weird.excessivelyLargeFragment);
      this.remove(d);
      return FRAGMENT_DROPPED;
    }
    const outBuf = this.output(d.depth);
    const hdr = d.hdr;
    for (let i = 0; i < d.hdrLen; i++) outBuf[i] = hdr[i];
    outBuf.set(d.data.subarray(0, payload), d.hdrLen);
    if (d.version === 4) {
      outBuf[2] = total >> 8;
      outBuf[3] = total & 0xff;
      outBuf[6] &= 0x40; // keep DF, clear MF and the offset
      outBuf[7] = 0;
    } else {
      const plen = total - 40;
      outBuf[4] = plen >> 8;
      outBuf[5] = plen & 0xff;
      outBuf[d.nextHeaderPos] = d.nextHeader;
    }
    this.remove(d);
    return total;
  }

  private remove(d: Datagram): void {
    // Unlink from its hash chain.
    const head = this.buckets.get(d.hash) ?? null;
    if (head === d) {
      if (d.nextInBucket === null) this.buckets.delete(d.hash);
      else this.buckets.set(d.hash, d.nextInBucket);
    } else {
      let p = head;
      while (p !== null && p.nextInBucket !== d) p = p.nextInBucket;
      if (p !== null) p.nextInBucket = d.nextInBucket;
    }
    // Unlink from the age list.
    if (d.older !== null) d.older.newer = d.newer;
    else this.oldest = d.newer;
    if (d.newer !== null) d.newer.older = d.older;
    else this.newest = d.older;
    this.bytes -= d.cost;
    this.count--;
    this.recycle(d);
  }

  private recycle(d: Datagram): void {
    d.nextInBucket = d.older = d.newer = null;
    d.cost = 0;
    // Keep a few for reuse; big buffers are not worth keeping around unaccounted.
    if (this.pool.length < POOL_SIZE && d.data.length <= MIN_DATA_CAPACITY * 8) this.pool.push(d);
  }
}

function rangesEnd(d: Datagram): number {
  return d.nRanges === 0 ? 0 : d.ranges[2 * d.nRanges - 1];
}

function sameAddr(a: Uint8Array, b: Uint8Array, version: number): boolean {
  const n = version === 4 ? 4 : 16;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** FNV-1a over the key fields. */
function keyHash(f: FragmentInput): number {
  let h = 0x811c9dc5;
  h = Math.imul(h ^ f.id, 0x01000193);
  h = Math.imul(h ^ (f.proto | (f.version << 8) | (f.depth << 16)), 0x01000193);
  h = Math.imul(h ^ ((f.vlan & 0xffff) | ((f.innerVlan & 0xffff) << 16)), 0x01000193);
  const n = f.version === 4 ? 4 : 16;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ f.src[i] ^ (f.dst[i] << 8), 0x01000193);
  return h | 0;
}
