/**
 * Decoding of queued datagrams: NetFlow v5/v9/IPFIX and sFlow through the same decoders `nightjar
 * ingest` uses for export traffic found in captures (one template cache for every exporter, keyed by
 * exporter address and source id / observation domain), and syslog messages through the syslog
 * dispatcher when one is given. Never throws on bad bytes: decoders count what they cannot use.
 */
import type { NetflowDecoder } from '../decode/netflow/netflow-decoder.js';
import type { SflowDecoder } from '../decode/sflow/sflow.js';
import { ExportPayloads } from '../flows/export-payloads.js';
import type { QueuedDatagram } from './datagram-queue.js';
import type { RowBatches } from './row-batches.js';

/** Something that decodes one syslog message (the whole datagram or one framed TCP message). */
export interface SyslogHandler {
  /** Decodes one message. */
  message(buf: Buffer, from: string, receivedMicros: number): void;
  /** End of collection: writes whatever the handler still holds. */
  finish(): void;
}

/** Decodes datagrams of every kind into the collector's batches. */
export class DatagramDecoder {
  private readonly exports: ExportPayloads;

  constructor(
    ctx: RowBatches,
    private readonly syslog: SyslogHandler | null,
  ) {
    this.exports = new ExportPayloads(ctx);
  }

  /** The NetFlow/IPFIX decoder with its template state and counters. */
  get netflow(): NetflowDecoder {
    return this.exports.netflowDecoder;
  }

  /** The sFlow decoder with its counters. */
  get sflow(): SflowDecoder {
    return this.exports.sflowDecoder;
  }

  /** End of collection: syslog decoders write what they still hold. */
  finish(): void {
    this.syslog?.finish();
  }

  /** Decodes one datagram. */
  decode(d: QueuedDatagram): void {
    if (d.kind === 'syslog') this.syslog?.message(d.buf, d.from, d.receivedMicros);
    else this.exports.decode(d.kind, d.buf, 0, d.buf.length, d.from, d.receivedMicros);
  }
}
