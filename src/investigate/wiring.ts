/**
 * The investigation's real dependencies for a store: the configured site model and the geo/ASN
 * lookups the enrichment keeps in ip_info. Commands (investigate, demo) and the API build their
 * context here, so they all investigate the same way.
 */
import type { SiteModel } from '../enrich/site-model.js';
import type { Store } from '../store/store.js';
import type { InvestigationContext } from './context.js';
import { ipInfoGeo } from './ip-info-geo.js';

/** The context of an investigation over `store` for a site. */
export async function investigationContext(store: Store, site: SiteModel, now = Date.now()): Promise<InvestigationContext> {
  return { store, site, geo: ipInfoGeo(store), now };
}
