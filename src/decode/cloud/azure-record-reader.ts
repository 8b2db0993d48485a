/**
 * The fast path of the Azure flow log decoder: reads one NSG or VNet record from its bytes with
 * json-span-reader.ts and parses its flow tuples as bytes (azure-tuples.ts), with no JSON.parse and no
 * string per tuple. It works in two steps so that a record it cannot read writes nothing: it first
 * walks the record, checking its shape and noting each group's cloud columns, `extra` head and tuple
 * spans, then writes the rows. A record of another shape (a value of an unexpected type, a duplicate
 * mapped key, an escape in a key or a mapped value, invalid JSON or UTF-8) is left to JSON.parse,
 * the reference this path is tested against.
 */
import { isUtf8 } from 'node:buffer';
import type { DecodeContext } from '../decoder.js';
import { parseResourceId, watcherRegion, type AzureResource } from './azure-resource.js';
import { AzureRowWriter, type TupleGroup } from './azure-rows.js';
import { emptyTuple, parseTuple, parseTupleBytes, type FlowTuple } from './azure-tuples.js';
import { JsonSpanReader, KeySet } from './json-span-reader.js';
import { JsonBytes } from './json-writer.js';

const TOP = new KeySet(['resourceId', 'systemId', 'macAddress', 'properties', 'flowRecords', 'flowLogVersion', 'flowLogGUID', 'flowLogResourceID', 'targetResourceID']);
const enum T {
  ResourceId,
  SystemId,
  Mac,
  Properties,
  FlowRecords,
  FlowLogVersion,
  FlowLogGuid,
  FlowLogResourceId,
  TargetResourceId,
}
const PROPS = new KeySet(['Version', 'flows']);
const NSG_RULE = new KeySet(['rule', 'flows']);
const NSG_MAC = new KeySet(['mac', 'flowTuples']);
const VNET_RECORDS = new KeySet(['flows']);
const VNET_ACL = new KeySet(['aclID', 'flowGroups']);
const VNET_RULE = new KeySet(['rule', 'flowTuples']);

/** The last resource id read and its parts, so a blob's one resource id is parsed once. */
class ResourceCache {
  private last: Buffer = Buffer.alloc(0);
  res: AzureResource = parseResourceId(null);
  /** Whether the cached id was absent. */
  private absent = true;

  /** The parts of the id string at `buf[s, e)` (quotes included), or of an absent id (s < 0). */
  get(buf: Buffer, s: number, e: number): AzureResource {
    if (s < 0) {
      if (!this.absent) {
        this.absent = true;
        this.res = parseResourceId(null);
      }
      return this.res;
    }
    if (this.absent || this.last.length !== e - s || buf.compare(this.last, 0, this.last.length, s, e) !== 0) {
      this.last = Buffer.from(buf.subarray(s, e));
      this.absent = false;
      this.res = parseResourceId(buf.toString('utf8', s + 1, e - 1));
    }
    return this.res;
  }
}

/** Reads records and writes their rows; one per decoder. */
export class AzureRecordReader {
  private readonly r = new JsonSpanReader();
  private buf: Buffer = Buffer.alloc(0);
  private readonly top = new Int32Array(18);
  private readonly pair = new Int32Array(4);
  private readonly resource = new ResourceCache();
  private readonly target = new ResourceCache();
  private readonly watcher = new ResourceCache();
  // What the walk collects: per group its cloud columns and extra head; per tuple its span and group.
  private groups: TupleGroup[] = [];
  private readonly heads: JsonBytes[] = [];
  private groupCount = 0;
  private tuples = new Int32Array(3 * 256);
  private tupleCount = 0;
  private vnet = false;
  private readonly tuple: FlowTuple = emptyTuple();

  constructor(
    private readonly ctx: DecodeContext,
    private readonly rows: AzureRowWriter,
  ) {}

  /** Decodes the record `json` and writes its rows; false (nothing written) when it needs JSON.parse. */
  record(json: Buffer, offset: number): boolean {
    if (!this.walk(json)) return false;
    const t = this.tuple;
    const tu = this.tuples;
    let group = -1;
    for (let k = 0; k < this.tupleCount; k++) {
      const s = tu[3 * k];
      const e = tu[3 * k + 1];
      const g = tu[3 * k + 2];
      if (g !== group) {
        group = g;
        this.rows.head.beginWith(this.heads[g]);
      }
      if (s < 0) this.ctx.skip('bad_tuple', offset);
      else if (parseTupleBytes(json, s + 1, e - 1, this.vnet, t) || parseTuple(json.toString('utf8', s + 1, e - 1), this.vnet, t)) this.rows.write(t, this.groups[g]);
      else this.ctx.skip('bad_tuple', offset);
    }
    return true;
  }

