/**
 * Site-model fields for the query catalog: zones, direction, subnets, internal flags and asset
 * attributes of either end, as SQL computed from the config at query time (so a corrected config also
 * corrects old records). ECS has no zone, subnet or asset field on source/destination, so their aliases
 * follow ECS's shape (`source.zone`, `source.asset.name`); `source.domain` / `destination.domain` are
 * left to passive DNS names, which is what ECS means by them.
 */
import type { EventTableName } from '../model/fields.js';
import type { QueryField } from '../query/catalog.js';
import type { Dialect } from '../store/dialect.js';
import { join, raw, sql, type SqlFragment } from '../store/sql.js';
import { textParam, type Site } from './site.js';
import type { Asset } from './site-model.js';

/** Extra fields for a table's catalog, and the LEFT JOIN clauses (by name) they need. */
export interface CatalogExtension {
  readonly fields: readonly QueryField[];
  readonly joins: ReadonlyMap<string, SqlFragment>;
}

type Side = 'orig' | 'resp';

const SIDE = {
  orig: { column: raw('t.orig_h'), ecs: 'source', short: 'src', word: 'originator' },
  resp: { column: raw('t.resp_h'), ecs: 'destination', short: 'dst', word: 'responder' },
} as const;

const ASSET_ATTRS: readonly { key: 'hostname' | 'owner' | 'role' | 'criticality'; suffix: string; ecs: string; meaning: string }[] = [
  { key: 'hostname', suffix: 'asset', ecs: 'asset.name', meaning: 'hostname in the asset inventory' },
  { key: 'owner', suffix: 'asset_owner', ecs: 'asset.owner', meaning: 'owner in the asset inventory' },
  { key: 'role', suffix: 'asset_role', ecs: 'asset.role', meaning: 'role in the asset inventory' },
  { key: 'criticality', suffix: 'asset_criticality', ecs: 'asset.criticality', meaning: 'criticality in the asset inventory (low, medium, high, critical)' },
];

/** The join holding exact-address assets for one side (a hash join, however large the inventory). */
function assetJoin(side: Side, assets: ReadonlyMap<string, Asset>): SqlFragment {
  const rows = [...assets.values()].map(
    (a) => sql`(${textParam(a.address)}, ${textParam(a.hostname)}, ${textParam(a.owner)}, ${textParam(a.role)}, ${textParam(a.criticality)})`,
  );
  const alias = raw(`site_asset_${side}`);
  return sql`LEFT JOIN (VALUES ${join(rows)}) AS ${alias}(address, hostname, owner, role, criticality) ON ${alias}.address = ${SIDE[side].column}`;
}

/** The site fields of an event table (every event table carries orig_h and resp_h). */
export function siteFields(table: EventTableName, site: Site, dialect: Dialect): CatalogExtension {
  void table;
  void dialect; // the site renders SQL for the dialect it was built with
  const fields: QueryField[] = [];
  const joins = new Map<string, SqlFragment>();
  for (const side of ['orig', 'resp'] as const) {
    const s = SIDE[side];
    fields.push(
      { name: `${side}_zone`, aliases: [`${s.ecs}.zone`, `${s.short}_zone`], type: 'string', meaning: `Zone of the ${s.word} address (site config; NULL outside every zone)`, expr: site.zoneSql(s.column) },
      { name: `${side}_internal`, aliases: [`${s.ecs}.internal`, `${s.short}_internal`], type: 'bool', meaning: `The ${s.word} address is in an internal zone`, expr: site.internalSql(s.column) },
      { name: `${side}_subnet`, aliases: [`${s.ecs}.subnet`, `${s.short}_subnet`], type: 'string', meaning: `Most specific named subnet holding the ${s.word} address`, expr: site.subnetSql(s.column) },
    );
    const joinName = `site_asset_${side}`;
    const exact = site.exactAssets.size > 0;
    if (exact) joins.set(joinName, assetJoin(side, site.exactAssets));
    for (const attr of ASSET_ATTRS) {
      const network = site.networkAssetSql(s.column, (a) => a[attr.key]);
      const expr = exact ? sql`(CASE WHEN ${raw(joinName)}.address IS NOT NULL THEN ${raw(joinName)}.${raw(attr.key)} ELSE ${network} END)` : network;
      fields.push({
        name: `${side}_${attr.suffix}`,
        aliases: [`${s.ecs}.${attr.ecs}`],
        type: 'string',
        meaning: `The ${s.word}'s ${attr.meaning} (the exact address, else the most specific network entry)`,
        expr,
        ...(exact ? { needs: [joinName] } : {}),
      });
    }
  }
  fields.push({
    name: 'direction',
    aliases: ['network.direction'],
    type: 'string',
    meaning: 'Direction relative to the site: inbound, outbound, internal or external (from the zones\' internal flags)',
    expr: site.directionSql(SIDE.orig.column, SIDE.resp.column),
  });
  return { fields, joins };
}
