/**
 * Decompresses one nfdump data block by the file's compression: LZO1X and LZ4 with our own decoders
 * (hot path), BZ2 with seek-bzip and ZSTD with fzstd (pure JavaScript packages; nfdump writes each
 * block as a complete bzip2 or zstd stream). Output goes to a reused scratch buffer.
 */
import seekBzip from 'seek-bzip';
import { decompress as zstdDecompress } from 'fzstd';
import { CorruptBlockError, lz4DecompressBlock } from './lz4-block.js';
import { lzo1xDecompress } from './lzo1x.js';

/** Largest uncompressed block accepted (nfdump 1.7 writes at most 5 MiB; newer versions a little more). */
export const MAX_BLOCK_BYTES = 32 * 1024 * 1024;

/** Decompresses data blocks of one file, reusing its output buffer between blocks. */
export class BlockDecompressor {
  private scratch: Uint8Array = new Uint8Array(1024 * 1024);

  constructor(readonly compression: number) {}

  /**
   * The uncompressed bytes of src[start, end): a view valid until the next call. Throws
   * CorruptBlockError when the block is damaged.
   */
  decompress(src: Uint8Array, start: number, end: number): Uint8Array {
    switch (this.compression) {
      case 0:
        return src.subarray(start, end);
      case 1: {
        const r = lzo1xDecompress(src, start, end, this.scratch, MAX_BLOCK_BYTES);
        this.scratch = r.buf;
        return r.buf.subarray(0, r.len);
      }
      case 3: {
        const r = lz4DecompressBlock(src, start, end, this.scratch, MAX_BLOCK_BYTES);
        this.scratch = r.buf;
        return r.buf.subarray(0, r.len);
      }
      case 2:
        return wrap('bz2', () => seekBzip.decode(Buffer.from(src.buffer, src.byteOffset + start, end - start)));
      case 4:
        return wrap('zstd', () => zstdDecompress(src.subarray(start, end)));
      default:
        throw new CorruptBlockError(`unknown compression ${this.compression}`);
    }
  }
}

function wrap(what: string, f: () => Uint8Array): Uint8Array {
  let out: Uint8Array;
  try {
    out = f();
  } catch (err) {
    throw new CorruptBlockError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (out.length > MAX_BLOCK_BYTES) throw new CorruptBlockError(`decompressed block larger than ${MAX_BLOCK_BYTES} bytes`);
  return out;
}
