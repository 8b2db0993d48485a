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
 * Everything else is in extra, as written.
 *
 * Skips: `no_match` (not filterlog CSV), `truncated` (fewer fields than the IP version needs),
 * `bad_field` (unknown IP version, a bad port), `bad_address`, `bad_time`, `no_time`.
 */
import { readTextLine, writeMessage, type LineCursor, type LineRecordFn, parseUint } from './text-line.js';
import { FIREWALL, columnIndex } from '../../model/fields.js';
import { parseIpInto } from '../../model/ip.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import {
  ENVELOPE_BAD_TIME,
  headLines,
  jsonSafe,
  newEnvelope,
  parseSyslogEnvelope,
  sniffScore,
  type EnvelopeOptions,
} from './syslog-envelope.js';

const F = columnIndex(FIREWALL);
const NAME = 'pf-filterlog';

function actionOf(a: string): string | null {
  switch (a) {
    case 'pass':
      return 'allow';
    case 'block':
      return 'deny';
    case 'reject':
      return 'reject';
    default:
      return null;
  }
}

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
const MAPPED = new Set(['rule', 'interface', 'action', 'proto_id', 'src', 'dst', 'src_port', 'dst_port']);

/** A decimal field, or -1 (see parseUint). */
const num = parseUint;

const addrScratch = new Uint8Array(16);

/** Decoding of one input. */
class FilterlogDecoder {
  private readonly env = newEnvelope();
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
  readonly decoder: Decoder;
  private readonly cur: LineCursor = { bytes: null, start: 0 };
  private readonly onRecord: LineRecordFn = (line, s, lineNo) => this.record(line, s, lineNo);

  constructor(
    private readonly ctx: DecodeContext,
    private readonly opts: EnvelopeOptions,
  ) {
    this.decoder = lineFramer((buf, start, end, lineNo) => this.line(buf, start, end, lineNo), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  private line(buf: Buffer, start: number, end: number, lineNo: number): void {
    readTextLine(buf, start, end, lineNo, this.cur, this.ctx, this.onRecord);
  }

  private record(line: string, s: string, lineNo: number): void {
    const ctx = this.ctx;
    const env = this.env;
    const r = parseSyslogEnvelope(s, env, this.opts);
    const f = s.slice(env.msgStart).split(',');
    if (f.length < 9 || (f[7] !== 'in' && f[7] !== 'out')) return ctx.skip('no_match', lineNo);
    if (r === ENVELOPE_BAD_TIME) return ctx.skip('bad_time', lineNo);
    if (env.tsMicros === null) return ctx.skip('no_time', lineNo);
    const v6 = f[8] === '6';
    if (!v6 && f[8] !== '4') return ctx.skip('bad_field', lineNo, 'ip_version');
    const ipNames = v6 ? V6 : V4;
    const base = 9 + ipNames.length;
    if (f.length < base) return ctx.skip('truncated', lineNo);
    const src = f[v6 ? 15 : 18];
    const dst = f[v6 ? 16 : 19];
    if (parseIpInto(src, addrScratch, 0) === 0 || parseIpInto(dst, addrScratch, 0) === 0) return ctx.skip('bad_address', lineNo);
    const protoId = f[v6 ? 13 : 15];
    const protoText = f[v6 ? 12 : 16].toLowerCase();
    const pnum = num(protoId, 255);
    const length = num(f[v6 ? 14 : 17], 0xffffffff);

    let rest: readonly string[] = [];
    let origP: number | null = null;
    let respP: number | null = null;
    let restStart = base;
    if (pnum === 6 || pnum === 17 || pnum === 132) {
      rest = pnum === 6 ? TCP_FIELDS : UDP_FIELDS;
      if (f.length < base + 2) return ctx.skip('truncated', lineNo);
      const sp = num(f[base], 65535);
      const dp = num(f[base + 1], 65535);
      if (sp < 0 || dp < 0) return ctx.skip('bad_field', lineNo, 'port');
      origP = sp;
      respP = dp;
    } else if (pnum === 1 && f.length > base) {
      const t = ICMP_TYPES[f[base]];
      if (t !== undefined) {
        origP = t[0];
        respP = t[1] >= 0 ? t[1] : null;
      }
      rest = ['icmp_type', ...(ICMP_FIELDS[f[base]] ?? ['icmp_descr'])];
    } else if (pnum === 112) rest = CARP_FIELDS;

    const safe = jsonSafe(s);
    let extra = '';
    const put = (k: string, v: string): void => {
      if (v.length === 0 || MAPPED.has(k)) return;
      extra += (extra.length === 0 ? '"' : ',"') + k + '":' + (safe ? '"' + v + '"' : JSON.stringify(v));
    };
    for (let i = 0; i < 9; i++) put(HEAD[i], f[i]);
    for (let i = 0; i < ipNames.length; i++) put(ipNames[i], f[9 + i]);
    for (let i = 0; i < rest.length && base + i < f.length; i++) put(rest[i], f[base + i]);
    restStart = base + rest.length;
    if (restStart < f.length) {
      const more = f.slice(restStart).join(',');
      if (more.length > 0) put('proto_data', more);
    }
    if (env.structuredData !== null) put('syslog_sd', env.structuredData);

    const key = this.key;
    key.tsMicros = env.tsMicros;
    key.origH = src;
    key.respH = dst;
    key.origP = origP;
    key.respP = respP;
    key.proto = pnum >= 0 ? protoId : protoText.length > 0 ? protoText : null;
    const b = ctx.batch('firewall');
    const row = b.addRow();
    writeFlowKey(b, row, key, NAME, ctx.sensor ?? env.host, ctx.ingestId);
    b.setStr(F.action, row, actionOf(f[6]));
    if (f[0].length > 0) b.setStr(F.rule_id, row, f[0]);
    if (f[4].length > 0) b.setStr(f[7] === 'in' ? F.in_iface : F.out_iface, row, f[4]);
    if (length >= 0) b.setNum(F.bytes, row, length);
    b.setNum(F.packets, row, 1);
    writeMessage(b, F.message, row, this.cur, line);
    b.setStr(F.extra, row, '{' + extra + '}');
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
