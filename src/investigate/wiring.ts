/**
 * The investigation's real dependencies for a store: the configured site model, the geo/ASN lookups
 * the enrichment keeps in ip_info, and destination names from passive DNS. Commands (investigate,
 * demo) and the API build their context here, so they all investigate the same way.
 */
import { nameServers, type PassiveDnsOptions } from '../enrich/passive-dns.js';
import type { SiteModel } from '../enrich/site-model.js';
import type { Store } from '../store/store.js';
import type { InvestigationContext } from './context.js';
import { ipInfoGeo } from './ip-info-geo.js';

/** The context of an investigation over `store` for a site. */
export function investigationContext(store: Store, site: SiteModel, passiveDns?: PassiveDnsOptions, now = Date.now()): InvestigationContext {
  return { store, site, geo: ipInfoGeo(store), destinationName: (requests) => nameServers(store, requests, passiveDns), now };
}
