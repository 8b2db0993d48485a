/**
 * Streaming reader for pcapng files: Section Header Blocks (byte order per section, several sections
 * of different byte order in one file), Interface Description Blocks (per-interface link type,
 * snaplen, if_tsresol and if_tsoffset), Enhanced, Simple and obsolete Packet Blocks; every other
 * block (statistics, name resolution, decryption secrets, custom, unknown) is skipped by its length.
 * Simple Packet Blocks carry no timestamp: they get the previous packet's (0 before any). Interface
 * ids handed out count Interface Description Blocks across the whole file, so the interfaces of
 * later sections (whose own ids restart at 0) stay distinct.
 * Hand-written because no maintained npm library streams pcapng at millions of packets per second
 * with zero copy: blocks are walked in place in each pushed chunk and packets handed over as
 * (buffer, offset, length); only a block split across two chunks is copied into a reused buffer.
 */
import { hex4, u16, u32 } from './byte-order.js';
import { MAX_BLOCK_BYTES } from './capture-types.js';
import { MICROSECONDS, TimestampUnit } from './pcapng-time.js';
import { RecordStream } from './record-stream.js';

/** pcapng block types the reader acts on. */
export const BlockType = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 1,
  PACKET: 2,
  SIMPLE_PACKET: 3,
  ENHANCED_PACKET: 6,
} as const;

/** The byte-order magic of a Section Header Block as read little-endian in a little-endian section. */
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Block header (type, length) plus the byte-order magic a Section Header Block needs to be sized. */
const BLOCK_HEADER = 12;
const OPT_END = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

/** One interface of the current section. */
class Interface {
  constructor(
    readonly linkType: number,
    readonly snapLen: number,
    readonly unit: TimestampUnit,
    readonly globalId: number,
  ) {}
}

/** Reads a pcapng file pushed in chunks of any size. */
export class PcapngReader extends RecordStream {
  private le = true;
  private inSection = false;
  private interfaces: Interface[] = [];
  private interfaceCount = 0;
  /** Timestamp of the last packet, given to Simple Packet Blocks (which carry none). */
  private lastTs = 0;

  protected needed(b: Uint8Array, have: number, fileOffset: number): number {
    if (have < BLOCK_HEADER) return BLOCK_HEADER;
    const le = this.blockOrder(b, 0, fileOffset);
    if (le === null) return -1;
    const len = u32(b, 4, le);
    return this.checkLength(u32(b, 0, le), len, fileOffset) ? len : -1;
  }

  protected walk(b: Uint8Array, pos: number, end: number, base: number): number {
    let le = this.le;
    while (end - pos >= BLOCK_HEADER) {
      let type = u32(b, pos, le);
      if (type === BlockType.SECTION_HEADER || !this.inSection) {
        const order = this.blockOrder(b, pos, base + pos);
        if (order === null) return end;
        le = order;
        type = u32(b, pos, le);
      }
      const len = u32(b, pos + 4, le);
      // The same test as checkLength, inlined for the hot loop; checkLength reports.
      if ((len & 3) !== 0 || len < 12 || len > MAX_BLOCK_BYTES || (len < 28 && type === BlockType.SECTION_HEADER)) {
        this.checkLength(type, len, base + pos);
        return end;
      }
      const next = pos + len;
      if (next > end) break;
      if (u32(b, next - 4, le) !== len) {
        this.fail('bad_block_length', base + pos, `trailing length ${u32(b, next - 4, le)} differs from ${len}`);
        return end;
      }
      if (type === BlockType.ENHANCED_PACKET) {
        this.packet(b, pos, len, u32(b, pos + 8, le), base);
      } else if (type === BlockType.SIMPLE_PACKET) {
        this.simplePacket(b, pos, len, base);
      } else if (type === BlockType.INTERFACE_DESCRIPTION) {
        this.addInterface(b, pos, len, base);
      } else if (type === BlockType.SECTION_HEADER) {
        if (!this.startSection(b, pos, le, base)) return end;
      } else if (type === BlockType.PACKET) {
        this.packet(b, pos, len, u16(b, pos + 8, le), base);
      }
      pos = next;
    }
    return pos;
  }

  protected pendingName(): string {
    return 'block';
  }

  /**
   * Byte order of the block at `o`: the current section's, or for a Section Header Block the one its
   * byte-order magic says; null (after reporting) when the file does not start a section there.
   */
  private blockOrder(b: Uint8Array, o: number, fileOffset: number): boolean | null {
    if (u32(b, o, true) !== BlockType.SECTION_HEADER) {
      if (this.inSection) return this.le;
      this.fail('bad_magic', fileOffset, `block type ${hex4(b, o, o + 4)} where a section header was expected`);
      return null;
    }
    const magic = u32(b, o + 8, true);
    if (magic === BYTE_ORDER_MAGIC) return true;
    if (u32(b, o + 8, false) === BYTE_ORDER_MAGIC) return false;
    this.fail('bad_magic', fileOffset, `byte-order magic ${hex4(b, o + 8, o + 12)}`);
    return null;
  }

