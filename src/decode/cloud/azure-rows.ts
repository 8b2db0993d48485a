/**
 * Writes the connections row of one Azure flow tuple, for both ways a record is read (from its bytes,
 * or with JSON.parse): the 5-tuple, counters, action and cloud columns, and `extra` built from the
 * group's head (rule, MAC, NSG... written once per group) plus the tuple's direction, state and
 * encryption.
 */
import type { DecodeContext } from '../decoder.js';
import { writeFlowKey } from '../flow-key.js';
import type { FlowTuple } from './azure-tuples.js';
import { C, byteFlowKey } from './cloud-columns.js';
import { JsonBytes } from './json-writer.js';

const SOURCE_TYPE = 'azure-nsg-flow';

/** The cloud columns every tuple of one group shares. */
export interface TupleGroup {
  account: string | null;
  region: string | null;
  vpc: string | null;
  subnet: string | null;
  instance: string | null;
}

/** Writes tuple rows; `head` holds the current group's unclosed `extra` object. */
export class AzureRowWriter {
  /** The group's `extra` fields, written by the caller before the group's tuples. */
  readonly head = new JsonBytes();
  private readonly json = new JsonBytes();
  private readonly key = byteFlowKey();

  constructor(private readonly ctx: DecodeContext) {}

  /** Writes the row of tuple `t` of group `g`. */
  write(t: FlowTuple, g: TupleGroup): void {
    const key = this.key;
    key.tsMicros = t.tsMicros;
    if (t.addrBuf === null) {
      key.origH = t.src;
      key.respH = t.dst;
      key.addrBuf = null;
    } else {
      key.origH = null;
      key.respH = null;
      key.addrBuf = t.addrBuf;
      key.origHStart = t.srcStart;
      key.origHEnd = t.srcEnd;
      key.respHStart = t.dstStart;
      key.respHEnd = t.dstEnd;
    }
    key.origP = t.sport;
    key.respP = t.dport;
    key.proto = t.proto;
    const ctx = this.ctx;
    const b = ctx.batch('connections');
    const row = b.addRow();
    writeFlowKey(b, row, key, SOURCE_TYPE, ctx.sensor, ctx.ingestId);
    key.addrBuf = null;
    b.setBool(t.inbound ? C.local_resp : C.local_orig, row, true);
    if (t.pktsOut >= 0) b.setNum(C.orig_pkts, row, t.pktsOut);
    if (t.bytesOut >= 0) b.setNum(C.orig_ip_bytes, row, t.bytesOut);
    if (t.pktsIn >= 0) b.setNum(C.resp_pkts, row, t.pktsIn);
    if (t.bytesIn >= 0) b.setNum(C.resp_ip_bytes, row, t.bytesIn);
    b.setStr(C.action, row, t.allowed ? 'allow' : 'deny');
    b.setStr(C.cloud_provider, row, 'azure');
    b.setStr(C.cloud_account, row, g.account);
    b.setStr(C.cloud_region, row, g.region);
    b.setStr(C.cloud_vpc, row, g.vpc);
    b.setStr(C.cloud_subnet, row, g.subnet);
    b.setStr(C.cloud_instance, row, g.instance);
    const json = this.json;
    json.beginWith(this.head);
    json.key('direction');
    json.str(t.inbound ? 'inbound' : 'outbound');
    if (t.state !== null) {
      json.key('flow_state');
      json.str(t.state);
    }
    if (t.encryption !== null) {
      json.key('encryption');
      json.str(t.encryption);
    }
    json.store(b, C.extra, row);
  }
}
