/**
 * Test support for the DNS decoder: reads the fixtures in test/fixtures/dns (packet payloads extracted
 * from real captures by extract.sh, and the oracles published with them) and replays payloads through
 * the decoder, the TCP framer and the transaction tracker with a minimal flow table of its own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeDnsMessage, DnsMessage, DnsSection } from './dns-message.js';
import { DnsTcpStream } from './dns-tcp.js';
import { type DnsTransaction, type DnsTransactionOptions, DnsTransactions } from './dns-transactions.js';
import { DnsWeirdCounts } from './dns-weird.js';

/** Path of a fixture file. */
export function fixturePath(name: string): string {
  return path.join(process.cwd(), 'test/fixtures/dns', name);
}

/** One packet row of a NAME.payloads.tsv file. */
export interface PayloadRow {
  frame: number;
  tsMicros: number;
  src: string;
  dst: string;
  transport: 'udp' | 'tcp';
  sport: number;
  dport: number;
  tcpSeq: number;
  tcpFlags: number;
  checksumOk: boolean;
  payload: Uint8Array;
}

/** Reads NAME.payloads.tsv. */
export function readPayloads(name: string): PayloadRow[] {
  const lines = readFileSync(fixturePath(`${name}.payloads.tsv`), 'utf8').split('\n');
  const rows: PayloadRow[] = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const c = line.split('\t');
    const [sec, frac = '0'] = c[1].split('.');
    rows.push({
      frame: Number(c[0]),
      tsMicros: Number(sec) * 1e6 + Number(frac.padEnd(6, '0').slice(0, 6)),
      src: c[2],
      dst: c[3],
      transport: c[4] as 'udp' | 'tcp',
      sport: Number(c[5]),
      dport: Number(c[6]),
      tcpSeq: c[7] === '' ? 0 : Number(c[7]),
      tcpFlags: c[8] === '' ? 0 : Number(c[8]),
      checksumOk: c[9] !== 'bad',
      payload: Buffer.from(c[10], 'hex'),
    });
  }
  return rows;
}

/** A decoded message copied out of the reused DnsMessage, for assertions. */
export interface MessageSnapshot {
  frame: number;
  fromOrig: boolean;
  result: string;
  headerOk: boolean;
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  z: number;
  rcode: number;
  counts: [number, number, number, number];
  questions: { name: string; qtype: number; qclass: number }[];
  records: { section: DnsSection; name: string; type: number; rclass: number; ttl: number; text: string; zeekReply: boolean }[];
  edns: { udpSize: number; version: number; do: boolean; extRcode: number } | null;
  weirds: string[];
}

/** Copies what a test needs out of a decoded message. */
export function snapshot(m: DnsMessage, frame: number, fromOrig: boolean): MessageSnapshot {
  const recs = m.recordList();
  return {
    frame,
    fromOrig,
    result: m.result,
    headerOk: m.headerOk,
    id: m.id,
    qr: m.qr,
    opcode: m.opcode,
    aa: m.aa,
    tc: m.tc,
    rd: m.rd,
    ra: m.ra,
    z: m.z,
    rcode: m.rcode,
    counts: [m.qdcount, m.ancount, m.nscount, m.arcount],
    questions: m.questionList().map((q) => ({ name: q.name, qtype: q.qtype, qclass: q.qclass })),
    records: recs.map((r) => ({ section: r.section, name: r.name, type: r.type, rclass: r.rclass, ttl: r.ttl, text: r.text, zeekReply: r.zeekReply })),
    edns: m.edns ? { udpSize: m.ednsUdpSize, version: m.ednsVersion, do: m.ednsDo, extRcode: m.ednsExtendedRcode } : null,
    weirds: [...m.weirds],
  };
}

/** What replaying one capture produced. */
export interface Replay {
  messages: MessageSnapshot[];
  transactions: (DnsTransaction<string> & { proto: string })[];
  weirds: DnsWeirdCounts;
  tcp: { gaps: number; resyncSkips: number; partial: number };
}

interface Direction {
  stream: DnsTcpStream;
  next: number | null;
}

interface Flow {
  key: string;
  orig: string;
  proto: 'udp' | 'tcp';
  dirs: Map<boolean, Direction>;
}

/** Options of a replay. */
export interface ReplayOptions {
  /** Drop packets with a bad checksum, as Zeek does unless run with -C. */
  dropBadChecksums?: boolean;
  tracker?: Partial<DnsTransactionOptions>;
}

/**
 * Replays NAME.payloads.tsv: UDP payloads are one message each; TCP payloads go through a DnsTcpStream
 * per direction, with gaps told from the sequence numbers. Every message goes to the decoder and the
 * transaction tracker; a flow's originator is the sender of its first packet.
 */
