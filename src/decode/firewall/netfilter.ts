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
 * key goes to extra, lower-cased and as written (left out, as the columns hold them exactly: IN, OUT, SRC,
 * DST, PROTO, SPT, DPT, the first LEN, and TYPE and CODE of ICMP; see docs/firewall-fields.md); keys after PROTO that repeat an IP key are renamed
 * (`LEN` -> `l4_len`, `ID` -> `icmp_id`, `SEQ` -> `icmp_seq`), flags go to `ip_flags` (DF, MF, CE) and
 * `tcp_flags` (SYN ACK ...), and the bracketed header quoted by an ICMP error to `inner`.
 *
 * Skips: `no_match` (no IN=/OUT= pair), `truncated` (SRC or DST missing), `bad_address`, `bad_field`
 * (a port or LEN that is not a number), `bad_time` (an impossible stamp), `no_time` (no wall-clock
 * stamp at all, as in bare dmesg output).
 */
import { parseEnvelopeBytes, readByteLine, type ByteRecordFn } from './text-line.js';
import { FIREWALL, columnIndex } from '../../model/fields.js';
import { parseIpBytesInto } from '../../model/ip.js';
import { ByteWriter } from '../zeek/byte-writer.js';
import { uintField } from './byte-fields.js';
import { ByteInterner } from './byte-intern.js';
import { readPrefix, type PrefixInfo } from './netfilter-prefix.js';
import { closeExtra, jsonPair, jsonPairStr, openExtra, openKey } from './json-extra.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import {
  ENVELOPE_BAD_TIME,
  ENVELOPE_NONE,
  headLines,
  newEnvelope,
  sniffScore,
  type EnvelopeOptions,
} from './syslog-envelope.js';

const F = columnIndex(FIREWALL);
const NAME = 'netfilter';

/** Text of up to 6 bytes packed into a number (distinct for distinct texts), -1 when longer. */
function keyCode(b: Uint8Array, s: number, e: number): number {
  if (e - s > 6) return -1;
  let k = 1;
  for (let i = s; i < e; i++) k = k * 256 + b[i];
  return k;
}

function code(t: string): number {
  return keyCode(Buffer.from(t, 'latin1'), 0, t.length);
}

const K_IN = code('IN');
const K_OUT = code('OUT');
const K_SRC = code('SRC');
const K_DST = code('DST');
const K_PROTO = code('PROTO');
const K_SPT = code('SPT');
const K_DPT = code('DPT');
const K_TYPE = code('TYPE');
const K_CODE = code('CODE');
const K_LEN = code('LEN');
const K_ID = code('ID');
const K_SEQ = code('SEQ');
const IP_FLAGS = new Set([code('DF'), code('MF'), code('CE')]);
const TCP_FLAGS = new Set(['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR'].map(code));

/** The transport names netfilter writes, as shared strings (no string per line). */
const PROTOS = new Map(['TCP', 'UDP', 'ICMP', 'ICMPv6', 'ICMPV6', 'ESP', 'AH', 'GRE', 'SCTP', '2', '47', '50', '51'].map((p) => [code(p), p]));

function port(b: Uint8Array, s: number, e: number): number {
  return uintField(b, s, e, 5, 65535);
}

/** Index of the first `IN=` of `b[from..to)` read backwards (as String.lastIndexOf would), or -1. */
function lastIn(b: Uint8Array, from: number, to: number): number {
  for (let i = to - 3; i >= from; i--) if (b[i] === 73 && b[i + 1] === 78 && b[i + 2] === 61) return i;
  return -1;
}

/** Index of the first ` OUT=` in `b[from..to)`, or -1. */
function firstOut(b: Uint8Array, from: number, to: number): number {
  for (let i = from; i + 5 <= to; i++) {
    if (b[i] === 32 && b[i + 1] === 79 && b[i + 2] === 85 && b[i + 3] === 84 && b[i + 4] === 61) return i;
  }
  return -1;
}

function indexOfByte(b: Uint8Array, c: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (b[i] === c) return i;
  return -1;
}

const addrScratch = new Uint8Array(16);

/** Whether PROTO= named ICMP (its TYPE and CODE are then the row's ports). */
function isIcmpName(proto: string | null): boolean {
  return proto === 'ICMP' || proto === 'ICMPv6' || proto === 'ICMPV6';
}

