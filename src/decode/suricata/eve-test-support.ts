/**
 * Helpers shared by the EVE decoder tests: reading fixtures, decoding inline lines, an independent
 * timestamp oracle (Date.parse plus the microsecond digits), and rebuilding EVE records from the
 * dotted `match` keys of suricata-verify test.yaml files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { decodeAll, type Collected } from '../testing.js';
import { suricataEve } from './eve.js';

/** Bytes of a file in test/fixtures/suricata (tests run with the repository root as cwd). */
export function fixture(name: string): Buffer {
  return readFileSync(path.join(process.cwd(), 'test/fixtures/suricata', name));
}

/** Decodes EVE text or bytes with the suricata-eve decoder. */
export function decodeEve(input: string | Buffer, opts: { chunkSize?: number; sensor?: string } = {}): Collected {
  return decodeAll(suricataEve, typeof input === 'string' ? Buffer.from(input) : input, opts);
}

/** Decodes records given as objects, one JSON line each. */
export function decodeRecords(records: readonly object[], opts: { sensor?: string } = {}): Collected {
  return decodeEve(records.map((r) => JSON.stringify(r)).join('\n') + '\n', opts);
}

/**
 * Microseconds since the epoch of an EVE timestamp, computed independently of the decoder: Date.parse
 * for the whole seconds (with the offset rewritten as +HH:MM) plus the six fraction digits.
 */
export function micros(eveTs: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{6})([+-]\d\d)(\d\d)$/.exec(eveTs);
  if (m === null) throw new Error(`unexpected timestamp ${eveTs}`);
  return Date.parse(`${m[1]}${m[3]}:${m[4]}`) * 1000 + Number(m[2]);
}

/** UTC "YYYY-MM-DDTHH:MM:SS.ffffff" of a microsecond timestamp. */
export function isoMicros(us: number): string {
  const secs = Math.floor(us / 1e6);
  return new Date(secs * 1000).toISOString().slice(0, 19) + '.' + String(us - secs * 1e6).padStart(6, '0');
}

/** Parses a JSON text column (extra, data). */
export function json(v: unknown): Record<string, unknown> {
  if (typeof v !== 'string') throw new Error(`expected JSON text, got ${String(v)}`);
  return JSON.parse(v) as Record<string, unknown>;
}

/** One `match` block of a suricata-verify test.yaml check. */
export type Match = Record<string, unknown>;

/** The `match` blocks of a suricata-verify test.yaml. */
export function verifyMatches(name: string): Match[] {
  const doc = parseYaml(fixture(name).toString('utf8')) as { checks: { filter: { match: Match } }[] };
  return doc.checks.map((c) => c.filter.match);
}

/** Rebuilds a nested EVE record from dotted match keys ("dns.answers[0].rdata", "grouped.A[0]"). */
export function recordFromMatch(match: Match): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [dotted, value] of Object.entries(match)) {
    const steps: (string | number)[] = [];
    for (const part of dotted.split('.')) {
      const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
      if (m === null) throw new Error(`bad match key ${dotted}`);
      steps.push(m[1]);
      for (const idx of m[2].matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
    }
    let node: Record<string | number, unknown> = root;
    steps.forEach((step, i) => {
      if (i === steps.length - 1) {
        node[step] = value;
        return;
      }
      node[step] ??= typeof steps[i + 1] === 'number' ? [] : {};
      node = node[step] as Record<string | number, unknown>;
    });
  }
  return root;
}
