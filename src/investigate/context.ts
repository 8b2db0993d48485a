/**
 * What an investigation depends on, passed in explicitly: the store, the site model, and optional
 * enrichment (geo/ASN lookups, passive-DNS destination names). Each is a small interface so the real
 * implementations (from `src/enrich/`) and test doubles plug in the same way; absent enrichment
 * degrades to what the event tables alone can say.
 */
import type { SiteModel } from '../enrich/site-model.js';
import type { Store } from '../store/store.js';

/** Country and autonomous system of an address. */
export interface GeoInfo {
  readonly country: string | null;
  readonly asn: number | null;
  readonly asOrg: string | null;
}

/** Looks up many addresses at once (one query, not one per address); missing addresses are absent. */
export type GeoLookup = (addresses: readonly string[]) => Promise<ReadonlyMap<string, GeoInfo>>;

/** One client-to-server pair whose server should be named, with the time of its first connection. */
export interface NamingRequest {
  readonly client: string;
  readonly server: string;
  /** Microseconds since the epoch. */
  readonly at: number;
}

/**
 * Names destinations as their clients resolved them (passive DNS): the key of the returned map is the
 * server address, the value the name. Absent servers have no known name.
 */
export type DestinationNamer = (requests: readonly NamingRequest[]) => Promise<ReadonlyMap<string, string>>;

/** Everything an investigation reads from. */
export interface InvestigationContext {
  readonly store: Store;
  readonly site: SiteModel;
  /** Geo/ASN enrichment; without it countries and ASNs are reported as unknown. */
  readonly geo?: GeoLookup;
  /** Passive-DNS naming; without it the names come from the host's own DNS answers (`hostDnsNamer`). */
  readonly destinationName?: DestinationNamer;
  /** The current time in milliseconds (injected so reports are reproducible in tests). */
  readonly now: number;
}

/** A time range in microseconds since the epoch, `since` inclusive, `until` exclusive. */
export interface MicroRange {
  readonly since: number;
  readonly until: number;
}
