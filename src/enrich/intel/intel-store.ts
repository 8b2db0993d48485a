/**
 * Loading feeds into the `intel` table and listing them. A feed is replaced whole when loaded again
 * under the same name (one transaction: the old indicators or the new ones, never a mix), and its
 * provenance (file, format, SHA-256, counts, what was skipped) goes to `intel_feeds`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { NightjarError } from '../../model/errors.js';
import { sql, type SqlFragment } from '../../store/sql.js';
import type { Store } from '../../store/store.js';
import { parseCsvFeed } from './csv-feed.js';
import { skippedTotal, type FeedFormat, type ParsedFeed, type SkipCount } from './feed.js';
import type { FeedIndicator } from './indicator.js';
import { parseStixFeed } from './stix-feed.js';
import { parseTextFeed } from './text-feed.js';

const MAX_FEED_BYTES = 256 * 1024 * 1024;
const ROWS_PER_INSERT = 20000;

/** Options of `loadFeed`. */
export const LoadFeedOptions = z.strictObject({
  file: z.string().min(1),
  /** Feed name (default: the file name without extension). */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (up to 64)').optional(),
  format: z.enum(['text', 'csv', 'stix']).optional(),
  /** CSV indicator column (name or 1-based number). */
  column: z.string().optional(),
  /** Exact domains also match their subdomains. */
  subdomains: z.boolean().optional(),
});

/** What loading a feed did. */
export interface FeedLoad {
  feed: string;
  format: FeedFormat;
  indicators: number;
  byKind: Record<string, number>;
  duplicates: number;
  skipped: Record<string, SkipCount>;
  counts: Record<string, number>;
  replaced: number;
}

