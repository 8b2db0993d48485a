/**
 * ArcSight Common Event Format (CEF), bare or after a syslog envelope (see syslog-envelope.ts):
 * `CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension`.
 * In the header `\|` and `\\` are escapes; the extension is `key=value` pairs separated by spaces, where
 * a value runs to the space before the next key and may hold `\=`, `\\`, `\n` and `\r`. A header whose
 * `CEF:` marker was lost (`0|Vendor|...`, seen from UniFi) is read too.
 *
 * Mapping (short and long key names): src/dst -> orig_h/resp_h, spt/dpt -> ports, proto -> proto,
 * act -> action (allow/accept/permit/pass -> allow, deny/block -> deny, drop -> drop, reject -> reject,
 * anything else null with the raw value kept in extra), deviceInboundInterface/deviceOutboundInterface
 * -> interfaces, in + out -> bytes, source/destinationTranslatedAddress/Port -> nat_*, end - start ->
 * duration. ts = rt, else start, else the syslog stamp, else the first vendor key named `...Time` that
 * holds an ISO 8601 stamp (UniFi's UNIFIutcTime). Formatted CEF times without a zone are read as UTC.
 * rule = Name, rule_id = Signature ID. sensor = dvchost, else the syslog host, else `vendor/product`.
 * Everything else goes to extra: the header fields as cef_version, device_vendor, device_product,
 * device_version and severity, and each extension key as written except that cs1..cs6, cn1..cn3 (and the
 * other custom keys) are renamed by their `...Label` when one is given.
 *
 * Skips: `no_match` (no CEF header), `truncated` (fewer than 8 header fields), `bad_address`,
 * `bad_field` (a port or byte count that is not a number), `bad_time`, `no_time`.
 */
import { readTextLine, writeMessage, type LineCursor, type LineRecordFn } from './text-line.js';
import { FIREWALL, columnIndex } from '../../model/fields.js';
import { parseIpInto } from '../../model/ip.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import { ByteWriter } from '../zeek/byte-writer.js';
import { closeExtra, jsonPairStrings, openExtra } from './json-extra.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import {
  ENVELOPE_BAD_TIME,
  ENVELOPE_OK,
  headLines,
  newEnvelope,
  parseIsoTimestamp,
  parseSyslogEnvelope,
  sniffScore,
  type EnvelopeOptions,
} from './syslog-envelope.js';

const F = columnIndex(FIREWALL);
const NAME = 'cef';

/** Long CEF key names mapped to the short ones this decoder reads. */
const LONG: Readonly<Record<string, string>> = {
  sourceAddress: 'src',
  destinationAddress: 'dst',
  sourcePort: 'spt',
  destinationPort: 'dpt',
  transportProtocol: 'proto',
  deviceAction: 'act',
  bytesIn: 'in',
  bytesOut: 'out',
  deviceReceiptTime: 'rt',
  startTime: 'start',
  endTime: 'end',
  deviceHostName: 'dvchost',
};

function actionOf(a: string): string | null {
  switch (a.toLowerCase()) {
    case 'allow':
    case 'allowed':
    case 'accept':
    case 'accepted':
    case 'permit':
    case 'permitted':
    case 'pass':
    case 'passed':
      return 'allow';
    case 'deny':
    case 'denied':
    case 'block':
    case 'blocked':
      return 'deny';
    case 'drop':
    case 'dropped':
      return 'drop';
    case 'reject':
    case 'rejected':
      return 'reject';
    default:
      return null;
  }
}

function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 91 || c === 93;
}

function unescapeValue(v: string): string {
  if (v.indexOf('\\') < 0) return v;
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '\\' && i + 1 < v.length) {
      const n = v[++i];
      out += n === 'n' ? '\n' : n === 'r' ? '\r' : n;
    } else out += c;
  }
  return out;
}

/** Next `=` at or after `i` that is not escaped by a backslash. */
function nextEquals(s: string, i: number): number {
  for (;;) {
    const eq = s.indexOf('=', i);
    if (eq < 0) return -1;
    let bs = 0;
    for (let k = eq - 1; k >= 0 && s.charCodeAt(k) === 92; k--) bs++;
    if (bs % 2 === 0) return eq;
    i = eq + 1;
  }
}

