/**
 * Suricata EVE JSON (eve.json): one JSON object per line, routed by `event_type`:
 *
 *   flow, netflow -> connections (eve-flow.ts)
 *   dns           -> dns, in the v1, v2 and v3 formats (eve-dns.ts)
 *   alert         -> findings (eve-alert.ts)
 *   stats         -> counted as ignored: sensor counters, not traffic
 *   anything else -> metadata, the record kept whole (eve-metadata.ts), including types unknown today
 *
 * Every row carries the shared key (eve-session.ts): ts, uid = flow_id, the 5-tuple (ICMP type/code
 * as ports), community_id from the record or computed, source_type "suricata", and the sensor (the
 * user's, else the record's `host` or `sensor_name`).
 *
 * Records inside syslog lines (`filetype: syslog`, eve.json forwarded over syslog) are read from the
 * JSON after the envelope (eve-syslog.ts).
 *
 * Bad input never stops decoding: a line that is not JSON is skipped as `bad_json`, a JSON value that
 * is not an object as `not_object`, a record without event_type as `no_event_type`, and a wrong-typed
 * key field (src_port not a number, a malformed timestamp) as `bad_value` with the field's name.
 */
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { lineFramer } from '../line-framer.js';
import { decodeAlert } from './eve-alert.js';
import { EveDns } from './eve-dns.js';
import { decodeFlow, decodeNetflow } from './eve-flow.js';
import { decodeMetadata } from './eve-metadata.js';
import { EveSession } from './eve-session.js';
import { eveJsonStart } from './eve-syslog.js';
import { isObject } from './eve-values.js';

/** The first non-empty line, when it opens a JSON object (it may be cut short by the end of the head). */
const FIRST_OBJECT_LINE = /^\s*(\{[^\n]*)/;
const EVENT_TYPE_KEY = /"event_type"\s*:\s*"/;

/** Decoding of one input: frames lines, parses them and routes each record by event_type. */
class EveDecoder {
  private readonly s: EveSession;
  private readonly dns = new EveDns();
  readonly decoder: Decoder;

  constructor(ctx: DecodeContext) {
    this.s = new EveSession(ctx);
    this.decoder = lineFramer((buf, start, end, lineNo) => this.line(buf, start, end, lineNo), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
      onEnd: () => {
        try {
          this.dns.flush(this.s);
        } catch (err) {
          this.failed(this.s.lineNo, err);
        }
      },
    });
  }

  private line(buf: Buffer, start: number, end: number, lineNo: number): void {
    while (start < end && (buf[start] === 32 || buf[start] === 9)) start++;
    while (end > start && (buf[end - 1] === 32 || buf[end - 1] === 9)) end--;
    if (start === end) return;
    if (lineNo === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    if (buf[start] !== 123) {
      const json = eveJsonStart(buf, start, end);
      if (json >= 0) start = json;
    }
    this.s.setLine(buf, start, end, lineNo);
    try {
      this.record();
    } catch (err) {
      this.failed(lineNo, err);
    }
  }

  /** Turns an unexpected failure into a counted skip, so one record never stops the input. */
  private failed(lineNo: number, err: unknown): void {
    this.s.abortRow();
    this.s.ctx.skip('decoder_error', lineNo, err instanceof Error ? err.message : String(err));
  }

  private record(): void {
    const s = this.s;
    const ctx = s.ctx;
    let rec: unknown;
    try {
      rec = JSON.parse(s.text);
    } catch {
      this.dns.flush(s);
      return ctx.skip('bad_json', s.lineNo);
    }
    if (!isObject(rec)) {
      this.dns.flush(s);
      return ctx.skip('not_object', s.lineNo);
    }
    const eventType = rec.event_type;
    if (typeof eventType !== 'string' || eventType.length === 0) {
      this.dns.flush(s);
      if (eventType === undefined) return ctx.skip('no_event_type', s.lineNo);
      return ctx.skip('bad_value', s.lineNo, 'event_type');
    }
    if (eventType === 'stats') {
      this.dns.flush(s);
      return ctx.ignore('stats');
    }
    const bad = s.readKey(rec);
    if (bad !== null) {
      this.dns.flush(s);
      return ctx.skip('bad_value', s.lineNo, bad);
    }
    if (eventType === 'dns') return this.dns.decode(s, rec);
    this.dns.flush(s);
    switch (eventType) {
      case 'flow':
        return decodeFlow(s, rec);
      case 'netflow':
        return decodeNetflow(s, rec);
      case 'alert':
        return decodeAlert(s, rec);
      default:
        return decodeMetadata(s, eventType);
    }
  }
}

/** The Suricata EVE JSON decoder, registered as `suricata-eve`. */
export const suricataEve: DecoderDef = {
  name: 'suricata-eve',
  description: 'Suricata EVE JSON (eve.json): flows, netflow, DNS (v1/v2/v3), alerts, and every other event type as metadata',
  positionUnit: 'line',
  sniff(head: Buffer): number {
    let text = head.toString('utf8', 0, Math.min(head.length, 65536));
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const m = FIRST_OBJECT_LINE.exec(text);
    if (m !== null) return EVENT_TYPE_KEY.test(m[1]) ? 0.95 : 0;
    // EVE inside syslog lines: the first line's message is the JSON object.
    // Read from the bytes (offsets are bytes; the message may start with a byte order mark).
    let s = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    const limit = Math.min(head.length, 65536);
    while (s < limit && (head[s] === 32 || head[s] === 9 || head[s] === 10 || head[s] === 13)) s++;
    let e = head.indexOf(10, s);
    if (e < 0 || e > limit) e = limit;
    const at = eveJsonStart(head, s, e);
    return at >= 0 && EVENT_TYPE_KEY.test(head.toString('latin1', at, e)) ? 0.9 : 0;
  },
  create(ctx: DecodeContext): Decoder {
    return new EveDecoder(ctx).decoder;
  },
};
