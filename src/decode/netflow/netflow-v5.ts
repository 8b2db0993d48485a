/**
 * NetFlow v5: a 24-byte header and up to 30 fixed 48-byte IPv4 flow records. First/last switched
 * times are sysUptime milliseconds, made absolute with the header's unix_secs/unix_nsecs; the header's
 * sampling interval scales the counts. Sequence numbers count flows per (exporter, engine).
 */
import { applyRate } from './data-records.js';
import { trackSequence } from './sequence.js';
import type { DecoderCore } from './templates.js';
import { u16, u32 } from './values.js';
import { ipv4Text } from '../dns/dns-text.js';

/** Bytes in a NetFlow v5 header and in each of its records. */
export const V5_HEADER_LEN = 24;
export const V5_RECORD_LEN = 48;
/** Most records a v5 datagram may carry. */
export const V5_MAX_RECORDS = 30;

/** Decodes one NetFlow v5 datagram buf[off, off + len) from `exporter`. */
export function decodeV5(core: DecoderCore, buf: Uint8Array, off: number, len: number, exporter: string, nowMicros: number): void {
  const { stats, rec, onFlow } = core.sink;
  if (len < V5_HEADER_LEN) return stats.bad('truncated_header');
  const count = u16(buf, off + 2);
  if (count === 0 || count > V5_MAX_RECORDS || len < V5_HEADER_LEN + count * V5_RECORD_LEN) return stats.bad('bad_length');
  const sysUptime = u32(buf, off + 4);
  const nowUs = u32(buf, off + 8) * 1_000_000 + Math.floor(u32(buf, off + 12) / 1000);
  const seq = u32(buf, off + 16);
  const domain = u16(buf, off + 20);
  const sampling = u16(buf, off + 22);
  const interval = sampling & 0x3fff;
  const dom = core.cache.domain(5, exporter, domain, nowMicros);
  trackSequence(stats, dom, seq, count);
  for (let i = 0, p = off + V5_HEADER_LEN; i < count; i++, p += V5_RECORD_LEN) {
    rec.reset();
    rec.version = 5;
    rec.exporter = exporter;
    rec.domain = domain;
    rec.extraBuf = buf;
    rec.srcAt = p;
    rec.srcLen = 4;
    rec.dstAt = p + 4;
    rec.dstLen = 4;
    rec.nextHop = ipv4Text(buf, p + 8);
    rec.inIf = u16(buf, p + 12);
    rec.outIf = u16(buf, p + 14);
    rec.packets = u32(buf, p + 16);
    rec.bytes = u32(buf, p + 20);
    // Signed differences keep flows right across a sysUptime wrap (every 49.7 days).
    rec.ts = nowUs - ((sysUptime - u32(buf, p + 24)) | 0) * 1000;
    rec.end = nowUs - ((sysUptime - u32(buf, p + 28)) | 0) * 1000;
    rec.srcPort = u16(buf, p + 32);
    rec.dstPort = u16(buf, p + 34);
    rec.tcpFlags = buf[p + 37];
    rec.proto = buf[p + 38];
    rec.tos = buf[p + 39];
    rec.srcAs = u16(buf, p + 40);
    rec.dstAs = u16(buf, p + 42);
    rec.srcMask = buf[p + 44];
    rec.dstMask = buf[p + 45];
    if (rec.proto === 1) rec.icmpTypeCode = rec.dstPort;
    rec.addExtra(0, 38, off + 20, 1); // engineType
    rec.addExtra(0, 39, off + 21, 1); // engineId
    if (sampling !== 0) rec.addExtra(0, 35, off + 22, 1); // samplingAlgorithm (top two bits, raw byte)
    applyRate(rec, interval);
    stats.flows++;
    onFlow(rec);
  }
}
