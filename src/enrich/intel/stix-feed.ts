/**
 * STIX 2.1 feeds: a bundle (or a bare list of objects, or one object) whose `indicator` objects with
 * `pattern_type: stix` give patterns over addresses, domains and URLs. Each matchable value becomes an
 * indicator carrying the STIX id, name/description, confidence and validity; patterns that can be
 * matched only in part or not at all are counted (`counts`) and, when nothing is usable, skipped with
 * the reason. Revoked indicators and other pattern languages (snort, yara, ...) are skipped.
 */
import { NightjarError } from '../../model/errors.js';
import { addIndicator, emptyFeed, skip, type ParsedFeed } from './feed.js';
import { parseIndicator } from './indicator.js';
import { stixPatternValues } from './stix-pattern.js';

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function iso(v: unknown): string | null {
  const s = str(v);
  if (s === null) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Parses a STIX 2.x bundle's indicators. */
export function parseStixFeed(text: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new NightjarError('NJ_USAGE', `not a STIX bundle: the JSON does not parse (${(err as Error).message})`);
  }
  const objects: unknown[] = Array.isArray(doc)
    ? doc
    : typeof doc === 'object' && doc !== null && Array.isArray((doc as { objects?: unknown }).objects)
      ? (doc as { objects: unknown[] }).objects
      : [doc];
  const feed = emptyFeed('stix');
  const counts = feed.counts;
  for (const k of ['indicators', 'full', 'partial', 'unmatchable', 'malformed']) counts[k] = 0;
  const seen = new Set<string>();
  objects.forEach((o, i) => {
    if (typeof o !== 'object' || o === null || (o as { type?: unknown }).type !== 'indicator') return;
    const ind = o as Record<string, unknown>;
    const where = str(ind.id) ?? `object ${i + 1}`;
    counts.indicators++;
    if (ind.revoked === true) return skip(feed, 'revoked', where);
    const lang = str(ind.pattern_type) ?? 'stix';
    if (lang !== 'stix') return skip(feed, `pattern-type-${lang.replace(/[^a-z0-9-]/gi, '')}`, where);
    const pattern = str(ind.pattern);
    if (pattern === null) return skip(feed, 'no-pattern', where);
    let pv;
    try {
      pv = stixPatternValues(pattern);
    } catch (err) {
      counts.malformed++;
      return skip(feed, 'malformed-pattern', `${where}: ${(err as Error).message}`);
    }
    if (pv.coverage === 'none') {
      counts.unmatchable++;
      return skip(feed, 'unmatchable-pattern', `${where} (${pv.reason})`);
    }
    counts[pv.coverage]++;
    const name = str(ind.name);
    const desc = str(ind.description);
    const types = Array.isArray(ind.indicator_types) ? ind.indicator_types.filter((x) => typeof x === 'string').join(',') : null;
    for (const v of pv.values) {
      const parsed = parseIndicator(v);
      if (parsed === null) {
        skip(feed, 'not-an-indicator', `${where}: ${v}`);
        continue;
      }
      addIndicator(feed, seen, Object.assign(parsed, {
        type: types || null,
        source: str(ind.created_by_ref),
        confidence: typeof ind.confidence === 'number' ? ind.confidence : null,
        description: [name, desc, pv.coverage === 'partial' ? `(part of a pattern: ${pv.reason})` : null].filter(Boolean).join(': ') || null,
        validFrom: iso(ind.valid_from),
        validUntil: iso(ind.valid_until),
        ref: str(ind.id),
      }));
    }
  });
  return feed;
}
