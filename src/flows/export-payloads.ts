/**
 * Flow exports found inside a capture (a pcap taken on a collector's port): the UDP payloads of sFlow
 * datagrams are decoded into the flows they describe, as a collector would. The export traffic
 * itself stays a connection like any other. sFlow is recognised by its well-known port (6343) and a
 * version check of the payload.
 */
import type { DecodeContext } from '../decode/decoder.js';
import { SflowDecoder, writeSflowRow, type SflowCounterSample, type SflowFlowSample, type SflowSink } from '../decode/sflow/sflow.js';
import { K } from '../decode/flow-key.js';
import { METADATA, columnIndex } from '../model/fields.js';

const M = columnIndex(METADATA);

/** The well-known sFlow collector port. */
export const SFLOW_PORT = 6343;

/** Decodes flow-export payloads seen in a capture into rows. */
export class ExportPayloads implements SflowSink {
  private sflow: SflowDecoder | null = null;

  constructor(private readonly ctx: DecodeContext) {}

  /** True when this UDP payload looks like a flow export this class decodes. */
  wants(dstPort: number, buf: Uint8Array, off: number, len: number): boolean {
    // sFlow v5 datagrams start with the 32-bit version 5 and an address type of 1 or 2.
    return dstPort === SFLOW_PORT && len >= 28 && buf[off] === 0 && buf[off + 1] === 0 && buf[off + 2] === 0 && buf[off + 3] === 5;
  }

  /** Decodes one export datagram from `exporter`. */
  decode(buf: Uint8Array, off: number, len: number, exporter: string, tsMicros: number): void {
    this.sflow ??= new SflowDecoder();
    const r = this.sflow.decode(buf, off, len, exporter, tsMicros, this);
    if (!r.ok) this.ctx.ignore(`sflow:${r.error}`);
  }

  /** SflowSink: one sampled flow becomes one connection row. */
  flowSample(s: SflowFlowSample): void {
    const b = this.ctx.batch('connections');
    writeSflowRow(b, b.addRow(), s, { ingestId: this.ctx.ingestId });
  }

  /** SflowSink: interface counters are kept whole in metadata (log `sflow_counters`). */
  counterSample(c: SflowCounterSample): void {
    const b = this.ctx.batch('metadata');
    const r = b.addRow();
    b.setNum(K.ts, r, c.tsMicros);
    b.setStr(K.source_type, r, 'sflow');
    b.setStr(K.sensor, r, c.agent);
    b.setNum(K.ingest_id, r, this.ctx.ingestId);
    b.setStr(M.log, r, 'sflow_counters');
    b.setStr(M.data, r, JSON.stringify(c));
  }
}
