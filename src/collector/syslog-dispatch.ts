/**
 * Syslog messages to rows: each message is offered to every registered line-oriented log decoder
 * (the firewall formats, CEF, EVE JSON, ...) and handed to the one that recognises it most surely;
 * one running instance per format keeps its state across messages (Cisco ASA pairs built and
 * teardown messages). Messages nobody recognises are stored raw in `metadata` (log `syslog`).
 */
import type { Decoder, DecoderDef } from '../decode/decoder.js';
import { syslogText, writeSyslogRow } from '../decode/syslog/syslog-message.js';
import { DECODERS } from '../pipeline/registry.js';
import { bump, type CollectorCounters } from './collector-counters.js';
import type { SyslogHandler } from './datagram-decoder.js';
import type { RowBatches } from './row-batches.js';

/** Decoders that read one record per line, the only ones a syslog message can carry. */
const CANDIDATES: readonly DecoderDef[] = [...DECODERS.values()].filter((d) => d.positionUnit === 'line');

/** Hands syslog messages to log decoders, or stores them raw. */
export class SyslogDispatch implements SyslogHandler {
  private readonly running = new Map<string, Decoder>();

  constructor(
    private readonly ctx: RowBatches,
    private readonly counters: CollectorCounters,
  ) {}

  /** Decodes one message (a UDP datagram or one framed TCP message). */
  message(buf: Buffer, from: string, receivedMicros: number): void {
    const text = syslogText(buf);
    if (text.length === 0) {
      bump(this.counters.skipped, 'syslog:empty');
      return;
    }
    const line = Buffer.from(text.replace(/[\r\n]+/g, ' ') + '\n');
    let best: DecoderDef | null = null;
    let bestScore = 0.49;
    for (const d of CANDIDATES) {
      const s = d.sniff(line);
      if (s > bestScore) {
        best = d;
        bestScore = s;
      }
    }
    if (best === null) {
      writeSyslogRow(this.ctx, text, from, receivedMicros);
      bump(this.counters.syslog, 'raw');
      return;
    }
    let dec = this.running.get(best.name);
    if (dec === undefined) this.running.set(best.name, (dec = best.create(this.ctx)));
    dec.push(line);
    bump(this.counters.syslog, best.name);
  }

  /** Ends every running decoder (it writes what it still holds, e.g. unpaired ASA builds). */
  finish(): void {
    for (const d of this.running.values()) d.finish();
    this.running.clear();
  }
}
