/**
 * Domain-name decompression for one DNS message, with the checks that keep hostile input cheap: every
 * compression pointer must point backwards (before the pointer itself, Zeek's rule, which alone rules
 * out loops), at most MAX_POINTER_HOPS pointers per name, labels of 63 bytes at most, 255 bytes per
 * name in wire form, and no byte read past the message or the record's data.
 *
 * Names come out as Zeek writes them: labels joined by dots, no trailing dot, the root as the empty
 * string, case as on the wire, and bytes outside printable ASCII escaped as `\xHH` (lowercase hex).
 * Names already decoded in the same message are reused from a small cache, because most names in a
 * response are pointers to the question.
 */

import { internText, latin1 } from './dns-text.js';
import { W } from './dns-weird.js';

/** Most compression pointers followed in one name. */
export const MAX_POINTER_HOPS = 128;
/** Longest name in wire form (labels, their length bytes and the root byte). */
export const MAX_NAME_WIRE = 255;

/** Why a name could not be read (negative, so they never collide with a position). */
export const enum NameError {
  Truncated = -1,
  BadLabelType = -2,
  PointerForward = -3,
  PointerLoop = -4,
  TooLong = -5,
}

/** How decoding a message ended: `ok`, or the first problem that stopped it. */
export type DnsParseResult =
  | 'ok'
  | 'truncated' // the message ends inside the header, a question or a record's fixed fields
  | 'bad_label' // a label type other than a length (0x40, 0x80 prefixes)
  | 'pointer_forward' // a compression pointer to itself or further on
  | 'pointer_loop' // more than MAX_POINTER_HOPS pointers in one name
  | 'name_too_long' // a name longer than 255 bytes
  | 'bad_rdata_length' // record data past the message end, or not the size its type needs
  | 'too_many_records'; // more questions or records than the configured limits

/** The result code for a name that could not be read, recording Zeek's weird for it. */
export function nameErrorResult(e: number, weirds: string[]): DnsParseResult {
  switch (e) {
    case NameError.BadLabelType:
      weirds.push(W.labelTooLong);
      return 'bad_label';
    case NameError.PointerForward:
      weirds.push(W.forwardCompress);
      return 'pointer_forward';
    case NameError.PointerLoop:
      weirds.push(W.tooManyHops);
      return 'pointer_loop';
    case NameError.TooLong:
      weirds.push(W.nameTooLong);
      return 'name_too_long';
    default:
      weirds.push(W.labelLenGtPkt);
      return 'truncated';
  }
}

// Room for the longest name with every byte escaped (4 chars each) and its dots.
const SCRATCH = Buffer.alloc(2048);
const HEX = '0123456789abcdef';
const CACHE_SIZE = 32;
const MAX_LABELS = 128;

/** Reads the names of one message; reset() it for each message. */
export class DnsNameReader {
  /** The last name read. */
  name = '';
  /** The detail of the last failure (which check failed), for weird reporting. */
  errorAt = 0;

  private buf: Uint8Array = SCRATCH;
  private start = 0;
  // Cache of decoded names: the label position each entry starts at, the full name it came from and
  // where in that string the suffix starts, plus what reusing it must respect (see readName).
  private readonly cPos = new Int32Array(CACHE_SIZE);
  private readonly cSegEnd = new Int32Array(CACHE_SIZE);
  private readonly cHops = new Int32Array(CACHE_SIZE);
  private readonly cWire = new Int32Array(CACHE_SIZE);
  private readonly cStrAt = new Int32Array(CACHE_SIZE);
  private readonly cStr: string[] = new Array<string>(CACHE_SIZE).fill('');
  private cN = 0;
  private cNext = 0;
  // Per-name label bookkeeping, reused.
  private readonly lPos = new Int32Array(MAX_LABELS);
  private readonly lStrAt = new Int32Array(MAX_LABELS);
  private readonly lWire = new Int32Array(MAX_LABELS);
  private readonly lSegEnd = new Int32Array(MAX_LABELS);
  private readonly lHops = new Int32Array(MAX_LABELS);

  /** Starts a new message: `start` is where the DNS header begins in `buf`. */
  reset(buf: Uint8Array, start: number): void {
    this.buf = buf;
    this.start = start;
    this.cN = 0;
    this.cNext = 0;
  }

