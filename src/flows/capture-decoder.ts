/**
 * The `pcap` format: packet captures (pcap and pcapng) to connections and DNS transactions, as Zeek
 * would log them. It composes the capture reader, the packet decoder, the flow table, application
 * detection and the DNS decoder; each packet goes through all of them without allocating, and rows
 * are written only when a connection or DNS transaction ends.
 */
import { createCaptureReader, sniffCapture } from '../decode/capture/capture-reader.js';
import type { DecodeContext, Decoder, DecoderDef, FlowSettings } from '../decode/decoder.js';
import { decodeDnsMessage, DnsMessage } from '../decode/dns/dns-message.js';
import { DnsTcpStream } from '../decode/dns/dns-tcp.js';
import { DnsTransactions, type DnsTransaction } from '../decode/dns/dns-transactions.js';
import { writeFlowKey, protoName, type FlowKey } from '../decode/flow-key.js';
import { PacketDecoder } from '../decode/packet/decode-packet.js';
import { DecodeResult, PacketInfo, TunnelKind } from '../decode/packet/packet-info.js';
import { CONNECTIONS, DNS, columnIndex } from '../model/fields.js';
import { formatAddress } from '../model/address-format.js';
import { AppDetector } from './app-detect/app-detector.js';
import { AppFlowState } from './app-detect/app-flow-state.js';
import { connectionExtra } from './connection-extra.js';
import type { ConnectionRecord } from './connection-record.js';
import { ExportPayloads } from './export-payloads.js';
import { FLOW_TABLE_DEFAULTS, type FlowTableOptions } from './flow-config.js';
import { FlowSharder } from './flow-shard.js';
import { FlowTable, type FlowHandle } from './flow-table.js';

const C = columnIndex(CONNECTIONS);
const D = columnIndex(DNS);

/** Ports on which UDP and TCP payloads are decoded as DNS (53 DNS, 5353 mDNS, 5355 LLMNR). */
function isDnsPort(p: number): boolean {
  return p === 53 || p === 5353 || p === 5355;
}

/** Settings of capture decoding: the user's flow settings over the decoder's defaults. */
export type CaptureDecodeOptions = FlowSettings;

/** What a connection carries for DNS over TCP and for joining DNS rows to it. */
interface DnsFlow {
  readonly serial: number;
  readonly uid: string;
  readonly origH: string;
  readonly origP: number;
  readonly respH: string;
  readonly respP: number;
  readonly proto: number;
  /** The connection's Community ID, hashed once for all its rows (null: computed from the row's text). */
  readonly cid: string | null;
  origStream: DnsTcpStream | null;
  respStream: DnsTcpStream | null;
}

class CaptureDecoder implements Decoder {
  private readonly pi = new PacketInfo();
  /** The outer packet of a UDP tunnel, which Zeek logs as a connection of its own. */
  private readonly outer = new PacketInfo();
  /** uid of the tunnel connection that carried each inner connection (Zeek's tunnel_parents). */
  private readonly parents: (string | undefined)[] = [];
  private readonly pd = new PacketDecoder();
  private readonly flows: FlowTable;
  private readonly app = new AppDetector();
  private readonly appState: (AppFlowState | undefined)[] = [];
  private readonly dnsMsg = new DnsMessage();
  private readonly dnsTx: DnsTransactions<DnsFlow>;
  private readonly dnsFlows: (DnsFlow | undefined)[] = [];
  private readonly exports: ExportPayloads;
  private readonly reader;
  private readonly fk: FlowKey = {
    tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null,
  };
  private packetNo = 0;
  private readonly sensor: string | null;
  /** The current packet's time, for DNS over TCP callbacks. */
  private now = 0;
  private tcpFromOrig = true;
  private tcpFlow: DnsFlow | null = null;
  /** Parallel decoders of one input (1: this one does it all) and which one this is. */
  private readonly shards: number;
  private readonly shardIndex: number;
  /** The shard that reports what belongs to no connection (read problems, undecodable packets). */
  private readonly primary: boolean;
  private readonly sharder: FlowSharder | null;

