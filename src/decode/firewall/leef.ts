/**
 * IBM QRadar's Log Event Extended Format (LEEF) 1.0 and 2.0, bare or after a syslog envelope, as
 * firewalls and other devices send it to SIEMs (Check Point, Palo Alto, Juniper, Fortinet, Sophos...):
 *
 *   LEEF:1.0|Vendor|Product|Version|EventID|key=value<TAB>key=value...
 *   LEEF:2.0|Vendor|Product|Version|EventID|DELIMITER|key=value<DELIMITER>key=value...
 *
 * The 2.0 delimiter is one character, or its code as `0x5E`, `x5E` or `\t`; a 2.0 header without one
 * means tab. `\|` escapes a pipe in the header. Lines whose attributes are separated by spaces where a
 * tab was due (some devices do) are split at each ` key=` instead.
 *
 * Mapping (LEEF's predefined attributes, plus the keys devices commonly add): src/dst -> orig_h/resp_h,
 * srcPort/dstPort -> ports, proto (name or number) -> proto, srcBytes + dstBytes -> bytes,
 * srcPackets + dstPackets (or totalPackets) -> packets, srcPostNAT/srcPostNATPort and
 * dstPostNAT/dstPostNATPort -> nat_*, action/act -> action (by its word: accept/permit -> allow,
 * block -> deny, drop, reject), rule/ruleName/policy... -> rule, srcZone/dstZone -> zones,
 * inInterface/outInterface -> interfaces, devTime (read with devTimeFormat, default `MMM dd yyyy
 * HH:mm:ss`, or epoch seconds/milliseconds) -> ts, else the syslog stamp. sensor = --sensor, else the
 * syslog host, else identHostName, else `vendor/product`. Everything else goes to extra, with the header
 * as leef_version, vendor, product, product_version and event_id, and the envelope host as syslog_host.
 *
 * `extra` leaves out what a column holds exactly (docs/firewall-fields.md) and empty values: src, dst,
 * proto (when a protocol), ports and counters written as plain numbers, the zones, interfaces and NAT
 * addresses given, the rule key the rule came from, action/act when the column holds the same word,
 * devTime when ts was read from it, srcBytes beside dstBytes (bytes - dstBytes; a lone one is bytes),
 * likewise srcPackets (or totalPackets, when given), and what the sensor came from: syslog_host,
 * identHostName, or vendor and product.
 *
 * Events without both addresses (logins, audit events) are counted as ignored, `leef-<vendor>`.
 * Skips: `no_match` (no LEEF header), `truncated` (header cut short), `bad_address`, `bad_field`
 * (a port or counter that is not a number), `bad_time`, `no_time`.
 */
import { FIREWALL, columnIndex } from '../../model/fields.js';
import { parseIpInto } from '../../model/ip.js';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { protoNumber } from '../../model/community-id.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import { decisionOf } from './decision-words.js';
import { compileJavaDate, parseJavaDate, type JavaDatePattern } from './java-date.js';
import { ENVELOPE_BAD_TIME, headLines, newEnvelope, parseSyslogEnvelope, sniffScore } from './syslog-envelope.js';
import { readByteLine } from './text-line.js';

const F = columnIndex(FIREWALL);
const SOURCE = 'leef';
const DEFAULT_TIME_FORMAT = 'MMM dd yyyy HH:mm:ss';

/** Attributes a rule name is read from, the first non-empty one wins. */
const RULE_KEYS = ['rule', 'ruleName', 'rule_name', 'RuleName', 'policy', 'policyName', 'policy_name'];
const PORT_KEYS = ['srcPort', 'dstPort', 'srcPostNATPort', 'dstPostNATPort'];


/**
 * Splits a LEEF header at unescaped pipes: up to six fields (version, vendor, product, version,
 * event id and, in 2.0, the delimiter), and the offset just after each field's closing pipe.
 */
