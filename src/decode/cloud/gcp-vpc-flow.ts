/**
 * GCP VPC Flow Logs as exported from Cloud Logging: one LogEntry JSON object per line, the flow in
 * `jsonPayload` (connection 5-tuple, bytes_sent, packets_sent, start_time, end_time, reporter, rtt_msec,
 * src_/dest_instance, src_/dest_vpc, src_/dest_location, GKE details).
 *
 * Like AWS, a record covers one direction in one aggregation interval as sampled at one VM: the
 * `reporter` (SRC or DEST) says which end logged it, so orig is always connection.src_ip and the counters
 * are the originator's. The reporting end is local (local_orig for SRC, local_resp for DEST), and its
 * instance and VPC give the cloud columns (falling back to the LogEntry's resource labels).
 * VPC flow logs only record traffic that was delivered, so every row has action "allow" (denials are
 * in firewall rules logging, another log). cloud_region is the instance's region, else the
 * resource's zone without its letter. The rest of jsonPayload is kept in `extra`, with rtt_msec as a number;
 * left out are what the columns hold (docs/firewall-fields.md): connection, bytes_sent, packets_sent,
 * start_time and end_time (ts and end_ts, to the microsecond), reporter when SRC or DEST (local_orig
 * or local_resp says which), and from the reporter's instance and VPC the members the cloud columns
 * took: project_id, region, vm_name; vpc_name, subnetwork_name, and the VPC's project_id when the
 * instance has none (the object is left out when nothing remains).
 *
 * Lines are read by gcp-entry-reader.ts straight from their bytes; the few it leaves (escapes in a
 * mapped field, unexpected types, bad values, invalid JSON) are read here with JSON.parse.
 *
 * Skips (per line): `bad_json`, `not_object`, `no_connection` (a LogEntry without a flow), `bad_value`
 * with the field's name, `line_too_long`.
 */
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { lineFramer } from '../line-framer.js';
import { C, PROTO_TEXT } from './cloud-columns.js';
import { GcpEntryReader } from './gcp-entry-reader.js';
import { rfc3339Micros } from './rfc3339.js';

export { rfc3339Micros };

const SOURCE_TYPE = 'gcp-vpc-flow';
const IP = /^[0-9a-fA-F.:]{2,45}$/;
const MAPPED = new Set(['connection', 'bytes_sent', 'packets_sent', 'start_time', 'end_time']);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** An int64 as Cloud Logging writes it (a decimal string, or a number); -1 when absent, -2 when bad. */
function int64(v: unknown): number {
  if (v === undefined || v === null) return -1;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isInteger(n) && n >= 0 ? n : -2;
}

function port(v: unknown): number {
  if (v === undefined || v === null) return -1;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : -2;
}