  /** Checks the record's shape and collects its groups and tuples; false when it needs JSON.parse. */
  private walk(json: Buffer): boolean {
    const r = this.r;
    r.reset(json, json.length);
    this.buf = json;
    this.groupCount = 0;
    this.tupleCount = 0;
    const top = this.top;
    if (!this.pick(r.ws(0), TOP, top) || r.ws(r.after) !== json.length) return false;
    if (r.high && !isUtf8(json)) return false;
    r.trusted = true;
    if (top[2 * T.Properties] >= 0) return this.nsg();
    if (top[2 * T.FlowRecords] >= 0) return this.vnetRecord();
    return false;
  }

  private nsg(): boolean {
    const top = this.top;
    const p = this.pair;
    if (!this.pick(top[2 * T.Properties], PROPS, p)) return false;
    const version = p[0];
    const flows = p[2];
    if (flows < 0 || !this.plainString(top, T.ResourceId, true) || !this.plainString(top, T.SystemId, false) || !this.plainString(top, T.Mac, true)) return false;
    const res = this.resource.get(this.buf, top[2 * T.ResourceId], top[2 * T.ResourceId + 1]);
    const versionEnd = p[1];
    this.vnet = false;
    const r = this.r;
    if (!r.openArray(flows)) return false;
    for (let m = r.nextItem(); m !== 0; m = r.nextItem()) {
      if (m < 0) return false;
      const ruleAt = r.valStart;
      if (!this.pick(ruleAt, NSG_RULE, p)) return false;
      const after = r.after;
      const rule0 = p[0];
      const rule1 = p[1];
      if (!this.stringOrAbsent(rule0)) return false;
      if (p[2] >= 0) {
        const inner = p[2];
        if (!r.openArray(inner)) return false;
        for (let n = r.nextItem(); n !== 0; n = r.nextItem()) {
          if (n < 0 || !this.pick(r.valStart, NSG_MAC, p)) return false;
          const macAfter = r.after;
          if (!this.stringOrAbsent(p[0]) || (p[0] >= 0 && this.escaped(p[0], p[1]))) return false;
          const [ms, me] = p[0] >= 0 && p[1] - p[0] > 2 ? [p[0], p[1]] : [top[2 * T.Mac], top[2 * T.Mac + 1]];
          const head = this.newGroup(res.subscription, null, null, null, ms < 0 || me - ms <= 2 ? null : this.buf.toString('utf8', ms + 1, me - 1));
          this.number(head, 'version', version, versionEnd);
          this.strVal(head, 'resource_group', res.resourceGroup);
          this.strVal(head, 'nsg', res.nsg);
          this.token(head, 'system_id', top[2 * T.SystemId], top[2 * T.SystemId + 1]);
          this.token(head, 'rule', rule0, rule1); // the MAC is cloud_instance, not repeated
          if (!this.collect(p[2])) return false;
          r.endValue(macAfter);
        }
      }
      r.endValue(after);
    }
    return true;
  }

  private vnetRecord(): boolean {
    const top = this.top;
    const p = this.pair;
    if (!this.pick(top[2 * T.FlowRecords], VNET_RECORDS, p)) return false;
    const flows = p[0];
    for (const k of [T.TargetResourceId, T.FlowLogResourceId, T.Mac]) if (!this.plainString(top, k, true)) return false;
    if (flows < 0 || !this.plainString(top, T.FlowLogGuid, false)) return false;
    const target = this.target.get(this.buf, top[2 * T.TargetResourceId], top[2 * T.TargetResourceId + 1]);
    const watcher = this.watcher.get(this.buf, top[2 * T.FlowLogResourceId], top[2 * T.FlowLogResourceId + 1]);
    const ms = top[2 * T.Mac];
    const me = top[2 * T.Mac + 1];
    const mac = ms < 0 || me - ms <= 2 ? null : this.buf.toString('utf8', ms + 1, me - 1);
    const version = top[2 * T.FlowLogVersion];
    this.vnet = true;
    const r = this.r;
    if (!r.openArray(flows)) return false;
    for (let m = r.nextItem(); m !== 0; m = r.nextItem()) {
      if (m < 0 || !this.pick(r.valStart, VNET_ACL, p)) return false;
      const after = r.after;
      const acl0 = p[0];
      const acl1 = p[1];
      if (!this.stringOrAbsent(acl0)) return false;
      if (p[2] >= 0) {
        if (!r.openArray(p[2])) return false;
        for (let n = r.nextItem(); n !== 0; n = r.nextItem()) {
          if (n < 0 || !this.pick(r.valStart, VNET_RULE, p)) return false;
          const ruleAfter = r.after;
          if (!this.stringOrAbsent(p[0])) return false;
          const head = this.newGroup(target.subscription ?? watcher.subscription, watcherRegion(watcher.networkWatcher), target.vnet, target.subnet, target.nic ?? mac);
          this.number(head, 'version', version, top[2 * T.FlowLogVersion + 1]);
          this.strVal(head, 'resource_group', target.resourceGroup);
          this.strVal(head, 'nsg', target.nsg);
          this.token(head, 'flow_log_guid', top[2 * T.FlowLogGuid], top[2 * T.FlowLogGuid + 1]);
          this.token(head, 'target_resource_id', top[2 * T.TargetResourceId], top[2 * T.TargetResourceId + 1]);
          if (target.nic !== null) this.token(head, 'mac', ms, me); // else the MAC is cloud_instance
          this.token(head, 'acl_id', acl0, acl1);
          this.token(head, 'rule', p[0], p[1]);
          if (!this.collect(p[2])) return false;
          r.endValue(ruleAfter);
        }
      }
      r.endValue(after);
    }
    return true;
  }

