/**
 * Azure Network Watcher flow logs: NSG flow logs (versions 1 and 2) and virtual network (VNet) flow logs.
 * A blob is one JSON document `{"records":[...]}`, often pretty-printed, that can be large; it is never
 * held whole: json-record-scanner.ts cuts out one record at a time (memory bounded by the largest
 * record, 64 MiB), and records written one per line, without the wrapper, decode the same way.
 *
 *   NSG record:  {time, systemId, macAddress, category, resourceId, operationName,
 *                 properties: {Version, flows: [{rule, flows: [{mac, flowTuples: [...]}]}]}}
 *   VNet record: {time, flowLogVersion, flowLogGUID, macAddress, category, flowLogResourceID,
 *                 targetResourceID, operationName, flowRecords: {flows: [{aclID, flowGroups: [{rule, flowTuples}]}]}}
 *
 * Records are read from their bytes by azure-record-reader.ts; the few it leaves (unexpected types,
 * escapes in mapped values, invalid JSON) are read here with JSON.parse. Every tuple (azure-tuples.ts)
 * becomes one connections row (azure-rows.ts): orig = the tuple's source, counters s->d
 * as orig_pkts/orig_ip_bytes and d->s as resp_pkts/resp_ip_bytes, action allow or deny, direction I/O
 * marking which side is the logged NIC (local_resp for inbound, local_orig for outbound).
 * cloud_account is the subscription of the resource id; cloud_vpc/cloud_subnet the VNet target;
 * cloud_instance the NIC (its name when the target is a NIC, else its MAC); cloud_region the network
 * watcher's region when the watcher has Azure's default name. Rule, NSG, resource group, flow state,
 * ACL id and encryption go to `extra`, and the MAC when it is not cloud_instance (a VNet record whose
 * target is a NIC); the direction is not repeated there (docs/firewall-fields.md).
 *
 * Skips report the byte offset of the record's opening brace: `bad_json`, `not_object`, `no_flows`
 * (a record without flows), `bad_tuple` (per tuple), `record_too_large`, `garbage` (bytes outside any
 * JSON value) and `truncated` (input ending inside the document).
 */
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { parseResourceId, watcherRegion, type AzureResource } from './azure-resource.js';
import { emptyTuple, parseTuple, type FlowTuple } from './azure-tuples.js';
import { AzureRecordReader } from './azure-record-reader.js';
import { AzureRowWriter } from './azure-rows.js';
import { JsonRecordScanner } from './json-record-scanner.js';

const SOURCE_TYPE = 'azure-nsg-flow';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** What every tuple of one group of a record shares. */
interface Group {
  vnet: boolean;
  account: string | null;
  region: string | null;
  vpc: string | null;
  subnet: string | null;
  instance: string | null;
  /** The `extra` JSON shared by the group's tuples, without its closing brace. */
  extraHead: string;
}

/** Decoding of one input: scans out records, then writes a row per flow tuple. */
class AzureFlowDecoder {
  readonly decoder: Decoder;
  private readonly scanner: JsonRecordScanner;
  private readonly tuple: FlowTuple = emptyTuple();
  private readonly rows: AzureRowWriter;
  private readonly fast: AzureRecordReader | null;

  constructor(
    private readonly ctx: DecodeContext,
    fastPath: boolean,
  ) {
    this.rows = new AzureRowWriter(ctx);
    this.fast = fastPath ? new AzureRecordReader(ctx, this.rows) : null;
    this.scanner = new JsonRecordScanner((json, offset) => this.record(json, offset), {
      oversize: (at) => ctx.skip('record_too_large', at),
      garbage: (at) => ctx.skip('garbage', at),
      truncated: (at) => ctx.skip('truncated', at),
    });
    this.decoder = { push: (chunk) => this.scanner.push(chunk), finish: () => this.scanner.finish() };
  }

  private record(json: Buffer, offset: number): void {
    if (this.fast !== null && this.fast.record(json, offset)) return;
    let rec: unknown;
    try {
      rec = JSON.parse(json.toString('utf8'));
    } catch {
      return this.ctx.skip('bad_json', offset);
    }
    if (!isObj(rec)) return this.ctx.skip('not_object', offset);
    try {
      if (isObj(rec.properties) && Array.isArray(rec.properties.flows)) this.nsg(rec, rec.properties, offset);
      else if (isObj(rec.flowRecords) && Array.isArray(rec.flowRecords.flows)) this.vnet(rec, rec.flowRecords, offset);
      else this.ctx.skip('no_flows', offset);
    } catch (err) {
      // A bug must not stop the input: count it like any other unusable record.
      this.ctx.skip('decoder_error', offset, err instanceof Error ? err.message : String(err));
    }
  }