  /** False (after reporting) when a block length cannot be right, which leaves no way to find the next block. */
  private checkLength(type: number, len: number, fileOffset: number): boolean {
    const min = type === BlockType.SECTION_HEADER ? 28 : 12;
    if (len >= min && len <= MAX_BLOCK_BYTES && (len & 3) === 0) return true;
    this.fail('bad_block_length', fileOffset, `block type ${type} length ${len}`);
    return false;
  }

  /** Starts a new section (interface ids restart at 0); false when its major version is unknown. */
  private startSection(b: Uint8Array, o: number, le: boolean, base: number): boolean {
    const major = u16(b, o + 12, le);
    if (major !== 1) {
      this.fail('unsupported_version', base + o, `pcapng major version ${major}`);
      return false;
    }
    this.le = le;
    this.inSection = true;
    this.interfaces = [];
    return true;
  }

  /** Records an Interface Description Block: link type, snaplen and time unit. */
  private addInterface(b: Uint8Array, o: number, len: number, base: number): void {
    const le = this.le;
    const globalId = this.interfaceCount++;
    if (len < 20) {
      this.onProblem('bad_block_length', base + o, `interface description length ${len}`);
      this.interfaces.push(new Interface(-1, 0, MICROSECONDS, globalId));
      return;
    }
    let tsresol = 6;
    let offsetSeconds = 0;
    const optEnd = o + len - 4;
    let p = o + 16;
    while (optEnd - p >= 4) {
      const code = u16(b, p, le);
      const optLen = u16(b, p + 2, le);
      if (code === OPT_END || p + 4 + optLen > optEnd) break;
      if (code === OPT_IF_TSRESOL && optLen >= 1) tsresol = b[p + 4];
      if (code === OPT_IF_TSOFFSET && optLen >= 8) {
        const hi = le ? u32(b, p + 8, le) : u32(b, p + 4, le);
        const lo = le ? u32(b, p + 4, le) : u32(b, p + 8, le);
        offsetSeconds = (hi | 0) * 4294967296 + lo;
      }
      p += 4 + ((optLen + 3) & ~3);
    }
    const unit = tsresol === 6 && offsetSeconds === 0 ? MICROSECONDS : new TimestampUnit(tsresol, offsetSeconds);
    this.interfaces.push(new Interface(u16(b, o + 8, le), u32(b, o + 12, le), unit, globalId));
  }

  /** Delivers an Enhanced Packet Block or obsolete Packet Block (same layout but a 16-bit interface id). */
  private packet(b: Uint8Array, o: number, len: number, id: number, base: number): void {
    if (len < 32) {
      this.onProblem('bad_block_length', base + o, `packet block length ${len}`);
      return;
    }
    const itf = this.interfaces[id];
    if (itf === undefined || itf.linkType < 0) {
      this.onProblem('unknown_interface', base + o, `interface ${id} of ${this.interfaces.length}`);
      return;
    }
    const le = this.le;
    const capLen = u32(b, o + 20, le);
    if (capLen > len - 32) {
      this.onProblem('bad_caplen', base + o, `captured length ${capLen} exceeds block body ${len - 32}`);
      return;
    }
    const ts = itf.unit.toMicros(u32(b, o + 12, le), u32(b, o + 16, le));
    this.lastTs = ts;
    this.onPacket(itf.linkType, ts, b, o + 28, capLen, u32(b, o + 24, le), itf.globalId);
  }

  /** Delivers a Simple Packet Block: interface 0, length from the block, the last timestamp seen. */
  private simplePacket(b: Uint8Array, o: number, len: number, base: number): void {
    if (len < 16) {
      this.onProblem('bad_block_length', base + o, `simple packet block length ${len}`);
      return;
    }
    const itf = this.interfaces[0];
    if (itf === undefined || itf.linkType < 0) {
      this.onProblem('unknown_interface', base + o, 'simple packet block before any interface');
      return;
    }
    const wireLen = u32(b, o + 8, this.le);
    let capLen = Math.min(wireLen, len - 16);
    if (itf.snapLen > 0 && capLen > itf.snapLen) capLen = itf.snapLen;
    this.onPacket(itf.linkType, this.lastTs, b, o + 12, capLen, wireLen, itf.globalId);
  }
}
