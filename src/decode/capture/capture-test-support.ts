/**
 * Helpers shared by the capture reader tests: reading fixtures, running a reader over a file cut in
 * chunks of a given size, a digest of everything delivered, the tshark oracle recorded in
 * test/fixtures/pcap, and builders for the synthetic pcap and pcapng files the corpus lacks.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCaptureReader } from './capture-reader.js';
import type { CaptureReader, PacketHandler, ProblemHandler } from './capture-types.js';

/** Bytes of a file in test/fixtures/pcap (tests run with the repository root as cwd). */
export function fixture(name: string): Buffer {
  return readFileSync(path.join(process.cwd(), 'test/fixtures/pcap', name));
}

/** One delivered packet, its bytes copied out of the reader's buffer. */
export interface Packet {
  linkType: number;
  ts: number;
  capLen: number;
  wireLen: number;
  interfaceId: number;
  bytes: Buffer;
}

/** One reported problem. */
export interface Problem {
  code: string;
  offset: number;
  detail?: string;
}

/** Everything a reader delivered for one file. */
export interface ReadResult {
  packets: Packet[];
  problems: Problem[];
}

/** Runs `make(onPacket, onProblem)` over `file` pushed in chunks of `chunkSize` bytes (whole when 0). */
export function readWith(
  make: (onPacket: PacketHandler, onProblem: ProblemHandler) => CaptureReader,
  file: Buffer,
  chunkSize = 0,
): ReadResult {
  const packets: Packet[] = [];
  const problems: Problem[] = [];
  const reader = make(
    (linkType, ts, buf, offset, capLen, wireLen, interfaceId) => {
      const bytes = Buffer.from(buf.subarray(offset, offset + capLen));
      assertEqual(bytes.length, capLen, 'packet window inside the buffer');
      packets.push({ linkType, ts, capLen, wireLen, interfaceId, bytes });
    },
    (code, offset, detail) => problems.push(detail === undefined ? { code, offset } : { code, offset, detail }),
  );
  const size = chunkSize > 0 ? chunkSize : Math.max(file.length, 1);
  for (let i = 0; i < file.length; i += size) reader.push(file.subarray(i, i + size));
  reader.finish();
  return { packets, problems };
}

/** Reads a capture with createCaptureReader, in chunks of `chunkSize` bytes (whole when 0). */
export function readCapture(file: Buffer, chunkSize = 0): ReadResult {
  return readWith(createCaptureReader, file, chunkSize);
}

function assertEqual(a: number, b: number, what: string): void {
  if (a !== b) throw new Error(`${what}: ${a} !== ${b}`);
}

/** SHA-256 over (linkType, ts, capLen, wireLen, interfaceId, bytes) of every packet, in order. */
export function digest(packets: readonly Packet[]): string {
  const h = createHash('sha256');
  for (const p of packets) {
    h.update(`${p.linkType},${p.ts},${p.capLen},${p.wireLen},${p.interfaceId};`);
    h.update(p.bytes);
  }
  return h.digest('hex');
}

/** One tshark frame: epoch time text (empty when the block has none), frame.len, frame.cap_len, interface id. */
export type TsharkFrame = [string, number, number, number];

/** The tshark/capinfos oracle of one fixture. */
export interface TsharkFile {
  encapsulation: string;
  packets: number;
  frames: TsharkFrame[];
}

/** The recorded tshark oracle, by fixture name. */
export function tsharkOracle(): Record<string, TsharkFile> {
  const doc = JSON.parse(fixture('capture-frames.tshark.json').toString('utf8')) as { files: Record<string, TsharkFile> };
  return doc.files;
}

/** Link type of a capinfos `-M` encapsulation name (null for `per-packet`). */
export const ENCAPSULATION_LINKTYPE: Record<string, number | null> = {
  ether: 1,
  null: 0,
  rawip: 101,
  rawip4: 228,
  rawip6: 229,
  nflog: 239,
  'linux-sll': 113,
  'linux-sll2': 276,
  'per-packet': null,
};

/**
 * Microseconds of a tshark frame.time_epoch text, computed from its digits: tshark prints the
 * nanosecond count after the point, so "S.N" is S * 1e6 + floor(N / 1000).
 */
export function tsharkMicros(epoch: string): number {
  const m = /^(\d+)\.(\d{9,})$/.exec(epoch);
  if (m === null) throw new Error(`unexpected tshark time ${epoch}`);
  return Number(m[1]) * 1e6 + Math.floor(Number(m[2]) / 1000);
}