/** Decoding of one input: one LogEntry per line. */
class GcpVpcFlowDecoder {
  readonly decoder: Decoder;
  private readonly fast: GcpEntryReader | null;
  private readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };

  constructor(
    private readonly ctx: DecodeContext,
    fastPath: boolean,
  ) {
    this.fast = fastPath ? new GcpEntryReader(ctx) : null;
    this.decoder = lineFramer((buf, start, end, lineNo) => this.line(buf, start, end, lineNo), {
      maxLine: 4 * 1024 * 1024,
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
    });
  }

  private line(buf: Buffer, start: number, end: number, lineNo: number): void {
    if (this.fast !== null && this.fast.line(buf, start, end)) return;
    let text = buf.toString('utf8', start, end);
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') return;
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      return this.ctx.skip('bad_json', lineNo);
    }
    if (!isObj(entry)) return this.ctx.skip('not_object', lineNo);
    const p = entry.jsonPayload;
    if (!isObj(p) || !isObj(p.connection)) return this.ctx.skip('no_connection', lineNo);
    const bad = this.flow(entry, p, p.connection);
    if (bad !== null) this.ctx.skip('bad_value', lineNo, bad);
  }

  private flow(entry: Obj, p: Obj, c: Obj): string | null {
    const src = str(c.src_ip);
    const dst = str(c.dest_ip);
    if (src !== null && !IP.test(src)) return 'src_ip';
    if (dst !== null && !IP.test(dst)) return 'dest_ip';
    const sp = port(c.src_port);
    if (sp === -2) return 'src_port';
    const dp = port(c.dest_port);
    if (dp === -2) return 'dest_port';
    const proto = c.protocol;
    if (proto !== undefined && !(typeof proto === 'number' && Number.isInteger(proto) && proto >= 0 && proto <= 255)) return 'protocol';
    const start = rfc3339Micros(p.start_time);
    if (p.start_time !== undefined && start === null) return 'start_time';
    const end = rfc3339Micros(p.end_time);
    if (p.end_time !== undefined && end === null) return 'end_time';
    const ts = start ?? end ?? rfc3339Micros(entry.timestamp);
    if (ts === null) return 'start_time';
    const bytes = int64(p.bytes_sent);
    if (bytes === -2) return 'bytes_sent';
    const pkts = int64(p.packets_sent);
    if (pkts === -2) return 'packets_sent';

    const key = this.key;
    key.tsMicros = ts;
    key.origH = src;
    key.respH = dst;
    key.origP = sp < 0 ? null : sp;
    key.respP = dp < 0 ? null : dp;
    key.proto = typeof proto === 'number' ? PROTO_TEXT[proto] : null;
    const ctx = this.ctx;
    const b = ctx.batch('connections');
    const row = b.addRow();
    writeFlowKey(b, row, key, SOURCE_TYPE, ctx.sensor, ctx.ingestId);
    if (end !== null) b.setNum(C.end_ts, row, end);
    if (start !== null && end !== null) b.setNum(C.duration, row, (end - start) / 1e6);
    if (bytes >= 0) b.setNum(C.orig_ip_bytes, row, bytes);
    if (pkts >= 0) b.setNum(C.orig_pkts, row, pkts);
    b.setStr(C.action, row, 'allow');
    b.setStr(C.cloud_provider, row, 'gcp');

    const side = p.reporter === 'DEST' ? 'dest' : p.reporter === 'SRC' ? 'src' : null;
    if (side === 'src') b.setBool(C.local_orig, row, true);
    else if (side === 'dest') b.setBool(C.local_resp, row, true);
    const inst = side === null ? {} : isObj(p[`${side}_instance`]) ? (p[`${side}_instance`] as Obj) : {};
    const vpc = side === null ? {} : isObj(p[`${side}_vpc`]) ? (p[`${side}_vpc`] as Obj) : {};
    const labels = isObj(entry.resource) && isObj(entry.resource.labels) ? entry.resource.labels : {};
    const zone = str(inst.zone) ?? str(labels.location);
    b.setStr(C.cloud_account, row, str(inst.project_id) ?? str(vpc.project_id) ?? str(labels.project_id));
    b.setStr(C.cloud_region, row, str(inst.region) ?? (zone === null ? null : (/^([a-z]+-[a-z]+\d+)-[a-z]$/.exec(zone)?.[1] ?? null)));
    b.setStr(C.cloud_vpc, row, str(vpc.vpc_name));
    b.setStr(C.cloud_subnet, row, str(vpc.subnetwork_name) ?? str(labels.subnetwork_name));
    b.setStr(C.cloud_instance, row, str(inst.vm_name));

    const extra: Obj = {};
    for (const [k, v] of Object.entries(p)) if (!MAPPED.has(k) && !(k === 'reporter' && side !== null)) extra[k] = v;
    if (side !== null) {
      // The reporter's instance and VPC without what the cloud columns took from them.
      trim(extra, `${side}_instance`, (k, v) => (k === 'project_id' || k === 'region' || k === 'vm_name') && str(v) !== null);
      const vpcAccount = str(inst.project_id) === null;
      trim(extra, `${side}_vpc`, (k, v) => ((k === 'project_id' && vpcAccount) || k === 'vpc_name' || k === 'subnetwork_name') && str(v) !== null);
    }
    const rtt = int64(p.rtt_msec);
    if (rtt >= 0) extra.rtt_msec = rtt;
    if (str(entry.insertId) !== null) extra.insert_id = entry.insertId;
    b.setStr(C.extra, row, JSON.stringify(extra));
    return null;
  }
}

/** Replaces object member `key` of `extra` by a copy without the members `held` says a column holds; removes it when none remain. */
function trim(extra: Obj, key: string, held: (k: string, v: unknown) => boolean): void {
  const v = extra[key];
  if (!isObj(v)) return;
  // A null prototype, so a `__proto__` member stays a member.
  const out = Object.create(null) as Obj;
  let n = 0;
  for (const [k, x] of Object.entries(v)) {
    if (held(k, x)) continue;
    out[k] = x;
    n++;
  }
  if (n > 0) extra[key] = out;
  else delete extra[key];
}

const FIRST_LINE = /^\s*(\{[^\n]*)/;

/** The GCP VPC Flow Logs decoder, registered as `gcp-vpc-flow`. */
export const gcpVpcFlow: DecoderDef = {
  name: SOURCE_TYPE,
  description: 'GCP VPC Flow Logs exported from Cloud Logging (one LogEntry JSON object per line)',
  positionUnit: 'line',
  sniff(head: Buffer): number {
    let text = head.toString('utf8', 0, Math.min(head.length, 65536));
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const m = FIRST_LINE.exec(text);
    if (m === null || !m[1].includes('"jsonPayload"')) return 0;
    if (m[1].includes('vpc_flows')) return 0.95;
    return /"connection"\s*:\s*\{/.test(m[1]) && /"reporter"\s*:/.test(m[1]) ? 0.9 : 0;
  },
  create(ctx: DecodeContext): Decoder {
    return new GcpVpcFlowDecoder(ctx, true).decoder;
  },
};

/** The decoder reading every line with JSON.parse: the reference the byte-level fast path is tested against. */
export function gcpVpcFlowReference(ctx: DecodeContext): Decoder {
  return new GcpVpcFlowDecoder(ctx, false).decoder;
}
