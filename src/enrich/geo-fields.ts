/**
 * Country and autonomous-system fields for the query catalog, joined from `ip_info` by address, with
 * their ECS names (`destination.geo.country_iso_code`, `destination.as.number`,
 * `destination.as.organization.name`, and the `source.*` twins).
 */
import type { EventTableName } from '../model/fields.js';
import type { QueryField } from '../query/catalog.js';
import { raw, sql, type SqlFragment } from '../store/sql.js';
import type { CatalogExtension } from './site-fields.js';

/** Name of the join each side's fields need (also the join's alias). */
export const GEO_JOINS = { orig: 'ip_info_orig', resp: 'ip_info_resp' } as const;

/** The geo fields of an event table (every event table carries orig_h and resp_h). */
export function geoFields(table: EventTableName): CatalogExtension {
  void table;
  const fields: QueryField[] = [];
  const joins = new Map<string, SqlFragment>();
  for (const side of ['orig', 'resp'] as const) {
    const alias = GEO_JOINS[side];
    const ecs = side === 'orig' ? 'source' : 'destination';
    const word = side === 'orig' ? 'originator' : 'responder';
    joins.set(alias, sql`LEFT JOIN ip_info AS ${raw(alias)} ON ${raw(alias)}.address = ${raw(`t.${side}_h`)}`);
    const needs = [alias];
    fields.push(
      { name: `${side}_country`, aliases: [`${ecs}.geo.country_iso_code`], type: 'string', meaning: `Country (ISO 3166-1 alpha-2) of the ${word} address`, expr: raw(`${alias}.country`), needs },
      { name: `${side}_asn`, aliases: [`${ecs}.as.number`], type: 'number', meaning: `Autonomous system number of the ${word} address`, expr: raw(`${alias}.asn`), needs },
      { name: `${side}_as_org`, aliases: [`${ecs}.as.organization.name`], type: 'string', meaning: `Organisation of the ${word} address's autonomous system`, expr: raw(`${alias}.as_org`), needs },
    );
  }
  return { fields, joins };
}
