/**
 * Test support: reads the UDP payloads (export datagrams) out of a pcap fixture with the project's
 * capture reader and packet decoder, and decodes them with a fresh NetflowDecoder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCaptureReader } from '../capture/capture-reader.js';
import { PacketDecoder } from '../packet/decode-packet.js';
import { DecodeResult, PacketInfo } from '../packet/packet-info.js';
import { ipv4Text, ipv6Text } from '../dns/dns-text.js';
import type { FlowSnapshot } from './flow-record.js';
import { NetflowDecoder, type NetflowDecoderOptions } from './netflow-decoder.js';

/** One export datagram found in a capture. */
export interface Datagram {
  exporter: string;
  tsMicros: number;
  bytes: Uint8Array;
}

/** Path of a file in test/fixtures/netflow (tests run with the repository root as cwd). */
export function fixture(name: string): string {
  return join(process.cwd(), 'test', 'fixtures', 'netflow', name);
}

/** The UDP payloads of every packet of a pcap fixture, in order. */
export function datagramsOf(name: string): Datagram[] {
  const out: Datagram[] = [];
  const dec = new PacketDecoder();
  const pi = new PacketInfo();
  const reader = createCaptureReader(
    (linkType, ts, buf, off, capLen, wireLen) => {
      if (dec.decode(linkType, buf, off, capLen, wireLen, ts, pi) !== DecodeResult.Ok || pi.ipProto !== 17 || !pi.transportOk) return;
      const exporter = pi.ipVersion === 4 ? ipv4Text(pi.src, 0) : ipv6Text(pi.src, 0);
      out.push({ exporter, tsMicros: ts, bytes: pi.buf.slice(pi.payloadOffset, pi.payloadOffset + pi.payloadCapLen) });
    },
    (code) => {
      throw new Error(`capture problem ${code} in ${name}`);
    },
  );
  reader.push(readFileSync(fixture(name)));
  reader.finish();
  return out;
}

/** Decodes datagrams with a new decoder; returns the flows (as snapshots) and the decoder. */
export function decodeAll(dgs: Datagram[], opts: NetflowDecoderOptions = {}): { flows: FlowSnapshot[]; decoder: NetflowDecoder } {
  const flows: FlowSnapshot[] = [];
  const decoder = new NetflowDecoder((r) => flows.push(r.snapshot()), opts);
  for (const d of dgs) decoder.decode(d.bytes, 0, d.bytes.length, d.exporter, d.tsMicros);
  return { flows, decoder };
}

/** The expected nfacctd JSON lines of a fixture. */
export function expectedOf(name: string): Record<string, unknown>[] {
  return readFileSync(fixture(name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
