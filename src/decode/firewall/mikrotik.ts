/**
 * MikroTik RouterOS firewall logs (rules with `log=yes` or `action=log`), as RouterOS writes them to
 * remote syslog, to disk, or as rsyslog stores them, with or without a syslog envelope:
 *
 *   [envelope] [topics] [log-prefix] CHAIN: in:IF out:IF, [connection-state:S] [src-mac M,]
 *     proto P[ (FLAGS | type T, code C)], SRC[:PORT]->DST[:PORT], [NAT ...,] len N
 *
 * Addresses are IPv4 or bracketed IPv6. NAT, when the connection is translated, is written as
 * `NAT (src->natsrc)->dst` (source NAT), `NAT src->(dst->natdst)` (destination NAT) or both.
 *
 *   action     RouterOS does not log the rule's action; it is read from the log prefix when a word of it
 *              says (drop, reject, deny/block, accept/allow/pass), else null
 *   rule       the log prefix (what administrators name their logging rules by); extra.chain the chain
 *   interfaces in: / out: (`(unknown 0)`, no interface yet, is null)
 *   counters   bytes = len (the IP packet's length), packets = 1: each line is one packet
 *   ICMP       type and code as orig_p / resp_p, as for every ICMP record
 *   sensor     --sensor, else the envelope's host
 *
 * Lines of other topics (`system,error,critical login failure ...`) are counted as ignored,
 * `mikrotik-<first topic>`. Skips: `no_match` (a firewall line whose packet part cannot be read),
 * `no_timestamp`, `bad_address`. Every field without a column goes to `extra` (topics, chain,
 * connection_state, src_mac, tcp_flags, and syslog_host when --sensor names the sensor instead).
 *
 * One regular expression per line: RouterOS logs are low volume (rules log selected packets), so
 * clarity wins here over the byte scanners of the high-volume formats.
 */
import { FIREWALL, columnIndex } from '../../model/fields.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { protoNumber } from '../../model/community-id.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import { decisionIn } from './decision-words.js';
import { ENVELOPE_BAD_TIME, headLines, newEnvelope, parseSyslogEnvelope, sniffScore } from './syslog-envelope.js';
import { readByteLine } from './text-line.js';

const W = columnIndex(FIREWALL);
const SOURCE = 'mikrotik';

/** Address with an optional port: `1.2.3.4:80`, `1.2.3.4`, `[2001:db8::1]:80`, `[2001:db8::1]`. */
const EP = String.raw`(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]+))(?::(\d{1,5}))?`;
/** The packet part after `CHAIN: `; NAT, when present, is read by `natOf`. */
const PACKET = new RegExp(
  String.raw`^in:(\S+|\(unknown \d+\)) out:(\S+?|\(unknown \d+\)),?(?: connection-state:(\S+?),?)?(?: src-mac ([0-9A-Fa-f:]{17}),?)? proto ([^\s,(]+)(?: \(([^)]*)\))?, ` +
    `${EP}->${EP}` +
    String.raw`(?:, NAT ([^,]+))?(?:, len (\d+))?`,
);
/** Groups of PACKET. */
const G = { IN: 1, OUT: 2, STATE: 3, MAC: 4, PROTO: 5, PAREN: 6, SRC6: 7, SRC4: 8, SPORT: 9, DST6: 10, DST4: 11, DPORT: 12, NAT: 13, LEN: 14 } as const;
const ENDPOINT = new RegExp(`^${EP}$`);

/** An endpoint's address and port, or null when the text is not one. */
function endpoint(text: string): { h: string; p: number | null } | null {
  const m = ENDPOINT.exec(text.trim());
  if (m === null) return null;
  return { h: m[1] ?? m[2], p: m[3] !== undefined ? Number(m[3]) : null };
}

/**
 * The translated endpoints of a NAT clause: `(src->natsrc)->dst` (source NAT), `src->(dst->natdst)`
 * (destination NAT) or `(src->natsrc)->(dst->natdst)`: a parenthesised pair is before -> after.
 */
export function natOf(text: string): { src: { h: string; p: number | null } | null; dst: { h: string; p: number | null } | null } {
  // Split at the `->` outside parentheses.
  let depth = 0;
  let cut = -1;
  for (let i = 0; i < text.length - 1 && cut < 0; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '-' && text[i + 1] === '>' && depth === 0) cut = i;
  }
  if (cut < 0) return { src: null, dst: null };
  const after = (side: string) => {
    const t = side.trim();
    if (!t.startsWith('(') || !t.endsWith(')')) return null;
    const inner = t.slice(1, -1).split('->');
    return inner.length === 2 ? endpoint(inner[1]) : null;
  };
  return { src: after(text.slice(0, cut)), dst: after(text.slice(cut + 2)) };
}


function iface(v: string): string | null {
  return v.startsWith('(unknown') ? null : v;
}

