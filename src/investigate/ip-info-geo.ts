/**
 * Geo/ASN lookups from the `ip_info(address, country, asn, as_org)` table that the enrichment's ingest
 * hook keeps complete (migration 3 creates it in every store). One query per thousand addresses.
 */
import { join, sql } from '../store/sql.js';
import type { Store } from '../store/store.js';
import type { GeoInfo, GeoLookup } from './context.js';
import { num, str } from './host-sql.js';

const CHUNK = 1000;

/** A lookup over `ip_info`. */
export function ipInfoGeo(store: Store): GeoLookup {
  return async (addresses) => {
    const out = new Map<string, GeoInfo>();
    const unique = [...new Set(addresses)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const part = unique.slice(i, i + CHUNK);
      const rows = await store.all(
        sql`SELECT address, country, asn, as_org FROM ip_info WHERE address IN (${join(part.map((a) => sql`${a}`))})`,
      );
      for (const r of rows) {
        out.set(String(r.address), { country: str(r.country), asn: r.asn === null ? null : num(r.asn), asOrg: str(r.as_org) });
      }
    }
    return out;
  };
}
