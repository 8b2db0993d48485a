/**
 * Generates realistic packet captures (classic pcap, microsecond timestamps, little-endian, Ethernet) of
 * any size, for benchmarks and for tests that need big inputs. Seeded, so the same arguments give the
 * same file; streaming, so memory stays bounded (a few 8 MiB buffers and the open sessions) whatever the
 * size. Big captures are written from a worker thread while the next buffer is filled.
 *
 * The capture point is an enterprise core switch: 2,400 clients on 10.x (a third dual-stack, three
 * subnets behind 802.1Q trunks, a quarter Windows), internal servers and two resolvers, external servers
 * behind the gateway's MAC. Every session holds a slot in a scheduler ordered by the time of its next
 * packet, so flows interleave as on a real link: `concurrency` TCP connections (default 10,000, most of
 * them idle between exchanges) open over the first 20 s of capture time and stay open from then on,
 * as each one that closes is replaced. By packets the mix is about:
 * - TCP, 90%: three-way handshakes with Linux (timestamps, MSS 1448 payloads) or Windows options (1460),
 *   TLS 1.3 (ClientHello with SNI and ALPN, ServerHello, then application data records), HTTP/1.1 with
 *   Content-Length, and SSH; small requests, responses in full-size segments sent in slow-start flights
 *   growing to the path's bandwidth-delay product, an ACK for every second segment, keep-alive idle gaps,
 *   some uploads; FIN teardown from either side, some RSTs, SYNs rejected with RST or left unanswered,
 *   and a half-open scan sweeping the clients. Sequence and ack numbers are exact: tshark flags nothing.
 * - QUIC-like UDP 443, 6%: long-header Initial and Handshake datagrams, then paced 1252-byte packets.
 * - DNS over UDP, 4%: A and AAAA queries with EDNS0, answers with CNAMEs, A/AAAA records and name
 *   compression, NXDOMAIN and NODATA with an SOA; the answers are the servers clients then connect to.
 * - ICMP and ICMPv6 echo runs, 0.2%, and NTP v4 polls, a few hundred packets per million.
 * About 11% of packets are IPv6 and a quarter carry an 802.1Q tag. The aggregate rate settles near
 * 150-300 k packets/s (1-2.5 Gbit/s). IPv4 header checksums and every TCP, UDP and ICMP checksum are
 * valid (payload checksums come from prefix sums, see pcap-gen/frame-writer.ts).
 */
import fs from 'node:fs';
import { rng } from './gen-zeek-conn.js';
import { EventHeap } from './pcap-gen/event-heap.js';
import { SyncSink, ThreadSink } from './pcap-gen/file-sink.js';
import { FrameWriter, PATTERN_SIZE } from './pcap-gen/frame-writer.js';
import { DnsSession } from './pcap-gen/dns-session.js';
import { IcmpSession } from './pcap-gen/icmp-session.js';
import { NtpSession } from './pcap-gen/ntp-session.js';
import { QuicSession } from './pcap-gen/quic-session.js';
import { type Session, type SessionContext } from './pcap-gen/session.js';
import { buildSite } from './pcap-gen/site.js';
import { TcpSession } from './pcap-gen/tcp-session.js';

/** What to generate. */
export interface PcapOptions {
  /** Number of packets to write. */
  packets: number;
  /** PRNG seed; the same seed and options give the same bytes. */
  seed?: number;
  /** TCP connections open at any moment, many of them idle; the other kinds scale with it. */
  concurrency?: number;
  /** Time of the first packets, in Unix seconds. */
  start?: number;
  /** Size of the write buffer in bytes (three of them with the writer thread). */
  bufferBytes?: number;
  /** Write from a worker thread while generating; by default for captures of a million packets or more. */
  writerThread?: boolean;
}

/** What was written. */
export interface PcapResult {
  packets: number;
  /** File size in bytes. */
  bytes: number;
  /** Flows (5-tuples) that sent at least one packet. */
  flows: number;
}

/** One kind of session: how to make one, how many slots it holds, and how long a slot rests between sessions. */
interface Kind {
  make: (ctx: SessionContext) => Session;
  /** Slots per unit of `concurrency` (TCP connections), at least one slot. */
  share: number;
  /** Mean pause in microseconds before a finished session's slot starts the next one. */
  rest: number;
}

