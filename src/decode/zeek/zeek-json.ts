/**
 * The Zeek JSON log decoder: one JSON object per line (Zeek's `LogAscii::use_json`, Corelight, RITA
 * test data, and the zeek-kafka writer's `{"conn": {...}}` lines). Field names stay flat as Zeek writes
 * them (`id.orig_h`); nested records are flattened to the same names. Which log a record is comes from `_path`, its fields, or the input's name.
 * Lines are first offered to the byte-level fast path (json-fast-record.ts), which stores exactly what
 * the JSON.parse path below would, and declines whatever it cannot be sure of.
 */
import type { DecodeContext, Decoder, DecoderDef } from '../decoder.js';
import { lineFramer } from '../line-framer.js';
import { JsonFastWriter } from './json-fast-record.js';
import { writeJsonRecord } from './json-record.js';
import { flattenRecord, isJsonObject, untagRecord } from './json-values.js';

function isBlank(buf: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** A Zeek JSON decoder; `fastPath` false parses every line with JSON.parse (what the fast path is tested against). */
export function zeekJsonDecoder(ctx: DecodeContext, fastPath = true): Decoder {
  // A line that is not JSON is reported when the next line arrives or at the end, where an
  // unterminated last line is reported as `truncated` rather than `bad_json`.
  let pendingBad = 0;
  const flush = (truncated: boolean): void => {
    if (pendingBad === 0) return;
    ctx.skip(truncated ? 'truncated' : 'bad_json', pendingBad);
    pendingBad = 0;
  };
  const fast = fastPath ? new JsonFastWriter(ctx) : null;
  return lineFramer(
    (buf, s, e, lineNo) => {
      if (pendingBad !== 0) flush(false);
      if (isBlank(buf, s, e)) return;
      // Most Zeek lines are written from their bytes; the rest (and every bad one) are parsed.
      if (fast !== null && fast.write(buf, s, e)) return;
      let v: unknown;
      try {
        v = JSON.parse(buf.toString('utf8', s, e));
      } catch {
        pendingBad = lineNo;
        return;
      }
      if (!isJsonObject(v)) return ctx.skip('not_object', lineNo);
      try {
        writeJsonRecord(ctx, flattenRecord(untagRecord(v)), lineNo);
      } catch (err) {
        // A value nested deeper than the stack allows (no Zeek log does that): this record only.
        ctx.skip('decoder_error', lineNo, err instanceof Error ? err.message : String(err));
      }
    },
    { onOversize: (n) => ctx.skip('oversize', n), onEnd: (unterminated) => flush(unterminated) },
  );
}

/**
 * How sure we are that a record with these keys is Zeek's (Suricata EVE, with `event_type`, is not).
 * `tsFirst`: the record opens with a `ts` holding epoch seconds or an ISO time, as every Zeek log
 * without `_path` does, including those with no connection fields (notice, weird, capture_loss, stats).
 */
function keyScore(has: (key: string) => boolean, tsFirst = false): number {
  if (has('event_type')) return 0.1;
  if (has('_path') || has('id.orig_h')) return 0.9;
  if (has('uid') && has('ts')) return 0.6;
  if (tsFirst) return 0.55;
  if (has('ts')) return 0.3;
  return 0.1;
}

/** True when the object opens with `ts` holding a Zeek time (epoch seconds or ISO) and has two more fields. */
function opensWithTs(v: Record<string, unknown>): boolean {
  if (Object.keys(v).length < 3) return false;
  for (const k in v) {
    if (k !== 'ts') return false;
    const t = v.ts;
    return (typeof t === 'number' && t > 0) || (typeof t === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(t));
  }
  return false;
}

/** Confidence that `head` is Zeek JSON, from its first non-empty line (which may be cut short). */
function sniff(head: Buffer): number {
  let s = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) s = 3;
  while (s < head.length && (head[s] === 32 || head[s] === 9 || head[s] === 13 || head[s] === 10)) s++;
  if (head[s] !== 123) return 0;
  const nl = head.indexOf(10, s);
  const text = head.toString('utf8', s, nl < 0 ? head.length : nl);
  if (nl >= 0) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return 0;
    }
    if (!isJsonObject(v)) return 0;
    const rec = untagRecord(v);
    let flat: Record<string, unknown>;
    try {
      flat = flattenRecord(rec);
    } catch {
      return 0; // nested deeper than the stack allows: not a Zeek log
    }
    return keyScore((k) => flat[k] !== undefined, opensWithTs(rec));
  }
  return keyScore((k) => text.includes(JSON.stringify(k)));
}

/** Zeek JSON logs (one object per line): conn -> connections, dns -> dns, every other log -> metadata. */
export const zeekJson: DecoderDef = {
  name: 'zeek-json',
  description: 'Zeek logs in JSON form (one object per line): conn, dns and any other log',
  positionUnit: 'line',
  sniff,
  create: (ctx) => zeekJsonDecoder(ctx),
};
