/**
 * Linux netfilter packet logs: iptables/ip6tables `LOG`, nftables `log` and ulogd's LOGEMU text, which
 * all print `PREFIX IN=.. OUT=.. MAC=.. SRC=.. DST=.. LEN=.. ... PROTO=.. SPT=.. DPT=..` after a syslog,
 * journal or kernel-log envelope (see syslog-envelope.ts). One row per line in the firewall table.
 *
 * Mapping: the log prefix (text before IN=, brackets and a trailing colon removed) is the rule. The
 * action comes from the prefix when it says so: the words BLOCK or DENY give deny, DROP drop, REJECT
 * reject, ACCEPT or ALLOW allow; the EdgeOS form `[RULESET-RULE-A|D|R]` and the UniFi form `[RULESET-A|D|R-NUMBER]` give allow/drop/reject
 * with the middle part as rule_id and the ruleset in extra (a UniFi `WAN_LOCAL` ruleset also gives
 * in_zone WAN, out_zone LOCAL). Any other prefix leaves the action null: netfilter logs a packet before
 * the rule that decides it, so without a telling prefix the decision is unknown.
 * bytes = LEN (the IP packet length, the first LEN), packets = 1, ICMP type/code as ports. Every other
 * key goes to extra, lower-cased and as written; keys after PROTO that repeat an IP key are renamed
 * (`LEN` -> `l4_len`, `ID` -> `icmp_id`, `SEQ` -> `icmp_seq`), flags go to `ip_flags` (DF, MF, CE) and
 * `tcp_flags` (SYN ACK ...), and the bracketed header quoted by an ICMP error to `inner`.
 *
 * Skips: `no_match` (no IN=/OUT= pair), `truncated` (SRC or DST missing), `bad_address`, `bad_field`
 * (a port or LEN that is not a number), `bad_time` (an impossible stamp), `no_time` (no wall-clock
 * stamp at all, as in bare dmesg output).
 */
import { readTextLine, writeMessage, type LineCursor, type LineRecordFn } from './text-line.js';
import { FIREWALL, columnIndex } from '../../model/fields.js';
import { parseIpInto } from '../../model/ip.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import {
  ENVELOPE_BAD_TIME,
  ENVELOPE_NONE,
  headLines,
  jsonSafe,
  newEnvelope,
  parseSyslogEnvelope,
  sniffScore,
  type EnvelopeOptions,
} from './syslog-envelope.js';

const F = columnIndex(FIREWALL);
const NAME = 'netfilter';

/** What a log prefix says, worked out once per distinct prefix. */
interface PrefixInfo {
  rule: string | null;
  ruleId: string | null;
  action: string | null;
  ruleset: string | null;
  descr: string | null;
  inZone: string | null;
  outZone: string | null;
}

const EDGEOS = /^(.+)-([^-\s]+)-([ADR])$/;
const UNIFI = /^(.+)-([ADR])-(\d+)$/;
const UNIFI_ZONES = new Set(['WAN', 'LAN', 'LOCAL', 'GUEST', 'VPN', 'DMZ', 'IOT']);

function actionWord(w: string): string | null {
  switch (w.toUpperCase()) {
    case 'BLOCK':
    case 'BLOCKED':
    case 'DENY':
    case 'DENIED':
      return 'deny';
    case 'DROP':
    case 'DROPPED':
      return 'drop';
    case 'REJECT':
    case 'REJECTED':
      return 'reject';
    case 'ACCEPT':
    case 'ACCEPTED':
    case 'ALLOW':
    case 'ALLOWED':
      return 'allow';
    default:
      return null;
  }
}

/** Reads a log prefix such as `[UFW BLOCK] `, `IPTABLES-DROP: ` or `[WAN_LOCAL-D-2147483647] DESCR="x"`. */
function readPrefix(raw: string): PrefixInfo {
  const p: PrefixInfo = { rule: null, ruleId: null, action: null, ruleset: null, descr: null, inZone: null, outZone: null };
  let text = raw.trim();
  const d = text.indexOf('DESCR="');
  if (d >= 0) {
    const close = text.indexOf('"', d + 7);
    p.descr = text.slice(d + 7, close < 0 ? text.length : close);
    text = (text.slice(0, d) + (close < 0 ? '' : text.slice(close + 1))).trim();
  }
  if (text.endsWith(':')) text = text.slice(0, -1).trim();
  let bracketed = false;
  if (text.startsWith('[') && text.endsWith(']')) {
    text = text.slice(1, -1).trim();
    bracketed = true;
  }
  if (text.length === 0) return p;
  p.rule = text;
  const u = bracketed ? UNIFI.exec(text) : null;
  const m = u !== null ? [u[0], u[1], u[3], u[2]] : bracketed ? EDGEOS.exec(text) : null;
  if (m !== null) {
    p.ruleset = m[1];
    p.ruleId = m[2];
    p.action = m[3] === 'A' ? 'allow' : m[3] === 'D' ? 'drop' : 'reject';
    const z = m[1].split('_');
    if (z.length === 2 && UNIFI_ZONES.has(z[0]) && UNIFI_ZONES.has(z[1])) {
      p.inZone = z[0];
      p.outZone = z[1];
    }
    return p;
  }
  for (const w of text.split(/[^A-Za-z]+/)) {
    const a = actionWord(w);
    if (a !== null) {
      p.action = a;
      break;
    }
  }
  return p;
}