  private nsg(rec: Obj, props: Obj, offset: number): void {
    const res = parseResourceId(rec.resourceId);
    const version = typeof props.Version === 'number' ? props.Version : null;
    const common = { version, ...ids(res), system_id: str(rec.systemId) };
    for (const ruleGroup of arr(props.flows)) {
      if (!isObj(ruleGroup)) continue;
      for (const macGroup of arr(ruleGroup.flows)) {
        if (!isObj(macGroup)) continue;
        const mac = str(macGroup.mac) ?? str(rec.macAddress);
        const group: Group = {
          vnet: false,
          account: res.subscription,
          region: null,
          vpc: null,
          subnet: null,
          instance: mac,
          extraHead: head({ ...common, rule: str(ruleGroup.rule) }), // the MAC is cloud_instance
        };
        this.tuples(macGroup.flowTuples, group, offset);
      }
    }
  }

  private vnet(rec: Obj, flowRecords: Obj, offset: number): void {
    const target = parseResourceId(rec.targetResourceID);
    const watcher = parseResourceId(rec.flowLogResourceID);
    const mac = str(rec.macAddress);
    const common = {
      version: typeof rec.flowLogVersion === 'number' ? rec.flowLogVersion : null,
      ...ids(target),
      flow_log_guid: str(rec.flowLogGUID),
      target_resource_id: str(rec.targetResourceID),
      mac: target.nic !== null ? mac : null, // else the MAC is cloud_instance
    };
    for (const acl of arr(flowRecords.flows)) {
      if (!isObj(acl)) continue;
      for (const ruleGroup of arr(acl.flowGroups)) {
        if (!isObj(ruleGroup)) continue;
        const group: Group = {
          vnet: true,
          account: target.subscription ?? watcher.subscription,
          region: watcherRegion(watcher.networkWatcher),
          vpc: target.vnet,
          subnet: target.subnet,
          instance: target.nic ?? mac,
          extraHead: head({ ...common, acl_id: str(acl.aclID), rule: str(ruleGroup.rule) }),
        };
        this.tuples(ruleGroup.flowTuples, group, offset);
      }
    }
  }

  private tuples(list: unknown, g: Group, offset: number): void {
    const t = this.tuple;
    this.rows.head.beginWithText(g.extraHead);
    for (const text of arr(list)) {
      if (typeof text !== 'string' || !parseTuple(text, g.vnet, t)) this.ctx.skip('bad_tuple', offset);
      else this.rows.write(t, g);
    }
  }
}

/** The resource group and NSG of a resource id, for `extra`. */
function ids(r: AzureResource): Obj {
  return { resource_group: r.resourceGroup, nsg: r.nsg };
}

/** A JSON object's text without its closing brace, null fields left out. */
function head(o: Obj): string {
  const kept: Obj = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) kept[k] = v;
  const s = JSON.stringify(kept);
  return s === '{}' ? '{"source":"azure"' : s.slice(0, -1);
}

const MARKERS = /"(?:NetworkSecurityGroupFlowEvent|FlowLogFlowEvent|flowTuples|flowRecords)"/;

/** The Azure NSG / VNet flow log decoder, registered as `azure-nsg-flow`. */
export const azureNsgFlow: DecoderDef = {
  name: SOURCE_TYPE,
  description: 'Azure Network Watcher flow logs: NSG flow logs v1/v2 and VNet flow logs, whole JSON documents streamed record by record',
  positionUnit: 'offset',
  sniff(head: Buffer): number {
    let text = head.toString('utf8', 0, Math.min(head.length, 65536));
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (!/^\s*[{[]/.test(text)) return 0;
    if (!MARKERS.test(text)) return 0;
    return /"records"\s*:\s*\[/.test(text) || /"(?:properties|flowRecords)"\s*:\s*\{/.test(text) ? 0.95 : 0.6;
  },
  create(ctx: DecodeContext): Decoder {
    return new AzureFlowDecoder(ctx, true).decoder;
  },
};

/** The decoder reading every record with JSON.parse: the reference the byte-level fast path is tested against. */
export function azureNsgFlowReference(ctx: DecodeContext): Decoder {
  return new AzureFlowDecoder(ctx, false).decoder;
}
