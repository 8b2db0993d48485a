/**
 * Per-input state shared by the EVE event handlers: the decode context, the current line, the record's
 * shared key (time, flow_id, 5-tuple, Community ID, sensor), the row being written (so a failure
 * half-way can drop it), and the builder of `extra`, which keeps every field that has no column.
 *
 * Validation happens before a row is started: the key is read first and a wrong-typed key field
 * skips the record as `bad_value` with the field's name.
 */
import { isUtf8 } from 'node:buffer';
import { protoNumber } from '../../model/community-id.js';
import type { EventTableName } from '../../model/fields.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import type { DecodeContext } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { canonicalIp } from '../../model/address-format.js';
import { KeyTable, RawFilter } from './eve-raw-json.js';
import { parseEveTime } from './eve-time.js';
import { rest, type EveObject } from './eve-values.js';

/** Value of `source_type` for every row this decoder writes. */
export const SOURCE_TYPE = 'suricata';

/** Suricata protocol names (from its /etc/protocols-derived table) that protoNumber() does not know. */
const MORE_PROTOS: ReadonlyMap<string, number> = new Map([
  ['igmp', 2], ['ggp', 3], ['ipv4', 4], ['ip-encap', 4], ['egp', 8], ['igp', 9], ['ipv6', 41],
  ['ipv6-route', 43], ['ipv6-frag', 44], ['rsvp', 46], ['ipv6-nonxt', 59], ['ipv6-opts', 60],
  ['eigrp', 88], ['ospf', 89], ['ospfigp', 89], ['ipip', 94], ['etherip', 97], ['encap', 98],
  ['pim', 103], ['ipcomp', 108], ['vrrp', 112], ['l2tp', 115], ['isis', 124], ['udplite', 136],
]);

/** Top-level keys that always have columns (or are the routing key), so `extra` leaves them out. */
const MAPPED = new Set(['flow_id', 'event_type', 'src_ip', 'src_port', 'dest_ip', 'dest_port', 'proto']);

/**
 * Top-level keys the raw `extra` filter knows: the always-mapped ones first, then those mapped for some
 * records only, then the event sub-objects whose own members are filtered.
 */
const TOP = new KeyTable([...MAPPED, 'timestamp', 'community_id', 'icmp_type', 'icmp_code', 'host', 'sensor_name', 'app_proto', 'flow', 'netflow', 'alert']);
const T_TIMESTAMP = 7;
const T_CID = 8;
const T_ICMP_TYPE = 9;
const T_ICMP_CODE = 10;
const T_HOST = 11;
const T_SENSOR_NAME = 12;
const T_APP_PROTO = 13;
const TOP_SIZE = 17;
const T_SUB = { flow: 14, netflow: 15, alert: 16 } as const;

/** An event sub-object (flow, netflow, alert) and its members that have columns. */
export interface SubObject {
  readonly name: string;
  readonly mapped: ReadonlySet<string>;
  readonly table: KeyTable;
  readonly index: number;
}

/** Describes the sub-object `name` (flow, netflow or alert) whose members `mapped` have columns. */
export function subObject(name: 'flow' | 'netflow' | 'alert', mapped: readonly string[]): SubObject {
  return { name, mapped: new Set(mapped), table: new KeyTable(mapped), index: T_SUB[name] };
}

/** Fills `into` with `k` turned round (resp as orig) and returns it, for rows oriented client first. */
export function turnKey(k: FlowKey, into: FlowKey): FlowKey {
  into.tsMicros = k.tsMicros;
  into.uid = k.uid;
  into.origH = k.respH;
  into.origP = k.respP;
  into.respH = k.origH;
  into.respP = k.origP;
  into.proto = k.proto;
  into.communityId = k.communityId;
  return into;
}

/** True when `s` has the shape of a Community ID v1 ("1:" and the base64 of a 20-byte SHA-1). */
function isCommunityIdV1(s: string): boolean {
  return s.length === 30 && s.charCodeAt(0) === 49 && s.charCodeAt(1) === 58 && s.charCodeAt(29) === 61;
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;
}

