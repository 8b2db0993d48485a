/**
 * nfdump's binary files (`nfcapd.*`, layout 2 as written by nfdump 1.7): the file header, then data
 * blocks read one at a time and decompressed (none, LZO, BZ2, LZ4, ZSTD), whose V3 flow records become
 * one-way connection rows through the NetFlow decoders' FlowRecord and writeFlowRow. Exporter and
 * sampler records name the router and give the sampling rate; the appendix's ident and statistics go
 * into one `nfcapd_file` metadata row at the end. nfdump 1.6 files (layout 1) are recognised and
 * refused with how to convert them. Damage is skipped by block or record, with its byte offset.
 */
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { K } from '../flow-key.js';
import { METADATA, columnIndex } from '../../model/fields.js';
import { applyRate } from '../netflow/data-records.js';
import { FlowRecord } from '../netflow/flow-record.js';
import { writeFlowRow } from '../netflow/flow-row.js';
import { le16, le32 } from './addresses.js';
import { BlockDecompressor, MAX_BLOCK_BYTES } from './block-decompress.js';
import { BlockStream, type BlockSink } from './block-stream.js';
import { FileInfo, RECORD } from './exporter-records.js';
import { BLOCK_HEADER_LEN, COMPRESSION_NAMES, nfdVersionText, nffileLayout, readHeaderV2, type NfFileHeader } from './file-header.js';
import { CorruptBlockError } from './lz4-block.js';
import { V3Extras, V3_FLAG_SAMPLED, readV3Record } from './v3-record.js';

const M = columnIndex(METADATA);
// A compressed block may be a little larger than the data it holds.
const MAX_STORED_BLOCK = MAX_BLOCK_BYTES + 65536;

class NfcapdDecoder implements Decoder, BlockSink {
  private readonly stream = new BlockStream(this);
  private readonly rec = new FlowRecord();
  private readonly x = new V3Extras();
  private readonly info = new FileInfo();
  private hdr: NfFileHeader | null = null;
  private inflate: BlockDecompressor | null = null;
  private recordCount = 0;
  private blockRecords = 0;
  private blockFlags = 0;
  private flows = 0;
  private flowSkips = 0;

  constructor(private readonly ctx: DecodeContext) {}

  push(chunk: Buffer): void {
    this.stream.push(chunk);
  }

  finish(): void {
    const s = this.stream;
    if (s.stage === 'header') {
      if (s.pending > 0) this.ctx.skip('truncated_header', 0, `${this.ctx.inputName}: ${s.pending} bytes, shorter than an nfdump file header`);
    } else if (s.stage === 'blockBody') {
      this.truncatedBody(s.partial(), s.unitOffset);
    } else if (s.stage === 'blockHeader' && s.pending > 0) {
      this.ctx.skip('truncated_block', s.unitOffset, `${this.ctx.inputName}: the file ends inside a block header`);
    }
    const st = this.info.statFlows;
    if (st !== null && this.flows + this.flowSkips < st) {
      this.ctx.skip('records_missing', s.unitOffset, `the file's statistics count ${st} flows, ${this.flows + this.flowSkips} were found`);
    }
    // A file row only when something was read: a file cut before its first flow stays "nothing read".
    if (this.hdr !== null && (this.flows > 0 || st !== null)) this.writeFileRow();
  }

  /**
   * The input ended inside a block. An uncompressed block's complete records are still good (each
   * has its own length), so they are kept; a compressed block cannot be decoded in part.
   */
  private truncatedBody(part: Uint8Array, bodyOffset: number): void {
    const at = bodyOffset - BLOCK_HEADER_LEN;
    const total = this.blockRecords;
    let read = 0;
    if (this.hdr!.compression === 0 || (this.blockFlags & 1) !== 0) {
      read = this.walkRecords(part, 0, part.length, bodyOffset, false, true);
    }
    this.flowSkips += total - read;
    this.ctx.skip('truncated_block', at, `${this.ctx.inputName}: the file ends inside a data block (${part.length} bytes of it present); ${read} of its ${total} records read`);
  }

