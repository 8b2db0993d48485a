/**
 * Writes the connections row of one Azure flow tuple, for both ways a record is read (from its bytes,
 * or with JSON.parse): the 5-tuple, counters, action and cloud columns, and `extra` built from the
 * group's head (rule, NSG... written once per group) plus the tuple's state and encryption. Left out
 * as the columns hold them: the direction (local_orig or local_resp) and the MAC when it is cloud_instance.
 */
import type { DecodeContext } from '../decoder.js';
import { writeFlowKey } from '../flow-key.js';
import type { FlowTuple } from './azure-tuples.js';
import { C, byteFlowKey } from './cloud-columns.js';
import { JsonBytes } from './json-writer.js';

const SOURCE_TYPE = 'azure-nsg-flow';
const ALLOW = Buffer.from('allow');
const DENY = Buffer.from('deny');
const AZURE = Buffer.from('azure');

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
  // The last text of each cloud column and its UTF-8 bytes: a blob's groups mostly repeat them.
  private readonly lastText: (string | null)[] = [null, null, null, null, null];
  private readonly lastBytes: Buffer[] = [AZURE, AZURE, AZURE, AZURE, AZURE];

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
    const action = t.allowed ? ALLOW : DENY;
    b.setBytes(C.action, row, action, 0, action.length);
    b.setBytes(C.cloud_provider, row, AZURE, 0, AZURE.length);
    this.text(b, C.cloud_account, row, 0, g.account);
    this.text(b, C.cloud_region, row, 1, g.region);
    this.text(b, C.cloud_vpc, row, 2, g.vpc);
    this.text(b, C.cloud_subnet, row, 3, g.subnet);
    this.text(b, C.cloud_instance, row, 4, g.instance);
    const json = this.json;
    // The direction is not repeated: local_resp (inbound) or local_orig (outbound) says it.
    json.beginWith(this.head);
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

  /** Stores `s` in `col` from the bytes kept for slot `k`, encoding it only when it changed. */
  private text(b: ReturnType<DecodeContext['batch']>, col: number, row: number, k: number, s: string | null): void {
    if (s === null) return;
    if (s !== this.lastText[k]) {
      this.lastText[k] = s;
      this.lastBytes[k] = Buffer.from(s, 'utf8');
    }
    const bytes = this.lastBytes[k];
    b.setBytes(col, row, bytes, 0, bytes.length);
  }
}
