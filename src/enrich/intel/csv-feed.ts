/**
 * CSV feeds: RFC 4180 fields (quotes, doubled quotes, CRLF). The header may be the first row or the
 * last `#` comment line before the data (abuse.ch style, `# "first_seen_utc","ioc_value",...`). The
 * indicator column is given (name or 1-based number) or found: a known header name, else the first
 * column where most rows parse as indicators. Optional columns: type, source, confidence, description,
 * subdomains, valid_from, valid_until (several common spellings each).
 */
import { NightjarError } from '../../model/errors.js';
import { csvRows } from '../csv-rows.js';
import { addIndicator, emptyFeed, skip, type ParsedFeed } from './feed.js';
import { parseIndicator } from './indicator.js';

const NAMES = {
  indicator: ['indicator', 'ioc', 'ioc_value', 'value', 'observable', 'ip', 'ip_address', 'address', 'domain', 'hostname', 'host', 'url', 'dst_ip', 'cidr', 'network'],
  type: ['type', 'ioc_type', 'indicator_type', 'kind'],
  source: ['source', 'provider', 'reporter', 'feed', 'feed_name'],
  confidence: ['confidence', 'confidence_level', 'score'],
  description: ['description', 'desc', 'comment', 'comments', 'note', 'notes', 'malware', 'malware_printable', 'threat', 'threat_type', 'tags'],
  subdomains: ['subdomains', 'include_subdomains', 'match_subdomains'],
  validFrom: ['valid_from', 'first_seen', 'first_seen_utc', 'first_seen_at'],
  validUntil: ['valid_until', 'expires', 'expiration', 'expiry', 'last_valid'],
} as const;

type Role = keyof typeof NAMES;

function norm(h: string): string {
  return h.trim().toLowerCase().replace(/[\s.-]+/g, '_');
}

function findColumn(header: string[], role: Role): number {
  const h = header.map(norm);
  for (const name of NAMES[role]) {
    const i = h.indexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}

function truthy(v: string | undefined): boolean {
  return /^(1|true|yes|y|t)$/i.test((v ?? '').trim());
}

function isoOrNull(v: string | undefined): string | null {
  const t = (v ?? '').trim();
  if (t === '') return null;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t.replace(' ', 'T') : t.replace(' ', 'T') + 'Z');
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Options for reading a CSV feed. */
export interface CsvFeedOptions {
  /** Indicator column: a header name or a 1-based number. */
  readonly column?: string;
  /** Exact domains also cover their subdomains (unless a subdomains column says otherwise). */
  readonly subdomains?: boolean;
}

/** Parses a CSV feed. */
export function parseCsvFeed(text: string, opts: CsvFeedOptions = {}): ParsedFeed {
  const feed = emptyFeed('csv');
  const seen = new Set<string>();
  const all = csvRows(text);
  // Comment lines may carry the header (the last one before the data does, by convention).
  let header: string[] | null = null;
  const data: { line: number; cells: string[] }[] = [];
  for (const r of all) {
    if (r.cells[0].trimStart().startsWith('#')) {
      if (data.length === 0 && r.cells.length > 1) header = [r.cells[0].trimStart().slice(1).trim().replace(/^"|"$/g, ''), ...r.cells.slice(1)];
      continue;
    }
    data.push(r);
  }
  // Otherwise a first row naming a known indicator column, or holding no indicator at all, is the header.
  if (header === null && data.length > 0) {
    const first = data[0].cells;
    if (findColumn(first, 'indicator') >= 0 || first.every((c) => parseIndicator(c) === null)) header = data.shift()!.cells;
  }
  const h = header ?? [];
  let col = -1;
  if (opts.column !== undefined) {
    const n = Number(opts.column);
    col = Number.isInteger(n) && n >= 1 ? n - 1 : h.map(norm).indexOf(norm(opts.column));
    if (col < 0) throw new NightjarError('NJ_USAGE', `--column ${opts.column}: no such column; the header has ${h.join(', ') || 'no names'}`);
  } else col = findColumn(h, 'indicator');
  if (col < 0) {
    const sample = data.slice(0, 200);
    const width = Math.max(0, ...sample.map((r) => r.cells.length));
    for (let c = 0; c < width && col < 0; c++) {
      const hits = sample.filter((r) => parseIndicator(r.cells[c] ?? '') !== null).length;
      if (hits * 2 > sample.length) col = c;
    }
  }
  if (col < 0) {
    if (data.length === 0) return feed;
    throw new NightjarError('NJ_USAGE', 'no column of this CSV holds indicators; name it with --column NAME or --column NUMBER');
  }
  const at = (role: Role): number => findColumn(h, role);
  const cols = { type: at('type'), source: at('source'), confidence: at('confidence'), description: at('description'), subdomains: at('subdomains'), validFrom: at('validFrom'), validUntil: at('validUntil') };
  const cell = (r: string[], i: number): string | null => (i >= 0 && r[i] !== undefined && r[i].trim() !== '' ? r[i].trim() : null);
  for (const r of data) {
    const type = cell(r.cells, cols.type);
    const sub = cols.subdomains >= 0 ? truthy(r.cells[cols.subdomains]) : (opts.subdomains ?? false) || /suffix|subdomain/i.test(type ?? '');
    const ind = parseIndicator(r.cells[col] ?? '', sub);
    if (ind === null) {
      skip(feed, (r.cells[col] ?? '').trim() === '' ? 'empty-indicator' : 'not-an-indicator', `line ${r.line}`);
      continue;
    }
    const conf = cell(r.cells, cols.confidence);
    addIndicator(feed, seen, Object.assign(ind, {
      type,
      source: cell(r.cells, cols.source),
      confidence: conf !== null && Number.isFinite(Number(conf)) ? Number(conf) : null,
      description: cell(r.cells, cols.description),
      validFrom: isoOrNull(r.cells[cols.validFrom]),
      validUntil: isoOrNull(r.cells[cols.validUntil]),
      ref: null,
    }));
  }
  return feed;
}