/** Splits a CEF extension into keys and (unescaped) values. */
export function parseExtension(ext: string, keys: string[], values: string[]): void {
  keys.length = 0;
  values.length = 0;
  let i = 0;
  while (ext.charCodeAt(i) === 32) i++;
  let eq = nextEquals(ext, i);
  if (eq < 0) return;
  let key = ext.slice(i, eq);
  let valStart = eq + 1;
  let from = valStart;
  for (;;) {
    const next = nextEquals(ext, from);
    if (next < 0) break;
    const sp = ext.lastIndexOf(' ', next);
    let ok = sp >= valStart && sp + 1 < next;
    for (let k = sp + 1; ok && k < next; k++) ok = isKeyChar(ext.charCodeAt(k));
    if (!ok) {
      from = next + 1; // a bare `=` inside a value
      continue;
    }
    keys.push(key);
    values.push(unescapeValue(ext.slice(valStart, sp).trimEnd()));
    key = ext.slice(sp + 1, next);
    valStart = from = next + 1;
    eq = next;
  }
  keys.push(key);
  values.push(unescapeValue(ext.slice(valStart).trimEnd()));
}

/** Splits the 7 header fields from `start`; returns the extension's offset, or -1 when there are fewer. */
function parseHeader(s: string, start: number, out: string[]): number {
  out.length = 0;
  let cur = '';
  let seg = start;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 && i + 1 < s.length) {
      cur += s.slice(seg, i) + s[i + 1];
      i++;
      seg = i + 1;
    } else if (c === 124) {
      out.push(cur + s.slice(seg, i));
      cur = '';
      seg = i + 1;
      if (out.length === 7) return i + 1;
    }
  }
  return -1;
}

function port(v: string): number {
  if (v.length === 0 || v.length > 5) return -1;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : -1;
}

const scratchEnv = newEnvelope();

/** A CEF time: epoch milliseconds, ISO 8601, or `MMM dd [yyyy] HH:mm:ss[.SSS]`; null when unreadable. */
function cefTime(v: string, opts: EnvelopeOptions): number | null {
  if (/^\d{10,}$/.test(v)) return Number(v) * 1000;
  if (/^\d{4}-/.test(v)) return parseIsoTimestamp(v, 0, opts.utcOffsetMinutes ?? 0);
  if (parseSyslogEnvelope(v, scratchEnv, opts) === ENVELOPE_OK) return scratchEnv.tsMicros;
  return null;
}

const addrScratch = new Uint8Array(16);

/** True for an address given but not readable. */
function badAddress(a: string | null): boolean {
  return a !== null && a.length > 0 && parseIpInto(a, addrScratch, 0) === 0;
}

/** Whether a key ends with `time`, in any case (UNIFIutcTime, deviceCustomTime...). */
function endsWithTime(k: string): boolean {
  const n = k.length;
  return n >= 4 && (k.charCodeAt(n - 4) | 32) === 116 && (k.charCodeAt(n - 3) | 32) === 105 && (k.charCodeAt(n - 2) | 32) === 109 && (k.charCodeAt(n - 1) | 32) === 101;
}

/** Whether a value starts with four digits and a dash (an ISO 8601 date). */
function startsWithYear(v: string): boolean {
  for (let i = 0; i < 4; i++) {
    const c = v.charCodeAt(i);
    if (!(c >= 48 && c <= 57)) return false;
  }
  return v.charCodeAt(4) === 45;
}

/**
 * The `extra` members of one line, in order, written as JSON bytes. A key given twice keeps its first
 * place and its last value, as an object would; lines with such keys (or keys a JS object orders or
 * treats differently: integer-like ones, `__proto__`) go through an object and JSON.stringify instead.
 */