export function replay(name: string, opts: ReplayOptions = {}): Replay {
  const msg = new DnsMessage();
  const out: Replay = { messages: [], transactions: [], weirds: new DnsWeirdCounts(), tcp: { gaps: 0, resyncSkips: 0, partial: 0 } };
  const flows = new Map<string, Flow>();
  const protoOf = new Map<string, string>();
  const tracker = new DnsTransactions<string>((tx) => out.transactions.push({ ...tx, proto: protoOf.get(tx.flow) ?? '?' }), opts.tracker);
  let frame = 0;
  let ts = 0;
  const handle = (flow: Flow, fromOrig: boolean) => (buf: Uint8Array, off: number, len: number, partial: boolean) => {
    if (partial) out.tcp.partial++;
    decodeDnsMessage(buf, off, len, msg);
    out.weirds.addAll(msg.weirds);
    out.messages.push(snapshot(msg, frame, fromOrig));
    tracker.observe(flow.key, ts, fromOrig, msg);
  };
  for (const row of readPayloads(name)) {
    if (opts.dropBadChecksums && !row.checksumOk) continue;
    const a = `${row.src}|${row.sport}`;
    const b = `${row.dst}|${row.dport}`;
    const key = `${row.transport}|${a < b ? a + '|' + b : b + '|' + a}`;
    let flow = flows.get(key);
    if (flow === undefined) {
      flow = { key, orig: a, proto: row.transport, dirs: new Map() };
      flows.set(key, flow);
      protoOf.set(key, row.transport);
    }
    const fromOrig = flow.orig === a;
    frame = row.frame;
    ts = row.tsMicros;
    if (row.transport === 'udp') {
      handle(flow, fromOrig)(row.payload, 0, row.payload.length, false);
      continue;
    }
    let dir = flow.dirs.get(fromOrig);
    if (dir === undefined) {
      dir = { stream: new DnsTcpStream(handle(flow, fromOrig)), next: null };
      flow.dirs.set(fromOrig, dir);
    }
    let seq = row.tcpSeq;
    if (row.tcpFlags & 0x02) seq = (seq + 1) >>> 0; // SYN takes one sequence number
    if (dir.next === null) dir.next = seq;
    let data = row.payload;
    if (data.length > 0) {
      const ahead = (seq - dir.next) | 0;
      if (ahead > 0) {
        dir.stream.gap();
        out.tcp.gaps++;
      } else if (ahead < 0) data = data.subarray(Math.min(-ahead, data.length)); // retransmitted bytes
      dir.stream.push(data);
      const endSeq = (seq + row.payload.length) >>> 0;
      if (((endSeq - dir.next) | 0) > 0) dir.next = endSeq;
    }
    if (row.tcpFlags & 0x05) dir.stream.end(); // FIN or RST
  }
  for (const flow of flows.values()) for (const d of flow.dirs.values()) {
    d.stream.end();
    out.tcp.resyncSkips += d.stream.resyncSkips;
  }
  tracker.flush();
  return out;
}

/** One record of a Zeek TSV log: field name to value, `-` as null, `(empty)` as ''. */
export type ZeekRecord = Record<string, string | null>;

/** Reads a Zeek TSV log (a btest baseline). */
export function readZeekLog(file: string): ZeekRecord[] {
  const lines = readFileSync(fixturePath(file), 'utf8').split('\n');
  let fields: string[] = [];
  const out: ZeekRecord[] = [];
  for (const line of lines) {
    if (line.startsWith('#fields\t')) fields = line.split('\t').slice(1);
    if (line === '' || line.startsWith('#')) continue;
    const vals = line.split('\t');
    const rec: ZeekRecord = {};
    fields.forEach((f, i) => (rec[f] = vals[i] === '-' ? null : vals[i] === '(empty)' ? '' : vals[i]));
    out.push(rec);
  }
  return out;
}

/** One row of NAME.expected.tshark.tsv: field name to its values (tshark joins repeats with \x1e). */
export type TsharkRow = Record<string, string[]>;

/** Reads NAME.expected.tshark.tsv. */
export function readTshark(name: string): TsharkRow[] {
  const lines = readFileSync(fixturePath(`${name}.expected.tshark.tsv`), 'utf8').split('\n');
  const fields = lines[0].split('\t');
  return lines
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => {
      const row: TsharkRow = {};
      l.split('\t').forEach((v, i) => (row[fields[i]] = v === '' ? [] : v.split('\x1e')));
      return row;
    });
}

/** Builds a DNS message from parts, for crafted tests. */
export function craft(header: { id?: number; flags?: number; qd?: number; an?: number; ns?: number; ar?: number }, ...body: (number[] | Uint8Array | string)[]): Uint8Array {
  const h = [header.id ?? 0x1234, header.flags ?? 0x0100, header.qd ?? 0, header.an ?? 0, header.ns ?? 0, header.ar ?? 0];
  const bytes: number[] = [];
  for (const v of h) bytes.push(v >> 8, v & 0xff);
  for (const part of body) {
    if (typeof part === 'string') bytes.push(...wireName(part));
    else bytes.push(...part);
  }
  return Uint8Array.from(bytes);
}

/** A name in wire form, uncompressed ('' is the root). */
export function wireName(name: string): number[] {
  const out: number[] = [];
  if (name !== '') for (const label of name.split('.')) out.push(label.length, ...Buffer.from(label, 'latin1'));
  out.push(0);
  return out;
}

/** A big-endian 16-bit value as bytes. */
export function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}
/** A big-endian 32-bit value as bytes. */
export function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

/** A resource record's fixed part and data: type, class, TTL, then the data with its length. */
export function rr(type: number, rdata: number[], ttl = 300, rclass = 1): number[] {
  return [...u16(type), ...u16(rclass), ...u32(ttl), ...u16(rdata.length), ...rdata];
}
