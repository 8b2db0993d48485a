/**
 * The fast path of the GCP VPC flow decoder: reads one Cloud Logging entry from its bytes with
 * json-span-reader.ts, takes the fields the decoder maps, copies the rest of `jsonPayload` to `extra`
 * as the JSON bytes it already is, and writes the row, with no JS object, string or JSON.stringify per
 * line. It handles the entries Cloud Logging writes; for anything else (escapes in a mapped field or a
 * key, duplicate mapped keys, a value of an unexpected type, invalid UTF-8, a bad value, invalid JSON)
 * it writes nothing and returns false, and the decoder reads the line with JSON.parse, whose result is
 * the reference this path is tested against.
 */
import { isUtf8 } from 'node:buffer';
import type { DecodeContext } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { C, PROTO_TEXT, byteFlowKey, looksLikeIp } from './cloud-columns.js';
import { JsonSpanReader, KeySet } from './json-span-reader.js';
import { JsonBytes } from './json-writer.js';
import { countAt, digitsIn, escapedIn, isMember, isText, strAt, timeAt, uintAt } from './json-span-values.js';

const SOURCE_TYPE = 'gcp-vpc-flow';

// Members read, by object; a value's span is kept at [2k, 2k+1] of the object's span array.
const TOP = ['insertId', 'jsonPayload', 'resource', 'timestamp'] as const;
const PAYLOAD = ['connection', 'bytes_sent', 'packets_sent', 'start_time', 'end_time', 'reporter', 'rtt_msec', 'src_instance', 'dest_instance', 'src_vpc', 'dest_vpc', '__proto__', 'insert_id'] as const;
/** Payload members not copied to `extra` (the first five of PAYLOAD). */
const MAPPED_COUNT = 5;
const CONNECTION = ['src_ip', 'dest_ip', 'src_port', 'dest_port', 'protocol'] as const;
const INSTANCE = ['project_id', 'region', 'vm_name', 'zone'] as const;
const VPC = ['project_id', 'vpc_name', 'subnetwork_name'] as const;
const RESOURCE = ['labels'] as const;
const LABELS = ['location', 'project_id', 'subnetwork_name'] as const;
const KEYS = {
  top: new KeySet(TOP),
  payload: new KeySet(PAYLOAD),
  connection: new KeySet(CONNECTION),
  instance: new KeySet(INSTANCE),
  vpc: new KeySet(VPC),
  resource: new KeySet(RESOURCE),
  labels: new KeySet(LABELS),
};
const ZONE = /^([a-z]+-[a-z]+\d+)-[a-z]$/;

const enum P {
  Connection,
  BytesSent,
  PacketsSent,
  StartTime,
  EndTime,
  Reporter,
  RttMsec,
  SrcInstance,
  DestInstance,
  SrcVpc,
  DestVpc,
  /** From here on, members JSON.parse and our copy would treat differently: left to JSON.parse. */
  Refused,
}

/** Reads entries and writes their rows; one per decoder. */
export class GcpEntryReader {
  private readonly r = new JsonSpanReader();
  private buf: Buffer = Buffer.alloc(0);
  private readonly json = new JsonBytes();
  private readonly top = new Int32Array(TOP.length * 2);
  private readonly payload = new Int32Array(PAYLOAD.length * 2);
  private readonly conn = new Int32Array(CONNECTION.length * 2);
  private readonly inst = new Int32Array(INSTANCE.length * 2);
  private readonly vpc = new Int32Array(VPC.length * 2);
  private readonly res = new Int32Array(RESOURCE.length * 2);
  private readonly labels = new Int32Array(LABELS.length * 2);
  private readonly key: FlowKey = byteFlowKey();
  /** Key spans and `spaced` of src_instance, dest_instance, src_vpc, dest_vpc, written after the walk. */
  private readonly deferKey = new Int32Array(8);
  private readonly deferSpaced = new Uint8Array(4);
  /** Members of the object `pick` walked last (with `strings`, empty ones included). */
  private members = 0;
  /** The object `pick` walked last held only members of its table, none of them empty. */
  private plain = true;
  /** The reporter's instance / VPC is such an object (written from its spans, not walked again). */
  private instSpans = false;
  private vpcSpans = false;
  /** 1 for the members of the reporter's instance (0-3) and VPC (4-6) that a column holds. */
  private readonly inColumn = new Uint8Array(7);
  /** Members of the reporter's instance and VPC objects left once those are taken out. */
  private instLeft = 0;
  private vpcLeft = 0;

  constructor(private readonly ctx: DecodeContext) {}

