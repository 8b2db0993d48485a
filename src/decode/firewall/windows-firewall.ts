/**
 * Windows Defender Firewall's packet log (pfirewall.log): a W3C-style file whose `#Fields:` header names
 * the space-separated columns, `-` meaning empty. Until a header is seen the Windows 1.5 layout is used:
 * `date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype
 * icmpcode info path` (newer builds append `pid`).
 *
 * Time: the header says `#Time Format: Local`: stamps are the machine's local time with no zone. They are
 * read as UTC unless the decoder is built with the machine's UTC offset (`windowsFirewallDecoder`).
 *
 * Mapping: action ALLOW -> allow, DROP -> drop (other actions such as INFO-EVENTS-LOST leave it null and
 * are kept in extra); size -> bytes, packets = 1; ICMP type/code as ports; path (SEND, RECEIVE, FORWARD),
 * pid, tcp fields and info go to extra. The log names no rule, interface or host: sensor is the user's.
 *
 * Skips: `truncated` (fewer columns than the header), `column_count` (more), `bad_time`, `bad_address`,
 * `bad_field` (a port or size that is not a number), `no_fields` (a `#Fields:` header without date/time).
 */
import { FIREWALL, columnIndex } from '../../model/fields.js';
import { parseIpInto } from '../../model/ip.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import { headLines, jsonSafe, parseIsoTimestamp, sniffScore } from './syslog-envelope.js';
import { parseUint } from './text-line.js';

const F = columnIndex(FIREWALL);
const NAME = 'windows-firewall';
const DEFAULT_FIELDS = 'date time action protocol src-ip dst-ip src-port dst-port size tcpflags tcpsyn tcpack tcpwin icmptype icmpcode info path';

/** Options of the Windows Firewall decoder. */
export interface WindowsFirewallOptions {
  /** UTC offset, in minutes, of the machine that wrote the log; 0 (UTC) by default. */
  readonly utcOffsetMinutes?: number;
}

/** Column positions of the mapped fields in the current `#Fields:` layout (-1 when absent). */
interface Layout {
  names: string[];
  date: number;
  time: number;
  action: number;
  protocol: number;
  src: number;
  dst: number;
  sport: number;
  dport: number;
  size: number;
  icmptype: number;
  icmpcode: number;
}

function layout(fields: string): Layout {
  const names = fields.trim().split(/\s+/);
  const at = (n: string): number => names.indexOf(n);
  return {
    names,
    date: at('date'),
    time: at('time'),
    action: at('action'),
    protocol: at('protocol'),
    src: at('src-ip'),
    dst: at('dst-ip'),
    sport: at('src-port'),
    dport: at('dst-port'),
    size: at('size'),
    icmptype: at('icmptype'),
    icmpcode: at('icmpcode'),
  };
}

/** A decimal field, or -1 (see parseUint). */
const num = parseUint;

const addrScratch = new Uint8Array(16);

/** Decoding of one input. */
class WindowsFirewallDecoder {
  private lay = layout(DEFAULT_FIELDS);
  private mapped = new Set<number>();
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
  readonly decoder: Decoder;
  /** The current line's buffer when it is ASCII (so `message` is copied as bytes), else null. */
  private bytes: Buffer | null = null;
  private start = 0;

