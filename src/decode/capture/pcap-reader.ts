/**
 * Streaming reader for classic libpcap files: microsecond (a1b2c3d4) and nanosecond (a1b23c4d)
 * timestamps in either byte order, Kuznetzov's modified format (a1b2cd34, 24-byte record headers),
 * any snaplen, and the link type with its FCS bits masked off. Hand-written because no maintained npm
 * library streams captures at millions of packets per second with zero copy: records are walked in
 * place in each pushed chunk, and only a record split across two chunks is copied (into a reused
 * carry buffer). A pcap record header carries no marker to resynchronise on, so an impossible
 * captured length ends the file at that point, after every earlier packet was delivered.
 */
import { hex4, u32 } from './byte-order.js';
import { MAX_PCAP_CAPLEN } from './capture-types.js';
import { RecordStream } from './record-stream.js';

/** Size of the pcap file header. */
const FILE_HEADER = 24;
/** Captured lengths up to snaplen plus this much are accepted (libpcap itself tolerates caplen > snaplen). */
const SNAPLEN_SLACK = 64 * 1024;

/** The pcap magic numbers as read big-endian from the first four bytes. */
export const PcapMagic = {
  MICRO: 0xa1b2c3d4,
  NANO: 0xa1b23c4d,
  MODIFIED: 0xa1b2cd34,
} as const;

/** True when the four bytes at `o` are a pcap magic number in either byte order. */
export function isPcapMagic(b: Uint8Array, o: number): boolean {
  const be = u32(b, o, false);
  const le = u32(b, o, true);
  return (
    be === PcapMagic.MICRO || be === PcapMagic.NANO || be === PcapMagic.MODIFIED ||
    le === PcapMagic.MICRO || le === PcapMagic.NANO || le === PcapMagic.MODIFIED
  );
}

/** Reads a classic pcap file pushed in chunks of any size. */
export class PcapReader extends RecordStream {
  private headerDone = false;
  private le = true;
  private nano = false;
  private recordHeader = 16;
  private linkType = 0;
  private maxCapLen = MAX_PCAP_CAPLEN;

  protected needed(b: Uint8Array, have: number, fileOffset: number): number {
    if (!this.headerDone) return FILE_HEADER;
    if (have < this.recordHeader) return this.recordHeader;
    const capLen = u32(b, 8, this.le);
    if (capLen > this.maxCapLen) {
      this.badCapLen(fileOffset, capLen);
      return -1;
    }
    return this.recordHeader + capLen;
  }

  protected walk(b: Uint8Array, pos: number, end: number, base: number): number {
    if (!this.headerDone) {
      if (end - pos < FILE_HEADER) return pos;
      if (!this.parseFileHeader(b, pos)) return end;
      pos += FILE_HEADER;
    }
    const le = this.le;
    const nano = this.nano;
    const hdr = this.recordHeader;
    const maxCap = this.maxCapLen;
    const linkType = this.linkType;
    const onPacket = this.onPacket;
    while (end - pos >= hdr) {
      const capLen = u32(b, pos + 8, le);
      if (capLen > maxCap) {
        this.badCapLen(base + pos, capLen);
        return end;
      }
      const next = pos + hdr + capLen;
      if (next > end) break;
      const frac = u32(b, pos + 4, le);
      const ts = u32(b, pos, le) * 1e6 + (nano ? Math.floor(frac / 1000) : frac);
      onPacket(linkType, ts, b, pos + hdr, capLen, u32(b, pos + 12, le), 0);
      pos = next;
    }
    return pos;
  }

  protected pendingName(): string {
    return this.headerDone ? 'record' : 'file header';
  }

  /** Reads the file header at `o`; false (after reporting) when it is not a pcap header. */
  private parseFileHeader(b: Uint8Array, o: number): boolean {
    let magic = u32(b, o, false);
    this.le = false;
    if (magic !== PcapMagic.MICRO && magic !== PcapMagic.NANO && magic !== PcapMagic.MODIFIED) {
      magic = u32(b, o, true);
      this.le = true;
      if (magic !== PcapMagic.MICRO && magic !== PcapMagic.NANO && magic !== PcapMagic.MODIFIED) {
        this.fail('bad_magic', 0, hex4(b, o, o + 4));
        return false;
      }
    }
    this.nano = magic === PcapMagic.NANO;
    this.recordHeader = magic === PcapMagic.MODIFIED ? 24 : 16;
    const snaplen = u32(b, o + 16, this.le);
    this.maxCapLen = snaplen === 0 ? MAX_PCAP_CAPLEN : Math.min(MAX_PCAP_CAPLEN, snaplen + SNAPLEN_SLACK);
    // The upper 16 bits carry the FCS length and flags (pcap spec, "LinkType and additional information").
    this.linkType = u32(b, o + 20, this.le) & 0xffff;
    this.headerDone = true;
    return true;
  }

  /** Reports an impossible captured length: with no marker to resynchronise on, the file ends here. */
  private badCapLen(offset: number, capLen: number): void {
    this.fail('bad_caplen', offset, `captured length ${capLen} exceeds ${this.maxCapLen}`);
  }
}
