/**
 * ArcSight Common Event Format (CEF), bare or after a syslog envelope (see syslog-envelope.ts):
 * `CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension`.
 * In the header `\|` and `\\` are escapes; the extension is `key=value` pairs separated by spaces, where
 * a value runs to the space before the next key and may hold `\=`, `\\`, `\n` and `\r`. A header whose
 * `CEF:` marker was lost (`0|Vendor|...`, seen from UniFi) is read too.
 *
 * Mapping (short and long key names): src/dst -> orig_h/resp_h, spt/dpt -> ports, proto -> proto,
 * act -> action (by its word, decision-words.ts: allow/accept/permit/pass -> allow, deny/block -> deny,
 * drop/discard -> drop, reject/reset -> reject,
 * anything else null with the raw value kept in extra), deviceInboundInterface/deviceOutboundInterface
 * -> interfaces, in + out -> bytes, source/destinationTranslatedAddress/Port -> nat_* (0.0.0.0 and :: mean
 * none), c6a2/c6a3 labelled `Source/Destination IPv6 Address` -> orig_h/resp_h when src/dst are absent,
 * end - start -> duration. ts = rt, else start, else the syslog stamp, else the first vendor key named `...Time` that
 * holds an ISO 8601 stamp (UniFi's UNIFIutcTime). Formatted CEF times without a zone are read as UTC.
 * rule = Name, rule_id = Signature ID. sensor = dvchost, else the syslog host, else `vendor/product`.
 * Everything else goes to extra: the header fields as cef_version, device_vendor, device_product,
 * device_version and severity, and each extension key as written except that cs1..cs6, cn1..cn3 (and the
 * other custom keys) are renamed by their `...Label` when one is given.
 *
 * `extra` leaves out what a column holds exactly (docs/firewall-fields.md): src, dst, spt, dpt, proto,
 * deviceInboundInterface, deviceOutboundInterface, the translated addresses and ports (when readable),
 * the header's Name and Signature ID, the `...Label` keys (they name others); act when the column holds
 * the same word (blocked, accept, ... stay); dvchost when it is the sensor; device_vendor and
 * device_product when the sensor is `vendor/product`; rt (ts); start when ts is it, end when the duration
 * and start give it; the vendor time key ts was read from; a lone `in` or `out` (it is bytes), and `out`
 * beside one `in` (bytes minus in), when written as plain numbers.
 *
 * Events with neither src nor dst (a device's own management and health events) are counted as ignored,
 * `cef-<vendor>`. Skips: `no_match` (no CEF header), `truncated` (fewer than 8 header fields), `bad_address`,
 * `bad_field` (a port or byte count that is not a number), `bad_time`, `no_time`.
 */
import { parseEnvelopeLatin1, readByteLine, utf8Of, type ByteRecordFn } from './text-line.js';
import { ExtensionPairs } from './cef-extension.js';
import { K_SRC, K_DST, K_SPT, K_DPT, K_PROTO, K_ACT, K_DEVICEINBOUNDINTERFACE, K_DEVICEOUTBOUNDINTERFACE, K_IN, K_OUT, K_RT, K_START, K_END, K_DVCHOST, K_SOURCETRANSLATEDADDRESS, K_DESTINATIONTRANSLATEDADDRESS, K_SOURCETRANSLATEDPORT, K_DESTINATIONTRANSLATEDPORT, kindOf } from './cef-keys.js';
import { decisionOf } from './decision-words.js';
import { latin1 } from '../zeek/zeek-values.js';
import { FIREWALL, columnIndex } from '../../model/fields.js';
import { parseIpInto } from '../../model/ip.js';
import { ExtraPairs, ODD, RESERVED } from './cef-extra.js';
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
// A key's facts as `kindAt` packs them: its kind, and flags for what its name ends with.
const KIND = 31;
const LABEL = 32;
const TIME = 64;
/** The keys `extra` is given by name (header fields, an undecided action). */
const NAMED_KEYS = new Set(['cef_version', 'device_vendor', 'device_product', 'device_version', 'severity', 'act']);
const NAME = 'cef';

/** Splits a CEF extension into keys and (unescaped) values. */
export function parseExtension(ext: string, keys: string[], values: string[]): void {
  const pairs = new ExtensionPairs();
  const b = Buffer.from(ext);
  pairs.scan(b, 0, b.length);
  keys.length = 0;
  values.length = 0;
  for (let i = 0; i < pairs.count; i++) {
    keys.push(pairs.key(i));
    values.push(pairs.value(i));
  }
}

/**
 * Splits the 7 header fields from `start` into `out[0..6]` (written by index: emptying an array with
 * `length = 0` frees its storage, so every line would grow it again); returns the extension's offset,
 * or -1 when there are fewer.
 */