  /** Starts a group: its cloud columns, and an empty head for its `extra` fields. */
  private newGroup(account: string | null, region: string | null, vpc: string | null, subnet: string | null, instance: string | null): JsonBytes {
    const k = this.groupCount++;
    if (k === this.heads.length) {
      this.heads.push(new JsonBytes());
      this.groups.push({ account: null, region: null, vpc: null, subnet: null, instance: null });
    }
    const g = this.groups[k];
    g.account = account;
    g.region = region;
    g.vpc = vpc;
    g.subnet = subnet;
    g.instance = instance;
    const head = this.heads[k];
    head.begin();
    return head;
  }

  /** Notes the tuples of the array at `at` (absent: none) for the current group; false when it is not an array. */
  private collect(at: number): boolean {
    const head = this.heads[this.groupCount - 1];
    if (head.empty) {
      head.key('source');
      head.str('azure');
    }
    if (at < 0) return true;
    const r = this.r;
    const b = this.buf;
    if (!r.openArray(at)) return false;
    for (let m = r.nextItem(); m !== 0; m = r.nextItem()) {
      if (m < 0 || !r.skipValue()) return false;
      if (this.tupleCount * 3 === this.tuples.length) {
        const grown = new Int32Array(this.tuples.length * 2);
        grown.set(this.tuples);
        this.tuples = grown;
      }
      const k = 3 * this.tupleCount++;
      // A tuple with escapes is read as a string by parseTuple after JSON.parse: left to the slow path.
      const isString = b[r.valStart] === 0x22;
      if (isString && this.escaped(r.valStart, r.valEnd)) return false;
      this.tuples[k] = isString ? r.valStart : -1;
      this.tuples[k + 1] = r.valEnd;
      this.tuples[k + 2] = this.groupCount - 1;
    }
    r.endValue(r.after);
    return true;
  }

  /**
   * Walks the object at `at`, keeping the value spans of the members `names` finds in `out` (-1 when
   * absent); `after` is then the index after the object. False when it is not one or needs JSON.parse.
   */
  private pick(at: number, names: KeySet, out: Int32Array): boolean {
    const r = this.r;
    out.fill(-1);
    if (!r.open(at)) return false;
    for (let m = r.nextKey(); m !== 0; m = r.nextKey()) {
      if (m < 0 || r.keyEscaped) return false;
      const k = names.find(r.buf, r.keyStart, r.keyEnd);
      if (k >= 0 && out[2 * k] !== -1) return false;
      if (k >= 0) out[2 * k] = r.valStart;
      if (!r.skipValue()) return false;
      if (k >= 0) out[2 * k + 1] = r.valEnd;
    }
    return true;
  }

  /** True when member `k` of `spans` is absent or a string (without escapes when `plain`). */
  private plainString(spans: Int32Array, k: number, plain: boolean): boolean {
    const s = spans[2 * k];
    if (s < 0) return true;
    return this.buf[s] === 0x22 && !(plain && this.escaped(s, spans[2 * k + 1]));
  }

  private stringOrAbsent(s: number): boolean {
    return s < 0 || this.buf[s] === 0x22;
  }

  private escaped(s: number, e: number): boolean {
    const b = this.buf;
    for (let i = s; i < e; i++) if (b[i] === 0x5c) return true;
    return false;
  }

  /** `"name":` and a number member as written, when it is plain digits (else JSON.parse would renumber it). */
  private number(head: JsonBytes, name: string, s: number, e: number): void {
    if (s < 0) return;
    const b = this.buf;
    for (let i = s; i < e; i++) if (b[i] < 0x30 || b[i] > 0x39) return this.numberLike(head, name, s, e);
    head.key(name);
    head.rawBytes(b, s, e);
  }

  /** A version that is not plain digits: its value as JSON.parse and JSON.stringify give it (numbers only). */
  private numberLike(head: JsonBytes, name: string, s: number, e: number): void {
    const c = this.buf[s];
    if (c !== 0x2d && (c < 0x30 || c > 0x39)) return;
    head.key(name);
    head.value(JSON.parse(this.buf.toString('latin1', s, e)) as number);
  }

  /** `"name":` and a JS string, unless null. */
  private strVal(head: JsonBytes, name: string, v: string | null): void {
    if (v === null) return;
    head.key(name);
    head.str(v);
  }

  /** `"name":` and a string token copied as it is, unless absent or empty. */
  private token(head: JsonBytes, name: string, s: number, e: number): void {
    if (s < 0 || e - s <= 2) return;
    head.key(name);
    head.rawBytes(this.buf, s, e);
  }
}