  /** Decodes the entry in `buf[start, end)` and writes its row; false when the line needs JSON.parse. */
  line(buf: Buffer, start: number, end: number): boolean {
    const r = this.r;
    r.reset(buf, end);
    this.buf = buf;
    const top = this.top;
    top.fill(-1);
    this.payload.fill(-1);
    this.json.begin();
    // The entry: its members of TOP (the payload walked in place), then only whitespace to the end.
    if (!r.open(r.ws(start))) return false;
    for (let m = r.nextKey(); m !== 0; m = r.nextKey()) {
      if (m < 0 || r.keyEscaped) return false;
      const k = this.which(KEYS.top);
      if (k === 1) {
        if (top[2] >= 0 || !this.walkPayload(r.valStart)) return false;
        r.endValue(r.after);
      } else if (!r.skipValue()) return false;
      if (k < 0) continue;
      if (top[2 * k] >= 0 && k !== 1) return false;
      top[2 * k] = r.valStart;
      top[2 * k + 1] = r.valEnd;
    }
    if (r.ws(r.after) !== end || top[2] < 0) return false;
    if (r.high && !isUtf8(buf.subarray(start, end))) return false;
    r.trusted = true;
    const cs = this.payload[2 * P.Connection];
    if (cs < 0 || !this.pick(cs, KEYS.connection, this.conn, false)) return false;
    return this.write(buf);
  }

  /** Walks jsonPayload: mapped members kept aside, every other one copied to extra. */
  private walkPayload(at: number): boolean {
    const r = this.r;
    const p = this.payload;
    const buf = this.buf;
    if (!r.open(at)) return false;
    for (let m = r.next(); m !== 0; m = r.next()) {
      if (m < 0 || r.keyEscaped) return false;
      const k = this.which(KEYS.payload);
      if (k >= 0) {
        if (p[2 * k] >= 0 || k >= P.Refused) return false;
        p[2 * k] = r.valStart;
        p[2 * k + 1] = r.valEnd;
        if (k < MAPPED_COUNT) continue;
        // SRC and DEST are what local_orig and local_resp say; another reporter value stays.
        if (k === P.Reporter && (isText(this.r.buf, r.valStart, r.valEnd, 'SRC') || isText(this.r.buf, r.valStart, r.valEnd, 'DEST'))) continue;
        if (k === P.RttMsec) {
          if (!this.rtt()) return false;
          continue;
        }
        if (k >= P.SrcInstance && k <= P.DestVpc) {
          // Written after the walk, when the reporter (which may come later) says which to trim.
          const d = k - P.SrcInstance;
          this.deferKey[2 * d] = r.keyStart;
          this.deferKey[2 * d + 1] = r.keyEnd;
          this.deferSpaced[d] = r.spaced ? 1 : 0;
          continue;
        }
      }
      this.json.member(buf, r.keyStart, r.keyEnd, r.valStart, r.valEnd, r.spaced);
    }
    return true;
  }

  /** Writes rtt_msec to extra as the decoder does (decimal strings become numbers); false to fall back. */
  private rtt(): boolean {
    const r = this.r;
    const b = r.buf;
    const s = r.valStart;
    const e = r.valEnd;
    if (b[s] === 0x22) {
      if (digitsIn(this.r.buf, s + 1, e - 1)) {
        if (e - s - 2 > 15) return false;
        this.json.key('rtt_msec');
        this.json.digits(b, s + 1, e - 1);
        return true;
      }
      // Not a count: kept as it is, like any other member (unless escapes might spell one).
      if (escapedIn(this.r.buf, s, e)) return false;
    } else if ((b[s] >= 0x30 && b[s] <= 0x39) || b[s] === 0x2d) {
      // Numbers other than plain digits (fractions, exponents, -0) are left to JSON.parse.
      if (!digitsIn(this.r.buf, s, e)) return false;
    }
    this.json.member(this.buf, r.keyStart, r.keyEnd, s, e, r.spaced);
    return true;
  }