/** The session kinds; shares and rests tuned so the packet mix matches the module comment. */
const KINDS: Kind[] = [
  { make: (ctx) => new TcpSession(ctx, 'normal'), share: 1, rest: 50e3 },
  { make: (ctx) => new DnsSession(ctx), share: 0.3, rest: 1e6 },
  { make: (ctx) => new QuicSession(ctx), share: 0.01, rest: 5e6 },
  { make: (ctx) => new NtpSession(ctx), share: 0.02, rest: 10e6 },
  { make: (ctx) => new IcmpSession(ctx), share: 0.05, rest: 3e6 },
  { make: (ctx) => new TcpSession(ctx, 'scan'), share: 0.0002, rest: 5e3 },
];

/** Runs the sessions until `total` packets are written; returns the flows that sent a packet. */
function generate(w: FrameWriter, ctx: SessionContext, total: number, concurrency: number, t0: number): number {
  const r = ctx.r;
  const kinds: Kind[] = [];
  for (const k of KINDS) for (let i = Math.max(1, Math.round(k.share * concurrency)); i > 0; i--) kinds.push(k);
  const sessions = kinds.map((k) => k.make(ctx));
  const fresh = new Uint8Array(kinds.length).fill(1);
  // TCP slots open over the first twenty seconds, the others within one rest, so the rate builds up gradually.
  const heap = new EventHeap(kinds.map((k) => t0 + r() * (k === KINDS[0] ? 20e6 : k.rest)));
  let flows = 0;
  while (w.packets < total) {
    const slot = heap.topSlot();
    const now = heap.topTime();
    const s = sessions[slot];
    if (fresh[slot]) {
      fresh[slot] = 0;
      flows += s.flows;
    }
    const next = s.step(w, now);
    if (next >= 0) heap.replaceTop(next);
    else {
      const kind = kinds[slot];
      sessions[slot] = kind.make(ctx);
      fresh[slot] = 1;
      heap.replaceTop(now - Math.log(1 - r()) * kind.rest);
    }
  }
  return flows;
}

/** Writes a generated capture of `opts.packets` packets to `file`. */
export function writePcap(file: string, opts: PcapOptions): PcapResult {
  const r = rng(opts.seed ?? 1);
  const ctx: SessionContext = { r, site: buildSite(r), scanProbes: 0 };
  const pattern = Buffer.alloc(PATTERN_SIZE);
  for (let i = 0; i < PATTERN_SIZE; i++) pattern[i] = (r() * 256) | 0;
  const size = opts.bufferBytes ?? 8 << 20;
  const fd = fs.openSync(file, 'w');
  let sink: SyncSink | ThreadSink | null = null;
  try {
    sink = opts.writerThread ?? opts.packets >= 1e6 ? new ThreadSink(fd, size) : new SyncSink(fd);
    const w = new FrameWriter(sink, sink instanceof ThreadSink ? sink.first() : Buffer.alloc(size), pattern);
    const flows = generate(w, ctx, opts.packets, Math.max(1, opts.concurrency ?? 10_000), (opts.start ?? 1709251200) * 1e6);
    w.flush();
    sink.close();
    sink = null;
    return { packets: w.packets, bytes: w.flushed, flows };
  } finally {
    sink?.close();
    fs.closeSync(fd);
  }
}

// `node dist/bench/gen-pcap.js FILE PACKETS [seed]`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const [file, packets, seed] = process.argv.slice(2);
  if (!file || !packets || !(Number(packets) > 0)) {
    process.stderr.write('usage: gen-pcap FILE PACKETS [seed]\n');
    process.exit(2);
  }
  const t = performance.now();
  const res = writePcap(file, { packets: Number(packets), seed: seed === undefined ? 1 : Number(seed) });
  const s = (performance.now() - t) / 1000;
  process.stdout.write(
    `${file}: ${res.packets} packets, ${res.bytes} bytes, ${res.flows} flows in ${s.toFixed(2)} s ` +
      `(${(res.packets / s / 1e6).toFixed(2)} M packets/s, ${(res.bytes / s / 2 ** 20).toFixed(0)} MiB/s)\n`,
  );
}
