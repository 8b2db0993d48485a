/**
 * Test helpers for the flow table: build PacketInfo objects from a few arguments (the packet decoder
 * is not needed), drive TCP conversations with automatic sequence numbers, and collect records.
 */
import { PacketInfo, TunnelKind } from '../decode/packet/packet-info.js';
import { parseIpInto } from '../model/ip.js';
import type { ConnectionRecord } from './connection-record.js';
import { FlowTable, type FlowTableOptions } from './flow-table.js';

/** One packet, described by what the flow table reads. */
export interface PacketSpec {
  /** Capture time in seconds (converted to microseconds). */
  t: number;
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  /** IP protocol number (default 6). */
  proto?: number;
  /** TCP flags as letters: S A F R P U (E, C for ECE, CWR). */
  flags?: string;
  seq?: number;
  ack?: number;
  win?: number;
  /** Transport payload length (for ICMP: after the 8-byte ICMP header). */
  len?: number;
  /** Payload bytes captured (default: all of len). */
  capLen?: number;
  /** IP total length (default: headers plus payload). */
  ipLen?: number;
  type?: number;
  code?: number;
  vlan?: number;
  innerVlan?: number;
  tunnel?: { kind: TunnelKind; src: string; dst: string };
  /** Set transportOk false (a truncated transport header). */
  broken?: boolean;
}

const FLAG_BITS: Record<string, number> = { F: 1, S: 2, R: 4, P: 8, A: 16, U: 32, E: 64, C: 128 };

/** Parses TCP flag letters into the flags byte. */
export function tcpFlags(letters: string): number {
  let f = 0;
  for (const c of letters) {
    const b = FLAG_BITS[c];
    if (b === undefined) throw new Error(`unknown TCP flag ${c}`);
    f |= b;
  }
  return f;
}

/** Builds a PacketInfo as the decoder would fill it. */
export function makePacket(s: PacketSpec): PacketInfo {
  const p = new PacketInfo();
  p.reset();
  p.tsMicros = Math.round(s.t * 1e6);
  const n = parseIpInto(s.src, p.src, 0);
  if (n === 0 || parseIpInto(s.dst, p.dst, 0) !== n) throw new Error(`bad addresses ${s.src} ${s.dst}`);
  p.ipVersion = n === 4 ? 4 : 6;
  const proto = s.proto ?? 6;
  p.ipProto = proto;
  const len = s.len ?? 0;
  let hdr = 0;
  if (proto === 6) {
    hdr = 20;
    p.srcPort = s.sport ?? 0;
    p.dstPort = s.dport ?? 0;
    p.tcpFlags = tcpFlags(s.flags ?? '');
    p.tcpSeq = (s.seq ?? 0) >>> 0;
    p.tcpAck = (s.ack ?? 0) >>> 0;
    p.tcpWindow = s.win ?? 65535;
  } else if (proto === 17) {
    hdr = 8;
    p.srcPort = s.sport ?? 0;
    p.dstPort = s.dport ?? 0;
  } else if (proto === 1 || proto === 58) {
    hdr = 8;
    p.icmpType = p.srcPort = s.type ?? 8;
    p.icmpCode = p.dstPort = s.code ?? 0;
  }
  p.transportOk = !s.broken;
  p.payloadLen = len;
  p.payloadCapLen = s.capLen ?? len;
  p.ipLen = s.ipLen ?? (n === 4 ? 20 : 40) + hdr + len;
  p.wireLen = p.capLen = p.ipLen + 14;
  p.vlan = s.vlan ?? -1;
  p.innerVlan = s.innerVlan ?? -1;
  if (s.tunnel) {
    p.tunnel = s.tunnel.kind;
    const m = parseIpInto(s.tunnel.src, p.tunnelSrc, 0);
    parseIpInto(s.tunnel.dst, p.tunnelDst, 0);
    p.tunnelIpVersion = m === 4 ? 4 : 6;
  }
  return p;
}

/** A flow table that keeps what it emits. */
export function collectingTable(opts: FlowTableOptions = {}): { table: FlowTable; records: ConnectionRecord[] } {
  const records: ConnectionRecord[] = [];
  const table = new FlowTable(opts, (c) => records.push(c));
  return { table, records };
}

/** Options of a TCP conversation. */
export interface ConversationOptions {
  client?: string;
  server?: string;
  cport?: number;
  sport?: number;
  /** Start time, seconds. */
  t0?: number;
  /** Seconds between packets. */
  step?: number;
  clientIsn?: number;
  serverIsn?: number;
}

/** Per-packet overrides in a conversation. */
export interface SendOptions {
  seq?: number;
  ack?: number;
  win?: number;
  /** Seconds since the previous packet (default: the conversation's step). */
  dt?: number;
  /** Do not advance the sender's next sequence number (e.g. for a retransmission). */
  hold?: boolean;
  capLen?: number;
}

/**
 * A TCP conversation between a client and a server that tracks sequence numbers, so scenarios read
 * like a trace: `c.c('S'); c.s('SA'); c.c('A'); c.c('PA', 100)`.
 */
export class TcpConversation {
  readonly client: string;
  readonly server: string;
  readonly cport: number;
  readonly sport: number;
  /** Next sequence number of each side. */
  cseq: number;
  sseq: number;
  t: number;
  private readonly step: number;
  lastHandle: number = -1;

  constructor(
    readonly table: FlowTable,
    o: ConversationOptions = {},
  ) {
    this.client = o.client ?? '10.0.0.1';
    this.server = o.server ?? '10.0.0.2';
    this.cport = o.cport ?? 51000;
    this.sport = o.sport ?? 80;
    this.t = o.t0 ?? 1000;
    this.step = o.step ?? 0.01;
    this.cseq = o.clientIsn ?? 1000;
    this.sseq = o.serverIsn ?? 5000;
  }

  /** Client to server. */
  c(flags: string, len = 0, o: SendOptions = {}): number {
    return this.send(true, flags, len, o);
  }

  /** Server to client. */
  s(flags: string, len = 0, o: SendOptions = {}): number {
    return this.send(false, flags, len, o);
  }

  /** The PacketInfo a send() would produce, without sending it. */
  packet(fromClient: boolean, flags: string, len = 0, o: SendOptions = {}): PacketInfo {
    const seq = o.seq ?? (fromClient ? this.cseq : this.sseq);
    const ack = o.ack ?? (flags.includes('A') ? (fromClient ? this.sseq : this.cseq) : 0);
    return makePacket({
      t: this.t,
      src: fromClient ? this.client : this.server,
      dst: fromClient ? this.server : this.client,
      sport: fromClient ? this.cport : this.sport,
      dport: fromClient ? this.sport : this.cport,
      flags,
      seq,
      ack,
      win: o.win,
      len,
      capLen: o.capLen,
    });
  }

  private send(fromClient: boolean, flags: string, len: number, o: SendOptions): number {
    this.t += o.dt ?? this.step;
    const p = this.packet(fromClient, flags, len, o);
    const rst = flags.includes('R');
    if (!o.hold) {
      const next = (p.tcpSeq + (rst ? 0 : len) + (flags.includes('S') ? 1 : 0) + (flags.includes('F') ? 1 : 0)) >>> 0;
      if (fromClient) this.cseq = next;
      else this.sseq = next;
    }
    this.lastHandle = this.table.packet(p);
    return this.lastHandle;
  }
}