export function leefHeader(s: string, start: number): { fields: string[]; after: number[] } | null {
  const fields: string[] = [];
  const after: number[] = [];
  let cur = '';
  for (let i = start; i < s.length && fields.length < 6; i++) {
    const c = s[i];
    if (c === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (c === '|') {
      fields.push(cur);
      after.push(i + 1);
      cur = '';
    } else cur += c;
  }
  return fields.length < 5 ? null : { fields, after };
}

/** The 2.0 delimiter field as a character: `^`, `0x5E`, `x5E`, `\t`; null when it is not one. */
export function leefDelimiter(field: string): string | null {
  if (field.length === 1) return field;
  if (field === '\\t') return '\t';
  const hex = /^(?:0x|x)([0-9A-Fa-f]{1,4})$/.exec(field);
  return hex === null ? null : String.fromCharCode(parseInt(hex[1], 16));
}

/** Splits attributes by the delimiter; text without it but with ` key=` pairs is split at those. */
export function leefAttributes(text: string, delim: string): Map<string, string> {
  const out = new Map<string, string>();
  const put = (pair: string) => {
    const eq = pair.indexOf('=');
    if (eq > 0) out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
  };
  if (text.includes(delim) || delim !== '\t') {
    for (const pair of text.split(delim)) put(pair);
    return out;
  }
  // Spaces where tabs were due: a value runs to the space before the next `key=`.
  const keyAt = /(?:^| )([A-Za-z_][\w.-]*)=/g;
  const starts: number[] = [];
  for (let m = keyAt.exec(text); m !== null; m = keyAt.exec(text)) starts.push(m.index === 0 ? 0 : m.index + 1);
  for (let k = 0; k < starts.length; k++) put(text.slice(starts[k], k + 1 < starts.length ? starts[k + 1] - 1 : text.length));
  return out;
}

const scratch = new Uint8Array(16);

/** Decoding of one input. */
class LeefDecoder {
  readonly decoder: Decoder;
  private readonly env = newEnvelope();
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
  private readonly formats = new Map<string, JavaDatePattern | null>();

  constructor(private readonly ctx: DecodeContext) {
    this.decoder = lineFramer((buf, start, end, lineNo) => readByteLine(buf, start, end, lineNo, ctx, (b, s, e, n) => this.record(b, s, e, n)), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  private format(p: string): JavaDatePattern | null {
    let f = this.formats.get(p);
    if (f === undefined) {
      f = compileJavaDate(p);
      if (this.formats.size < 64) this.formats.set(p, f);
    }
    return f;
  }

  /** devTime: epoch seconds or milliseconds, or text in devTimeFormat. Undefined when absent. */
  private devTime(a: Map<string, string>): number | null | undefined {
    const t = a.get('devTime')?.trim();
    if (t === undefined || t === '') return undefined;
    if (/^\d{10}(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1e6);
    if (/^\d{13}$/.test(t)) return Number(t) * 1000;
    const f = this.format(a.get('devTimeFormat') ?? DEFAULT_TIME_FORMAT);
    return f === null ? null : parseJavaDate(f, t);
  }

  /** One line, its bytes valid UTF-8 without blanks at either end (low volume: read as a string). */
  private record(buf: Buffer, start: number, end: number, lineNo: number): void {
    const s = buf.toString('utf8', start, end);
    const ctx = this.ctx;
    const env = this.env;
    const envelope = parseSyslogEnvelope(s, env);
    const at = s.indexOf('LEEF:', env.appStart >= 0 ? env.appStart : env.msgStart);
    if (at < 0) return ctx.skip('no_match', lineNo);
    const h = leefHeader(s, at + 5);
    if (h === null) return ctx.skip('truncated', lineNo);
    const [version, vendor, product, productVersion, eventId] = h.fields;
    // 2.0 names its delimiter in a sixth field; without one (or in 1.0) attributes follow the fifth pipe.
    let delim = '\t';
    let attrStart = h.after[4];
    const d = version.startsWith('2') && h.fields.length === 6 ? leefDelimiter(h.fields[5]) : null;
    if (d !== null) {
      delim = d;
      attrStart = h.after[5];
    }
    const a = leefAttributes(s.slice(attrStart), delim);
    const src = a.get('src')?.trim();
    const dst = a.get('dst')?.trim();
    if (!src || !dst) {
      ctx.ignore(`leef-${vendor.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'other'}`);
      return;
    }
    const la = parseIpInto(src, scratch, 0);
    if (la === 0 || la !== parseIpInto(dst, scratch, 0)) return ctx.skip('bad_address', lineNo);
    let ts = this.devTime(a);
    if (ts === null) return ctx.skip('bad_time', lineNo);
    // Attributes a column holds exactly, left out of extra.
    const drop = new Set<string>(['src', 'dst']);
    if (ts !== undefined) drop.add('devTime');
    if (ts === undefined) {
      if (envelope === ENVELOPE_BAD_TIME) return ctx.skip('bad_time', lineNo);
      ts = env.tsMicros ?? undefined;
    }
    if (ts === undefined) return ctx.skip('no_time', lineNo);
    const num = (k: string, max: number): number | null | undefined => {
      const v = a.get(k)?.trim();
      if (v === undefined || v === '') return undefined;
      return /^\d{1,15}$/.test(v) && Number(v) <= max ? Number(v) : null;
    };
    const ports = [num('srcPort', 65535), num('dstPort', 65535), num('srcPostNATPort', 65535), num('dstPostNATPort', 65535)];
    const counters = [num('srcBytes', Number.MAX_SAFE_INTEGER), num('dstBytes', Number.MAX_SAFE_INTEGER), num('srcPackets', Number.MAX_SAFE_INTEGER), num('dstPackets', Number.MAX_SAFE_INTEGER), num('totalPackets', Number.MAX_SAFE_INTEGER)];
    if (ports.includes(null) || counters.includes(null)) return ctx.skip('bad_field', lineNo);
    const [sb, db, sp, dp, tp] = counters as (number | undefined)[];
    const protoText = a.get('proto')?.trim().toLowerCase();
    const protoNum = protoText === undefined || protoText === '' ? undefined : protoNumber(protoText);

    const k = this.key;
    k.tsMicros = ts;
    k.origH = src;
    k.respH = dst;
    k.origP = (ports[0] as number | undefined) ?? null;
    k.respP = (ports[1] as number | undefined) ?? null;
    k.proto = protoNum !== undefined && protoNum <= 255 ? String(protoNum) : (protoText ?? null);
    const b = ctx.batch('firewall');
    const row = b.addRow();
    const sensor = ctx.sensor ?? env.host ?? a.get('identHostName') ?? `${vendor}/${product}`;
    writeFlowKey(b, row, k, SOURCE, sensor, ctx.ingestId);
    const actKey = a.has('action') ? 'action' : 'act';
    const act = a.get(actKey);
    if (act !== undefined) {
      const d = decisionOf(act.trim());
      if (d !== null) b.setStr(F.action, row, d);
      if (d === act) drop.add(actKey);
    }
    const ruleKey = RULE_KEYS.find((r) => (a.get(r) ?? '') !== '');
    if (ruleKey !== undefined) {
      b.setStr(F.rule, row, a.get(ruleKey)!);
      drop.add(ruleKey);
    }
    for (const z of ['srcZone', 'dstZone', 'inInterface', 'outInterface', 'srcPostNAT', 'dstPostNAT']) drop.add(z); // empty or in a column
    const plain = (key: string): boolean => {
      const v = a.get(key);
      return v !== undefined && v === String(Number(v));
    };
    for (const key of PORT_KEYS) if (plain(key)) drop.add(key);
    if (protoNum !== undefined) drop.add('proto');
    dropSum(drop, a, plain, 'srcBytes', 'dstBytes');
    if (tp !== undefined) {
      if (plain('totalPackets')) drop.add('totalPackets');
    } else dropSum(drop, a, plain, 'srcPackets', 'dstPackets');
    b.setStr(F.in_zone, row, a.get('srcZone') || null);
    b.setStr(F.out_zone, row, a.get('dstZone') || null);
    b.setStr(F.in_iface, row, a.get('inInterface') || null);
    b.setStr(F.out_iface, row, a.get('outInterface') || null);
    if (sb !== undefined || db !== undefined) b.setNum(F.bytes, row, (sb ?? 0) + (db ?? 0));
    if (tp !== undefined) b.setNum(F.packets, row, tp);
    else if (sp !== undefined || dp !== undefined) b.setNum(F.packets, row, (sp ?? 0) + (dp ?? 0));
    const natSrc = a.get('srcPostNAT')?.trim();
    if (natSrc) b.setStr(F.nat_orig_h, row, natSrc);
    else if (natSrc === '') drop.delete('srcPostNAT'); // blanks only: kept as written
    if (ports[2] !== undefined) b.setNum(F.nat_orig_p, row, ports[2] as number);
    const natDst = a.get('dstPostNAT')?.trim();
    if (natDst) b.setStr(F.nat_resp_h, row, natDst);
    else if (natDst === '') drop.delete('dstPostNAT');
    if (ports[3] !== undefined) b.setNum(F.nat_resp_p, row, ports[3] as number);
    b.setBytes(F.message, row, buf, start, end);
    // A null prototype, so attributes named like Object's members (`constructor`, `__proto__`) are kept as keys.
    const extra = Object.create(null) as Record<string, string>;
    extra.leef_version = version;
    const sensorFrom = ctx.sensor !== null ? '' : env.host !== null ? 'syslog_host' : a.has('identHostName') ? 'identHostName' : vendor.includes('/') ? '' : 'vendor';
    if (sensorFrom === 'identHostName') drop.add('identHostName');
    if (sensorFrom !== 'vendor') {
      extra.vendor = vendor;
      extra.product = product;
    }
    extra.product_version = productVersion;
    extra.event_id = eventId;
    for (const [key, v] of a) if (v !== '' && !drop.has(key) && !Object.hasOwn(extra, key)) extra[key] = v;
    if (env.host !== null && sensorFrom !== 'syslog_host') extra.syslog_host = env.host;
    b.setStr(F.extra, row, JSON.stringify(extra));
  }
}

/** Leaves a pair of counters whose sum is a column out of extra: the first when both are plain numbers, a lone one alone. */
function dropSum(drop: Set<string>, a: Map<string, string>, plain: (key: string) => boolean, first: string, second: string): void {
  const pa = plain(first);
  const pb = plain(second);
  const absent = (key: string): boolean => (a.get(key) ?? '').trim() === '';
  if (pa && (pb || absent(second))) drop.add(first);
  else if (pb && absent(first)) drop.add(second);
}

function looksLikeLeef(line: string): boolean {
  return /(?:^|[\s>])LEEF:[12]\.0\|/.test(line);
}

/** The LEEF decoder, registered as `leef`. */
export const leef: DecoderDef = {
  name: 'leef',
  description: 'LEEF 1.0/2.0 (IBM QRadar format) events with network addresses, as firewall decisions',
  positionUnit: 'line',
  sniff(head: Buffer): number {
    return sniffScore(headLines(head), looksLikeLeef);
  },
  create(ctx: DecodeContext): Decoder {
    return new LeefDecoder(ctx).decoder;
  },
};
