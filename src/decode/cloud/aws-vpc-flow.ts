/**
 * AWS VPC Flow Logs in their text form: one record per line, fields separated by spaces, '-' for a value
 * that is not set. The default (version 2) format has 14 fields; custom formats choose fields and their
 * order. A header line naming the fields (S3 exports start every object with one) sets the layout for
 * the lines after it; without a header the layout is inferred from the field count (aws-vpc-fields.ts).
 *
 * A VPC flow log record describes one direction of traffic as seen at one network interface in one
 * capture window, unlike a Zeek connection: the reply traffic is a second record with the addresses
 * swapped. So the originator is always `srcaddr`, and packets and bytes are the originator's only.
 * `flow-direction` (ingress/egress, v5) says which side is the logged interface: egress marks the
 * originator local, ingress the responder.
 *
 * Rows go to `connections` with action allow (ACCEPT) or reject (REJECT), cloud_provider "aws", the
 * account, region, VPC, subnet, and instance (the network interface when no instance id is logged).
 * Every other set field goes to `extra` by its name with '_' for '-', except flow-direction when egress or
 * ingress (local_orig / local_resp say it) and pkt-srcaddr / pkt-dstaddr when they are srcaddr / dstaddr
 * (docs/firewall-fields.md). NODATA and SKIPDATA records
 * carry no flow: they are counted as ignored (`nodata`, `skipdata`), not stored. Transit Gateway flow
 * logs (their 36-field default format, or any format with a header) are read the same way; they log no
 * action, so it stays null.
 *
 * Flow logs delivered to CloudWatch Logs and exported from there to S3 (`aws logs create-export-task`)
 * have each record after the event's ISO-8601 time (cloudwatch-prefix.ts): the time
 * is kept in `extra` as `cloudwatch_timestamp` and the record decoded as above. CloudWatch carries no
 * header line, so such records are recognised by their field count like headerless files: the default
 * format and AWS's all-fields layouts (v3 to v8); any other custom format needs its header line put
 * before the records (the header then sets the layout of every record after it, prefixed or not).
 */
import { isUtf8 } from 'node:buffer';
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import { C, PROTO_TEXT, byteFlowKey, looksLikeIp, parseUint } from './cloud-columns.js';
import { AwsField, LAYOUT_BY_COUNT, awsFieldByName, isFieldName, type AwsFieldDef } from './aws-vpc-fields.js';
import { JsonBytes } from './json-writer.js';
import { ISO_PREFIX, isoPrefixEnd } from './cloudwatch-prefix.js';

const SOURCE_TYPE = 'aws-vpc-flow';
const MAX_FIELDS = 128;
const ROLES = AwsField.Extra + 1;

/** A layout compiled for the hot loop: each position's role, its `extra` key and whether it is numeric. */
interface Layout {
  readonly count: number;
  readonly roles: Uint8Array;
  readonly keys: readonly string[];
  readonly numeric: Uint8Array;
  /** True when the layout came from a header (trusted) rather than from the field count (checked). */
  readonly fromHeader: boolean;
}

function compile(fields: readonly AwsFieldDef[], fromHeader: boolean): Layout {
  return {
    count: fields.length,
    roles: Uint8Array.from(fields.map((f) => f.role)),
    keys: fields.map((f) => f.name.replace(/-/g, '_')),
    numeric: Uint8Array.from(fields.map((f) => (f.numeric ? 1 : 0))),
    fromHeader,
  };
}

const INFERRED = new Map([...LAYOUT_BY_COUNT].map(([n, fields]) => [n, compile(fields, false)]));

function isDash(b: Uint8Array, s: number, e: number): boolean {
  return e - s === 1 && b[s] === 0x2d;
}

function eq(b: Uint8Array, s: number, e: number, text: string): boolean {
  if (e - s !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[s + i] !== text.charCodeAt(i)) return false;
  return true;
}


/** Decoding of one input: frames lines, tracks the layout, writes one row per flow record. */
class AwsVpcFlowDecoder {
  readonly decoder: Decoder;
  private layout: Layout | null = null;
  private readonly starts = new Int32Array(MAX_FIELDS);
  private readonly ends = new Int32Array(MAX_FIELDS);
  private readonly slot = new Int32Array(ROLES);
  private readonly json = new JsonBytes();
  private readonly key: FlowKey = byteFlowKey();
  /** Span of the current line's CloudWatch timestamp, or -1 when it has none. */
  private cwStart = -1;
  private cwEnd = -1;

