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
import { parseIpBytesInto } from '../../model/ip.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import { headLines, parseIsoTimestamp, sniffScore } from './syslog-envelope.js';
import { readByteLine, type ByteRecordFn } from './text-line.js';
import { ByteWriter } from '../zeek/byte-writer.js';
import { bytesAre, uintField } from './byte-fields.js';
import { latin1 } from '../zeek/zeek-values.js';
import { closeExtra, jsonKeyBytes, openExtra } from './json-extra.js';

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
  /** `"name":"` of each column, for extra. */
  keys: Uint8Array[];
  /** 1 for a column that has a column of its own in the store. */
  mapped: Uint8Array;
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
  const l: Layout = {
    names,
    keys: names.map((n) => Buffer.from(JSON.stringify(n) + ':"')),
    mapped: new Uint8Array(names.length),
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
  for (const i of [l.date, l.time, l.action, l.protocol, l.src, l.dst, l.sport, l.dport, l.size]) if (i >= 0) l.mapped[i] = 1;
  return l;
}

const PROTOS = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'ICMPV6'];

const addrScratch = new Uint8Array(16);

/** Decoding of one input. */
class WindowsFirewallDecoder {
  private lay = layout(DEFAULT_FIELDS);
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
  readonly decoder: Decoder;
  private readonly w = new ByteWriter(512);
  private fs = new Int32Array(64);
  private fe = new Int32Array(64);
  private readonly onRecord: ByteRecordFn = (buf, start, end, lineNo) => this.record(buf, start, end, lineNo);

  constructor(
    private readonly ctx: DecodeContext,
    private readonly offset: number,
  ) {
    this.decoder = lineFramer((buf, start, end, lineNo) => this.line(buf, start, end, lineNo), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  private line(buf: Buffer, start: number, end: number, lineNo: number): void {
    if (lineNo === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    readByteLine(buf, start, end, lineNo, this.ctx, this.onRecord, true);
  }

  /** Splits `b[s..e)` at single spaces (as String.split(' ') does); returns the number of fields. */
  private split(b: Uint8Array, s: number, e: number): number {
    let n = 0;
    let at = s;
    for (let i = s; i <= e; i++) {
      if (i < e && b[i] !== 32) continue;
      if (n === this.fs.length) {
        const gs = new Int32Array(n * 2);
        const ge = new Int32Array(n * 2);
        gs.set(this.fs);
        ge.set(this.fe);
        this.fs = gs;
        this.fe = ge;
      }
      this.fs[n] = at;
      this.fe[n] = i;
      n++;
      at = i + 1;
    }
    return n;
  }

  /** Whether field i is absent (no such column, or `-`). */
  private none(b: Uint8Array, i: number): boolean {
    return i < 0 || (this.fe[i] - this.fs[i] === 1 && b[this.fs[i]] === 45);
  }

  private record(b: Buffer, start: number, end: number, lineNo: number): void {
    const ctx = this.ctx;
    let n = end;
    if (b[n - 1] === 32 || b[n - 1] === 9) while (n > start && isSpace(b[n - 1])) n--;
    if (b[start] === 35) {
      const s = b.toString('utf8', start, n);
      if (s.startsWith('#Fields:')) {
        const l = layout(s.slice(8));
        if (l.date < 0 || l.time < 0) return ctx.skip('no_fields', lineNo);
        this.lay = l;
      }
      return;
    }
    const l = this.lay;
    const count = this.split(b, start, n);
    const fs = this.fs;
    const fe = this.fe;
    if (count < l.names.length) return ctx.skip('truncated', lineNo);
    if (count > l.names.length) return ctx.skip('column_count', lineNo);
    const stamp =
      l.time === l.date + 1 ? latin1(b, fs[l.date], fe[l.time]) : latin1(b, fs[l.date], fe[l.date]) + ' ' + latin1(b, fs[l.time], fe[l.time]);
    const ts = parseIsoTimestamp(stamp, 0, this.offset);
    if (ts === null) return ctx.skip('bad_time', lineNo);
    const noSrc = this.none(b, l.src);
    const noDst = this.none(b, l.dst);
    if ((!noSrc && parseIpBytesInto(b, fs[l.src], fe[l.src], addrScratch, 0) === 0) || (!noDst && parseIpBytesInto(b, fs[l.dst], fe[l.dst], addrScratch, 0) === 0)) {
      return ctx.skip('bad_address', lineNo);
    }
    let proto: string | null = null;
    if (!this.none(b, l.protocol)) {
      const ps = fs[l.protocol];
      const pe = fe[l.protocol];
      proto = PROTOS.find((p) => bytesAre(b, ps, pe, p)) ?? b.toString('utf8', ps, pe);
    }
    const icmp = proto === 'ICMP' || proto === 'ICMPv6' || proto === 'ICMPV6';
    const pa = icmp ? l.icmptype : l.sport;
    const pb = icmp ? l.icmpcode : l.dport;
    const origP = this.none(b, pa) ? null : uintField(b, fs[pa], fe[pa], 10, 65535);
    const respP = this.none(b, pb) ? null : uintField(b, fs[pb], fe[pb], 10, 65535);
    if (origP === -1 || respP === -1) return ctx.skip('bad_field', lineNo, 'port');
    const size = this.none(b, l.size) ? null : uintField(b, fs[l.size], fe[l.size], 10, 0xffffffff);
    if (size === -1) return ctx.skip('bad_field', lineNo, 'size');
    let action: string | null = null;
    if (!this.none(b, l.action)) action = bytesAre(b, fs[l.action], fe[l.action], 'ALLOW') ? 'allow' : bytesAre(b, fs[l.action], fe[l.action], 'DROP') ? 'drop' : null;

    const w = this.w;
    openExtra(w);
    for (let i = 0; i < count; i++) {
      if (this.none(b, i) || (l.mapped[i] === 1 && !(i === l.action && action === null))) continue;
      jsonKeyBytes(w, l.keys[i]);
      w.jsonEscaped(b, fs[i], fe[i]);
      w.byte(34);
    }
    closeExtra(w);

    const key = this.key;
    key.tsMicros = ts;
    key.addrBuf = b;
    key.origHStart = noSrc ? 0 : fs[l.src];
    key.origHEnd = noSrc ? 0 : fe[l.src];
    key.respHStart = noDst ? 0 : fs[l.dst];
    key.respHEnd = noDst ? 0 : fe[l.dst];
    key.origP = origP;
    key.respP = respP;
    key.proto = proto;
    const bt = ctx.batch('firewall');
    const row = bt.addRow();
    writeFlowKey(bt, row, key, NAME, ctx.sensor, ctx.ingestId);
    bt.setStr(F.action, row, action);
    if (size !== null) bt.setNum(F.bytes, row, size);
    bt.setNum(F.packets, row, 1);
    bt.setBytes(F.message, row, b, start, end);
    bt.setBytes(F.extra, row, w.buf, 0, w.len);
  }
}

/** JS whitespace in ASCII (what String.trimEnd removes from an ASCII line). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
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
