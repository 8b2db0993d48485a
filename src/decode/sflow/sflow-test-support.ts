/**
 * Test helpers for the sFlow decoder: reading the UDP payloads of the fixture pcaps with the project's
 * capture reader and packet decoder, a sink that snapshots what it receives, and a parser for the
 * tcpdump -v output kept beside each fixture as its oracle.
 */
import { readFileSync } from 'node:fs';
import { createCaptureReader } from '../capture/capture-reader.js';
import { PacketDecoder } from '../packet/decode-packet.js';
import { PacketInfo } from '../packet/packet-info.js';
import { addressText } from './sflow-read.js';
import type { SflowCounterSample, SflowFlowSample, SflowSink } from './sflow-types.js';

/** Directory of the sFlow fixtures (tests run with the repository root as working directory). */
export const FIXTURES = 'test/fixtures/sflow';

/** One captured sFlow datagram: arrival time, UDP source address and the payload bytes (copied). */
export interface Datagram {
  ts: number;
  exporter: string;
  payload: Uint8Array;
}

/** Reads every UDP payload of a fixture pcap. */
export function readDatagrams(name: string): Datagram[] {
  const out: Datagram[] = [];
  const dec = new PacketDecoder();
  const pi = new PacketInfo();
  const reader = createCaptureReader(
    (link, ts, buf, off, cap, wire) => {
      dec.decode(link, buf, off, cap, wire, ts, pi);
      if (pi.ipProto !== 17 || !pi.transportOk) throw new Error(`${name}: packet without UDP`);
      const payload = pi.buf.slice(pi.payloadOffset, pi.payloadOffset + pi.payloadCapLen);
      out.push({ ts, exporter: addressText(pi.src, 0, pi.ipVersion === 6), payload });
    },
    (code) => {
      throw new Error(`${name}: capture problem ${code}`);
    },
  );
  reader.push(readFileSync(`${FIXTURES}/${name}`));
  reader.finish();
  return out;
}

/** A flow sample copied out of the decoder's reused object. */
export type FlowSnapshot = Omit<SflowFlowSample, 'resetRecords' | 'scaledPackets' | 'scaledBytes' | 'src' | 'dst' | 'asPath' | 'communities' | 'srcMac' | 'dstMac'> & {
  srcText: string;
  dstText: string;
  asPath: number[];
  communities: number[];
  scaledPackets: number;
  scaledBytes: number;
};

/** A sink that keeps snapshots of everything, in order. */
export class CollectingSink implements SflowSink {
  readonly flows: FlowSnapshot[] = [];
  readonly counters: SflowCounterSample[] = [];
  /** Kinds in arrival order ('flow' or 'counter'), to match the oracle's sample order. */
  readonly order: ('flow' | 'counter')[] = [];

  flowSample(s: SflowFlowSample): void {
    const v6 = s.ipVersion === 6;
    const { src: _s, dst: _d, asPath: _a, communities: _c, srcMac: _m1, dstMac: _m2, ...rest } = s;
    this.flows.push({
      ...rest,
      srcText: s.tupleSource ? addressText(s.src, 0, v6) : '',
      dstText: s.tupleSource ? addressText(s.dst, 0, v6) : '',
      asPath: [...s.asPath.subarray(0, s.asPathLength)],
      communities: [...s.communities.subarray(0, s.communityCount)],
      scaledPackets: s.scaledPackets,
      scaledBytes: s.scaledBytes,
    });
    this.order.push('flow');
  }

  counterSample(c: SflowCounterSample): void {
    this.counters.push(c);
    this.order.push('counter');
  }
}

/** One record as tcpdump printed it: its name line and the numbers of its detail lines. */
export interface OracleRecord {
  format: number;
  length: number;
  name: string;
  numbers: number[];
  lines: string[];
}

/** One sample as tcpdump printed it. */
export interface OracleSample {
  format: number;
  fields: Record<string, number>;
  records: OracleRecord[];
}

/** One datagram as tcpdump printed it (header null when tcpdump rejected it, with its reason). */
export interface OracleDatagram {
  header: Record<string, number | string> | null;
  rejected: string | null;
  samples: OracleSample[];
}

const HEADER = /sFlowv5, IPv(\d) agent (\S+), agent-id (\d+), seqnum (\d+), uptime (\d+), samples (\d+), length (\d+)$/;
const SAMPLE = /^\t(expanded )?(flow|counter) sample \((\d+)\), length (\d+), (.*)$/;
const RECORD = /^\t {4}enterprise (\d+),? (.*) \((\d+)\) length (\d+)$/;

/** Parses a tcpdump -v (or -vvv) print of sFlow datagrams. */
export function parseTcpdump(text: string): OracleDatagram[] {
  const out: OracleDatagram[] = [];
  let sample: OracleSample | null = null;
  let record: OracleRecord | null = null;
  for (const line of text.split('\n')) {
    const h = HEADER.exec(line);
    if (h) {
      out.push({
        header: { ipVersion: +h[1], agent: h[2], agentId: +h[3], seqnum: +h[4], uptime: +h[5], samples: +h[6], length: +h[7] },
        rejected: null,
        samples: [],
      });
      sample = record = null;
      continue;
    }
    if (/: sFlow/.test(line)) {
      out.push({ header: null, rejected: line.replace(/^.*: sFlow/, 'sFlow'), samples: [] });
      sample = record = null;
      continue;
    }
    if (/^\s+\d+ {2}\d{4}-/.test(line)) continue; // frame number, time and IP header
    const s = SAMPLE.exec(line);
    if (s) {
      const fields: Record<string, number> = { length: +s[4] };
      // "input 29001 (0)" is value (format) in expanded samples; compact ones print the raw word.
      for (const m of s[5].matchAll(/(\w+) (\d+)(?: \((\d+)\))?/g)) {
        fields[m[1]] = +m[2];
        if (m[3] !== undefined) fields[`${m[1]}Format`] = +m[3];
      }
      sample = { format: +s[3], fields, records: [] };
      out[out.length - 1].samples.push(sample);
      record = null;
      continue;
    }
    const r = RECORD.exec(line);
    if (r && sample) {
      record = { format: +r[3], length: +r[4], name: r[2], numbers: [], lines: [] };
      if (+r[1] !== 0) record.format += +r[1] * 4096;
      sample.records.push(record);
      continue;
    }
    if (/^\t\t0x[0-9a-f]{4}:/.test(line)) continue; // hex dump of a record tcpdump does not decode
    if (record && /^\t {6}/.test(line)) {
      // Drop the parenthesised names ("(full-duplex)", "(1)") whose digits are labels, not values.
      record.lines.push(line.trim());
      const clean = line.replace(/\([^)]*\)/g, '');
      for (const m of clean.matchAll(/\b(\d+)\b/g)) record.numbers.push(+m[1]);
      continue;
    }
    if (line.trim() !== '') throw new Error(`unparsed tcpdump line: ${JSON.stringify(line)}`);
  }
  return out;
}
