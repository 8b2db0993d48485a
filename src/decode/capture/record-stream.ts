/**
 * The chunk handling shared by the pcap and pcapng readers. Both formats are a sequence of
 * length-prefixed records, so the streaming logic is the same: walk complete records in place in each
 * chunk (zero copy), keep the one record cut by the chunk's end in a reused carry buffer, complete it
 * from the start of the next chunk, and report a record the file ends in the middle of. The format
 * classes only say how long a record is (`needed`) and how to deliver records (`walk`).
 */
import { CarryBuffer } from './carry-buffer.js';
import type { CaptureReader, PacketHandler, ProblemHandler } from './capture-types.js';

/** Base class of the capture readers: chunking, carry and end-of-file handling. */
export abstract class RecordStream implements CaptureReader {
  /** The record in progress across chunk boundaries. */
  protected readonly carry = new CarryBuffer();
  /** Set once the file cannot be read further; later input is ignored. */
  protected stopped = false;
  /** File offset of the first byte of the next chunk. */
  private base = 0;

  /** Creates a reader delivering packets to `onPacket` and problems to `onProblem`. */
  constructor(
    protected readonly onPacket: PacketHandler,
    protected readonly onProblem: ProblemHandler,
  ) {}

  /** Feeds the next chunk of the file; complete packets inside it are delivered before it returns. */
  push(chunk: Buffer): void {
    const n = chunk.length;
    const base = this.base;
    this.base += n;
    if (this.stopped || n === 0) return;
    let pos = 0;
    if (this.carry.length > 0) {
      pos = this.completeCarry(chunk);
      if (pos < 0) return;
    }
    pos = this.walk(chunk, pos, n, base);
    // What is left is the start of one record whose length, when known, was already checked.
    if (!this.stopped && pos < n) this.carry.start(chunk, pos, n, base + pos);
  }

  /** Signals the end of the file, reporting a record cut short by it. */
  finish(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.base === 0) {
      this.onProblem('truncated_record', 0, 'empty file');
    } else if (this.carry.length > 0) {
      // The carried length was checked when its header arrived, so `needed` cannot fail here.
      const have = this.carry.length;
      const need = this.needed(this.carry.bytes, have, this.carry.fileOffset);
      this.onProblem('truncated_record', this.carry.fileOffset, `${this.pendingName()}: ${have} of ${need} bytes`);
      this.carry.clear();
    }
  }

  /**
   * Bytes the record at the start of `b` needs in all, as far as `have` bytes tell (its header size
   * when the header is incomplete), or -1 after reporting a length that makes the file unreadable.
   */
  protected abstract needed(b: Uint8Array, have: number, fileOffset: number): number;

  /**
   * Delivers every complete record in `b[pos, end)`, `base` being the file offset of `b[0]`; returns
   * the index where the first incomplete record starts (`end` when the file cannot go on).
   */
  protected abstract walk(b: Uint8Array, pos: number, end: number, base: number): number;

  /** What the pending record is, for the truncation detail (`file header`, `record`, `block`). */
  protected abstract pendingName(): string;

  /** Reports a problem that makes the rest of the file unreadable and ignores further input. */
  protected fail(code: string, offset: number, detail: string): void {
    this.stopped = true;
    this.carry.clear();
    this.onProblem(code, offset, detail);
  }

  /**
   * Completes the carried record from the start of `chunk` and delivers it; returns the index of the
   * rest of the chunk, or -1 when the chunk was used up or the file cannot go on.
   */
  private completeCarry(chunk: Buffer): number {
    const carry = this.carry;
    let pos = 0;
    for (;;) {
      const need = this.needed(carry.bytes, carry.length, carry.fileOffset);
      if (need < 0) return -1;
      if (carry.length >= need) break;
      pos = carry.fill(chunk, pos, need);
      if (carry.length < need) return -1;
    }
    this.walk(carry.bytes, 0, carry.length, carry.fileOffset);
    carry.clear();
    return this.stopped ? -1 : pos;
  }
}