/** Guesses a feed's format from its content: JSON is STIX, comma-separated lines CSV, else text. */
export function detectFeedFormat(text: string): FeedFormat {
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) return 'stix';
  const lines = t.split(/\r?\n/).filter((l) => l.trim() !== '' && !/^\s*(#|;|\/\/)/.test(l)).slice(0, 20);
  return lines.length > 0 && lines.filter((l) => l.includes(',')).length * 2 > lines.length ? 'csv' : 'text';
}

function readFeed(file: string): Buffer {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    throw new NightjarError('NJ_INPUT_UNREADABLE', `cannot read the feed ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  if (!st.isFile()) throw new NightjarError('NJ_INPUT_UNREADABLE', `${file} is not a file`);
  if (st.size > MAX_FEED_BYTES) throw new NightjarError('NJ_INPUT_UNREADABLE', `${file} is larger than 256 MiB; split the feed`);
  return fs.readFileSync(file);
}

const JSON_SHAPE = JSON.stringify({
  indicator: 'VARCHAR', kind: 'VARCHAR', value: 'VARCHAR', subdomains: 'BOOLEAN', lo: 'VARCHAR', hi: 'VARCHAR', type: 'VARCHAR',
  source: 'VARCHAR', confidence: 'DOUBLE', description: 'VARCHAR', validFrom: 'VARCHAR', validUntil: 'VARCHAR', ref: 'VARCHAR',
});

/**
 * Inserts a slice of indicators as one JSON parameter unnested in SQL: multi-row VALUES with a
 * parameter per cell took 100 s for 100 k indicators, this takes about a second.
 */
function insertSql(feed: string, rows: readonly FeedIndicator[]): SqlFragment {
  const json = JSON.stringify(rows.map((i) => ({ ...i, validFrom: i.validFrom?.replace(/Z$/, '') ?? null, validUntil: i.validUntil?.replace(/Z$/, '') ?? null })));
  // Parsers give UTC ISO times ending in Z; stored timestamps are UTC without a zone.
  return sql`INSERT INTO intel (feed, indicator, kind, value, subdomains, lo, hi, type, source, confidence, description, valid_from, valid_until, ref)
SELECT ${feed}, r.indicator, r.kind, r.value, r.subdomains, r.lo, r.hi, r.type, r.source, r.confidence, r.description,
  CAST(r.validFrom AS TIMESTAMP), CAST(r.validUntil AS TIMESTAMP), r.ref
FROM (SELECT unnest(from_json(${json}, ${`[${JSON_SHAPE}]`})) AS r)`;
}

/** Parses a feed file and replaces the stored feed of that name with it. */
export async function loadFeed(store: Store, options: z.input<typeof LoadFeedOptions>): Promise<FeedLoad> {
  const parsedOpts = LoadFeedOptions.safeParse(options);
  if (!parsedOpts.success) throw new NightjarError('NJ_USAGE', `intel load: ${parsedOpts.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  const o = parsedOpts.data;
  const bytes = readFeed(o.file);
  const text = bytes.toString('utf8');
  const format = o.format ?? detectFeedFormat(text);
  const name = o.name ?? (path.basename(o.file).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '') || 'feed');
  let parsed: ParsedFeed;
  try {
    parsed = format === 'stix' ? parseStixFeed(text) : format === 'csv' ? parseCsvFeed(text, { column: o.column, subdomains: o.subdomains }) : parseTextFeed(text, o.subdomains);
  } catch (err) {
    if (err instanceof NightjarError) throw new NightjarError(err.code, `${o.file}: ${err.message}`, { cause: err });
    throw err;
  }
  if (parsed.indicators.length === 0 && skippedTotal(parsed) > 0) {
    const reasons = Object.entries(parsed.skipped).map(([r, c]) => `${c.count} ${r} (${c.examples.join(', ')})`).join('; ');
    throw new NightjarError('NJ_NOTHING_INGESTED', `${o.file}: no indicator could be read as ${format}: ${reasons}; the feed was left as it was`);
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  const summary = JSON.stringify({ duplicates: parsed.duplicates, skipped: parsed.skipped, counts: parsed.counts });
  const replaced = await store.transaction(async (tx) => {
    const old = await tx.all(sql`SELECT count(*) AS n FROM intel WHERE feed = ${name}`);
    await tx.run(sql`DELETE FROM intel WHERE feed = ${name}`);
    await tx.run(sql`DELETE FROM intel_feeds WHERE feed = ${name}`);
    for (let k = 0; k < parsed.indicators.length; k += ROWS_PER_INSERT) {
      await tx.run(insertSql(name, parsed.indicators.slice(k, k + ROWS_PER_INSERT)));
    }
    await tx.run(sql`INSERT INTO intel_feeds VALUES (${name}, ${path.resolve(o.file)}, ${format}, ${sha}, current_timestamp::TIMESTAMP, ${parsed.indicators.length}, ${skippedTotal(parsed)}, ${summary})`);
    return Number(old[0].n);
  });
  const byKind: Record<string, number> = {};
  for (const i of parsed.indicators) byKind[i.kind] = (byKind[i.kind] ?? 0) + 1;
  return { feed: name, format, indicators: parsed.indicators.length, byKind, duplicates: parsed.duplicates, skipped: parsed.skipped, counts: parsed.counts, replaced };
}

/** One loaded feed, as `nightjar intel list` shows it. */
export type FeedInfo = {
  feed: string;
  format: string;
  indicators: number;
  ips: number;
  cidrs: number;
  domains: number;
  skipped: number;
  loaded_at: string;
  path: string;
  sha256: string;
};

/** Every loaded feed with its indicator counts by kind. */
export async function listFeeds(store: Store): Promise<FeedInfo[]> {
  const rows = await store.all(sql`SELECT f.feed, f.format, f.indicators, f.skipped, f.loaded_at, f.path, f.sha256,
  count(*) FILTER (WHERE i.kind = 'ip') AS ips, count(*) FILTER (WHERE i.kind = 'cidr') AS cidrs,
  count(*) FILTER (WHERE i.kind IN ('domain', 'wildcard')) AS domains
FROM intel_feeds AS f LEFT JOIN intel AS i ON i.feed = f.feed
GROUP BY ALL ORDER BY f.feed`);
  return rows.map((r) => ({
    feed: String(r.feed), format: String(r.format), indicators: Number(r.indicators), ips: Number(r.ips), cidrs: Number(r.cidrs),
    domains: Number(r.domains), skipped: Number(r.skipped), loaded_at: String(r.loaded_at), path: String(r.path), sha256: String(r.sha256),
  }));
}

/** Removes a feed and its indicators (its findings stay: they record what was seen); false when unknown. */
export async function removeFeed(store: Store, feed: string): Promise<boolean> {
  return store.transaction(async (tx) => {
    const known = await tx.all(sql`SELECT count(*) AS n FROM intel_feeds WHERE feed = ${feed}`);
    await tx.run(sql`DELETE FROM intel WHERE feed = ${feed}`);
    await tx.run(sql`DELETE FROM intel_feeds WHERE feed = ${feed}`);
    return Number(known[0].n) > 0;
  });
}