/** Decoding state for one input. */
export class EveSession {
  readonly ctx: DecodeContext;
  /** The current record's shared key, refilled by readKey for every record. */
  readonly key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };
  sensor: string | null = null;
  /** IANA number of the current record's transport, when known. */
  ipProto: number | undefined = undefined;
  /** The current line: its number, bytes and decoded text. */
  lineNo = 0;
  buf: Buffer = Buffer.alloc(0);
  start = 0;
  end = 0;
  text = '';
  private readonly drop = new Uint8Array(TOP_SIZE).fill(0, MAPPED.size).fill(1, 0, MAPPED.size);
  private readonly raw = new RawFilter();
  private rawValid = -1;
  private lastProto = '';
  private lastProtoNum: number | undefined = undefined;
  private lastProtoKey = '';
  private usedTs = true;
  private usedCid = false;
  private usedIcmp = false;
  private usedSensorKey: string | null = null;
  private open: ColumnBatch | null = null;

  constructor(ctx: DecodeContext) {
    this.ctx = ctx;
  }

  /** Makes buf[start..end) (line `lineNo`) the current record's text. */
  setLine(buf: Buffer, start: number, end: number, lineNo: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.lineNo = lineNo;
    this.text = buf.toString('utf8', start, end);
    this.rawValid = -1;
  }

  /** Reads the shared key of `rec` into `key`; returns null, or the name of the field that is wrong. */
  readKey(rec: EveObject): string | null {
    const k = this.key;
    const ts = rec.timestamp;
    if (typeof ts !== 'string') return 'timestamp';
    k.tsMicros = parseEveTime(ts);
    if (Number.isNaN(k.tsMicros)) return 'timestamp';
    this.usedTs = true;

    const fid = rec.flow_id;
    if (fid === undefined) k.uid = null;
    else if (typeof fid === 'number' && Number.isSafeInteger(fid) && fid >= 0) k.uid = String(fid);
    else if (typeof fid === 'number' && Number.isInteger(fid) && fid > 0) k.uid = this.rawFlowId();
    else if (typeof fid === 'string' && /^\d+$/.test(fid)) k.uid = fid;
    else return 'flow_id';
    if (k.uid === null && fid !== undefined) return 'flow_id';

    const src = rec.src_ip;
    const dst = rec.dest_ip;
    if (src !== undefined && typeof src !== 'string') return 'src_ip';
    if (dst !== undefined && typeof dst !== 'string') return 'dest_ip';
    k.origH = src === undefined ? null : canonicalIp(src);
    k.respH = dst === undefined ? null : canonicalIp(dst);

    const proto = rec.proto;
    if (proto === undefined) {
      k.proto = null;
      this.ipProto = undefined;
    } else if (typeof proto === 'string' && proto.length > 0) {
      if (proto !== this.lastProto) {
        // A sensor writes a handful of distinct names: resolve each once, not per record.
        this.lastProto = proto;
        this.lastProtoNum = protoNumber(proto) ?? MORE_PROTOS.get(proto.toLowerCase());
        this.lastProtoKey = this.lastProtoNum === undefined ? proto : String(this.lastProtoNum);
      }
      this.ipProto = this.lastProtoNum;
      k.proto = this.lastProtoKey;
    } else if (typeof proto === 'number' && Number.isInteger(proto) && proto >= 0 && proto <= 255) {
      this.ipProto = proto;
      k.proto = String(proto);
    } else return 'proto';

    this.usedIcmp = this.ipProto === 1 || this.ipProto === 58;
    const sp = this.usedIcmp ? rec.icmp_type : rec.src_port;
    const dp = this.usedIcmp ? rec.icmp_code : rec.dest_port;
    if (sp !== undefined && !isPort(sp)) return this.usedIcmp ? 'icmp_type' : 'src_port';
    if (dp !== undefined && !isPort(dp)) return this.usedIcmp ? 'icmp_code' : 'dest_port';
    k.origP = sp === undefined ? null : sp;
    k.respP = dp === undefined ? null : dp;

    // A Community ID that is not v1-shaped (sanitized samples write "xx") cannot join anything: compute
    // ours instead and keep the source's value in `extra`.
    const cid = rec.community_id;
    this.usedCid = typeof cid === 'string' && isCommunityIdV1(cid);
    k.communityId = this.usedCid ? (cid as string) : null;

    this.usedSensorKey = null;
    if (this.ctx.sensor !== null) this.sensor = this.ctx.sensor;
    else if (typeof rec.host === 'string') {
      this.sensor = rec.host;
      this.usedSensorKey = 'host';
    } else if (typeof rec.sensor_name === 'string') {
      this.sensor = rec.sensor_name;
      this.usedSensorKey = 'sensor_name';
    } else this.sensor = null;

    const drop = this.drop;
    drop[T_TIMESTAMP] = 1;
    drop[T_CID] = this.usedCid ? 1 : 0;
    drop[T_ICMP_TYPE] = drop[T_ICMP_CODE] = this.usedIcmp ? 1 : 0;
    drop[T_HOST] = this.usedSensorKey === 'host' ? 1 : 0;
    drop[T_SENSOR_NAME] = this.usedSensorKey === 'sensor_name' ? 1 : 0;
    return null;
  }

  /** Replaces the key's time with another EVE timestamp field (flow start); returns false when malformed. */
  setTime(v: string): boolean {
    const t = parseEveTime(v);
    if (Number.isNaN(t)) return false;
    this.key.tsMicros = t;
    this.usedTs = false; // the record's own `timestamp` then has no column and stays in extra
    this.drop[T_TIMESTAMP] = 0;
    return true;
  }

  /** Starts a row of `table` carrying the shared key; the row index is the batch's `length - 1`. */
  beginRow(table: EventTableName, key: FlowKey = this.key, sensor: string | null = this.sensor): ColumnBatch {
    const b = this.ctx.batch(table);
    const r = b.addRow();
    this.open = b;
    writeFlowKey(b, r, key, SOURCE_TYPE, sensor, this.ctx.ingestId);
    return b;
  }

  /** Marks the current row complete. */
  endRow(): void {
    this.open = null;
  }

  /** Drops a row left half-written by an unexpected failure. */
  abortRow(): void {
    if (this.open !== null) this.open.dropLastRow();
    this.open = null;
  }

  /** True when the current line's bytes are valid UTF-8, so they can be copied into a batch as they are. */
  rawIsUtf8(): boolean {
    if (this.rawValid < 0) {
      // One char per byte and no replacement character means every byte was ASCII; otherwise ask.
      const ascii = this.text.length === this.end - this.start && this.text.indexOf('\uFFFD') < 0;
      this.rawValid = ascii || isUtf8(this.buf.subarray(this.start, this.end)) ? 1 : 0;
    }
    return this.rawValid === 1;
  }

  /**
   * Writes `extra` into column `col` of row `r`: the members of the current line that have no column,
   * copied from its bytes; the event sub-object `sub` loses the members it maps. `appProtoMapped` says
   * app_proto went to a column. Same content as extra(), without rebuilding and re-serialising objects.
   */
  writeExtra(b: ColumnBatch, col: number, r: number, rec: EveObject, sub: SubObject, appProtoMapped: boolean): void {
    if (!this.rawIsUtf8()) {
      // Bytes that are not UTF-8 cannot be copied into the batch: serialise the parsed record instead.
      b.setStr(col, r, this.extra(rec, sub.name, sub.mapped, appProtoMapped ? 'app_proto' : null));
      return;
    }
    this.drop[T_APP_PROTO] = appProtoMapped ? 1 : 0;
    if (this.raw.filter(this.buf, this.start, this.end, TOP, this.drop, sub.index, sub.table)) b.setBytes(col, r, this.raw.bytes, 0, this.raw.length);
  }

  /** JSON text of extraObject(), or null when nothing is left. */
  extra(rec: EveObject, sub: string | null, subSkip: ReadonlySet<string> | null, skipTop: string | null = null): string | null {
    const out = this.extraObject(rec, sub, subSkip, skipTop);
    return out === null ? null : JSON.stringify(out);
  }

  /**
   * `rec` without the fields of the current record that went to columns; the sub-object `sub` (flow,
   * alert, dns...) is reduced the same way by `subSkip`, and `skipTop` names one more top-level key
   * that went to a column. Null when nothing is left.
   */
  extraObject(rec: EveObject, sub: string | null, subSkip: ReadonlySet<string> | null, skipTop: string | null = null): EveObject | null {
    const out: EveObject = {};
    let n = 0;
    for (const k in rec) {
      if (MAPPED.has(k) || k === skipTop || k === this.usedSensorKey) continue;
      if ((k === 'timestamp' && this.usedTs) || (k === 'community_id' && this.usedCid)) continue;
      if ((k === 'icmp_type' || k === 'icmp_code') && this.usedIcmp) continue;
      let v = rec[k];
      if (k === sub && subSkip !== null) {
        v = rest(v, subSkip);
        if (v === null) continue;
      }
      out[k] = v;
      n++;
    }
    return n === 0 ? null : out;
  }

  /** flow_id digits from the raw text, for ids beyond 2^53 that JSON.parse would round. */
  private rawFlowId(): string | null {
    const m = /"flow_id"\s*:\s*(\d+)/.exec(this.text);
    return m === null ? null : m[1];
  }
}
