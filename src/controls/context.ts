/**
 * What every control validation needs, passed in explicitly: the store, the site model, and the
 * optional enrichments (geo/ASN, passive DNS names). The validations never reach for a global or a
 * config file themselves, so the CLI, the HTTP API and the tests wire them the same way, and the
 * real enrichment modules plug in without touching the validation code.
 */
import type { SiteModel } from '../enrich/site-model.js';
import type { TimeRange } from '../query/time-range.js';
import type { SqlFragment } from '../store/sql.js';
import type { Store } from '../store/store.js';

/**
 * Country and autonomous system of addresses, as a SQL relation with one row per address and the
 * columns `address`, `country` (ISO 3166-1 alpha-2) and `asn` (integer): the `ip_info` table the
 * geo/ASN ingest hook keeps, or any relation with those columns.
 */
export interface GeoSource {
  relationSql(): SqlFragment;
}

/**
 * The DNS answers a connection's destination name comes from: a relation with the columns
 * `client` (who asked), `address` (an A/AAAA answer), `name` (the lower-case query), `ts` (when it
 * was answered) and `expires` (until when the answer may be used: ts + TTL, or a window).
 */
export interface DnsAnswerSource {
  /** SQL relation of answers that can name connections inside `range`. */
  answersSql(range: TimeRange): SqlFragment;
}

/** Everything a validation reads from. */
export interface ValidationContext {
  readonly store: Store;
  readonly site: SiteModel;
  /** Country/ASN of external addresses; without it, ASN and country rules match nothing (and the report says so). */
  readonly geo?: GeoSource;
  /** Destination names from DNS answers; without it, `dnsAnswersFromStore` derives them from the dns table. */
  readonly dnsAnswers?: DnsAnswerSource;
}

/** Common options of every validation. */
export interface ValidationOptions {
  readonly range: TimeRange;
  /** Most detail rows per report section (counts are always complete). */
  readonly limit: number;
}

/** Outcome of a validation: pass, or fail with the reasons. */
export interface Verdict {
  readonly status: 'pass' | 'fail';
  /** One sentence per reason the status is what it is. */
  readonly reasons: readonly string[];
}