  constructor(
    private readonly ctx: DecodeContext,
    private readonly offset: number,
  ) {
    this.setLayout(this.lay);
    this.decoder = lineFramer((buf, start, end, lineNo) => this.line(buf, start, end, lineNo), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  private setLayout(l: Layout): void {
    this.lay = l;
    this.mapped = new Set([l.date, l.time, l.action, l.protocol, l.src, l.dst, l.sport, l.dport, l.size]);
  }

  private line(buf: Buffer, start: number, end: number, lineNo: number): void {
    if (lineNo === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    let blank = true;
    for (let i = start; i < end && blank; i++) blank = buf[i] === 32 || buf[i] === 9;
    if (blank) return;
    try {
      // `message` keeps the whole line; fields are read from it without trailing blanks.
      const s = buf.toString('utf8', start, end);
      const last = buf[end - 1];
      this.bytes = s.length === end - start ? buf : null; // ASCII: the line's bytes are its UTF-8
      this.start = start;
      this.record(s, last === 32 || last === 9 ? s.trimEnd() : s, lineNo);
    } catch (err) {
      this.ctx.skip('decoder_error', lineNo, err instanceof Error ? err.message : String(err));
    }
  }

  private record(line: string, s: string, lineNo: number): void {
    const ctx = this.ctx;
    if (s.charCodeAt(0) === 35) {
      if (s.startsWith('#Fields:')) {
        const l = layout(s.slice(8));
        if (l.date < 0 || l.time < 0) return ctx.skip('no_fields', lineNo);
        this.setLayout(l);
      }
      return;
    }
    const l = this.lay;
    const v = s.split(' ');
    if (v.length < l.names.length) return ctx.skip('truncated', lineNo);
    if (v.length > l.names.length) return ctx.skip('column_count', lineNo);
    const ts = parseIsoTimestamp(v[l.date] + ' ' + v[l.time], 0, this.offset);
    if (ts === null) return ctx.skip('bad_time', lineNo);
    const get = (i: number): string | null => (i < 0 || v[i] === '-' ? null : v[i]);
    const src = get(l.src);
    const dst = get(l.dst);
    if ((src !== null && parseIpInto(src, addrScratch, 0) === 0) || (dst !== null && parseIpInto(dst, addrScratch, 0) === 0)) {
      return ctx.skip('bad_address', lineNo);
    }
    const proto = get(l.protocol);
    const icmp = proto === 'ICMP' || proto === 'ICMPv6' || proto === 'ICMPV6';
    const pa = get(icmp ? l.icmptype : l.sport);
    const pb = get(icmp ? l.icmpcode : l.dport);
    const origP = pa === null ? null : num(pa, 65535);
    const respP = pb === null ? null : num(pb, 65535);
    if (origP === -1 || respP === -1) return ctx.skip('bad_field', lineNo, 'port');
    const sizeText = get(l.size);
    const size = sizeText === null ? null : num(sizeText, 0xffffffff);
    if (size === -1) return ctx.skip('bad_field', lineNo, 'size');
    const actionText = get(l.action);
    const action = actionText === 'ALLOW' ? 'allow' : actionText === 'DROP' ? 'drop' : null;

    const safe = jsonSafe(s);
    let extra = '';
    for (let i = 0; i < v.length; i++) {
      if (v[i] === '-' || (this.mapped.has(i) && !(i === l.action && action === null))) continue;
      extra += (extra.length === 0 ? '"' : ',"') + l.names[i] + '":' + (safe ? '"' + v[i] + '"' : JSON.stringify(v[i]));
    }

    const key = this.key;
    key.tsMicros = ts;
    key.origH = src;
    key.respH = dst;
    key.origP = origP;
    key.respP = respP;
    key.proto = proto;
    const b = ctx.batch('firewall');
    const row = b.addRow();
    writeFlowKey(b, row, key, NAME, ctx.sensor, ctx.ingestId);
    b.setStr(F.action, row, action);
    if (size !== null) b.setNum(F.bytes, row, size);
    b.setNum(F.packets, row, 1);
    if (this.bytes !== null) b.setBytes(F.message, row, this.bytes, this.start, this.start + line.length);
    else b.setStr(F.message, row, line);
    b.setStr(F.extra, row, '{' + extra + '}');
  }
}

/** Whether a head line belongs to a pfirewall.log (its header lines, or a dated ALLOW/DROP record). */
function looksLikePfirewall(l: string): boolean {
  if (l.startsWith('#')) {
    return l.startsWith('#Software: Microsoft Windows Firewall') || l.startsWith('#Fields: date time action protocol') || l.startsWith('#Version:') || l.startsWith('#Time Format:');
  }
  const v = l.split(' ', 5);
  return v.length === 5 && /^\d{4}-\d\d-\d\d$/.test(v[0]) && (v[2] === 'ALLOW' || v[2] === 'DROP' || v[2] === 'INFO-EVENTS-LOST');
}

/** Builds the Windows Firewall decoder for a machine at the given UTC offset. */
export function windowsFirewallDecoder(opts: WindowsFirewallOptions = {}): DecoderDef {
  return {
    name: NAME,
    description: 'Windows Defender Firewall packet log (pfirewall.log, W3C #Fields header)',
    positionUnit: 'line',
    sniff(head: Buffer): number {
      const lines = headLines(head);
      const score = sniffScore(lines, looksLikePfirewall);
      // A header alone is enough; data lines alone are plausible but less certain.
      if (lines.some((l) => l.startsWith('#Software: Microsoft Windows Firewall') || l.startsWith('#Fields: date time action protocol'))) return score;
      return Math.min(score, 0.7);
    },
    create(ctx: DecodeContext): Decoder {
      return new WindowsFirewallDecoder(ctx, opts.utcOffsetMinutes ?? 0).decoder;
    },
  };
}

/** The Windows Firewall decoder, registered as `windows-firewall` (stamps read as UTC). */
export const windowsFirewall: DecoderDef = windowsFirewallDecoder();
