/**
 * pfSense and OPNsense `filterlog`: pf's packet log as one CSV line, after a BSD (RFC 3164) or RFC 5424
 * syslog envelope (see syslog-envelope.ts) or bare. Field layout (pfSense's "Raw Filter Log Format"):
 *
 *   rule, sub rule, anchor, tracker, interface, reason, action, direction, ip version,
 *   IPv4: tos, ecn, ttl, id, offset, flags, protocol id, protocol, length, src, dst
 *   IPv6: class, flow label, hop limit, protocol, protocol id, length, src, dst
 *   then TCP: src port, dst port, data length, flags, seq, ack, window, urg, options
 *        UDP: src port, dst port, data length
 *        ICMP: type name, then per type (request/reply: id, seq; unreachport: dst, proto, port; ...)
 *        CARP: type, ttl, vhid, version, advskew, advbase
 *
 * Mapping: rule_id = the rule number (rule stays null: filterlog carries no rule name; the tracker,
 * the rule's stable id, is in extra); action pass -> allow, block -> deny (pf logs a block the same way
 * whether it dropped silently or returned a reset), reject -> reject, other actions (nat, rdr, binat,
 * scrub) leave it null; the interface goes to in_iface or out_iface by direction; bytes = the IPv4 total
 * length or the IPv6 payload length as logged; packets = 1; ICMP type/code from the type name as ports.
 * Everything else is in extra, as written, except what a column holds exactly (docs/firewall-fields.md):
 * rule (rule_id), interface, src, dst, ports, proto_id (ip_proto); action when pass, block or reject (the
 * column's allow, deny, reject; nat, rdr, ... stay); direction when the interface is given (in_iface or
 * out_iface says it); ip_version (the address family); proto when it is the column's name for proto_id;
 * length when stored as bytes.
 *
 * Skips: `no_match` (not filterlog CSV), `truncated` (fewer fields than the IP version needs),
 * `bad_field` (unknown IP version, a bad port), `bad_address`, `bad_time`, `no_time`.
 */
import { parseEnvelopeBytes, readByteLine, type ByteRecordFn } from './text-line.js';
import { FIREWALL, columnIndex } from '../../model/fields.js';
import { parseIpBytesInto } from '../../model/ip.js';
import { ByteWriter } from '../zeek/byte-writer.js';
import { bytesAre, uintField } from './byte-fields.js';
import { closeExtra, jsonKeyBytes, jsonPair, keyBytes, openExtra } from './json-extra.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { protoName, writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import {
  ENVELOPE_BAD_TIME,
  headLines,
  newEnvelope,
  parseSyslogEnvelope,
  sniffScore,
  type EnvelopeOptions,
} from './syslog-envelope.js';

const F = columnIndex(FIREWALL);
const NAME = 'pf-filterlog';

/** ICMP type and code for pf's type names (code -1 when the name leaves it open). */
const ICMP_TYPES: Readonly<Record<string, readonly [number, number]>> = {
  reply: [0, 0],
  unreach: [3, -1],
  unreachproto: [3, 2],
  unreachport: [3, 3],
  needfrag: [3, 4],
  redirect: [5, -1],
  request: [8, 0],
  routeradvert: [9, 0],
  routersol: [10, 0],
  timexceed: [11, -1],
  paramprob: [12, -1],
  tstamp: [13, 0],
  tstampreply: [14, 0],
  maskreq: [17, 0],
  maskreply: [18, 0],
};

/** Names of the fields that follow the ICMP type name, per type. */
const ICMP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  request: ['icmp_id', 'icmp_seq'],
  reply: ['icmp_id', 'icmp_seq'],
  unreachproto: ['icmp_dst', 'icmp_proto'],
  unreachport: ['icmp_dst', 'icmp_proto', 'icmp_port'],
  needfrag: ['icmp_dst', 'icmp_mtu'],
  tstamp: ['icmp_id', 'icmp_seq'],
  tstampreply: ['icmp_id', 'icmp_seq', 'icmp_otime', 'icmp_rtime', 'icmp_ttime'],
};