  constructor(
    private readonly ctx: DecodeContext,
    opts: CaptureDecodeOptions,
  ) {
    this.sensor = ctx.sensor;
    this.shards = ctx.shard?.count ?? 1;
    this.shardIndex = ctx.shard?.index ?? 0;
    this.primary = this.shardIndex === 0;
    this.sharder = this.shards > 1 ? new FlowSharder(this.pi, this.shards) : null;
    this.exports = new ExportPayloads(ctx);
    // Connection uids must differ between inputs: seed them from the ingest and the input's name.
    let seed = ctx.ingestId * 1_000_003;
    for (let i = 0; i < ctx.inputName.length; i++) seed = (Math.imul(seed, 31) + ctx.inputName.charCodeAt(i)) >>> 0;
    this.flows = new FlowTable(
      // Zeek's default connection key is the plain 5-tuple: a query and its answer seen on different
      // VLANs (asymmetric taps) are one connection. VLAN ids are kept in the record's extra.
      {
        interimInterval: 0,
        ...opts,
        // Shards share the memory bound.
        maxFlows: Math.max(1, Math.ceil((opts.maxFlows ?? FLOW_TABLE_DEFAULTS.maxFlows) / this.shards)),
        uidSeed: seed,
        vlanInKey: false,
      },
      (c, h) => this.connection(c, h),
    );
    this.dnsTx = new DnsTransactions<DnsFlow>((tx) => this.dnsRow(tx));
    this.reader = createCaptureReader(
      (lt, ts, buf, off, cap, wire) => this.packet(lt, ts, buf, off, cap, wire),
      (code, offset, detail) => {
        if (this.primary) ctx.skip(code, this.packetNo + 1, `at byte ${offset}${detail ? `: ${detail}` : ''}`);
      },
    );
  }

  push(chunk: Buffer): void {
    this.reader.push(chunk);
  }

  finish(): void {
    this.reader.finish();
    this.flows.flush();
    this.dnsTx.flush();
    this.exports.finish();
    if (!this.primary) return;
    for (const [code, n] of this.pd.weirds) for (let i = 0; i < n; i++) this.ctx.ignore(`weird:${code}`);
  }

  private packet(linkType: number, ts: number, buf: Uint8Array, off: number, capLen: number, wireLen: number): void {
    this.packetNo++;
    const pi = this.pi;
    const r = this.pd.decode(linkType, buf, off, capLen, wireLen, ts, pi);
    if (r !== DecodeResult.Ok) {
      if (!this.primary) return;
      if (r === DecodeResult.NotIp) this.ctx.ignore('not_ip');
      else if (r === DecodeResult.Unsupported) this.ctx.ignore(`unsupported:${pi.weird}`);
      else if (r === DecodeResult.Malformed) this.ctx.skip('malformed_packet', this.packetNo, pi.weird);
      return;
    }
    if (this.sharder !== null && this.sharder.shard() !== this.shardIndex) {
      // Another shard's packet still moves time on here, so connections expire as in one decoder.
      this.flows.clock(pi.tsMicros);
      return;
    }
    const parent = pi.tunnel !== TunnelKind.None && pi.tunnelIpProto === 17 ? this.tunnelPacket(pi) : undefined;
    // Connections are numbered by the packet that started them (two per packet: a tunnel's own
    // connection, then the one inside), so parallel shards give the uids one decoder would.
    this.flows.nextSerial = this.packetNo * 2 + 1;
    const h = this.flows.packet(pi);
    if (h < 0) return;
    const fromOrig = this.flows.lastFromOrig;
    if (this.flows.lastIsNew) {
      this.appState[h] = undefined;
      this.dnsFlows[h] = undefined;
      this.parents[h] = parent;
    }
    if (pi.payloadCapLen === 0 || !pi.transportOk) return;
    if (this.flows.lastIsNew && pi.tunnel === TunnelKind.None && pi.ipProto === 17) this.tunnelCarrier(h);
    const proto = pi.ipProto;
    const exportKind = proto === 17 ? this.exports.kind(pi.dstPort, pi.buf, pi.payloadOffset, pi.payloadCapLen) : null;
    if (exportKind !== null) {
      this.exports.decode(exportKind, pi.buf, pi.payloadOffset, pi.payloadCapLen, formatAddress(pi.src, 0, pi.ipVersion === 6), pi.tsMicros);
      this.flows.setService(h, exportKind);
      return;
    }
    let st = this.appState[h];
    if (st === undefined) st = this.appState[h] = new AppFlowState();
    if ((proto === 17 || proto === 6) && (isDnsPort(pi.dstPort) || isDnsPort(pi.srcPort))) {
      this.dns(h, fromOrig, st);
      if (st.service === 'dns') return;
    }
    if (!st.done) {
      const before = st.service;
      this.app.inspect(st, pi.buf, pi.payloadOffset, pi.payloadCapLen, proto, pi.srcPort, pi.dstPort, fromOrig);
      if (st.service !== null && st.service !== before) this.flows.setService(h, st.service);
    }
  }