  /** Checks the values and writes the row; false (nothing written) when the line needs JSON.parse. */
  private write(buf: Buffer): boolean {
    const p = this.payload;
    const c = this.conn;
    const sa = strAt(this.r.buf, c, 0);
    const da = strAt(this.r.buf, c, 1);
    if (sa === -2 || da === -2) return false;
    if ((sa >= 0 && !looksLikeIp(buf, c[0] + 1, c[1] - 1)) || (da >= 0 && !looksLikeIp(buf, c[2] + 1, c[3] - 1))) return false;
    const sp = uintAt(this.r.buf, c, 2, 65535);
    const dp = uintAt(this.r.buf, c, 3, 65535);
    const proto = uintAt(this.r.buf, c, 4, 255);
    if (sp === -2 || dp === -2 || proto === -2) return false;
    const start = timeAt(this.r.buf, p, P.StartTime);
    const end = timeAt(this.r.buf, p, P.EndTime);
    if (start === -2 || end === -2) return false;
    let ts = start >= 0 ? start : end;
    if (ts < 0) {
      ts = timeAt(this.r.buf, this.top, 3);
      if (ts < 0) return false;
    }
    const bytes = countAt(this.r.buf, p, P.BytesSent);
    const pkts = countAt(this.r.buf, p, P.PacketsSent);
    if (bytes === -2 || pkts === -2) return false;

    // The reporting end's instance and VPC, and the resource labels.
    const rep = strAt(this.r.buf, p, P.Reporter);
    if (rep === -2) return false;
    const side = rep < 0 ? 0 : isMember(this.r.buf, p, P.Reporter, 'SRC') ? 1 : isMember(this.r.buf, p, P.Reporter, 'DEST') ? 2 : 0;
    const inst = this.inst;
    const vpc = this.vpc;
    inst.fill(-1);
    vpc.fill(-1);
    if (side !== 0) {
      const is = p[2 * (side === 1 ? P.SrcInstance : P.DestInstance)];
      const vs = p[2 * (side === 1 ? P.SrcVpc : P.DestVpc)];
      if (is >= 0 && !this.pick(is, KEYS.instance, inst, true)) return false;
      const instMembers = this.members;
      this.instSpans = this.plain;
      if (vs >= 0 && !this.pick(vs, KEYS.vpc, vpc, true)) return false;
      const vpcMembers = this.members;
      this.vpcSpans = this.plain;
      // What the cloud columns take from them (non-empty strings) is not repeated in extra.
      const c = this.inColumn;
      c[0] = inst[0] >= 0 ? 1 : 0; // project_id: cloud_account
      c[1] = inst[2] >= 0 ? 1 : 0; // region: cloud_region
      c[2] = inst[4] >= 0 ? 1 : 0; // vm_name: cloud_instance
      c[3] = 0; // zone
      c[4] = inst[0] < 0 && vpc[0] >= 0 ? 1 : 0; // project_id: cloud_account when the instance has none
      c[5] = vpc[2] >= 0 ? 1 : 0; // vpc_name: cloud_vpc
      c[6] = vpc[4] >= 0 ? 1 : 0; // subnetwork_name: cloud_subnet
      this.instLeft = is < 0 ? 0 : instMembers - c[0] - c[1] - c[2];
      this.vpcLeft = vs < 0 ? 0 : vpcMembers - c[4] - c[5] - c[6];
    }
    const labels = this.labels;
    labels.fill(-1);
    const rs = this.top[4];
    if (rs >= 0) {
      if (!this.pick(rs, KEYS.resource, this.res, false)) return false;
      if (this.res[0] >= 0 && !this.pick(this.res[0], KEYS.labels, labels, true)) return false;
    }
    const insertId = strAt(this.r.buf, this.top, 0);
    if (insertId === -2) return false;

    const key = this.key;
    key.tsMicros = ts;
    key.origP = sp < 0 ? null : sp;
    key.respP = dp < 0 ? null : dp;
    key.proto = proto < 0 ? null : PROTO_TEXT[proto];
    key.addrBuf = buf;
    key.origHStart = sa < 0 ? 0 : c[0] + 1;
    key.origHEnd = sa < 0 ? 0 : c[1] - 1;
    key.respHStart = da < 0 ? 0 : c[2] + 1;
    key.respHEnd = da < 0 ? 0 : c[3] - 1;
    const ctx = this.ctx;
    const b = ctx.batch('connections');
    const row = b.addRow();
    writeFlowKey(b, row, key, SOURCE_TYPE, ctx.sensor, ctx.ingestId);
    key.addrBuf = null;
    if (end >= 0) b.setNum(C.end_ts, row, end);
    if (start >= 0 && end >= 0) b.setNum(C.duration, row, (end - start) / 1e6);
    if (bytes >= 0) b.setNum(C.orig_ip_bytes, row, bytes);
    if (pkts >= 0) b.setNum(C.orig_pkts, row, pkts);
    b.setStr(C.action, row, 'allow');
    b.setStr(C.cloud_provider, row, 'gcp');
    if (side === 1) b.setBool(C.local_orig, row, true);
    else if (side === 2) b.setBool(C.local_resp, row, true);
    // Each column takes the first of its sources that is set (an empty string counts as unset).
    if (!this.col(b, C.cloud_account, row, inst, 0) && !this.col(b, C.cloud_account, row, vpc, 0)) this.col(b, C.cloud_account, row, labels, 1);
    if (!this.col(b, C.cloud_region, row, inst, 1)) {
      const zone = inst[6] >= 0 ? this.text(inst, 3) : labels[0] >= 0 ? this.text(labels, 0) : null;
      b.setStr(C.cloud_region, row, zone === null ? null : (ZONE.exec(zone)?.[1] ?? null));
    }
    this.col(b, C.cloud_vpc, row, vpc, 1);
    if (!this.col(b, C.cloud_subnet, row, vpc, 2)) this.col(b, C.cloud_subnet, row, labels, 2);
    this.col(b, C.cloud_instance, row, inst, 2);
    const json = this.json;
    for (let d = 0; d < 4; d++) this.deferred(d, side);
    if (insertId >= 0) {
      json.key('insert_id');
      json.rawBytes(this.buf, this.top[0], this.top[1]);
    }
    json.store(b, C.extra, row, true);
    return true;
  }