const TCP_FIELDS = ['src_port', 'dst_port', 'data_length', 'tcp_flags', 'seq', 'ack', 'window', 'urg', 'options'];
const UDP_FIELDS = ['src_port', 'dst_port', 'data_length'];
const CARP_FIELDS = ['carp_type', 'carp_ttl', 'vhid', 'carp_version', 'advskew', 'advbase'];
const HEAD = ['rule', 'sub_rule', 'anchor', 'tracker', 'interface', 'reason', 'action', 'direction', 'ip_version'];
const V4 = ['tos', 'ecn', 'ttl', 'id', 'offset', 'flags', 'proto_id', 'proto', 'length', 'src', 'dst'];
const V6 = ['class', 'flow_label', 'hop_limit', 'proto', 'proto_id', 'length', 'src', 'dst'];
/** Fields that have columns of their own (not repeated in extra). */
const MAPPED = new Set(['rule', 'interface', 'proto_id', 'src', 'dst', 'src_port', 'dst_port']);

const keyTable = (names: readonly string[]): Uint8Array[] => names.map(keyBytes);
const HEAD_KEYS = keyTable(HEAD);
const V4_KEYS = keyTable(V4);
const V6_KEYS = keyTable(V6);
const TCP_KEYS = keyTable(TCP_FIELDS);
const UDP_KEYS = keyTable(UDP_FIELDS);
const CARP_KEYS = keyTable(CARP_FIELDS);
const ICMP_KEYS: Readonly<Record<string, Uint8Array[]>> = Object.fromEntries(
  Object.entries(ICMP_FIELDS).map(([t, names]) => [t, keyTable(['icmp_type', ...names])]),
);
const ICMP_OTHER_KEYS = keyTable(['icmp_type', 'icmp_descr']);
const NO_KEYS: Uint8Array[] = [];
/** Fields left out depending on the line (set in the decoder's copies of these). */
const MAYBE = ['action', 'direction', 'ip_version', 'proto', 'length'];
const HEAD_MAPPED = HEAD.map((k) => MAPPED.has(k));
const V4_MAPPED = V4.map((k) => MAPPED.has(k));
const V6_MAPPED = V6.map((k) => MAPPED.has(k));
for (const k of MAYBE) if (MAPPED.has(k)) throw new Error(`filterlog field ${k} both mapped and per line`);
const H_ACTION = HEAD.indexOf('action');
const H_DIRECTION = HEAD.indexOf('direction');
const H_VERSION = HEAD.indexOf('ip_version');
const V4_PROTO = V4.indexOf('proto');
const V4_LENGTH = V4.indexOf('length');
const V6_PROTO = V6.indexOf('proto');
const V6_LENGTH = V6.indexOf('length');
const TCP_MAPPED = TCP_FIELDS.map((k) => MAPPED.has(k));
const UDP_MAPPED = UDP_FIELDS.map((k) => MAPPED.has(k));
const NONE_MAPPED = new Array<boolean>(16).fill(false);
const PROTO_DATA = keyBytes('proto_data');

/** Protocol numbers as the strings `writeFlowKey` is given, made once. */
const PROTO_TEXT = Array.from({ length: 256 }, (_, i) => String(i));

function actionOf(b: Uint8Array, s: number, e: number): string | null {
  if (bytesAre(b, s, e, 'pass')) return 'allow';
  if (bytesAre(b, s, e, 'block')) return 'deny';
  if (bytesAre(b, s, e, 'reject')) return 'reject';
  return null;
}

const addrScratch = new Uint8Array(16);

/** Decoding of one input. */
class FilterlogDecoder {
  private readonly env = newEnvelope();
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
  readonly decoder: Decoder;
  private readonly w = new ByteWriter(1024);
  /** Start and end of each CSV field of the current line. */
  private fs = new Int32Array(64);
  private fe = new Int32Array(64);
  /** This line's fields left out of extra, per layout (the static lists plus what the line's columns hold). */
  private readonly headDrop = HEAD_MAPPED.slice();
  private readonly v4Drop = V4_MAPPED.slice();
  private readonly v6Drop = V6_MAPPED.slice();
  private readonly onRecord: ByteRecordFn = (buf, start, end, lineNo) => this.record(buf, start, end, lineNo);