  header(buf: Uint8Array, off: number): boolean {
    const head = buf.subarray(off, off + 40);
    const layout = nffileLayout(head);
    const name = this.ctx.inputName;
    if (layout === 1) {
      this.ctx.skip('nfdump_1_6_file', 0, `${name} is an nfdump 1.6 file (layout 1), which Nightjar does not read; convert it with nfdump 1.7: nfdump -r ${name} -w NEW, then ingest NEW`);
      return false;
    }
    if (layout !== 2) {
      this.ctx.skip('bad_header', 0, `${name}: nfdump file layout ${layout} is not known (layout 2 of nfdump 1.7 is read)`);
      return false;
    }
    const h = readHeaderV2(head);
    if (h.encryption !== 0) {
      this.ctx.skip('encrypted_file', 0, `${name}: the file is encrypted (mode ${h.encryption}); decrypt it with nfdump first`);
      return false;
    }
    if (!(h.compression in COMPRESSION_NAMES)) {
      this.ctx.skip('unknown_compression', 0, `${name}: compression ${h.compression} is not known; recompress with nfdump -r ${name} -y -w OUT (LZ4)`);
      return false;
    }
    this.hdr = h;
    this.inflate = new BlockDecompressor(h.compression);
    return true;
  }

  blockHeader(buf: Uint8Array, off: number, offset: number): number {
    const size = le32(buf, off + 4);
    if (size > MAX_STORED_BLOCK) {
      this.ctx.skip('bad_block_size', offset, `${this.ctx.inputName}: a data block of ${size} bytes at offset ${offset} is larger than any nfdump writes; the rest of the file is not read`);
      return -1;
    }
    this.blockRecords = le32(buf, off);
    this.blockFlags = le16(buf, off + 10);
    const type = le16(buf, off + 8);
    if (type !== 3 && type !== 2) {
      this.ctx.ignore(`nfcapd:block_type_${type}`);
      this.blockRecords = 0;
    } else if (size === 0 && this.blockRecords > 0) {
      this.badRecords(offset, this.blockRecords, `an empty block claims ${this.blockRecords} records`);
    }
    return size;
  }

  blockBody(buf: Uint8Array, off: number, len: number, bodyOffset: number): void {
    if (this.blockRecords === 0) return;
    const offset = bodyOffset - BLOCK_HEADER_LEN;
    let data: Uint8Array = buf;
    let start = off;
    let end = off + len;
    // Flag bit 0 marks a block stored uncompressed in a compressed file.
    const compressed = this.hdr!.compression !== 0 && (this.blockFlags & 1) === 0;
    if (compressed) {
      try {
        data = this.inflate!.decompress(buf, off, off + len);
      } catch (err) {
        if (!(err instanceof CorruptBlockError)) throw err;
        this.flowSkips += this.blockRecords;
        this.ctx.skip('corrupt_block', offset, `${COMPRESSION_NAMES[this.hdr!.compression]} block of ${this.blockRecords} records: ${err.message}`);
        return;
      }
      start = 0;
      end = data.length;
    }
    // Positions inside a decompressed block are not file offsets: report the block's offset then.
    this.walkRecords(data, start, end, compressed ? offset : bodyOffset - off, compressed);
  }

  /** Reads the records of a block; `cut` (a truncated block) stops quietly at the first incomplete one. Returns how many were read. */
  private walkRecords(b: Uint8Array, start: number, end: number, base: number, compressed: boolean, cut = false): number {
    let p = start;
    const total = this.blockRecords;
    for (let i = 0; i < total; i++) {
      const at = compressed ? base : base + p;
      if (cut && (p + 4 > end || p + le16(b, p + 2) > end)) return i;
      if (p + 4 > end) {
        this.badRecords(at, total - i, `the block ends after ${i} of its ${total} records`);
        return i;
      }
      const type = le16(b, p);
      const size = le16(b, p + 2);
      if (size < 4 || p + size > end) {
        this.badRecords(at, total - i, `record ${i} of ${total} has length ${size}, ${end - p} bytes left in the block`);
        return i;
      }
      this.recordCount++;
      if (type === RECORD.v3) {
        if (size < 12) this.badFlow(at, 'bad_record_length', `V3 record of ${size} bytes`);
        else if (readV3Record(b, p, size, this.rec, this.x) !== null) this.badFlow(at, 'bad_element_length', `an element of the V3 record runs past its ${size} bytes`);
        else this.flow();
      } else if (type === RECORD.common || type === RECORD.extensionMap) {
        this.badFlow(at, 'nfdump_1_6_record', `nfdump 1.6 record type ${type}; convert the file with nfdump 1.7: nfdump -r FILE -w NEW`);
      } else if (!this.info.read(type, b, p, size)) {
        this.ctx.skip('bad_record_length', at, `record type ${type} of ${size} bytes is too short`);
      } else if (type !== RECORD.exporterInfo && type !== RECORD.sampler && type !== RECORD.samplerLegacy && type !== RECORD.ident && type !== RECORD.stat) {
        this.ctx.ignore(`nfcapd:record_type_${type}`);
      }
      p += size;
    }
    return total;
  }