  /** Accounts the outer UDP packet of a VXLAN, Geneve or Teredo tunnel; returns the tunnel's uid. */
  private tunnelPacket(pi: PacketInfo): string | undefined {
    const o = this.outer;
    o.reset();
    o.tsMicros = pi.tsMicros;
    o.wireLen = pi.wireLen;
    o.capLen = pi.capLen;
    o.vlan = pi.vlan;
    o.innerVlan = pi.innerVlan;
    o.ipVersion = pi.tunnelIpVersion;
    o.src.set(pi.tunnelSrc);
    o.dst.set(pi.tunnelDst);
    o.ipProto = 17;
    o.ipLen = pi.tunnelIpLen;
    o.transportOk = true;
    o.srcPort = pi.tunnelSrcPort;
    o.dstPort = pi.tunnelDstPort;
    o.payloadLen = Math.max(0, pi.tunnelIpLen - (o.ipVersion === 4 ? 20 : 40) - 8);
    this.flows.nextSerial = this.packetNo * 2;
    const h = this.flows.packet(o);
    if (h < 0) return undefined;
    if (this.flows.lastIsNew) {
      this.appState[h] = undefined;
      this.dnsFlows[h] = undefined;
      this.parents[h] = undefined;
      const kind = pi.tunnel === TunnelKind.Vxlan ? 'vxlan' : pi.tunnel === TunnelKind.Geneve ? 'geneve' : 'teredo';
      this.flows.setService(h, kind);
    }
    return this.flows.uid(h);
  }

  /**
   * A VXLAN or Geneve packet whose inner frame is not IP (ARP, say) is decoded as its carrier: it is
   * still a tunnel connection, as Zeek's service says, when its header checks out.
   */
  private tunnelCarrier(h: FlowHandle): void {
    const pi = this.pi;
    const b = pi.buf;
    const p = pi.payloadOffset;
    if (pi.payloadCapLen < 8) return;
    if (pi.dstPort === 4789 && (b[p] & 0x08) !== 0) this.flows.setService(h, 'vxlan');
    else if (pi.dstPort === 6081 && b[p] >> 6 === 0) this.flows.setService(h, 'geneve');
  }

  private dnsFlowFor(h: FlowHandle, fromOrig: boolean): DnsFlow {
    let f = this.dnsFlows[h];
    if (f === undefined) {
      const pi = this.pi;
      const v6 = pi.ipVersion === 6;
      const src = formatAddress(pi.src, 0, v6);
      const dst = formatAddress(pi.dst, 0, v6);
      f = {
        serial: this.flows.serial(h),
        uid: this.flows.uid(h),
        origH: fromOrig ? src : dst,
        origP: fromOrig ? pi.srcPort : pi.dstPort,
        respH: fromOrig ? dst : src,
        respP: fromOrig ? pi.dstPort : pi.srcPort,
        proto: pi.ipProto,
        cid: this.flows.communityId(h),
        origStream: null,
        respStream: null,
      };
      this.dnsFlows[h] = f;
    }
    return f;
  }

  private dns(h: FlowHandle, fromOrig: boolean, st: AppFlowState): void {
    const pi = this.pi;
    const f = this.dnsFlowFor(h, fromOrig);
    this.now = pi.tsMicros;
    if (pi.ipProto === 17) {
      const res = decodeDnsMessage(pi.buf, pi.payloadOffset, pi.payloadCapLen, this.dnsMsg);
      if (!this.dnsMsg.headerOk) return;
      if (res !== 'ok') this.ctx.ignore(`dns_weird:${res}`);
      if (st.service === null) {
        st.confirm('dns');
        this.flows.setService(h, 'dns');
      }
      const multicast = pi.dstPort === 5353 || pi.dstPort === 5355;
      this.dnsTx.observe(f, pi.tsMicros, fromOrig, this.dnsMsg, multicast);
      return;
    }
    // DNS over TCP: length-prefixed messages, possibly several per segment or split across segments.
    let s = fromOrig ? f.origStream : f.respStream;
    if (s === null) {
      s = new DnsTcpStream((buf, off, len) => this.dnsTcpMessage(buf, off, len));
      if (fromOrig) f.origStream = s;
      else f.respStream = s;
    }
    this.tcpFromOrig = fromOrig;
    this.tcpFlow = f;
    s.push(pi.buf, pi.payloadOffset, pi.payloadCapLen);
    if (st.service === null && this.dnsMsg.headerOk) {
      st.confirm('dns');
      this.flows.setService(h, 'dns');
    }
  }

  private dnsTcpMessage(buf: Uint8Array, off: number, len: number): void {
    decodeDnsMessage(buf, off, len, this.dnsMsg);
    if (this.dnsMsg.headerOk && this.tcpFlow !== null) this.dnsTx.observe(this.tcpFlow, this.now, this.tcpFromOrig, this.dnsMsg);
  }