class ExtraPairs {
  private readonly keys: string[] = [];
  private readonly values: string[] = [];
  private plain = true;
  private readonly w = new ByteWriter(1024);

  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
    this.plain = true;
  }

  put(k: string, v: string): void {
    if (this.plain) {
      const c = k.charCodeAt(0);
      if ((c >= 48 && c <= 57) || k === '__proto__' || this.keys.includes(k)) this.plain = false;
    }
    this.keys.push(k);
    this.values.push(v);
  }

  write(b: ColumnBatch, col: number, row: number): void {
    const keys = this.keys;
    const values = this.values;
    if (!this.plain) {
      const o: Record<string, string> = {};
      for (let i = 0; i < keys.length; i++) o[keys[i]] = values[i];
      b.setStr(col, row, JSON.stringify(o));
      return;
    }
    const w = this.w;
    openExtra(w);
    for (let i = 0; i < keys.length; i++) jsonPairStrings(w, keys[i], values[i]);
    closeExtra(w);
    b.setBytes(col, row, w.buf, 0, w.len);
  }
}

/** Decoding of one input. */
class CefDecoder {
  private readonly env = newEnvelope();
  private readonly header: string[] = [];
  private readonly keys: string[] = [];
  private readonly values: string[] = [];
  private readonly labels = new Map<string, string>();
  private readonly extra = new ExtraPairs();
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
    const h = headerStart(s, env.appStart >= 0 ? env.appStart : env.msgStart);
    if (h < 0) return ctx.skip('no_match', lineNo);
    const hd = this.header;
    const extAt = parseHeader(s, h, hd);
    if (extAt < 0) return ctx.skip('truncated', lineNo);
    if (r === ENVELOPE_BAD_TIME) return ctx.skip('bad_time', lineNo);
    const keys = this.keys;
    const values = this.values;
    parseExtension(s.slice(extAt), keys, values);

    const labels = this.labels;
    labels.clear();
    for (let i = 0; i < keys.length; i++) if (keys[i].endsWith('Label')) labels.set(keys[i].slice(0, -5), values[i]);
    let src: string | null = null;
    let dst: string | null = null;
    let spt = -1;
    let dpt = -1;
    let proto: string | null = null;
    let act: string | null = null;
    let inIface: string | null = null;
    let outIface: string | null = null;
    let bytes = -1;
    let rt: number | null = null;
    let start: number | null = null;
    let endT: number | null = null;
    let vendorTime: number | null = null;
    let dvchost: string | null = null;
    let natSrc: string | null = null;
    let natDst: string | null = null;
    let natSpt = -1;
    let natDpt = -1;
    const extra = this.extra;
    extra.clear();
    extra.put('cef_version', hd[0]);
    extra.put('device_vendor', hd[1]);
    extra.put('device_product', hd[2]);
    extra.put('device_version', hd[3]);
    extra.put('severity', hd[6]);
    for (let i = 0; i < keys.length; i++) {
      const raw = keys[i];
      const k = LONG[raw] ?? raw;
      const v = values[i];
      switch (k) {
        case 'src':
          src = v;
          break;
        case 'dst':
          dst = v;
          break;
        case 'spt':
          if ((spt = port(v)) < 0) return ctx.skip('bad_field', lineNo, 'spt');
          break;
        case 'dpt':
          if ((dpt = port(v)) < 0) return ctx.skip('bad_field', lineNo, 'dpt');
          break;
        case 'proto':
          proto = v;
          break;
        case 'act':
          act = actionOf(v);
          if (act === null) extra.put('act', v);
          break;
        case 'deviceInboundInterface':
          inIface = v;
          break;
        case 'deviceOutboundInterface':
          outIface = v;
          break;
        case 'in':
        case 'out': {
          const n = Number(v);
          if (!Number.isFinite(n) || n < 0) return ctx.skip('bad_field', lineNo, k);
          bytes = (bytes < 0 ? 0 : bytes) + n;
          extra.put(raw, v);
          break;
        }
        case 'rt':
          if ((rt = cefTime(v, this.opts)) === null) return ctx.skip('bad_time', lineNo, 'rt');
          break;
        case 'start':
          if ((start = cefTime(v, this.opts)) === null) return ctx.skip('bad_time', lineNo, 'start');
          break;
        case 'end':
          if ((endT = cefTime(v, this.opts)) === null) return ctx.skip('bad_time', lineNo, 'end');
          break;
        case 'dvchost':
          dvchost = v;
          break;
        case 'sourceTranslatedAddress':
          natSrc = v;
          break;
        case 'destinationTranslatedAddress':
          natDst = v;
          break;
        case 'sourceTranslatedPort':
          natSpt = port(v);
          break;
        case 'destinationTranslatedPort':
          natDpt = port(v);
          break;
        default: {
          if (raw.endsWith('Label') && labels.has(raw.slice(0, -5))) break;
          if (vendorTime === null && endsWithTime(raw) && startsWithYear(v)) vendorTime = parseIsoTimestamp(v, 0, this.opts.utcOffsetMinutes ?? 0);
          extra.put(labels.get(raw) ?? raw, v);
        }
      }
    }
    const ts = rt ?? start ?? env.tsMicros ?? vendorTime;
    if (ts === null) return ctx.skip('no_time', lineNo);
    if (badAddress(src) || badAddress(dst) || badAddress(natSrc) || badAddress(natDst)) return ctx.skip('bad_address', lineNo);