  private badRecords(at: number, lost: number, detail: string): void {
    this.flowSkips += lost;
    this.ctx.skip('bad_record_length', at, `${detail}; ${lost} records skipped`);
  }

  private badFlow(at: number, reason: string, detail: string): void {
    this.flowSkips++;
    this.ctx.skip(reason, at, detail);
  }

  private flow(): void {
    const rec = this.rec;
    const x = this.x;
    const ex = this.info.exporters.get(x.sysid);
    rec.exporter = ex?.ip ?? x.received ?? '';
    rec.version = x.nfversion !== 0 ? x.nfversion : (ex?.version ?? 0);
    if (ex !== undefined) rec.domain = ex.domain;
    const rate = this.info.rate(x.sysid, x.selector);
    if (rate > 1 && (x.flags & V3_FLAG_SAMPLED) !== 0) {
      // nfcapd already multiplied the counts: keep them as the scaled ones and recover the exported.
      rec.samplingRate = rate;
      rec.scaledBytes = rec.bytes;
      rec.scaledPackets = rec.packets;
      if (rec.bytes !== null) rec.bytes = Math.round(rec.bytes / rate);
      if (rec.packets !== null) rec.packets = Math.round(rec.packets / rate);
    } else applyRate(rec, rate);
    for (let i = 0; i < x.unknownCount && i < x.unknown.length; i++) this.ctx.ignore(`nfcapd:element_${x.unknown[i]}`);
    rec.derived = x.more;
    const b = this.ctx.batch('connections');
    writeFlowRow(b, b.addRow(), rec, this.ctx);
    this.flows++;
  }

  private writeFileRow(): void {
    const h = this.hdr!;
    const b = this.ctx.batch('metadata');
    const r = b.addRow();
    const info = this.info;
    if (h.created > 0) b.setNum(K.ts, r, h.created * 1e6);
    b.setStr(K.source_type, r, 'nfcapd');
    b.setStr(K.sensor, r, this.ctx.sensor ?? info.ident);
    b.setNum(K.ingest_id, r, this.ctx.ingestId);
    b.setStr(M.log, r, 'nfcapd_file');
    const data = {
      ident: info.ident,
      nfdump_version: nfdVersionText(h.nfdVersion),
      compression: COMPRESSION_NAMES[h.compression],
      blocks: h.numBlocks,
      records: this.recordCount,
      flows: this.flows,
      flows_skipped: this.flowSkips,
      stat_flows: info.statFlows,
      stat_bytes: info.statBytes,
      stat_packets: info.statPackets,
      exporters: [...info.exporters.entries()].map(([sysid, e]) => ({ sysid, ...e })),
      samplers: Object.fromEntries(info.samplers),
    };
    b.setStr(M.data, r, JSON.stringify(data));
  }
}

/** The nfcapd decoder: sniffed by the nfdump magic (0xA50C, little-endian) and a layout of 1 or 2. */
export const nfcapd: DecoderDef = {
  name: 'nfcapd',
  description: "nfdump's binary flow files (nfcapd.*, nfdump 1.7 layout; any compression)",
  positionUnit: 'offset',
  sniff(head: Buffer): number {
    const layout = nffileLayout(head);
    return layout === 1 || layout === 2 ? 1 : 0;
  },
  create(ctx: DecodeContext): Decoder {
    return new NfcapdDecoder(ctx);
  },
};