// ---- builders of synthetic captures ----

/** A 16-bit unsigned integer in the given byte order. */
export function u16b(v: number, le = true): Buffer {
  const b = Buffer.alloc(2);
  if (le) b.writeUInt16LE(v);
  else b.writeUInt16BE(v);
  return b;
}

/** A 32-bit unsigned integer in the given byte order. */
export function u32b(v: number, le = true): Buffer {
  const b = Buffer.alloc(4);
  if (le) b.writeUInt32LE(v >>> 0);
  else b.writeUInt32BE(v >>> 0);
  return b;
}

function pad4(b: Buffer): Buffer {
  return b.length % 4 === 0 ? b : Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]);
}

/** A pcap file header. */
export function pcapHeader(opts: { magic?: number; le?: boolean; snaplen?: number; linkType?: number } = {}): Buffer {
  const le = opts.le ?? true;
  return Buffer.concat([
    u32b(opts.magic ?? 0xa1b2c3d4, le),
    u16b(2, le),
    u16b(4, le),
    u32b(0, le),
    u32b(0, le),
    u32b(opts.snaplen ?? 65535, le),
    u32b(opts.linkType ?? 1, le),
  ]);
}

/** A pcap record; `extra` is appended to the 16-byte header (the modified format's 8 bytes). */
export function pcapRecord(sec: number, frac: number, data: Buffer, opts: { le?: boolean; wireLen?: number; capLen?: number; extra?: Buffer } = {}): Buffer {
  const le = opts.le ?? true;
  const head = [u32b(sec, le), u32b(frac, le), u32b(opts.capLen ?? data.length, le), u32b(opts.wireLen ?? data.length, le)];
  return Buffer.concat([...head, opts.extra ?? Buffer.alloc(0), data]);
}

/** A pcapng block of `type` around `body` (padded to 4 bytes). */
export function block(type: number, body: Buffer, le = true): Buffer {
  const b = pad4(body);
  const len = 12 + b.length;
  return Buffer.concat([u32b(type, le), u32b(len, le), b, u32b(len, le)]);
}

/** A Section Header Block. */
export function shb(le = true, major = 1): Buffer {
  return block(0x0a0d0d0a, Buffer.concat([u32b(0x1a2b3c4d, le), u16b(major, le), u16b(0, le), Buffer.alloc(8, 0xff)]), le);
}

/** One pcapng option (code, value padded to 4 bytes). */
export function option(code: number, value: Buffer, le = true): Buffer {
  return Buffer.concat([u16b(code, le), u16b(value.length, le), pad4(value)]);
}

/** An Interface Description Block with the given options (end-of-options added). */
export function idb(linkType: number, snaplen: number, options: Buffer[] = [], le = true): Buffer {
  const opts = options.length > 0 ? [...options, Buffer.alloc(4)] : [];
  return block(1, Buffer.concat([u16b(linkType, le), u16b(0, le), u32b(snaplen, le), ...opts]), le);
}

/** An Enhanced Packet Block; the timestamp is given as its two 32-bit halves. */
export function epb(ifId: number, tsHi: number, tsLo: number, data: Buffer, opts: { le?: boolean; wireLen?: number; capLen?: number } = {}): Buffer {
  const le = opts.le ?? true;
  const head = [u32b(ifId, le), u32b(tsHi, le), u32b(tsLo, le), u32b(opts.capLen ?? data.length, le), u32b(opts.wireLen ?? data.length, le)];
  return block(6, Buffer.concat([...head, data]), le);
}

/** An obsolete Packet Block (type 2): 16-bit interface id and drops count. */
export function packetBlock(ifId: number, tsHi: number, tsLo: number, data: Buffer, le = true): Buffer {
  const head = [u16b(ifId, le), u16b(0, le), u32b(tsHi, le), u32b(tsLo, le), u32b(data.length, le), u32b(data.length, le)];
  return block(2, Buffer.concat([...head, data]), le);
}

/** A Simple Packet Block. */
export function spb(data: Buffer, wireLen = data.length, le = true): Buffer {
  return block(3, Buffer.concat([u32b(wireLen, le), data]), le);
}

/** Distinct packet bytes of a given length, so misplaced windows show in the digests. */
export function payload(len: number, seed: number): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (seed * 31 + i * 7) & 0xff;
  return b;
}