function port(v: string): number {
  if (v.length === 0 || v.length > 5) return -1;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n > 65535 ? -1 : n;
}

function uint(v: string): number {
  if (v.length === 0 || v.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function isIpFlag(t: string): boolean {
  return t === 'DF' || t === 'MF' || t === 'CE';
}

function isTcpFlag(t: string): boolean {
  return t === 'SYN' || t === 'ACK' || t === 'FIN' || t === 'RST' || t === 'PSH' || t === 'URG' || t === 'ECE' || t === 'CWR';
}

const addrScratch = new Uint8Array(16);

/** Decoding of one input. */
class NetfilterDecoder {
  private readonly env = newEnvelope();
  private readonly prefixes = new Map<string, PrefixInfo>();
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

  private prefix(raw: string): PrefixInfo {
    let p = this.prefixes.get(raw);
    if (p === undefined) {
      p = readPrefix(raw);
      if (this.prefixes.size >= 4096) this.prefixes.clear();
      this.prefixes.set(raw, p);
    }
    return p;
  }

  private line(buf: Buffer, start: number, end: number, lineNo: number): void {
    readTextLine(buf, start, end, lineNo, this.cur, this.ctx, this.onRecord);
  }

  private record(line: string, s: string, lineNo: number): void {
    const ctx = this.ctx;
    const env = this.env;
    const r = parseSyslogEnvelope(s, env, this.opts);
    let msgStart = env.msgStart;
    // `Mmm dd hh:mm:ss DENY: IN=...`: no host, and the prefix reads like a syslog tag.
    if (env.host === null && env.app !== null && env.app !== 'kernel') msgStart = env.appStart;
    let kernelTime = env.kernelTime;
    if (r === ENVELOPE_NONE && s.charCodeAt(0) === 91) {
      const close = s.indexOf(']');
      if (close > 0 && /^\[\s*\d+\.\d+\]$/.test(s.slice(0, close + 1))) {
        kernelTime = s.slice(1, close).trim();
        msgStart = close + 1;
      }
    }
    const outAt = s.indexOf(' OUT=', msgStart);
    const inAt = outAt < 0 ? -1 : s.lastIndexOf('IN=', outAt);
    if (inAt < msgStart || s.indexOf(' ', inAt) !== outAt) return ctx.skip('no_match', lineNo);
    if (r === ENVELOPE_BAD_TIME) return ctx.skip('bad_time', lineNo);
    if (env.tsMicros === null) return ctx.skip('no_time', lineNo);
    const pre = this.prefix(s.slice(msgStart, inAt));

    let inIface: string | null = null;
    let outIface: string | null = null;
    let src: string | null = null;
    let dst: string | null = null;
    let proto: string | null = null;
    let sport = -1;
    let dport = -1;
    let icmpType = -1;
    let icmpCode = -1;
    let ipLen = -1;
    let afterProto = false;
    let ipFlags = '';
    let tcpFlags = '';
    let other = '';
    const safe = jsonSafe(s);
    let extra = '';
    const put = (k: string, v: string): void => {
      extra += (extra.length === 0 ? '"' : ',"') + k + '":' + (safe ? '"' + v + '"' : JSON.stringify(v));
    };
    if (kernelTime !== null) put('kernel_time', kernelTime);
    if (pre.ruleset !== null) put('ruleset', pre.ruleset);
    if (pre.descr !== null) put('descr', pre.descr);

    const n = s.length;
    let i = inAt;
    while (i < n) {
      while (s.charCodeAt(i) === 32) i++;
      if (i >= n) break;
      if (s.charCodeAt(i) === 91) {
        const close = s.indexOf(']', i);
        const e = close < 0 ? n : close;
        put('inner', s.slice(i + 1, e).trim());
        i = e + 1;
        continue;
      }
      let te = s.indexOf(' ', i);
      if (te < 0) te = n;
      const eq = s.indexOf('=', i);
      if (eq < 0 || eq > te) {
        const t = s.slice(i, te);
        if (isIpFlag(t)) ipFlags += ipFlags.length === 0 ? t : ' ' + t;
        else if (isTcpFlag(t)) tcpFlags += tcpFlags.length === 0 ? t : ' ' + t;
        else other += other.length === 0 ? t : ' ' + t;
        i = te + 1;
        continue;
      }
      if (s.charCodeAt(eq + 1) === 34) {
        const q = s.indexOf('"', eq + 2);
        if (q > 0) te = s.indexOf(' ', q) < 0 ? n : s.indexOf(' ', q);
      }
      const k = s.slice(i, eq);
      const v = s.slice(eq + 1, te);
      i = te + 1;
      switch (k) {
        case 'IN':
          if (v.length > 0) inIface = v;
          break;
        case 'OUT':
          if (v.length > 0) outIface = v;
          break;
        case 'SRC':
          src = v;
          break;
        case 'DST':
          dst = v;
          break;
        case 'PROTO':
          proto = v;
          afterProto = true;
          break;
        case 'SPT':
          if ((sport = port(v)) < 0) return ctx.skip('bad_field', lineNo, 'SPT');
          break;
        case 'DPT':
          if ((dport = port(v)) < 0) return ctx.skip('bad_field', lineNo, 'DPT');
          break;
        case 'TYPE':
          icmpType = port(v);
          put('type', v);
          break;
        case 'CODE':
          icmpCode = port(v);
          put('code', v);
          break;
        case 'LEN':
          if (afterProto) put('l4_len', v);
          else if ((ipLen = uint(v)) < 0) return ctx.skip('bad_field', lineNo, 'LEN');
          break;
        case 'ID':
          put(afterProto ? 'icmp_id' : 'id', v);
          break;
        case 'SEQ':
          put(afterProto ? 'icmp_seq' : 'seq', v);
          break;
        default:
          put(k.toLowerCase(), v);
      }
    }
    if (src === null || dst === null) return ctx.skip('truncated', lineNo);
    if (parseIpInto(src, addrScratch, 0) === 0 || parseIpInto(dst, addrScratch, 0) === 0) return ctx.skip('bad_address', lineNo);
    if (ipFlags.length > 0) put('ip_flags', ipFlags);
    if (tcpFlags.length > 0) put('tcp_flags', tcpFlags);
    if (other.length > 0) put('flags', other);

    const isIcmp = proto === 'ICMP' || proto === 'ICMPv6' || proto === 'ICMPV6';
    const key = this.key;
    key.tsMicros = env.tsMicros;
    key.origH = src;
    key.respH = dst;
    key.origP = isIcmp ? (icmpType >= 0 ? icmpType : null) : sport >= 0 ? sport : null;
    key.respP = isIcmp ? (icmpCode >= 0 ? icmpCode : null) : dport >= 0 ? dport : null;
    key.proto = proto;
    const b = ctx.batch('firewall');
    const row = b.addRow();
    writeFlowKey(b, row, key, NAME, ctx.sensor ?? env.host, ctx.ingestId);
    b.setStr(F.action, row, pre.action);
    b.setStr(F.rule, row, pre.rule);
    b.setStr(F.rule_id, row, pre.ruleId);
    b.setStr(F.in_iface, row, inIface);
    b.setStr(F.out_iface, row, outIface);
    b.setStr(F.in_zone, row, pre.inZone);
    b.setStr(F.out_zone, row, pre.outZone);
    if (ipLen >= 0) b.setNum(F.bytes, row, ipLen);
    b.setNum(F.packets, row, 1);
    writeMessage(b, F.message, row, this.cur, line);
    b.setStr(F.extra, row, '{' + extra + '}');
  }
}

/** Whether a line looks like a netfilter log line (an IN=/OUT= pair and an address). */
function looksLikeNetfilter(l: string): boolean {
  const out = l.indexOf(' OUT=');
  return out > 0 && l.lastIndexOf('IN=', out) >= 0 && (l.indexOf(' SRC=', out) > 0 || l.indexOf(' PROTO=', out) > 0);
}

/** Builds the netfilter decoder with its own clock and time zone (tests; sites logging in local time). */
export function netfilterDecoder(opts: EnvelopeOptions = {}): DecoderDef {
  return {
    name: NAME,
    description: 'Linux netfilter packet logs (iptables/ip6tables LOG, nftables log, ulogd LOGEMU) in syslog, journal or kernel-log form',
    positionUnit: 'line',
    sniff(head: Buffer): number {
      return sniffScore(headLines(head), looksLikeNetfilter);
    },
    create(ctx: DecodeContext): Decoder {
      return new NetfilterDecoder(ctx, opts).decoder;
    },
  };
}

/** The netfilter decoder, registered as `netfilter` (syslog stamps read as UTC). */
export const netfilter: DecoderDef = netfilterDecoder();