function parseHeader(s: string, start: number, out: string[]): number {
  let n = 0;
  let cur = '';
  let seg = start;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 && i + 1 < s.length) {
      cur += s.slice(seg, i) + s[i + 1];
      i++;
      seg = i + 1;
    } else if (c === 124) {
      out[n++] = cur + s.slice(seg, i);
      cur = '';
      seg = i + 1;
      if (n === 7) return i + 1;
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


/** Decoding of one input. */
class CefDecoder {
  private readonly env = newEnvelope();
  private readonly header: string[] = [];
  private readonly pairs = new ExtensionPairs();
  private readonly labels = new Map<string, string>();
  /** Kinds of the keys seen so far, by their id in `pairs.keys` (-1: not worked out yet). */
  private readonly kinds = new Int16Array(4096).fill(-1);
  private kindsOf = 0;
  private readonly extra = new ExtraPairs(this.pairs);
  private lastVendor = '';
  private lastProduct = '';
  private lastSensor = '';
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
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

  private record(buf: Buffer, lineStart: number, lineEnd: number, lineNo: number): void {
    const ctx = this.ctx;
    const env = this.env;
    let n = lineEnd;
    while (buf[n - 1] === 32 || buf[n - 1] === 9) n--;
    // The envelope and header are read from the line as latin1 (offsets are byte offsets).
    const s = latin1(buf, lineStart, n);
    const r = parseEnvelopeLatin1(s, buf, lineStart, env, this.opts);
    const h = headerStart(s, env.appStart >= 0 ? env.appStart - lineStart : env.msgStart - lineStart);
    if (h < 0) return ctx.skip('no_match', lineNo);
    const hd = this.header;
    const extAt = parseHeader(s, h, hd);
    if (extAt < 0) return ctx.skip('truncated', lineNo);
    if (r === ENVELOPE_BAD_TIME) return ctx.skip('bad_time', lineNo);
    for (let i = 0; i < 7; i++) hd[i] = utf8Of(hd[i]);
    const p = this.pairs;
    p.scan(buf, lineStart + extAt, n);

    const labels = this.labels;
    labels.clear();
    if (p.keys.generation !== this.kindsOf) {
      this.kinds.fill(-1);
      this.kindsOf = p.keys.generation;
    }
    // What the line holds decides what extra leaves out, so it is counted first.
    let nIn = 0;
    let nOut = 0;
    let inAt = -1;
    let hasRt = false;
    let hasStart = false;
    let hasDvchost = false;
    for (let i = 0; i < p.count; i++) {
      const f = this.kindAt(i);
      const kind = f & KIND;
      if (kind === K_IN) {
        nIn++;
        inAt = i;
      } else if (kind === K_OUT) nOut++;
      else if (kind === K_RT) hasRt = true;
      else if (kind === K_START) hasStart = true;
      else if (kind === K_DVCHOST) hasDvchost = true;
      if ((f & LABEL) === 0) continue;
      const k = p.key(i);
      labels.set(k.slice(0, -5), p.value(i));
    }
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
    let endAt = -1;
    const extra = this.extra;
    extra.clear();
    extra.put('cef_version', hd[0]);
    // The sensor column is `vendor/product` when nothing else names the device: then it holds both.
    if (ctx.sensor !== null || hasDvchost || env.host !== null || hd[1].includes('/')) {
      extra.put('device_vendor', hd[1]);
      extra.put('device_product', hd[2]);
    }
    extra.put('device_version', hd[3]);
    const vendorTimeIsTs = !hasRt && !hasStart && env.tsMicros === null;
    const inIsBytes = nIn === 1 && nOut === 0;
    const outIsBytes = nOut === 1 && (nIn === 0 || (nIn === 1 && p.canonicalUint(inAt)));
    extra.put('severity', hd[6]);
    for (let i = 0; i < p.count; i++) {
      const id = p.keyId(i);
      const raw = id >= 0 ? p.keys.strings[id] : p.key(i);
      const flags = this.kindAt(i);
      const kind = flags & KIND;
      switch (kind) {
        case K_SRC:
          src = p.value(i);
          break;
        case K_DST:
          dst = p.value(i);
          break;
        case K_SPT:
          if ((spt = this.port(i)) < 0) return ctx.skip('bad_field', lineNo, 'spt');
          break;
        case K_DPT:
          if ((dpt = this.port(i)) < 0) return ctx.skip('bad_field', lineNo, 'dpt');
          break;
        case K_PROTO:
          proto = p.value(i);
          break;
        case K_ACT: {
          const v = p.value(i);
          act = decisionOf(v);
          if (act !== v) extra.put('act', v);
          break;
        }
        case K_DEVICEINBOUNDINTERFACE:
          inIface = p.value(i);
          break;
        case K_DEVICEOUTBOUNDINTERFACE:
          outIface = p.value(i);
          break;
        case K_IN:
        case K_OUT: {
          let c = p.digits(i, 15);
          if (c < 0) {
            c = Number(p.value(i));
            if (!Number.isFinite(c) || c < 0) return ctx.skip('bad_field', lineNo, kind === K_IN ? 'in' : 'out');
          }
          bytes = (bytes < 0 ? 0 : bytes) + c;
          if ((kind === K_IN ? inIsBytes : outIsBytes) && p.canonicalUint(i)) break;
          if (id >= 0) extra.putOwn(raw, id, flags, i);
          else extra.putPair(raw, i);
          break;
        }
        case K_RT:
          if ((rt = cefTime(p.value(i), this.opts)) === null) return ctx.skip('bad_time', lineNo, 'rt');
          break;
        case K_START:
          if ((start = cefTime(p.value(i), this.opts)) === null) return ctx.skip('bad_time', lineNo, 'start');
          if (hasRt) extra.putPair(raw, i);
          break;
        case K_END:
          if ((endT = cefTime(p.value(i), this.opts)) === null) return ctx.skip('bad_time', lineNo, 'end');
          endAt = i;
          break;
        case K_DVCHOST:
          dvchost = p.value(i);
          if (ctx.sensor !== null) extra.putPair(raw, i);
          break;
        case K_SOURCETRANSLATEDADDRESS:
          natSrc = p.value(i);
          break;
        case K_DESTINATIONTRANSLATEDADDRESS:
          natDst = p.value(i);
          break;
        case K_SOURCETRANSLATEDPORT:
          if ((natSpt = this.port(i)) < 0) extra.putPair(raw, i);
          break;
        case K_DESTINATIONTRANSLATEDPORT:
          if ((natDpt = this.port(i)) < 0) extra.putPair(raw, i);
          break;
        default: {
          if (labels.size > 0 && (flags & LABEL) !== 0 && labels.has(raw.slice(0, -5))) break;
          if (vendorTime === null && (flags & TIME) !== 0 && p.startsWithYear(i)) {
            vendorTime = parseIsoTimestamp(p.value(i), 0, this.opts.utcOffsetMinutes ?? 0);
            if (vendorTime !== null && vendorTimeIsTs) break;
          }
          const named = labels.size > 0 ? (labels.get(raw) ?? raw) : raw;
          // Check Point puts IPv6 endpoints in c6a2/c6a3 labelled as such, src/dst being IPv4 only.
          if (named !== raw && src === null && named === 'Source IPv6 Address') src = p.value(i);
          else if (named !== raw && dst === null && named === 'Destination IPv6 Address') dst = p.value(i);
          if (id >= 0 && named === raw) extra.putOwn(raw, id, flags, i);
          else extra.putPair(named, i);
        }
      }
    }
    // 0.0.0.0 (or ::) with port 0 is how Check Point says "not translated".
    if (natSrc === '0.0.0.0' || natSrc === '::') {
      natSrc = null;
      natSpt = -1;
    }
    if (natDst === '0.0.0.0' || natDst === '::') {
      natDst = null;
      natDpt = -1;
    }
    const ts = rt ?? start ?? env.tsMicros ?? vendorTime;
    if (ts === null) return ctx.skip('no_time', lineNo);
    const durationHoldsEnd = start !== null && endT !== null && endT >= start;
    if (endAt >= 0 && !durationHoldsEnd) extra.putPair(this.pairs.key(endAt), endAt);
    if (badAddress(src) || badAddress(dst) || badAddress(natSrc) || badAddress(natDst)) return ctx.skip('bad_address', lineNo);
    // A device's own events (management, health, logins without a peer) carry no flow: not decisions.
    if (src === null && dst === null) return ctx.ignore(`cef-${hd[1].toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'other'}`);

    const key = this.key;
    key.tsMicros = ts;
    key.origH = src;
    key.respH = dst;
    key.origP = spt >= 0 ? spt : null;
    key.respP = dpt >= 0 ? dpt : null;
    key.proto = proto;
    const b = ctx.batch('firewall');
    const row = b.addRow();
    writeFlowKey(b, row, key, NAME, ctx.sensor ?? dvchost ?? env.host ?? this.vendorProduct(hd[1], hd[2]), ctx.ingestId);
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
    b.setBytes(F.message, row, buf, lineStart, lineEnd);
    extra.write(b, F.extra, row);
  }

  /**
   * What pair i's key is: its kind (K_*) in the low bits, LABEL when it ends with `Label`, TIME when
   * with `time` in any case; worked out once per key (by its interned id) and kept.
   */
  private kindAt(i: number): number {
    const p = this.pairs;
    const id = p.keyId(i);
    let k = id >= 0 ? this.kinds[id] : -1;
    if (k < 0) {
      const raw = p.key(i);
      k = kindOf(raw) | (raw.endsWith('Label') ? LABEL : 0) | (endsWithTime(raw) ? TIME : 0);
      if (NAMED_KEYS.has(raw)) k |= RESERVED;
      const c = raw.charCodeAt(0);
      if ((c >= 48 && c <= 57) || raw === '__proto__') k |= ODD;
      if (id >= 0) this.kinds[id] = k;
    }
    return k;
  }

  /** Pair i as a port: plain digits read from the bytes, anything else as Number() reads it; -1 when not a port. */
  private port(i: number): number {
    const p = this.pairs;
    const d = p.digits(i, 5);
    if (d >= 0) return d <= 65535 ? d : -1;
    return port(p.value(i));
  }

  /** `vendor/product`, the sensor of last resort, made once per distinct pair. */
  private vendorProduct(vendor: string, product: string): string {
    if (vendor !== this.lastVendor || product !== this.lastProduct) {
      this.lastVendor = vendor;
      this.lastProduct = product;
      this.lastSensor = `${vendor}/${product}`;
    }
    return this.lastSensor;
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
