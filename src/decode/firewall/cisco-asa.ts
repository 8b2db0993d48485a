/**
 * Cisco ASA and Firepower Threat Defense syslog (`%ASA-6-302013: ...`, `%FTD-...`), with or without a
 * syslog envelope in front:
 *
 *   302013-302016, 302020, 302021  Built/Teardown of TCP, UDP and ICMP connections, paired by
 *                                  connection id (ICMP: by its addresses) into one connections row
 *   106001, 106006, 106007, 106010, 106014, 106015, 106021, 106023, 106100, 106102, 106103, 710003
 *                                  one firewall row each (106100/106102 say permitted or denied)
 *   430001, 430002, 430003         FTD intrusion and connection events (cisco-ftd-events.ts): an intrusion
 *                                  as a finding, the end of a connection as a connections row, a blocked
 *                                  one as a firewall row
 *   every other message id         counted as ignored (`asa-<id>`), not stored
 *
 * A teardown without its build still makes a row (start = teardown time - duration); builds never torn
 * down are written at the end of input with state_reason `open`. The pairing table is bounded: when it
 * is full the oldest build is written as `open` (with `extra.evicted`) and counted as `asa-pair-evicted`.
 * Lines that are not ASA messages are skipped as `not_asa`, a malformed tag as `bad_header`, an envelope
 * without a usable time as `bad_timestamp`, a known message that does not parse as `bad_message`, and one
 * naming a host instead of its address (the ASA's `names` feature) as `name_not_address`.
 */
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { lineFramer } from '../line-framer.js';
import { parseAsaEnvelope, type AsaEnvelope } from './cisco-asa-envelope.js';
import { parseConnMessage, parseDecision, parseIcmpMessage, type AsaConnMessage } from './cisco-asa-messages.js';
import { writeConnection, writeDecision, type AsaConnHalf } from './cisco-asa-rows.js';
import { parseIpInto } from '../../model/ip.js';
import { writeFtdEvent } from './cisco-ftd-events.js';

/** Options of the ASA decoder. */
export interface CiscoAsaOptions {
  /** Most builds waiting for their teardown (default 200,000). */
  readonly maxPending?: number;
  /** Reference time for years missing from BSD timestamps, in microseconds (default: now). */
  readonly nowMicros?: number;
}

const DECISIONS = new Set([106001, 106006, 106007, 106010, 106014, 106015, 106021, 106023, 106100, 106102, 106103, 710003]);

const ipScratch = new Uint8Array(16);

/** True when `s` is an IP address: with `names` configured an ASA logs a host name in its place. */
function isAddress(s: string): boolean {
  return parseIpInto(s, ipScratch, 0) !== 0;
}

/** Decoding of one input. */
class AsaDecoder {
  readonly decoder: Decoder;
  private readonly pending = new Map<string, AsaConnHalf>();
  private readonly maxPending: number;
  private readonly now: number;
  private lastPrefix = '';
  private lastEnv: AsaEnvelope = { tsMicros: NaN, host: null };

  constructor(
    private readonly ctx: DecodeContext,
    opts: CiscoAsaOptions,
  ) {
    this.maxPending = Math.max(1, opts.maxPending ?? 200_000);
    this.now = opts.nowMicros ?? Date.now() * 1000;
    this.decoder = lineFramer((buf, start, end, lineNo) => this.line(buf, start, end, lineNo), {
      onOversize: (lineNo) => ctx.skip('line_too_long', lineNo),
      onEnd: () => this.flush(),
    });
  }

  private line(buf: Buffer, start: number, end: number, lineNo: number): void {
    while (start < end && (buf[start] === 32 || buf[start] === 9)) start++;
    while (end > start && (buf[end - 1] === 32 || buf[end - 1] === 9)) end--;
    if (start === end) return;
    try {
      this.record(buf.toString('utf8', start, end), lineNo);
    } catch (err) {
      this.ctx.skip('decoder_error', lineNo, err instanceof Error ? err.message : String(err));
    }
  }

