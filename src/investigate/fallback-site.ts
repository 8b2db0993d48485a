/**
 * A site model built from zones of CIDRs, used by `nightjar investigate` until the configured site
 * model (`nightjar.yaml`, issue 6) is wired in, and by tests. Without configuration it is the default
 * site: RFC 1918, RFC 4193 (unique local), loopback and link-local addresses are internal, nothing
 * else; no assets, no sanctioned resolvers.
 */
import type { Asset, Direction, SiteModel, Subnet, Zone } from '../enrich/site-model.js';
import { addressInCidr, cidrSql, parseCidr, type Cidr } from '../query/cidr-sql.js';
import { duckdbDialect } from '../store/duckdb/dialect.js';
import { join, raw, sql, type SqlFragment } from '../store/sql.js';

/** Zones, assets, subnets and resolvers of a CIDR-based site. */
export interface SiteSpec {
  zones: { name: string; networks: string[]; internal?: boolean }[];
  assets?: { address: string; hostname: string; role?: string; criticality?: Asset['criticality'] }[];
  resolvers?: string[];
  subnets?: { name: string; cidr: string; zone: string | null }[];
}

/** The default site: private, unique-local, loopback and link-local networks are internal. */
export function defaultSiteModel(): SiteModel {
  return cidrSiteModel({
    zones: [
      { name: 'private', networks: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'] },
      { name: 'loopback', networks: ['127.0.0.0/8', '::1/128'] },
      { name: 'link-local', networks: ['169.254.0.0/16', 'fe80::/10'] },
    ],
  });
}

/** A site model over zones of CIDRs, with assets and sanctioned resolvers. */
export function cidrSiteModel(spec: SiteSpec): SiteModel {
  const zones: Zone[] = spec.zones.map((z) => ({ name: z.name, networks: z.networks.map((n) => parseCidr(n).text), internal: z.internal ?? true }));
  const nets: { zone: Zone; cidr: Cidr }[] = zones.flatMap((z) => z.networks.map((n) => ({ zone: z, cidr: parseCidr(n) })));
  nets.sort((a, b) => b.cidr.bits - a.cidr.bits);
  const assets: Asset[] = (spec.assets ?? []).map((a) => ({
    address: a.address,
    hostname: a.hostname,
    owner: null,
    role: a.role ?? null,
    criticality: a.criticality ?? null,
    tags: [],
  }));
  const subnets: Subnet[] = spec.subnets ?? [];
  const zoneOf = (a: string): Zone | null => nets.find((n) => addressInCidr(a, n.cidr))?.zone ?? null;
  const isInternal = (a: string): boolean => zoneOf(a)?.internal ?? false;
  const internalSql = (addr: SqlFragment): SqlFragment => {
    const parts = nets.filter((n) => n.zone.internal).map((n) => cidrSql(addr, n.cidr, duckdbDialect));
    return parts.length ? sql`(${join(parts, ' OR ')})` : raw('FALSE');
  };
  return {
    zones,
    subnets,
    assets,
    sanctionedResolvers: spec.resolvers ?? [],
    sensors: new Map(),
    zoneOf: (a) => zoneOf(a)?.name ?? null,
    isInternal,
    subnetOf: (a) => subnets.find((s) => addressInCidr(a, parseCidr(s.cidr))) ?? null,
    assetOf: (a) => assets.find((x) => addressInCidr(a, parseCidr(x.address))) ?? null,
    assetsByHostname: (h) => assets.filter((x) => x.hostname?.toLowerCase() === h.toLowerCase()),
    directionOf(o, r): Direction {
      const io = isInternal(o);
      const ir = isInternal(r);
      return io && ir ? 'internal' : io ? 'outbound' : ir ? 'inbound' : 'external';
    },
    zoneSql(addr) {
      if (nets.length === 0) return raw('NULL');
      return sql`(CASE ${join(nets.map((n) => sql`WHEN ${cidrSql(addr, n.cidr, duckdbDialect)} THEN ${n.zone.name}`), ' ')} END)`;
    },
    internalSql,
    directionSql(o, r) {
      return sql`(CASE WHEN ${internalSql(o)} AND ${internalSql(r)} THEN 'internal' WHEN ${internalSql(o)} THEN 'outbound'
        WHEN ${internalSql(r)} THEN 'inbound' ELSE 'external' END)`;
    },
  };
}