    const key = this.key;
    key.tsMicros = ts;
    key.origH = src;
    key.respH = dst;
    key.origP = spt >= 0 ? spt : null;
    key.respP = dpt >= 0 ? dpt : null;
    key.proto = proto;
    const b = ctx.batch('firewall');
    const row = b.addRow();
    writeFlowKey(b, row, key, NAME, ctx.sensor ?? dvchost ?? env.host ?? `${hd[1]}/${hd[2]}`, ctx.ingestId);
    b.setStr(F.action, row, act);
    b.setStr(F.rule, row, hd[5].length > 0 ? hd[5] : null);
    b.setStr(F.rule_id, row, hd[4].length > 0 ? hd[4] : null);
    b.setStr(F.in_iface, row, inIface);
    b.setStr(F.out_iface, row, outIface);
    if (bytes >= 0) b.setNum(F.bytes, row, bytes);
    b.setStr(F.nat_orig_h, row, natSrc);
    if (natSpt >= 0) b.setNum(F.nat_orig_p, row, natSpt);
    b.setStr(F.nat_resp_h, row, natDst);
    if (natDpt >= 0) b.setNum(F.nat_resp_p, row, natDpt);
    if (start !== null && endT !== null && endT >= start) b.setNum(F.duration, row, (endT - start) / 1e6);
    writeMessage(b, F.message, row, this.cur, line);
    extra.write(b, F.extra, row);
  }
}

/** Offset of the CEF version after `CEF:` (searched from `from`), or of a bare `N|` header; -1 when absent. */
function headerStart(s: string, from: number): number {
  const at = s.indexOf('CEF:', from);
  if (at >= 0) {
    let i = at + 4;
    while (s.charCodeAt(i) === 32) i++;
    return i;
  }
  let i = from;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i > from && s.charCodeAt(i) === 124 ? from : -1;
}

const probe = newEnvelope();

/** Whether a line carries a CEF header (7 `|`-separated fields after `CEF:`). */
function looksLikeCef(l: string): boolean {
  parseSyslogEnvelope(l, probe);
  const h = headerStart(l, probe.appStart >= 0 ? probe.appStart : probe.msgStart);
  if (h < 0 || !/^\d+\|/.test(l.slice(h, h + 4))) return false;
  return parseHeader(l, h, []) > 0;
}

/** Builds the CEF decoder with its own clock and time zone (tests; sites logging in local time). */
export function cefDecoder(opts: EnvelopeOptions = {}): DecoderDef {
  return {
    name: NAME,
    description: 'ArcSight Common Event Format (CEF) lines, bare or in syslog',
    positionUnit: 'line',
    sniff(head: Buffer): number {
      return sniffScore(headLines(head), looksLikeCef);
    },
    create(ctx: DecodeContext): Decoder {
      return new CefDecoder(ctx, opts).decoder;
    },
  };
}

/** The CEF decoder, registered as `cef`. */
export const cef: DecoderDef = cefDecoder();
