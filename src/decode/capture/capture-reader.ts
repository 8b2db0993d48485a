/**
 * The entry point of "pcap to connections": recognises a capture file by its first four bytes and
 * streams it through the pcap or pcapng reader. Hand-written, like the readers behind it, because no
 * maintained npm library streams pcapng at millions of packets per second with zero copy.
 */
import { u32 } from './byte-order.js';
import type { CaptureReader, PacketHandler, ProblemHandler } from './capture-types.js';
import { PcapReader, isPcapMagic } from './pcap-reader.js';
import { BlockType, PcapngReader } from './pcapng-reader.js';

export type { CaptureReader, PacketHandler, ProblemHandler } from './capture-types.js';

/** Confidence 0..1 that `head` (the first bytes of a file) starts a pcap or pcapng capture. */
export function sniffCapture(head: Buffer): number {
  if (head.length < 4) return 0;
  return isPcapMagic(head, 0) || u32(head, 0, true) === BlockType.SECTION_HEADER ? 1 : 0;
}

/** Waits for the first four bytes, then hands the whole stream to the reader of that format. */
class SniffingReader implements CaptureReader {
  private inner: CaptureReader | null = null;
  private rejected = false;
  private readonly head = Buffer.alloc(4);
  private headLength = 0;

  constructor(
    private readonly onPacket: PacketHandler,
    private readonly onProblem: ProblemHandler,
  ) {}

  push(chunk: Buffer): void {
    if (this.inner !== null) {
      this.inner.push(chunk);
      return;
    }
    if (this.rejected || chunk.length === 0) return;
    if (this.headLength === 0 && chunk.length >= 4) {
      this.inner = this.choose(chunk);
      this.inner?.push(chunk);
      return;
    }
    const take = Math.min(4 - this.headLength, chunk.length);
    chunk.copy(this.head, this.headLength, 0, take);
    this.headLength += take;
    if (this.headLength < 4) return;
    const inner = this.choose(this.head);
    if (inner === null) return;
    this.inner = inner;
    inner.push(Buffer.from(this.head));
    if (take < chunk.length) inner.push(chunk.subarray(take));
  }

  finish(): void {
    if (this.inner !== null) this.inner.finish();
    else if (!this.rejected) {
      const detail = this.headLength === 0 ? 'empty file' : `file header: ${this.headLength} of 4 bytes`;
      this.onProblem('truncated_record', 0, detail);
    }
  }

  /** The reader for the format `head` starts, or null (after reporting) when it is neither. */
  private choose(head: Buffer): CaptureReader | null {
    if (isPcapMagic(head, 0)) return new PcapReader(this.onPacket, this.onProblem);
    if (u32(head, 0, true) === BlockType.SECTION_HEADER) return new PcapngReader(this.onPacket, this.onProblem);
    this.rejected = true;
    this.onProblem('bad_magic', 0, `not a pcap or pcapng file (starts ${head.subarray(0, 4).toString('hex')})`);
    return null;
  }
}

/**
 * Creates a streaming reader for a pcap or pcapng file (detected from its first four bytes) that
 * delivers every packet to `onPacket` and every damaged or unreadable record to `onProblem`.
 */
export function createCaptureReader(onPacket: PacketHandler, onProblem: ProblemHandler): CaptureReader {
  return new SniffingReader(onPacket, onProblem);
}