  constructor(
    private readonly ctx: DecodeContext,
    private readonly opts: EnvelopeOptions,
  ) {
    this.decoder = lineFramer((buf, start, end, lineNo) => readByteLine(buf, start, end, lineNo, ctx, this.onRecord, true), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  /** Splits `b[s..e)` at commas into fs/fe; returns the number of fields. */
  private split(b: Uint8Array, s: number, e: number): number {
    let n = 0;
    let fs = this.fs;
    let fe = this.fe;
    let at = s;
    for (let i = s; i <= e; i++) {
      if (i < e && b[i] !== 44) continue;
      if (n === fs.length) {
        const gs = new Int32Array(n * 2);
        const ge = new Int32Array(n * 2);
        gs.set(fs);
        ge.set(fe);
        this.fs = fs = gs;
        this.fe = fe = ge;
      }
      fs[n] = at;
      fe[n] = i;
      n++;
      at = i + 1;
    }
    return n;
  }

  /** Writes fields `from..` under `keys` (empty and mapped ones left out). */
  private put(b: Uint8Array, keys: readonly Uint8Array[], mapped: readonly boolean[], from: number, count: number): void {
    const w = this.w;
    const fs = this.fs;
    const fe = this.fe;
    const n = Math.min(keys.length, count - from);
    for (let i = 0; i < n; i++) {
      const s = fs[from + i];
      const e = fe[from + i];
      if (s === e || mapped[i]) continue;
      jsonKeyBytes(w, keys[i]);
      w.jsonEscaped(b, s, e);
      w.byte(34);
    }
  }

  private record(b: Buffer, start: number, end: number, lineNo: number): void {
    const ctx = this.ctx;
    const env = this.env;
    let n = end;
    while (b[n - 1] === 32 || b[n - 1] === 9) n--;
    const r = parseEnvelopeBytes(b, start, n, env, this.opts);
    const count = this.split(b, env.msgStart, n);
    const fs = this.fs;
    const fe = this.fe;
    const inbound = count >= 9 && bytesAre(b, fs[7], fe[7], 'in');
    if (count < 9 || (!inbound && !bytesAre(b, fs[7], fe[7], 'out'))) return ctx.skip('no_match', lineNo);
    if (r === ENVELOPE_BAD_TIME) return ctx.skip('bad_time', lineNo);
    if (env.tsMicros === null) return ctx.skip('no_time', lineNo);
    const v6 = bytesAre(b, fs[8], fe[8], '6');
    if (!v6 && !bytesAre(b, fs[8], fe[8], '4')) return ctx.skip('bad_field', lineNo, 'ip_version');
    const ipKeys = v6 ? V6_KEYS : V4_KEYS;
    const base = 9 + ipKeys.length;
    if (count < base) return ctx.skip('truncated', lineNo);
    const src = v6 ? 15 : 18;
    const dst = v6 ? 16 : 19;
    const family = parseIpBytesInto(b, fs[src], fe[src], addrScratch, 0);
    if (family === 0 || parseIpBytesInto(b, fs[dst], fe[dst], addrScratch, 0) === 0) {
      return ctx.skip('bad_address', lineNo);
    }
    const protoId = v6 ? 13 : 15;
    const protoText = v6 ? 12 : 16;
    const pnum = uintField(b, fs[protoId], fe[protoId], 10, 255);
    const lenAt = v6 ? 14 : 17;
    const length = uintField(b, fs[lenAt], fe[lenAt], 10, 0xffffffff);

    let rest: readonly Uint8Array[] = NO_KEYS;
    let restMapped: readonly boolean[] = NONE_MAPPED;
    let origP: number | null = null;
    let respP: number | null = null;
    if (pnum === 6 || pnum === 17 || pnum === 132) {
      rest = pnum === 6 ? TCP_KEYS : UDP_KEYS;
      restMapped = pnum === 6 ? TCP_MAPPED : UDP_MAPPED;
      if (count < base + 2) return ctx.skip('truncated', lineNo);
      const sp = uintField(b, fs[base], fe[base], 10, 65535);
      const dp = uintField(b, fs[base + 1], fe[base + 1], 10, 65535);
      if (sp < 0 || dp < 0) return ctx.skip('bad_field', lineNo, 'port');
      origP = sp;
      respP = dp;
    } else if (pnum === 1 && count > base) {
      const name = b.toString('utf8', fs[base], fe[base]);
      const t = Object.hasOwn(ICMP_TYPES, name) ? ICMP_TYPES[name] : undefined;
      if (t !== undefined) {
        origP = t[0];
        respP = t[1] >= 0 ? t[1] : null;
      }
      rest = Object.hasOwn(ICMP_KEYS, name) ? ICMP_KEYS[name] : ICMP_OTHER_KEYS;
    } else if (pnum === 112) rest = CARP_KEYS;

    const action = actionOf(b, fs[6], fe[6]);
    const hd = this.headDrop;
    hd[H_ACTION] = action !== null;
    hd[H_DIRECTION] = fe[4] > fs[4];
    hd[H_VERSION] = family === (v6 ? 16 : 4);
    const ipDrop = v6 ? this.v6Drop : this.v4Drop;
    const canonical = pnum >= 0 && fe[protoId] - fs[protoId] === (pnum < 10 ? 1 : pnum < 100 ? 2 : 3);
    ipDrop[v6 ? V6_PROTO : V4_PROTO] = canonical && bytesAre(b, fs[protoText], fe[protoText], protoName(pnum));
    ipDrop[v6 ? V6_LENGTH : V4_LENGTH] = length >= 0 && (fe[lenAt] - fs[lenAt] === 1 || b[fs[lenAt]] !== 48);
    const w = this.w;
    openExtra(w);
    this.put(b, HEAD_KEYS, hd, 0, count);
    this.put(b, ipKeys, ipDrop, 9, count);
    this.put(b, rest, restMapped, base, count);
    const restStart = base + rest.length;
    if (restStart < count && fe[count - 1] > fs[restStart]) {
      // The fields no layout names, as written (commas included).
      jsonKeyBytes(w, PROTO_DATA);
      w.jsonEscaped(b, fs[restStart], fe[count - 1]);
      w.byte(34);
    }
    if (env.structuredData !== null) jsonPair(w, 'syslog_sd', b, env.sdStart, env.sdEnd);
    closeExtra(w);

    const key = this.key;
    key.tsMicros = env.tsMicros;
    key.addrBuf = b;
    key.origHStart = fs[src];
    key.origHEnd = fe[src];
    key.respHStart = fs[dst];
    key.respHEnd = fe[dst];
    key.origP = origP;
    key.respP = respP;
    key.proto =
      pnum >= 0
        ? canonical
          ? PROTO_TEXT[pnum]
          : b.toString('utf8', fs[protoId], fe[protoId])
        : fe[protoText] > fs[protoText]
          ? b.toString('utf8', fs[protoText], fe[protoText]).toLowerCase()
          : null;
    const bt = ctx.batch('firewall');
    const row = bt.addRow();
    writeFlowKey(bt, row, key, NAME, ctx.sensor ?? env.host, ctx.ingestId);
    bt.setStr(F.action, row, action);
    if (fe[0] > fs[0]) bt.setBytes(F.rule_id, row, b, fs[0], fe[0]);
    if (fe[4] > fs[4]) bt.setBytes(inbound ? F.in_iface : F.out_iface, row, b, fs[4], fe[4]);
    if (length >= 0) bt.setNum(F.bytes, row, length);
    bt.setNum(F.packets, row, 1);
    bt.setBytes(F.message, row, b, start, end);
    bt.setBytes(F.extra, row, w.buf, 0, w.len);
  }
}

const probe = newEnvelope();

/** Whether a line is filterlog: tagged so, or a bare CSV line with filterlog's action/direction/version. */
function looksLikeFilterlog(l: string): boolean {
  parseSyslogEnvelope(l, probe);
  if (probe.app === 'filterlog') return true;
  const f = l.slice(probe.msgStart).split(',', 10);
  return f.length >= 9 && (f[6] === 'pass' || f[6] === 'block' || f[6] === 'reject') && (f[7] === 'in' || f[7] === 'out') && (f[8] === '4' || f[8] === '6');
}

/** Builds the filterlog decoder with its own clock and time zone (tests; sites logging in local time). */
export function pfFilterlogDecoder(opts: EnvelopeOptions = {}): DecoderDef {
  return {
    name: NAME,
    description: 'pfSense/OPNsense filterlog CSV (pf packet log), in BSD or RFC 5424 syslog or bare',
    positionUnit: 'line',
    sniff(head: Buffer): number {
      return sniffScore(headLines(head), looksLikeFilterlog);
    },
    create(ctx: DecodeContext): Decoder {
      return new FilterlogDecoder(ctx, opts).decoder;
    },
  };
}

/** The filterlog decoder, registered as `pf-filterlog` (syslog stamps without a zone read as UTC). */
export const pfFilterlog: DecoderDef = pfFilterlogDecoder();
