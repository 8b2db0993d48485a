/**
 * The non-flow records of an nfdump file: exporter info (type 7) naming the router behind each
 * internal exporter id, exporter statistics (8), samplers (legacy type 9 and type 15) giving the
 * sampling rate, and the appendix's ident (0x8001) and statistics (0x8002) records.
 */
import { ipv4LeText, ipv6LeText, le16, le32, le64 } from './addresses.js';

/** Record types found in nfdump 1.7 data blocks. */
export const RECORD = {
  extensionMap: 2,
  exporterInfo: 7,
  exporterStat: 8,
  samplerLegacy: 9,
  common: 10,
  v3: 11,
  nbar: 12,
  ifName: 13,
  vrfName: 14,
  sampler: 15,
  ident: 0x8001,
  stat: 0x8002,
} as const;

/** One exporter as the file describes it. */
export interface ExporterInfo {
  /** Router address as text. */
  readonly ip: string;
  /** NetFlow version it exported (5, 9, 10 for IPFIX). */
  readonly version: number;
  /** v9 source id, IPFIX observation domain, v5 engine type/id. */
  readonly domain: number;
}

/** Exporters, samplers and file statistics collected while reading one file. */
export class FileInfo {
  readonly exporters = new Map<number, ExporterInfo>();
  /** Sampling rate by `sysid:samplerId` (samplerId -1 generic, -2 default, -3 overwrite). */
  readonly samplers = new Map<string, number>();
  ident: string | null = null;
  /** Flow count from the appendix statistics, when present. */
  statFlows: number | null = null;
  statBytes: number | null = null;
  statPackets: number | null = null;

  /**
   * Reads one non-flow record at b[p, p + size); returns false when its length is wrong for its
   * type (the caller counts it), true otherwise (unknown types included).
   */
  read(type: number, b: Uint8Array, p: number, size: number): boolean {
    switch (type) {
      case RECORD.exporterInfo: {
        if (size < 32) return false;
        const family = le16(b, p + 24);
        const ip = family === 10 ? ipv6LeText(b, p + 8) : ipv4LeText(b, p + 16);
        this.exporters.set(le16(b, p + 26), { ip, version: le32(b, p + 4), domain: le32(b, p + 28) });
        return true;
      }
      case RECORD.samplerLegacy: {
        if (size < 16) return false;
        const interval = le32(b, p + 8);
        this.samplers.set(`${le16(b, p + 14)}:${b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)}`, interval);
        return true;
      }
      case RECORD.sampler: {
        if (size < 24) return false;
        const packet = le32(b, p + 16);
        const space = le32(b, p + 20);
        const id = Number(new DataView(b.buffer, b.byteOffset + p + 8, 8).getBigInt64(0, true));
        if (packet > 0) this.samplers.set(`${le16(b, p + 4)}:${id}`, (packet + space) / packet);
        return true;
      }
      case RECORD.ident: {
        let end = p + 4;
        while (end < p + size && b[end] !== 0) end++;
        this.ident = Buffer.from(b.buffer, b.byteOffset + p + 4, end - p - 4).toString('utf8');
        return true;
      }
      case RECORD.stat:
        if (size < 28) return false;
        this.statFlows = le64(b, p + 4);
        this.statBytes = le64(b, p + 12);
        this.statPackets = le64(b, p + 20);
        return true;
      default:
        return true;
    }
  }

  /** The sampling rate for a flow of exporter `sysid` (selector `selector` when the record names one), or 0. */
  rate(sysid: number, selector: number | null): number {
    if (this.samplers.size === 0) return 0;
    return (
      this.samplers.get(`${sysid}:-3`) ??
      (selector !== null ? this.samplers.get(`${sysid}:${selector}`) : undefined) ??
      this.samplers.get(`${sysid}:-1`) ??
      this.samplers.get(`${sysid}:-2`) ??
      0
    );
  }
}