  private connection(c: ConnectionRecord, h: FlowHandle): void {
    const st = this.appState[h];
    const f = this.dnsFlows[h];
    if (!c.interim) {
      if (f !== undefined) {
        f.origStream?.end();
        f.respStream?.end();
        this.dnsTx.endFlow(f);
      }
      this.appState[h] = undefined;
      this.dnsFlows[h] = undefined;
    }
    const parent = this.parents[h];
    if (!c.interim) this.parents[h] = undefined;
    const b = this.ctx.batch('connections');
    const r = b.addRow();
    const fk = this.fk;
    fk.tsMicros = c.ts;
    fk.uid = c.uid;
    fk.origH = c.orig_h;
    fk.origP = c.orig_p;
    fk.respH = c.resp_h;
    fk.respP = c.resp_p;
    fk.proto = protoName(c.ip_proto);
    fk.communityId = f !== undefined ? f.cid : this.flows.communityId(h);
    writeFlowKey(b, r, fk, 'pcap', this.sensor, this.ctx.ingestId);
    b.setStr(C.service, r, c.service);
    if (c.duration !== null) b.setNum(C.duration, r, c.duration);
    if (c.orig_bytes !== null) b.setNum(C.orig_bytes, r, c.orig_bytes);
    if (c.resp_bytes !== null) b.setNum(C.resp_bytes, r, c.resp_bytes);
    b.setStr(C.conn_state, r, c.conn_state);
    b.setNum(C.missed_bytes, r, c.missed_bytes);
    b.setStr(C.history, r, c.history);
    b.setNum(C.orig_pkts, r, c.orig_pkts);
    b.setNum(C.orig_ip_bytes, r, c.orig_ip_bytes);
    b.setNum(C.resp_pkts, r, c.resp_pkts);
    b.setNum(C.resp_ip_bytes, r, c.resp_ip_bytes);
    b.setNum(C.end_ts, r, c.end_ts);
    b.setStr(C.state_reason, r, c.state_reason);
    if (parent !== undefined) b.pushStr(C.tunnel_parents, r, parent);
    b.setStr(C.extra, r, connectionExtra(c, st !== undefined ? st.attrs : null));
  }

  private dnsRow(tx: DnsTransaction<DnsFlow>): void {
    const f = tx.flow;
    const b = this.ctx.batch('dns');
    const r = b.addRow();
    const fk = this.fk;
    fk.tsMicros = tx.ts;
    fk.uid = f.uid;
    // Zeek orients a DNS row by who asked: flip the connection's tuple when the responder was the client.
    const flip = !tx.client_is_orig;
    fk.origH = flip ? f.respH : f.origH;
    fk.origP = flip ? f.respP : f.origP;
    fk.respH = flip ? f.origH : f.respH;
    fk.respP = flip ? f.origP : f.respP;
    fk.proto = protoName(f.proto);
    fk.communityId = f.cid;
    writeFlowKey(b, r, fk, 'pcap', this.sensor, this.ctx.ingestId);
    b.setNum(D.trans_id, r, tx.trans_id);
    if (tx.rtt !== null) b.setNum(D.rtt, r, tx.rtt);
    b.setStr(D.query, r, tx.query);
    if (tx.qclass !== null) b.setNum(D.qclass, r, tx.qclass);
    b.setStr(D.qclass_name, r, tx.qclass_name);
    if (tx.qtype !== null) b.setNum(D.qtype, r, tx.qtype);
    b.setStr(D.qtype_name, r, tx.qtype_name);
    if (tx.rcode !== null) b.setNum(D.rcode, r, tx.rcode);
    b.setStr(D.rcode_name, r, tx.rcode_name);
    b.setBool(D.aa, r, tx.aa);
    b.setBool(D.tc, r, tx.tc);
    b.setBool(D.rd, r, tx.rd);
    b.setBool(D.ra, r, tx.ra);
    b.setNum(D.z, r, tx.z);
    if (tx.answers !== null) {
      b.setEmptyList(D.answers, r);
      for (const a of tx.answers) b.pushStr(D.answers, r, a);
    }
    if (tx.ttls !== null) {
      b.setEmptyList(D.ttls, r);
      for (const t of tx.ttls) b.pushNum(D.ttls, r, t);
    }
    b.setBool(D.rejected, r, tx.rejected);
  }
}

/** The registered capture format. */
export const pcapFormat: DecoderDef = {
  name: 'pcap',
  description: 'packet captures (pcap, pcapng) to connections and DNS, as Zeek would log them',
  positionUnit: 'packet',
  sniff: (head) => sniffCapture(head),
  // Split by flow over decode workers (see flow-shard.ts); rows are the same as one decoder's.
  shardable: true,
  // Live captures report long connections every 5 minutes (rows with state_reason 'interim').
  create: (ctx) => new CaptureDecoder(ctx, { interimInterval: ctx.live ? 300_000_000 : 0, ...flowTableSettings(ctx.flow) }),
};

/** The flow table's share of the flow settings (the Community ID seed is the decode thread's, not the table's). */
function flowTableSettings(flow: FlowSettings | undefined): FlowTableOptions {
  if (flow === undefined) return {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(flow)) if (k !== 'communityIdSeed' && v !== undefined) out[k] = v;
  return out;
}