  /**
   * Writes src_instance, dest_instance, src_vpc or dest_vpc (`d` 0-3) when the payload has it: as it is,
   * or for the reporter's side without the members a cloud column holds (left out when none remain).
   */
  private deferred(d: number, side: number): void {
    const p = this.payload;
    const k = P.SrcInstance + d;
    const s = p[2 * k];
    if (s < 0) return;
    const json = this.json;
    const dk = this.deferKey;
    if ((d % 2 === 0 ? 1 : 2) !== side) {
      json.member(this.buf, dk[2 * d], dk[2 * d + 1], s, p[2 * k + 1], this.deferSpaced[d] === 1);
      return;
    }
    const instance = d < 2;
    if ((instance ? this.instLeft : this.vpcLeft) === 0) return;
    const names = instance ? KEYS.instance : KEYS.vpc;
    const base = instance ? 0 : 4;
    const r = this.r;
    json.openObject(PAYLOAD[k]);
    if (instance ? this.instSpans : this.vpcSpans) {
      // Only known members, none empty: written from the spans `pick` kept (in the table's order).
      const spans = instance ? this.inst : this.vpc;
      const keys = instance ? INSTANCE : VPC;
      for (let i = 0; i < keys.length; i++) {
        if (spans[2 * i] < 0 || this.inColumn[base + i] === 1) continue;
        json.key(keys[i]);
        json.rawBytes(this.buf, spans[2 * i], spans[2 * i + 1]);
      }
      json.closeObject();
      return;
    }
    r.open(s);
    for (let m = r.next(); m !== 0; m = r.next()) {
      const at = this.which(names);
      if (at >= 0 && this.inColumn[base + at] === 1) continue;
      json.member(this.buf, r.keyStart, r.keyEnd, r.valStart, r.valEnd, r.spaced);
    }
    json.closeObject();
  }

  /**
   * Walks the object at `at` keeping the spans of the members named in `names` in `out` (-1 for
   * absent ones). With `strings`, every kept value must be a string without escapes, and an empty one
   * counts as absent. False when something needs JSON.parse.
   */
  private pick(at: number, names: KeySet, out: Int32Array, strings: boolean): boolean {
    const r = this.r;
    out.fill(-1);
    this.members = 0;
    this.plain = true;
    if (!r.open(at)) return false;
    for (let m = r.next(); m !== 0; m = r.next()) {
      if (m < 0 || r.keyEscaped) return false;
      this.members++;
      const k = this.which(names);
      if (k < 0) {
        this.plain = false;
        continue;
      }
      if (out[2 * k] !== -1) return false;
      if (strings) {
        if (r.buf[r.valStart] !== 0x22 || escapedIn(this.r.buf, r.valStart, r.valEnd)) return false;
        if (r.valEnd - r.valStart === 2) {
          out[2 * k] = -2; // seen, empty
          this.plain = false;
          continue;
        }
      }
      out[2 * k] = r.valStart;
      out[2 * k + 1] = r.valEnd;
    }
    for (let k = 0; k < out.length; k += 2) if (out[k] === -2) out[k] = -1;
    return true;
  }

  /** Index in `names` of the current member's key, or -1. */
  private which(names: KeySet): number {
    return names.find(this.r.buf, this.r.keyStart, this.r.keyEnd);
  }

  private text(spans: Int32Array, k: number): string {
    return this.buf.toString('utf8', spans[2 * k] + 1, spans[2 * k + 1] - 1);
  }

  /** Stores a string member's contents in `col`; false when the member is absent. */
  private col(b: ReturnType<DecodeContext['batch']>, col: number, row: number, spans: Int32Array, k: number): boolean {
    const s = spans[2 * k];
    if (s < 0) return false;
    b.setBytes(col, row, this.r.buf, s + 1, spans[2 * k + 1] - 1);
    return true;
  }
}