  /**
   * Reads the name at `pos`, whose in-line labels must end before `limit` (the end of the message, or
   * of the record data holding the name). Returns the position after the name, or a NameError.
   */
  readName(pos: number, limit: number): number {
    const buf = this.buf;
    const start = this.start;
    let p = pos;
    let segLimit = limit;
    let after = -1; // position after the name in the original stream, once a pointer was followed
    let hops = 0;
    let wire = 1; // the root byte
    let n = 0; // chars written to SCRATCH
    let labels = 0;
    let segStartLabel = 0;
    let suffix = '';
    for (;;) {
      if (p >= segLimit) return this.fail(NameError.Truncated, p);
      const b = buf[p];
      if (b === 0) {
        this.closeSegment(segStartLabel, labels, p + 1);
        if (after < 0) after = p + 1;
        break;
      }
      if (b >= 0xc0) {
        if (p + 2 > segLimit) return this.fail(NameError.Truncated, p);
        const target = ((b & 0x3f) << 8) | buf[p + 1];
        this.closeSegment(segStartLabel, labels, p + 2);
        if (after < 0) after = p + 2;
        if (start + target >= p) return this.fail(NameError.PointerForward, p);
        if (++hops > MAX_POINTER_HOPS) return this.fail(NameError.PointerLoop, p);
        // Zeek's rule: the labels reached through a pointer must end before the pointer.
        segLimit = p;
        p = start + target;
        segStartLabel = labels;
        const hit = this.lookup(p, segLimit);
        if (hit >= 0) {
          if (wire + this.cWire[hit] - 1 > MAX_NAME_WIRE) return this.fail(NameError.TooLong, p);
          if (hops + this.cHops[hit] > MAX_POINTER_HOPS) return this.fail(NameError.PointerLoop, p);
          wire += this.cWire[hit] - 1;
          hops += this.cHops[hit];
          const full = this.cStr[hit];
          suffix = this.cStrAt[hit] === 0 ? full : full.slice(this.cStrAt[hit]);
          break;
        }
        continue;
      }
      if (b > 63) return this.fail(NameError.BadLabelType, p);
      if (p + 1 + b > segLimit) return this.fail(NameError.Truncated, p);
      if (wire + b + 1 > MAX_NAME_WIRE) return this.fail(NameError.TooLong, p);
      // A 255-byte name has at most 127 labels, so `labels` stays below MAX_LABELS.
      this.lPos[labels] = p;
      this.lStrAt[labels] = n;
      this.lWire[labels] = wire - 1;
      this.lHops[labels] = hops;
      labels++;
      wire += b + 1;
      const end = p + 1 + b;
      for (let i = p + 1; i < end; i++) {
        const c = buf[i];
        if (c >= 0x20 && c < 0x7f) SCRATCH[n++] = c;
        else {
          SCRATCH[n++] = 0x5c; // backslash
          SCRATCH[n++] = 0x78; // x
          SCRATCH[n++] = HEX.charCodeAt(c >> 4);
          SCRATCH[n++] = HEX.charCodeAt(c & 15);
        }
      }
      SCRATCH[n++] = 0x2e; // dot
      p = end;
    }
    let name: string;
    if (suffix !== '') name = n === 0 ? suffix : latin1(SCRATCH, n) + suffix;
    else name = n === 0 ? '' : internText(SCRATCH, n - 1);
    this.name = name;
    this.remember(name, labels, wire, hops);
    return after;
  }

  private fail(e: NameError, at: number): number {
    this.errorAt = at;
    this.name = '';
    return e;
  }

  private closeSegment(from: number, to: number, segEnd: number): void {
    for (let i = from; i < to; i++) this.lSegEnd[i] = segEnd;
  }

  private lookup(pos: number, limit: number): number {
    for (let i = 0; i < this.cN; i++) if (this.cPos[i] === pos && this.cSegEnd[i] <= limit) return i;
    return -1;
  }

  // Caches the suffix starting at each label read for this name (a name that ended in a cached suffix
  // only adds its own leading labels). Every label read belongs to a closed segment by now.
  private remember(name: string, labels: number, wire: number, hops: number): void {
    for (let i = 0; i < labels; i++) {
      const slot = this.cNext;
      this.cNext = (slot + 1) % CACHE_SIZE;
      if (this.cN < CACHE_SIZE) this.cN++;
      this.cPos[slot] = this.lPos[i];
      this.cSegEnd[slot] = this.lSegEnd[i];
      this.cHops[slot] = hops - this.lHops[i];
      this.cWire[slot] = wire - this.lWire[i];
      this.cStr[slot] = name;
      this.cStrAt[slot] = this.lStrAt[i];
    }
  }
}