/** Whether `b[s..e)` is a decimal number up to 65535 without a leading zero (a port column gives it back). */
function canonicalUint(b: Uint8Array, s: number, e: number): boolean {
  return port(b, s, e) >= 0 && (e - s === 1 || b[s] !== 48);
}

/** Decoding of one input. */
class NetfilterDecoder {
  private readonly env = newEnvelope();
  private readonly prefixes = new Map<string, PrefixInfo>();
  /** Prefixes by their bytes, so a line costs no string: what each id's prefix says (see `prefix`). */
  private readonly prefixIds = new ByteInterner(1024, 256);
  private prefixInfo: (PrefixInfo | undefined)[] = [];
  private prefixGeneration = 0;
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
  private readonly w = new ByteWriter(1024);
  /** `"key":"` as written for the keys seen so far, by the key's id in `keyIds` (found by its bytes). */
  private readonly keyIds = new ByteInterner(1024, 64);
  private keyJson: (Uint8Array | undefined)[] = [];
  private keyGeneration = 0;
  private readonly ipFlags = new ByteWriter(64);
  private readonly tcpFlags = new ByteWriter(64);
  private readonly other = new ByteWriter(64);
  readonly decoder: Decoder;
  private readonly onRecord: ByteRecordFn = (buf, start, end, lineNo) => this.record(buf, start, end, lineNo);

