/**
 * Test-only reader for classic pcap files (microsecond and nanosecond magic, either byte order),
 * so the packet decoder's tests do not depend on the capture readers. Reads the whole file; not for
 * production use.
 */
import { readFileSync } from 'node:fs';

/** One record of a pcap file. */
export interface TestPacket {
  /** Capture time in microseconds since the epoch. */
  ts: number;
  /** The captured bytes (a view into the file's buffer). */
  data: Uint8Array;
  /** Length on the wire. */
  wireLen: number;
}

/** A whole pcap file. */
export interface TestPcap {
  linkType: number;
  nanosecond: boolean;
  packets: TestPacket[];
}

/** Parses a classic pcap file held in memory. Throws on a bad header; stops at a cut-short record. */
export function parsePcap(bytes: Uint8Array): TestPcap {
  if (bytes.length < 24) throw new Error('pcap: file shorter than its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicLe = view.getUint32(0, true);
  let little: boolean;
  let nanosecond: boolean;
  if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d) {
    little = true;
    nanosecond = magicLe === 0xa1b23c4d;
  } else {
    const magicBe = view.getUint32(0, false);
    if (magicBe !== 0xa1b2c3d4 && magicBe !== 0xa1b23c4d) throw new Error('pcap: bad magic');
    little = false;
    nanosecond = magicBe === 0xa1b23c4d;
  }
  // The upper bits of the link type field can carry FCS information (pcap-savefile(5)).
  const linkType = view.getUint32(20, little) & 0x03ffffff;
  const packets: TestPacket[] = [];
  let p = 24;
  while (p + 16 <= bytes.length) {
    const sec = view.getUint32(p, little);
    const frac = view.getUint32(p + 4, little);
    const capLen = view.getUint32(p + 8, little);
    const wireLen = view.getUint32(p + 12, little);
    p += 16;
    if (p + capLen > bytes.length) break;
    const ts = sec * 1_000_000 + (nanosecond ? Math.floor(frac / 1000) : frac);
    packets.push({ ts, data: bytes.subarray(p, p + capLen), wireLen });
    p += capLen;
  }
  return { linkType, nanosecond, packets };
}

/** Reads and parses a classic pcap file. */
export function readPcap(path: string): TestPcap {
  return parsePcap(new Uint8Array(readFileSync(path)));
}
