/**
 * Test support for application detection: reads the packet rows extract.sh took from real captures
 * (test/fixtures/app-detect), groups them into connections the way a flow table would (the
 * originator is whoever sent the connection's first packet, its SYN when captured), replays each
 * connection's payloads through an AppDetector, and reads the oracles: tshark's own protocol
 * identification and fields, and Zeek's logs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppDetector, type AppDetectorOptions } from './app-detector.js';
import { AppFlowState } from './app-flow-state.js';

/** Path of a fixture file. */
export function fixturePath(name: string): string {
  return path.join(process.cwd(), 'test/fixtures/app-detect', name);
}

/** One row of NAME.packets.tsv. */
export interface PacketRow {
  frame: number;
  ipProto: number;
  transport: 'tcp' | 'udp';
  stream: number;
  src: string;
  sport: number;
  dport: number;
  tcpFlags: number;
  retransmission: boolean;
  payload: Uint8Array;
  /** tshark's frame.protocols. */
  protocols: string;
  /** tshark's decoding of the fields the detector also reads ('' when absent; lists joined with ','). */
  sni: string;
  alpn: string;
  httpMethod: string;
  httpUri: string;
  httpHost: string;
  httpUserAgent: string;
  httpCode: string;
  /** TLS handshake message types in the frame, e.g. '1' (ClientHello) or '2,11,12,14'. */
  tlsHandshakeTypes: string;
  tlsHandshakeVersion: string;
  tlsSupportedVersion: string;
  quicVersion: string;
}

const SEP = '\x1e';

/** Reads NAME.packets.tsv. */
export function readPackets(name: string): PacketRow[] {
  const lines = readFileSync(fixturePath(`${name}.packets.tsv`), 'utf8').split('\n');
  const head = lines[0].split('\t');
  const col = (c: string[], n: string): string => c[head.indexOf(n)] ?? '';
  const rows: PacketRow[] = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const c = line.split('\t');
    rows.push({
      frame: Number(col(c, 'frame')),
      ipProto: Number(col(c, 'ip_proto')),
      transport: col(c, 'transport') as 'tcp' | 'udp',
      stream: Number(col(c, 'stream')),
      src: col(c, 'src'),
      sport: Number(col(c, 'sport')),
      dport: Number(col(c, 'dport')),
      tcpFlags: col(c, 'tcp_flags') === '' ? 0 : Number(col(c, 'tcp_flags')),
      retransmission: col(c, 'retransmission') === '1',
      payload: Buffer.from(col(c, 'payload'), 'hex'),
      protocols: col(c, 'protocols'),
      sni: col(c, 'sni').split(SEP).join(','),
      alpn: col(c, 'alpn').split(SEP).join(','),
      httpMethod: col(c, 'http_method'),
      httpUri: col(c, 'http_uri'),
      httpHost: col(c, 'http_host'),
      httpUserAgent: col(c, 'http_user_agent'),
      httpCode: col(c, 'http_code'),
      tlsHandshakeTypes: col(c, 'tls_hs_type').split(SEP).join(','),
      tlsHandshakeVersion: col(c, 'tls_hs_version').split(SEP).join(','),
      tlsSupportedVersion: col(c, 'tls_supported_version').split(SEP).join(','),
      quicVersion: col(c, 'quic_version'),
    });
  }
  return rows;
}

/** One connection of a fixture: its packets in capture order and what detection made of them. */
export interface Connection {
  key: string;
  transport: 'tcp' | 'udp';
  origAddr: string;
  origPort: number;
  respPort: number;
  rows: PacketRow[];
  state: AppFlowState;
}

/** Groups rows into connections by tshark's stream index and replays their payloads. */
export function replay(name: string, opts?: AppDetectorOptions): Connection[] {
  const detector = new AppDetector(opts);
  const conns = new Map<string, Connection>();
  for (const row of readPackets(name)) {
    const key = `${row.transport}:${row.stream}`;
    let c = conns.get(key);
    if (c === undefined) {
      // A lone SYN-ACK first means the SYN was missed: its receiver is the originator.
      const synAck = (row.tcpFlags & 0x12) === 0x12;
      c = {
        key,
        transport: row.transport,
        origAddr: synAck ? '' : row.src,
        origPort: synAck ? row.dport : row.sport,
        respPort: synAck ? row.sport : row.dport,
        rows: [],
        state: new AppFlowState(),
      };
      conns.set(key, c);
    }
    c.rows.push(row);
    const fromOrig = c.origAddr === '' ? row.sport === c.origPort : row.src === c.origAddr && row.sport === c.origPort;
    if (row.payload.length > 0) detector.inspect(c.state, row.payload, 0, row.payload.length, row.ipProto, row.sport, row.dport, fromOrig);
  }
  return [...conns.values()];
}

