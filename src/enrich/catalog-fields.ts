/** Every enrichment field for a table's catalog (site model and geo), merged into one extension. */
import type { EventTableName } from '../model/fields.js';
import type { Dialect } from '../store/dialect.js';
import { geoFields } from './geo-fields.js';
import type { Site } from './site.js';
import { siteFields, type CatalogExtension } from './site-fields.js';

/** The site and geo fields of a table, and the joins they need (for `extendCatalog`). */
export function enrichmentFields(table: EventTableName, site: Site, dialect: Dialect): CatalogExtension {
  const parts = [siteFields(table, site, dialect), geoFields(table)];
  return { fields: parts.flatMap((p) => p.fields), joins: new Map(parts.flatMap((p) => [...p.joins])) };
}