  constructor(private readonly ctx: DecodeContext) {
    this.decoder = lineFramer((buf, start, end, lineNo) => this.line(buf, start, end, lineNo), {
      maxLine: 1024 * 1024,
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  private line(buf: Buffer, start: number, end: number, lineNo: number): void {
    if (lineNo === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    const cw = isoPrefixEnd(buf, start, end);
    this.cwStart = cw < 0 ? -1 : start;
    this.cwEnd = cw;
    if (cw >= 0) start = cw;
    // Split on runs of spaces and tabs, remembering whether any byte is not ASCII.
    const st = this.starts;
    const en = this.ends;
    let n = 0;
    let high = 0;
    let i = start;
    while (i < end) {
      while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
      if (i >= end) break;
      if (n === MAX_FIELDS) return this.ctx.skip('column_count', lineNo);
      st[n] = i;
      while (i < end && buf[i] !== 32 && buf[i] !== 9) high |= buf[i++];
      en[n++] = i;
    }
    if (n === 0) return;
    if (high >= 0x80 && !isUtf8(buf.subarray(start, end))) return this.ctx.skip('bad_utf8', lineNo);
    const c0 = buf[st[0]];
    if (c0 >= 97 && c0 <= 122 && this.header(buf, n)) return;
    let layout = this.layout;
    if (layout === null) {
      layout = INFERRED.get(n) ?? null;
      if (layout === null || !this.plausible(buf, layout)) return this.ctx.skip('unknown_layout', lineNo);
    } else if (layout.count !== n) return this.ctx.skip('column_count', lineNo);
    const bad = this.record(buf, layout);
    if (bad !== null) this.ctx.skip('bad_value', lineNo, bad);
  }

  /** Takes the line as a header when every token is a field name and at least one is a known one. */
  private header(buf: Buffer, n: number): boolean {
    const names: string[] = [];
    let known = false;
    for (let k = 0; k < n; k++) {
      const name = buf.toString('latin1', this.starts[k], this.ends[k]);
      if (!isFieldName(name)) return false;
      const def = awsFieldByName(name);
      if (def.version > 0) known = true;
      names.push(name);
    }
    if (!known) return false;
    this.layout = compile(names.map(awsFieldByName), true);
    return true;
  }

  /** Checks an inferred layout against the values: action and log-status must be what AWS writes. */
  private plausible(buf: Buffer, layout: Layout): boolean {
    for (let k = 0; k < layout.count; k++) {
      const s = this.starts[k];
      const e = this.ends[k];
      const role = layout.roles[k];
      if (role === AwsField.Action) {
        if (!(isDash(buf, s, e) || eq(buf, s, e, 'ACCEPT') || eq(buf, s, e, 'REJECT'))) return false;
      } else if (role === AwsField.LogStatus) {
        if (!(isDash(buf, s, e) || eq(buf, s, e, 'OK') || eq(buf, s, e, 'NODATA') || eq(buf, s, e, 'SKIPDATA'))) return false;
      } else if (role === AwsField.Version) {
        if (parseUint(buf, s, e) < 2) return false;
      }
    }
    return true;
  }

  /** Writes one record; returns the name of a field with a bad value (the row is then not kept). */
  private record(buf: Buffer, layout: Layout): string | null {
    const st = this.starts;
    const en = this.ends;
    const slot = this.slot;
    slot.fill(-1);
    const json = this.json;
    json.begin();
    for (let k = 0; k < layout.count; k++) {
      const s = st[k];
      const e = en[k];
      if (isDash(buf, s, e)) continue;
      const role = layout.roles[k];
      if (role !== AwsField.Extra) slot[role] = k;
      else {
        json.key(layout.keys[k]);
        if (layout.numeric[k] === 1 && parseUint(buf, s, e) >= 0) json.rawBytes(buf, s, e);
        else json.strBytes(buf, s, e);
      }
    }

    const ls = slot[AwsField.LogStatus];
    let statusOk = true;
    if (ls >= 0) {
      if (eq(buf, st[ls], en[ls], 'NODATA')) {
        this.ctx.ignore('nodata');
        return null;
      }
      if (eq(buf, st[ls], en[ls], 'SKIPDATA')) {
        this.ctx.ignore('skipdata');
        return null;
      }
      statusOk = eq(buf, st[ls], en[ls], 'OK');
    }

    const startK = slot[AwsField.Start];
    const endK = slot[AwsField.End];
    const startS = startK < 0 ? -1 : parseUint(buf, st[startK], en[startK]);
    if (startK >= 0 && startS < 0) return 'start';
    const endS = endK < 0 ? -1 : parseUint(buf, st[endK], en[endK]);
    if (endK >= 0 && endS < 0) return 'end';
    if (startS < 0 && endS < 0) return 'start';
    const sp = this.port(buf, slot[AwsField.SrcPort]);
    if (sp === -2) return 'srcport';
    const dp = this.port(buf, slot[AwsField.DstPort]);
    if (dp === -2) return 'dstport';
    const pk = slot[AwsField.Protocol];
    const proto = pk < 0 ? -1 : parseUint(buf, st[pk], en[pk]);
    if (proto > 255 || (pk >= 0 && proto < 0)) return 'protocol';
    const sa = slot[AwsField.SrcAddr];
    if (sa >= 0 && !looksLikeIp(buf, st[sa], en[sa])) return 'srcaddr';
    const da = slot[AwsField.DstAddr];
    if (da >= 0 && !looksLikeIp(buf, st[da], en[da])) return 'dstaddr';
    const pkts = this.count(buf, slot[AwsField.Packets]);
    if (pkts === -2) return 'packets';
    const bytes = this.count(buf, slot[AwsField.Bytes]);
    if (bytes === -2) return 'bytes';
    const ak = slot[AwsField.Action];
    let action: string | null = null;
    if (ak >= 0) {
      if (eq(buf, st[ak], en[ak], 'ACCEPT')) action = 'allow';
      else if (eq(buf, st[ak], en[ak], 'REJECT')) action = 'reject';
      else return 'action';
    }

    const key = this.key;
    key.tsMicros = (startS >= 0 ? startS : endS) * 1e6;
    key.origP = sp < 0 ? null : sp;
    key.respP = dp < 0 ? null : dp;
    key.proto = proto < 0 ? null : PROTO_TEXT[proto];
    key.addrBuf = buf;
    key.origHStart = sa < 0 ? 0 : st[sa];
    key.origHEnd = sa < 0 ? 0 : en[sa];
    key.respHStart = da < 0 ? 0 : st[da];
    key.respHEnd = da < 0 ? 0 : en[da];

    const ctx = this.ctx;
    const b = ctx.batch('connections');
    const row = b.addRow();
    writeFlowKey(b, row, key, SOURCE_TYPE, ctx.sensor, ctx.ingestId);
    key.addrBuf = null;
    if (endS >= 0) b.setNum(C.end_ts, row, endS * 1e6);
    if (startS >= 0 && endS >= 0) b.setNum(C.duration, row, endS - startS);
    if (pkts >= 0) b.setNum(C.orig_pkts, row, pkts);
    if (bytes >= 0) b.setNum(C.orig_ip_bytes, row, bytes);
    b.setStr(C.action, row, action);
    b.setStr(C.cloud_provider, row, 'aws');
    this.bytesCol(b, C.cloud_account, row, buf, slot[AwsField.AccountId]);
    this.bytesCol(b, C.cloud_region, row, buf, slot[AwsField.Region]);
    this.bytesCol(b, C.cloud_vpc, row, buf, slot[AwsField.VpcId]);
    this.bytesCol(b, C.cloud_subnet, row, buf, slot[AwsField.SubnetId]);
    const inst = slot[AwsField.InstanceId];
    const eni = slot[AwsField.InterfaceId];
    this.bytesCol(b, C.cloud_instance, row, buf, inst >= 0 ? inst : eni);

    const fd = slot[AwsField.FlowDirection];
    if (fd >= 0) {
      // egress and ingress are what local_orig and local_resp say; another value stays in extra.
      if (eq(buf, st[fd], en[fd], 'egress')) b.setBool(C.local_orig, row, true);
      else if (eq(buf, st[fd], en[fd], 'ingress')) b.setBool(C.local_resp, row, true);
      else this.extraStr(buf, 'flow_direction', fd);
    }
    if (inst >= 0 && eni >= 0) this.extraStr(buf, 'interface_id', eni);
    const v = slot[AwsField.Version];
    if (v >= 0) {
      json.key('version');
      json.rawBytes(buf, st[v], en[v]);
    }
    const tf = slot[AwsField.TcpFlags];
    if (tf >= 0) {
      json.key('tcp_flags');
      if (parseUint(buf, st[tf], en[tf]) >= 0) json.rawBytes(buf, st[tf], en[tf]);
      else json.strBytes(buf, st[tf], en[tf]);
    }
    const ps = slot[AwsField.PktSrcAddr];
    const pd = slot[AwsField.PktDstAddr];
    // The packet's addresses are kept when they are not the record's (orig_h / resp_h hold those).
    if (ps >= 0 && !this.same(buf, ps, sa)) this.extraStr(buf, 'pkt_srcaddr', ps);
    if (pd >= 0 && !this.same(buf, pd, da)) this.extraStr(buf, 'pkt_dstaddr', pd);
    if ((ps >= 0 && !this.same(buf, ps, sa)) || (pd >= 0 && !this.same(buf, pd, da))) {
      // The packet's own addresses differ from the interface's view: NAT gateways, load balancers, EKS pods.
      json.key('pkt_addr_differs');
      json.value(true);
    }
    if (!statusOk) this.extraStr(buf, 'log_status', ls);
    if (this.cwStart >= 0) {
      json.key('cloudwatch_timestamp');
      json.strBytes(buf, this.cwStart, this.cwEnd);
    }
    json.store(b, C.extra, row);
    return null;
  }

  /** A port: -1 when unset, -2 when not a number from 0 to 65535. */
  private port(buf: Buffer, k: number): number {
    if (k < 0) return -1;
    const v = parseUint(buf, this.starts[k], this.ends[k]);
    return v < 0 || v > 65535 ? -2 : v;
  }

  /** A counter: -1 when unset, -2 when not a number. */
  private count(buf: Buffer, k: number): number {
    if (k < 0) return -1;
    const v = parseUint(buf, this.starts[k], this.ends[k]);
    return v < 0 ? -2 : v;
  }

  private same(buf: Buffer, a: number, b: number): boolean {
    if (b < 0) return false;
    const n = this.ends[a] - this.starts[a];
    return n === this.ends[b] - this.starts[b] && buf.compare(buf, this.starts[b], this.ends[b], this.starts[a], this.ends[a]) === 0;
  }

  private bytesCol(b: ReturnType<DecodeContext['batch']>, col: number, row: number, buf: Buffer, k: number): void {
    if (k >= 0) b.setBytes(col, row, buf, this.starts[k], this.ends[k]);
  }

  private extraStr(buf: Buffer, name: string, k: number): void {
    this.json.key(name);
    this.json.strBytes(buf, this.starts[k], this.ends[k]);
  }
}

const HEADER_START = /^(?:\uFEFF)?[ \t]*([a-z][a-z0-9-]*(?:[ \t]+[a-z][a-z0-9-]*)*)[ \t]*\r?$/;

/** Confidence that `line` is a VPC flow log header or a record of a layout we can infer. */
function sniffLine(text: string): number {
  const line = text.replace(ISO_PREFIX, '');
  const h = HEADER_START.exec(line);
  if (h !== null) {
    const names = h[1].split(/[ \t]+/);
    const known = names.filter((x) => awsFieldByName(x).version > 0).length;
    const core = ['srcaddr', 'dstaddr', 'action', 'log-status', 'interface-id'].filter((x) => names.includes(x)).length;
    return core >= 2 && known === names.length ? 0.95 : 0;
  }
  const tokens = line.trim().split(/[ \t]+/);
  const layout = LAYOUT_BY_COUNT.get(tokens.length);
  if (layout === undefined) return 0;
  let score = 0;
  let checks = 0;
  layout.forEach((f, k) => {
    const t = tokens[k];
    const r = f.role;
    if (r === AwsField.Action || r === AwsField.LogStatus || r === AwsField.Version || r === AwsField.Start || r === AwsField.End) checks++;
    if (r === AwsField.Action) score += t === 'ACCEPT' || t === 'REJECT' || t === '-' ? 1 : -10;
    else if (r === AwsField.LogStatus) score += t === 'OK' || t === 'NODATA' || t === 'SKIPDATA' ? 1 : -10;
    else if (r === AwsField.Version) score += /^\d+$/.test(t) ? 1 : -10;
    else if (r === AwsField.Start || r === AwsField.End) score += /^\d+$/.test(t) || t === '-' ? 1 : -10;
  });
  // Every checked field as AWS writes it (Transit Gateway layouts have no action: four checks).
  return checks >= 4 && score === checks ? 0.9 : 0;
}

/** The AWS VPC Flow Logs decoder, registered as `aws-vpc-flow`. */
export const awsVpcFlow: DecoderDef = {
  name: SOURCE_TYPE,
  description: 'AWS VPC Flow Logs (text): default v2 format, custom formats from a header line, all-fields layouts v3 to v8 and Transit Gateway flow logs inferred; also as exported from CloudWatch Logs (ISO time before each record)',
  positionUnit: 'line',
  sniff(head: Buffer): number {
    const text = head.toString('latin1', 0, Math.min(head.length, 65536));
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    // The last line may be cut short by the end of the head; judge the complete ones when there are some.
    const complete = lines.length > 1 && !text.endsWith('\n') ? lines.slice(0, -1) : lines;
    if (complete.length === 0) return 0;
    const first = sniffLine(complete[0]);
    if (first === 0 || HEADER_START.test(complete[0])) return first;
    const next = complete.slice(1, 4);
    return next.every((l) => sniffLine(l) > 0) ? first : 0.5;
  },
  create(ctx: DecodeContext): Decoder {
    return new AwsVpcFlowDecoder(ctx).decoder;
  },
};