/** Decoding of one input. */
class MikrotikDecoder {
  readonly decoder: Decoder;
  private readonly env = newEnvelope();
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };

  constructor(private readonly ctx: DecodeContext) {
    this.decoder = lineFramer((buf, start, end, lineNo) => readByteLine(buf, start, end, lineNo, ctx, (b, s, e, n) => this.record(b, s, e, n)), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  /** One line, its bytes valid UTF-8 without blanks at either end (low volume: read as a string). */
  private record(buf: Buffer, start: number, end: number, lineNo: number): void {
    const s = buf.toString('utf8', start, end);
    const ctx = this.ctx;
    const env = this.env;
    const envelope = parseSyslogEnvelope(s, env);
    const at = s.indexOf(': in:');
    const from = env.appStart >= 0 ? env.appStart : env.msgStart;
    // The words before `CHAIN:`: optional topics, optional log prefix, the chain.
    const head = s.slice(from, at < 0 ? s.length : at).trim().split(/\s+/);
    const topics = head.length > 0 && (head[0].includes(',') || head[0] === 'firewall') ? head.shift()! : null;
    if (at < 0 || head.length === 0 || (topics !== null && !topics.split(',').includes('firewall'))) {
      ctx.ignore(`mikrotik-${(topics ?? 'other').split(',')[0]}`);
      return;
    }
    const m = PACKET.exec(s.slice(at + 2));
    if (m === null) return ctx.skip('no_match', lineNo);
    if (envelope === ENVELOPE_BAD_TIME || env.tsMicros === null) return ctx.skip('no_timestamp', lineNo);
    const chain = head.pop()!;
    const prefix = head.join(' ');
    const protoText = m[G.PROTO].toLowerCase();
    const protoNum = protoNumber(protoText);
    const icmp = protoNum === 1 || protoNum === 58;
    const paren = m[G.PAREN] ?? null;
    const k = this.key;
    k.tsMicros = env.tsMicros;
    k.origH = m[G.SRC6] ?? m[G.SRC4];
    k.respH = m[G.DST6] ?? m[G.DST4];
    if (k.origH.includes(':') !== k.respH.includes(':') || (m[G.SRC4] !== undefined && !isV4(m[G.SRC4])) || (m[G.DST4] !== undefined && !isV4(m[G.DST4]))) {
      return ctx.skip('bad_address', lineNo);
    }
    k.origP = m[G.SPORT] !== undefined ? Number(m[G.SPORT]) : null;
    k.respP = m[G.DPORT] !== undefined ? Number(m[G.DPORT]) : null;
    if ((k.origP !== null && k.origP > 65535) || (k.respP !== null && k.respP > 65535)) return ctx.skip('bad_value', lineNo, 'port');
    if (icmp && paren !== null) {
      const tc = /type (\d+), code (\d+)/.exec(paren);
      if (tc !== null) {
        k.origP = Number(tc[1]);
        k.respP = Number(tc[2]);
      }
    }
    k.proto = protoNum !== undefined ? String(protoNum) : protoText;
    if (protoNum === 1 && k.origH.includes(':')) k.proto = '58';
    const b = ctx.batch('firewall');
    const row = b.addRow();
    writeFlowKey(b, row, k, SOURCE, ctx.sensor ?? env.host, ctx.ingestId);
    const action = decisionIn(prefix);
    if (action !== null) b.setStr(W.action, row, action);
    if (prefix !== '') b.setStr(W.rule, row, prefix);
    b.setStr(W.in_iface, row, iface(m[G.IN]));
    b.setStr(W.out_iface, row, iface(m[G.OUT]));
    if (m[G.LEN] !== undefined) {
      b.setNum(W.bytes, row, Number(m[G.LEN]));
      b.setNum(W.packets, row, 1);
    }
    if (m[G.NAT] !== undefined) {
      const nat = natOf(m[G.NAT]);
      if (nat.src !== null) {
        b.setStr(W.nat_orig_h, row, nat.src.h);
        if (nat.src.p !== null) b.setNum(W.nat_orig_p, row, nat.src.p);
      }
      if (nat.dst !== null) {
        b.setStr(W.nat_resp_h, row, nat.dst.h);
        if (nat.dst.p !== null) b.setNum(W.nat_resp_p, row, nat.dst.p);
      }
    }
    b.setBytes(W.message, row, buf, start, end);
    const extra: Record<string, string> = {};
    if (topics !== null) extra.topics = topics;
    extra.chain = chain;
    if (m[G.STATE] !== undefined) extra.connection_state = m[G.STATE];
    if (m[G.MAC] !== undefined) extra.src_mac = m[G.MAC].toLowerCase();
    if (paren !== null && !icmp) extra.tcp_flags = paren;
    if (protoNum === undefined) extra.proto = m[G.PROTO];
    // The envelope host is the sensor column unless --sensor named another.
    if (env.host !== null && ctx.sensor !== null) extra.syslog_host = env.host;
    b.setStr(W.extra, row, JSON.stringify(extra));
  }
}

function isV4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => p.length > 0 && p.length <= 3 && Number(p) <= 255);
}

/** A RouterOS firewall log line, with or without an envelope. */
function looksLikeMikrotik(line: string): boolean {
  const at = line.indexOf(': in:');
  return at > 0 && line.includes(' out:', at) && line.includes(' proto ', at) && line.includes('->', at);
}

/** The MikroTik RouterOS decoder, registered as `mikrotik`. */
export const mikrotik: DecoderDef = {
  name: 'mikrotik',
  description: 'MikroTik RouterOS firewall logs (log=yes rules), with or without a syslog envelope',
  positionUnit: 'line',
  sniff(head: Buffer): number {
    return sniffScore(headLines(head), looksLikeMikrotik);
  },
  create(ctx: DecodeContext): Decoder {
    return new MikrotikDecoder(ctx).decoder;
  },
};
