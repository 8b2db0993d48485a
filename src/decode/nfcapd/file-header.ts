/**
 * The header of an nfdump file (`nfcapd.*`). Layout 2 (nfdump 1.7) is a 40-byte little-endian
 * header: magic 0xA50C, layout version, creating nfdump version, creation time, compression,
 * encryption, appendix block count, creator, appendix offset, block size and block count. Layout 1
 * (nfdump 1.6) is recognised only to say how to convert it.
 */

/** The first two bytes of every nfdump file, little-endian 0xA50C. */
export const NFFILE_MAGIC = 0xa50c;
/** Bytes in a layout 2 file header. */
export const HEADER_V2_LEN = 40;
/** Bytes in a data block header (record count, size, type, flags). */
export const BLOCK_HEADER_LEN = 12;

/** How an nfdump file's data blocks are compressed (the header's compression byte). */
export const COMPRESSION_NAMES: Readonly<Record<number, string>> = { 0: 'none', 1: 'LZO', 2: 'BZ2', 3: 'LZ4', 4: 'ZSTD' };

/** The fields of a layout 2 header that decoding needs. */
export interface NfFileHeader {
  readonly layout: number;
  /** nfdump version that wrote the file, e.g. 0x01070100 for 1.7.1. */
  readonly nfdVersion: number;
  /** File creation time, seconds since the epoch. */
  readonly created: number;
  readonly compression: number;
  readonly encryption: number;
  readonly appendixBlocks: number;
  readonly creator: number;
  /** Where the appendix (ident and statistics) starts; 0 when there is none. */
  readonly offAppendix: number;
  /** Largest uncompressed block the writer used; 0 when it did not say. */
  readonly blockSize: number;
  readonly numBlocks: number;
}

/** The layout version of `head` when it starts with the nfdump magic, else 0. */
export function nffileLayout(head: Uint8Array): number {
  if (head.length < 4 || head[0] !== 0x0c || head[1] !== 0xa5) return 0;
  return head[2] | (head[3] << 8);
}

/** Reads a layout 2 header from buf[0, 40). */
export function readHeaderV2(buf: Uint8Array): NfFileHeader {
  const dv = new DataView(buf.buffer, buf.byteOffset, HEADER_V2_LEN);
  return {
    layout: dv.getUint16(2, true),
    nfdVersion: dv.getUint32(4, true),
    created: Number(dv.getBigInt64(8, true)),
    compression: buf[16],
    encryption: buf[17],
    appendixBlocks: dv.getUint16(18, true),
    creator: dv.getUint32(20, true),
    offAppendix: Number(dv.getBigUint64(24, true)),
    blockSize: dv.getUint32(32, true),
    numBlocks: dv.getUint32(36, true),
  };
}

/** nfdump's version number as text (0x01070100 is 1.7.1). */
export function nfdVersionText(v: number): string {
  return `${(v >>> 24) & 0xff}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}`;
}
