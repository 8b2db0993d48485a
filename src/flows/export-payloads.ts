/**
 * Flow exports found inside a capture (a pcap taken on a collector's port): the UDP payloads of
 * NetFlow v5/v9, IPFIX and sFlow datagrams are decoded into the flows they describe, as a collector
 * would. The export traffic itself stays a connection like any other. Exports are recognised by
 * well-known port (2055, 9995, 9996, 4739; 6343 for sFlow) with a check of the version field, or on any
 * other port by a structural check of the whole NetFlow/IPFIX header.
 */
import type { DecodeContext } from '../decode/decoder.js';
import { SflowDecoder, writeSflowRow, type SflowCounterSample, type SflowFlowSample, type SflowSink } from '../decode/sflow/sflow.js';
import { K } from '../decode/flow-key.js';
import { NetflowDecoder } from '../decode/netflow/netflow-decoder.js';
import { writeFlowRow } from '../decode/netflow/flow-row.js';
import type { FlowRecord } from '../decode/netflow/flow-record.js';
import { METADATA, columnIndex } from '../model/fields.js';

const M = columnIndex(METADATA);

/** The well-known sFlow collector port. */
export const SFLOW_PORT = 6343;
/** Well-known NetFlow and IPFIX collector ports. */
export const NETFLOW_PORTS: ReadonlySet<number> = new Set([2055, 9995, 9996, 4739, 4432]);

/** Decodes flow-export payloads seen in a capture into rows. */
export class ExportPayloads implements SflowSink {
  private sflow: SflowDecoder | null = null;
  private netflow: NetflowDecoder | null = null;

  constructor(private readonly ctx: DecodeContext) {}

  /** The NetFlow v5/v9/IPFIX decoder (template state and counters), created on first use. */
  get netflowDecoder(): NetflowDecoder {
    return (this.netflow ??= new NetflowDecoder((rec) => this.flowRecord(rec)));
  }

  /** The sFlow decoder (sequence state and counters), created on first use. */
  get sflowDecoder(): SflowDecoder {
    return (this.sflow ??= new SflowDecoder());
  }

  /** Which export this UDP payload is: 'sflow', 'netflow' (v5, v9, IPFIX), or null. */
  kind(dstPort: number, buf: Uint8Array, off: number, len: number): 'sflow' | 'netflow' | null {
    if (len < 20) return null;
    // sFlow v5 starts with the 32-bit version 5; NetFlow/IPFIX with a 16-bit version 5, 9 or 10.
    if (dstPort === SFLOW_PORT && buf[off] === 0 && buf[off + 1] === 0 && buf[off + 2] === 0 && buf[off + 3] === 5) return 'sflow';
    if (buf[off] !== 0) return null;
    const v = buf[off + 1];
    if (v !== 5 && v !== 9 && v !== 10) return null;
    if (NETFLOW_PORTS.has(dstPort)) return 'netflow';
    // Any other port: only a datagram whose header is structurally a NetFlow/IPFIX export.
    const u16 = (o: number): number => (buf[off + o] << 8) | buf[off + o + 1];
    if (v === 10) return u16(2) === len && len >= 20 && (u16(16) === 2 || u16(16) === 3 || u16(16) >= 256) ? 'netflow' : null;
    if (v === 5) return u16(2) >= 1 && u16(2) <= 30 && len === 24 + 48 * u16(2) ? 'netflow' : null;
    const setId = u16(20);
    const setLen = u16(22);
    return u16(2) <= 1000 && (setId <= 1 || setId >= 256) && setLen >= 4 && setLen <= len - 20 ? 'netflow' : null;
  }

  /** Decodes one export datagram from `exporter`. */
  decode(kind: 'sflow' | 'netflow', buf: Uint8Array, off: number, len: number, exporter: string, tsMicros: number): void {
    if (kind === 'sflow') {
      const r = this.sflowDecoder.decode(buf, off, len, exporter, tsMicros, this);
      if (!r.ok) this.ctx.ignore(`sflow:${r.error}`);
      return;
    }
    this.netflowDecoder.decode(buf, off, len, exporter, tsMicros);
  }

  /** End of input: reports what the NetFlow decoder could not use. */
  finish(): void {
    const st = this.netflow?.stats;
    if (!st) return;
    for (const [reason, n] of Object.entries(st.malformed)) for (let i = 0; i < n; i++) this.ctx.ignore(`netflow:${reason}`);
    for (const [reason, n] of Object.entries(st.dropped)) for (let i = 0; i < n; i++) this.ctx.ignore(`netflow:${reason}`);
  }

  private flowRecord(rec: FlowRecord): void {
    const b = this.ctx.batch('connections');
    writeFlowRow(b, b.addRow(), rec, { sensor: this.ctx.sensor, ingestId: this.ctx.ingestId });
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