  constructor(
    private readonly ctx: DecodeContext,
    private readonly opts: EnvelopeOptions,
  ) {
    this.decoder = lineFramer((buf, start, end, lineNo) => readByteLine(buf, start, end, lineNo, ctx, this.onRecord, true), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  /**
   * The prefix `b[s..e)` read, found by its bytes (a log mixes a few prefixes line after line);
   * one longer than the byte cache keeps goes through a cache by its text.
   */
  private prefix(b: Buffer, s: number, e: number): PrefixInfo {
    const ids = this.prefixIds;
    const id = ids.intern(b, s, e);
    if (id >= 0) {
      if (ids.generation !== this.prefixGeneration) {
        this.prefixGeneration = ids.generation;
        this.prefixInfo = [];
      }
      return (this.prefixInfo[id] ??= readPrefix(ids.strings[id]));
    }
    const raw = b.toString('utf8', s, e);
    let p = this.prefixes.get(raw);
    if (p === undefined) {
      p = readPrefix(raw);
      if (this.prefixes.size >= 4096) this.prefixes.clear();
      this.prefixes.set(raw, p);
    }
    return p;
  }

  private record(b: Buffer, start: number, end: number, lineNo: number): void {
    const ctx = this.ctx;
    let n = end;
    while (b[n - 1] === 32 || b[n - 1] === 9) n--;
    const env = this.env;
    const r = parseEnvelopeBytes(b, start, n, env, this.opts);
    let msgStart = env.msgStart;
    // `Mmm dd hh:mm:ss DENY: IN=...`: no host, and the prefix reads like a syslog tag.
    if (env.host === null && env.app !== null && env.app !== 'kernel') msgStart = env.appStart;
    let ktStart = -1;
    let ktEnd = -1;
    if (r === ENVELOPE_NONE && b[start] === 91) {
      // A bare kernel line: `[ 1234.567890] IN=...`.
      const close = indexOfByte(b, 93, start, n);
      let i = start + 1;
      while (i < close && b[i] === 32) i++;
      const d0 = i;
      while (i < close && b[i] >= 48 && b[i] <= 57) i++;
      if (i > d0 && b[i] === 46) {
        const f0 = ++i;
        while (i < close && b[i] >= 48 && b[i] <= 57) i++;
        if (i > f0 && i === close) {
          ktStart = d0;
          ktEnd = close;
          msgStart = close + 1;
        }
      }
    }
    const outAt = firstOut(b, msgStart, n);
    const inAt = outAt < 0 ? -1 : lastIn(b, 0, outAt);
    if (inAt < msgStart || indexOfByte(b, 32, inAt, n) !== outAt) return ctx.skip('no_match', lineNo);
    if (r === ENVELOPE_BAD_TIME) return ctx.skip('bad_time', lineNo);
    if (env.tsMicros === null) return ctx.skip('no_time', lineNo);
    const pre = this.prefix(b, msgStart, inAt);

    let inS = -1;
    let inE = -1;
    let outS = -1;
    let outE = -1;
    let srcS = -1;
    let srcE = -1;
    let dstS = -1;
    let dstE = -1;
    let proto: string | null = null;
    let sport = -1;
    let dport = -1;
    let icmpType = -1;
    let icmpCode = -1;
    let ipLen = -1;
    let afterProto = false;
    const w = this.w;
    const ipFlags = this.ipFlags;
    const tcpFlags = this.tcpFlags;
    const other = this.other;
    openExtra(w);
    ipFlags.reset();
    tcpFlags.reset();
    other.reset();
    if (env.kernelTime !== null) jsonPairStr(w, 'kernel_time', env.kernelTime);
    else if (ktStart >= 0) jsonPair(w, 'kernel_time', b, ktStart, ktEnd);
    if (pre.ruleset !== null) jsonPairStr(w, 'ruleset', pre.ruleset);
    if (pre.descr !== null) jsonPairStr(w, 'descr', pre.descr);

    let i = inAt;
    while (i < n) {
      while (b[i] === 32) i++;
      if (i >= n) break;
      if (b[i] === 91) {
        const close = indexOfByte(b, 93, i, n);
        const e = close < 0 ? n : close;
        let s = i + 1;
        let t = e;
        while (s < t && (b[s] === 32 || b[s] === 9)) s++;
        while (t > s && (b[t - 1] === 32 || b[t - 1] === 9)) t--;
        jsonPair(w, 'inner', b, s, t);
        i = e + 1;
        continue;
      }
      let te = indexOfByte(b, 32, i, n);
      if (te < 0) te = n;
      const eq = indexOfByte(b, 61, i, te);
      if (eq < 0) {
        const k = keyCode(b, i, te);
        const list = IP_FLAGS.has(k) ? ipFlags : TCP_FLAGS.has(k) ? tcpFlags : other;
        if (list.len > 0) list.byte(32);
        list.bytes(b, i, te);
        i = te + 1;
        continue;
      }
      if (b[eq + 1] === 34) {
        const q = indexOfByte(b, 34, eq + 2, n);
        if (q > 0) {
          te = indexOfByte(b, 32, q, n);
          if (te < 0) te = n;
        }
      }
      const vs = eq + 1;
      const k = keyCode(b, i, eq);
      if (k === K_IN) {
        if (te > vs) [inS, inE] = [vs, te];
      } else if (k === K_OUT) {
        if (te > vs) [outS, outE] = [vs, te];
      } else if (k === K_SRC) {
        srcS = vs;
        srcE = te;
      } else if (k === K_DST) {
        dstS = vs;
        dstE = te;
      } else if (k === K_PROTO) {
        proto = PROTOS.get(keyCode(b, vs, te)) ?? b.toString('utf8', vs, te);
        afterProto = true;
      } else if (k === K_SPT) {
        if ((sport = port(b, vs, te)) < 0) return ctx.skip('bad_field', lineNo, 'SPT');
      } else if (k === K_DPT) {
        if ((dport = port(b, vs, te)) < 0) return ctx.skip('bad_field', lineNo, 'DPT');
      } else if (k === K_TYPE) {
        icmpType = port(b, vs, te);
        // An ICMP type and code are the row's ports; anything else stays in extra.
        if (!(isIcmpName(proto) && canonicalUint(b, vs, te))) jsonPair(w, 'type', b, vs, te);
      } else if (k === K_CODE) {
        icmpCode = port(b, vs, te);
        if (!(isIcmpName(proto) && canonicalUint(b, vs, te))) jsonPair(w, 'code', b, vs, te);
      } else if (k === K_LEN) {
        if (afterProto) jsonPair(w, 'l4_len', b, vs, te);
        else if ((ipLen = uintField(b, vs, te, 15, Number.MAX_SAFE_INTEGER)) < 0) return ctx.skip('bad_field', lineNo, 'LEN');
      } else if (k === K_ID) jsonPair(w, afterProto ? 'icmp_id' : 'id', b, vs, te);
      else if (k === K_SEQ) jsonPair(w, afterProto ? 'icmp_seq' : 'seq', b, vs, te);
      else this.otherKey(b, i, eq, te);
      i = te + 1;
    }
    if (srcS < 0 || dstS < 0) return ctx.skip('truncated', lineNo);
    if (parseIpBytesInto(b, srcS, srcE, addrScratch, 0) === 0 || parseIpBytesInto(b, dstS, dstE, addrScratch, 0) === 0) return ctx.skip('bad_address', lineNo);
    if (ipFlags.len > 0) jsonPair(w, 'ip_flags', ipFlags.buf, 0, ipFlags.len);
    if (tcpFlags.len > 0) jsonPair(w, 'tcp_flags', tcpFlags.buf, 0, tcpFlags.len);
    if (other.len > 0) jsonPair(w, 'flags', other.buf, 0, other.len);
    closeExtra(w);

    const isIcmp = isIcmpName(proto);
    const key = this.key;
    key.tsMicros = env.tsMicros;
    key.addrBuf = b;
    key.origHStart = srcS;
    key.origHEnd = srcE;
    key.respHStart = dstS;
    key.respHEnd = dstE;
    key.origP = isIcmp ? (icmpType >= 0 ? icmpType : null) : sport >= 0 ? sport : null;
    key.respP = isIcmp ? (icmpCode >= 0 ? icmpCode : null) : dport >= 0 ? dport : null;
    key.proto = proto;
    const bt = ctx.batch('firewall');
    const row = bt.addRow();
    writeFlowKey(bt, row, key, NAME, ctx.sensor ?? env.host, ctx.ingestId);
    bt.setStr(F.action, row, pre.action);
    bt.setStr(F.rule, row, pre.rule);
    bt.setStr(F.rule_id, row, pre.ruleId);
    if (inS >= 0) bt.setBytes(F.in_iface, row, b, inS, inE);
    if (outS >= 0) bt.setBytes(F.out_iface, row, b, outS, outE);
    bt.setStr(F.in_zone, row, pre.inZone);
    bt.setStr(F.out_zone, row, pre.outZone);
    if (ipLen >= 0) bt.setNum(F.bytes, row, ipLen);
    bt.setNum(F.packets, row, 1);
    bt.setBytes(F.message, row, b, start, end);
    bt.setBytes(F.extra, row, w.buf, 0, w.len);
  }

  /** Any other `KEY=value`: the key lower-cased (ASCII letters as bytes; other text as JS lower-cases it). */
  private otherKey(b: Buffer, ks: number, ke: number, te: number): void {
    const w = this.w;
    const ids = this.keyIds;
    const id = ids.intern(b, ks, ke);
    if (ids.generation !== this.keyGeneration) {
      this.keyGeneration = ids.generation;
      this.keyJson = [];
    }
    const known = id >= 0 ? this.keyJson[id] : undefined;
    if (known !== undefined) {
      if (w.len > 1) w.byte(44);
      w.bytes(known, 0, known.length);
    } else {
      const at = w.len;
      this.newKey(b, ks, ke);
      if (id >= 0) this.keyJson[id] = w.buf.slice(at > 1 ? at + 1 : at, w.len);
    }
    w.jsonEscaped(b, ke + 1, te);
    w.byte(34);
  }

  /** Writes `"key":"` for a key not seen before. */
  private newKey(b: Buffer, ks: number, ke: number): void {
    const w = this.w;
    let ascii = true;
    for (let j = ks; j < ke && ascii; j++) ascii = b[j] < 128 && b[j] !== 34 && b[j] !== 92 && b[j] >= 32;
    openKey(w);
    if (!ascii) {
      const enc = Buffer.from(JSON.stringify(b.toString('utf8', ks, ke).toLowerCase()));
      w.bytes(enc, 1, enc.length - 1);
      w.ascii('":"');
    } else {
      w.ensure(ke - ks);
      const o = w.buf;
      let p = w.len;
      for (let j = ks; j < ke; j++) {
        const c = b[j];
        o[p++] = c >= 65 && c <= 90 ? c + 32 : c;
      }
      w.len = p;
      w.ascii('":"');
    }
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
