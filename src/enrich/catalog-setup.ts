/**
 * Puts the enrichment fields into every command's catalogs: zones, direction, subnets and assets from
 * the site model; country and ASN from ip_info; and, on connections, the destination name from passive
 * DNS; intel matches on connections, DNS and firewall rows. Installed once per process, from the site config the command was given; installing again (a
 * corrected config, a test) replaces what was installed before.
 */
import { EVENT_TABLES } from '../model/fields.js';
import { extendCatalog, registerCatalogExtension } from '../query/base-catalog.js';
import type { Dialect } from '../store/dialect.js';
import { geoFields } from './geo-fields.js';
import { intelFields } from './intel/intel-fields.js';
import { passiveDnsFields } from './passive-dns.js';
import type { Site } from './site.js';
import type { SiteConfig } from './site-config.js';
import { siteFields, type CatalogExtension } from './site-fields.js';

function adds(ext: CatalogExtension) {
  return (c: Parameters<typeof extendCatalog>[0]) => extendCatalog(c, ext.fields, ext.joins);
}

/** Registers the site, geo and passive DNS fields for the site's config, replacing earlier ones. */
export function installEnrichmentFields(site: Site, config: SiteConfig, dialect: Dialect): void {
  for (const t of EVENT_TABLES) {
    registerCatalogExtension(t.name, 'site', adds(siteFields(t.name, site, dialect)));
    registerCatalogExtension(t.name, 'geo', adds(geoFields(t.name)));
  }
  const pdns = passiveDnsFields(dialect, { validity: 'ttl', windowSeconds: config.enrichment.passive_dns_window_seconds });
  registerCatalogExtension('connections', 'passive-dns', adds(pdns));
  for (const t of ['connections', 'dns', 'firewall'] as const) registerCatalogExtension(t, 'intel', adds(intelFields(dialect, t)));
}
