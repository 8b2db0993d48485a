/**
 * Cuts an nfdump file, arriving in chunks of any size, into its file header and data blocks without
 * holding more than one block: a unit that lies whole inside a chunk is handed over in place, one that
 * spans chunks is gathered into a buffer of exactly its size. Every unit carries its byte offset.
 */
import { BLOCK_HEADER_LEN, HEADER_V2_LEN } from './file-header.js';

/** Where the stream is. */
export type StreamStage = 'header' | 'blockHeader' | 'blockBody' | 'discard';

/** What the consumer does with each unit. */
export interface BlockSink {
  /** The 40-byte file header at offset 0; returns false to stop reading the file. */
  header(buf: Uint8Array, off: number): boolean;
  /** A block header at `offset`; returns the body length to read next, or -1 to stop reading the file. */
  blockHeader(buf: Uint8Array, off: number, offset: number): number;
  /** A block body buf[off, off + len) that began at `offset`. */
  blockBody(buf: Uint8Array, off: number, len: number, offset: number): void;
}

/** Splits a byte stream into header and blocks for a BlockSink. */
export class BlockStream {
  stage: StreamStage = 'header';
  /** Absolute offset of the unit being read. */
  unitOffset = 0;
  private want = HEADER_V2_LEN;
  private gather: Uint8Array | null = null;
  private have = 0;

  constructor(private readonly sink: BlockSink) {}

  /** Bytes of the current unit read so far (for reporting a truncated one). */
  get pending(): number {
    return this.have;
  }

  /** The bytes gathered so far of a unit the input ended inside (empty when none). */
  partial(): Uint8Array {
    return this.gather === null ? new Uint8Array(0) : this.gather.subarray(0, this.have);
  }

  /** Feeds the next chunk. */
  push(chunk: Uint8Array): void {
    let p = 0;
    const n = chunk.length;
    while (p < n) {
      if (this.stage === 'discard') return;
      if (this.gather === null && n - p >= this.want) {
        const len = this.want;
        this.unit(chunk, p, len);
        p += len;
        continue;
      }
      this.gather ??= new Uint8Array(this.want);
      const take = Math.min(this.want - this.have, n - p);
      this.gather.set(chunk.subarray(p, p + take), this.have);
      this.have += take;
      p += take;
      if (this.have === this.want) {
        const g = this.gather;
        this.gather = null;
        this.have = 0;
        this.unit(g, 0, this.want);
      }
    }
  }

  private unit(buf: Uint8Array, off: number, len: number): void {
    const at = this.unitOffset;
    this.unitOffset += len;
    if (this.stage === 'header') {
      if (!this.sink.header(buf, off)) return this.stop();
      this.next('blockHeader', BLOCK_HEADER_LEN);
    } else if (this.stage === 'blockHeader') {
      const body = this.sink.blockHeader(buf, off, at);
      if (body < 0) return this.stop();
      if (body === 0) this.next('blockHeader', BLOCK_HEADER_LEN);
      else this.next('blockBody', body);
    } else {
      this.sink.blockBody(buf, off, len, at);
      this.next('blockHeader', BLOCK_HEADER_LEN);
    }
  }

  private next(stage: StreamStage, want: number): void {
    this.stage = stage;
    this.want = want;
  }

  private stop(): void {
    this.stage = 'discard';
    this.gather = null;
    this.have = 0;
  }
}