  private record(text: string, lineNo: number): void {
    const ctx = this.ctx;
    let p = text.indexOf('%ASA-');
    if (p < 0) p = text.indexOf('%FTD-');
    if (p < 0) return ctx.skip('not_asa', lineNo);
    const prefix = text.slice(0, p);
    // A message class may stand before the level when the device logs it (`%ASA-session-3-106102:`).
    let q = p + 5;
    while (q < p + 25 && text.charCodeAt(q) >= 97 && text.charCodeAt(q) <= 122) q++;
    if (q > p + 5 && text.charCodeAt(q) === 45) p = q - 4;
    const severity = text.charCodeAt(p + 5) - 48;
    const colon = text.indexOf(':', p + 7);
    const id = colon > p + 7 && colon <= p + 13 ? Number(text.slice(p + 7, colon)) : NaN;
    if (severity < 0 || severity > 7 || text.charCodeAt(p + 6) !== 45 || !Number.isInteger(id)) return ctx.skip('bad_header', lineNo);
    if (prefix !== this.lastPrefix) {
      this.lastEnv = parseAsaEnvelope(prefix, this.now);
      this.lastPrefix = prefix;
    }
    const env = this.lastEnv;
    if (Number.isNaN(env.tsMicros)) return ctx.skip('bad_timestamp', lineNo);
    const msg = text.slice(colon + 1).trimStart();
    switch (id) {
      case 302013:
      case 302014:
      case 302015:
      case 302016:
        return this.conn(parseConnMessage(msg), env, id, lineNo);
      case 302020:
      case 302021:
        return this.conn(parseIcmpMessage(msg), env, id, lineNo);
    }
    if (id === 430001 || id === 430002 || id === 430003) {
      const r = writeFtdEvent(ctx, id, msg, env.tsMicros, env.host, text);
      if (r === 'bad_message' || r === 'name_not_address') return ctx.skip(r, lineNo, `asa-${id}`);
      return r === 'stored' ? undefined : ctx.ignore(r);
    }
    if (!DECISIONS.has(id)) return ctx.ignore(`asa-${id}`);
    const d = parseDecision(id, msg);
    if (d === null) return ctx.skip('bad_message', lineNo, `asa-${id}`);
    if (!isAddress(d.src.addr) || !isAddress(d.dst.addr)) return ctx.skip('name_not_address', lineNo, `asa-${id}`);
    writeDecision(ctx, d, env.tsMicros, env.host, id, severity, text);
  }

  private conn(m: AsaConnMessage | null, env: AsaEnvelope, id: number, lineNo: number): void {
    if (m === null) return this.ctx.skip('bad_message', lineNo, `asa-${id}`);
    if (!isAddress(m.forSide.addr) || !isAddress(m.toSide.addr)) return this.ctx.skip('name_not_address', lineNo, `asa-${id}`);
    const half: AsaConnHalf = { msg: m, tsMicros: env.tsMicros, sensor: env.host, asaId: id };
    const pend = this.pending;
    if (m.kind === 'teardown') {
      const built = pend.get(m.key) ?? null;
      if (built !== null) pend.delete(m.key);
      return writeConnection(this.ctx, built, half, null);
    }
    const reused = pend.get(m.key);
    if (reused !== undefined) {
      // The id was built again without a teardown in between: the first connection is still open.
      pend.delete(m.key);
      writeConnection(this.ctx, reused, null, 'open');
    } else if (pend.size >= this.maxPending) {
      const [oldKey, old] = pend.entries().next().value as [string, AsaConnHalf];
      pend.delete(oldKey);
      this.ctx.ignore('asa-pair-evicted');
      writeConnection(this.ctx, old, null, 'open', true);
    }
    pend.set(m.key, half);
  }

  private flush(): void {
    for (const half of this.pending.values()) {
      try {
        writeConnection(this.ctx, half, null, 'open');
      } catch (err) {
        this.ctx.skip('decoder_error', 0, err instanceof Error ? err.message : String(err));
      }
    }
    this.pending.clear();
  }
}

const TAG = /%(?:ASA|FTD)-(?:[a-z]+-)?[0-7]-\d{6}: /;

/** Creates an ASA decoder definition with non-default options (tests use a small pairing table). */
export function ciscoAsaWith(opts: CiscoAsaOptions): DecoderDef {
  return {
    name: 'cisco-asa',
    description: 'Cisco ASA / FTD syslog: connection built/teardown pairs and FTD connection events (430002/430003) as connections and intrusion events (430001) as findings, ACL denies (106xxx, 710003) as firewall decisions',
    positionUnit: 'line',
    sniff(head: Buffer): number {
      const lines = head.toString('latin1', 0, Math.min(head.length, 16384)).split('\n');
      let seen = 0;
      let hits = 0;
      for (let i = 0; i < lines.length - (head.length > 16384 ? 1 : 0) && seen < 5; i++) {
        if (lines[i].trim() === '') continue;
        seen++;
        if (TAG.test(lines[i])) hits++;
      }
      return seen > 0 && hits * 2 > seen ? 0.9 : 0;
    },
    create(ctx: DecodeContext): Decoder {
      return new AsaDecoder(ctx, opts).decoder;
    },
  };
}

/** The Cisco ASA / FTD syslog decoder, registered as `cisco-asa`. */
export const ciscoAsa: DecoderDef = ciscoAsaWith({});