/** tshark's name for a protocol layer mapped to the service the detector should report. */
const TSHARK_SERVICE: Record<string, string> = {
  dns: 'dns',
  mdns: 'dns',
  nbns: 'dns',
  llmnr: 'dns',
  http: 'http',
  tls: 'ssl',
  ssl: 'ssl',
  quic: 'quic',
  ssh: 'ssh',
  smb: 'smb',
  smb2: 'smb',
  rdp: 'rdp',
  ntp: 'ntp',
  dhcp: 'dhcp',
  bootp: 'dhcp',
  smtp: 'smtp',
  ftp: 'ftp',
  kerberos: 'krb',
  sip: 'sip',
  mysql: 'mysql',
  pgsql: 'postgresql',
};

/**
 * Layers after which tshark's names no longer describe the connection: SMB mailslot messages inside
 * NetBIOS datagrams (UDP 138) are not an SMB session, and Zeek has no analyzer for them either.
 */
const TSHARK_STOP = new Set(['nbdgm']);

/**
 * The service tshark identified for a connection: the first protocol in any packet's layer list
 * (after the transport) that names one the detector knows, or null when tshark found none.
 */
export function tsharkService(c: Connection): string | null {
  for (const row of c.rows) {
    const layers = row.protocols.split(':');
    const t = layers.lastIndexOf(c.transport);
    for (const layer of layers.slice(t + 1)) {
      if (TSHARK_STOP.has(layer)) break;
      const s = TSHARK_SERVICE[layer];
      if (s !== undefined) return s;
    }
  }
  return null;
}

/** The `key: value` lines of each `- filter:` block of a suricata-verify test.yaml. */
export function readSuricataChecks(file: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let cur: Record<string, string> | null = null;
  for (const line of readFileSync(fixturePath(file), 'utf8').split('\n')) {
    if (/^\s*- filter:/.test(line)) out.push((cur = {}));
    const m = /^\s+([\w.[\]]+):\s+(.+)$/.exec(line);
    if (cur !== null && m !== null) cur[m[1]] = m[2].trim();
  }
  return out;
}

/** The data rows of a Zeek TSV log (or .cut baseline with its own header line) as objects. */
export function readZeekLog(file: string): Record<string, string>[] {
  const lines = readFileSync(fixturePath(file), 'utf8').split('\n');
  let fields: string[] | null = null;
  const out: Record<string, string>[] = [];
  for (const line of lines) {
    if (line.startsWith('#fields\t')) {
      fields = line.split('\t').slice(1);
    } else if (line === '' || line.startsWith('#')) {
      continue;
    } else if (fields === null) {
      fields = line.split('\t'); // a .cut baseline: its first line names the columns
    } else {
      const c = line.split('\t');
      out.push(Object.fromEntries(fields.map((f, i) => [f, c[i] ?? ''])));
    }
  }
  return out;
}

/** One crafted packet: its bytes (a string is taken as latin1) and whether the originator sent it. */
export type Sent = [bytes: Uint8Array | string, fromOrig: boolean];

/** The bytes of a crafted payload: a string is taken as latin1, bytes as they are. */
export function bytes(s: Uint8Array | string): Uint8Array {
  return typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
}

/**
 * Feeds crafted packets of one connection between clientPort (the originator's) and serverPort
 * through a new detector and returns the connection's detection state.
 */
export function run(sent: Sent[], transport: 'tcp' | 'udp', clientPort: number, serverPort: number, opts?: AppDetectorOptions): AppFlowState {
  const detector = new AppDetector(opts);
  const st = new AppFlowState();
  for (const [data, fromOrig] of sent) {
    const b = bytes(data);
    const [sp, dp] = fromOrig ? [clientPort, serverPort] : [serverPort, clientPort];
    detector.inspect(st, b, 0, b.length, transport === 'tcp' ? 6 : 17, sp, dp, fromOrig);
  }
  return st;
}

/** The payload of a fixture's frame. */
export function framePayload(name: string, frame: number): Buffer {
  const row = readPackets(name).find((r) => r.frame === frame);
  if (row === undefined) throw new Error(`${name} has no frame ${frame}`);
  return Buffer.from(row.payload);
}

/** A small deterministic random generator (xorshift32), so fuzz failures can be replayed. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}
