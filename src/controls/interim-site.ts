/**
 * INTERIM, to be replaced when the site model lands (issue 6): a `SiteModel` over plain CIDR lists,
 * read from the `zones`, `subnets`, `resolvers` and `sensors` keys of a small YAML file, so the
 * validate commands run before `nightjar.yaml` loading exists. The validations depend only on the
 * `SiteModel` interface; when merging, `src/cli/validate.ts` calls the real loader instead of
 * `loadInterimSite` and this file goes away.
 */
import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Asset, Direction, SiteModel, Subnet, Zone } from '../enrich/site-model.js';
import { NightjarError } from '../model/errors.js';
import { addressInCidr, cidrSql, parseCidr, type Cidr } from '../query/cidr-sql.js';
import type { Dialect } from '../store/dialect.js';
import { join, raw, sql, type SqlFragment } from '../store/sql.js';

/** The plain description a CIDR site model is built from. */
export interface CidrSiteDef {
  readonly zones: Readonly<Record<string, { readonly networks: readonly string[]; readonly internal?: boolean }>>;
  readonly subnets?: readonly { readonly name: string; readonly cidr: string; readonly zone?: string }[];
  readonly resolvers?: readonly string[];
  readonly sensors?: Readonly<Record<string, string>>;
}

const defSchema = z.object({
  zones: z.record(z.string().min(1), z.strictObject({ networks: z.array(z.string()).min(1), internal: z.boolean().optional() })),
  subnets: z.array(z.strictObject({ name: z.string().min(1), cidr: z.string(), zone: z.string().optional() })).optional(),
  resolvers: z.array(z.string()).optional(),
  sensors: z.record(z.string(), z.string()).optional(),
});

interface Net {
  readonly cidr: Cidr;
  readonly zone: string;
  readonly internal: boolean;
}

/** A site model over CIDR lists: most specific network wins, in TypeScript and in SQL alike. */
export class CidrSiteModel implements SiteModel {
  readonly zones: readonly Zone[];
  readonly subnets: readonly Subnet[];
  readonly assets: readonly Asset[] = [];
  readonly sanctionedResolvers: readonly string[];
  readonly sensors: ReadonlyMap<string, string>;
  private readonly nets: readonly Net[];
  private readonly subnetCidrs: readonly { subnet: Subnet; cidr: Cidr }[];

  constructor(
    def: CidrSiteDef,
    private readonly dialect: Dialect,
  ) {
    const nets: Net[] = [];
    this.zones = Object.entries(def.zones).map(([name, z]) => {
      const cidrs = z.networks.map((n) => parseCidr(n));
      for (const c of cidrs) nets.push({ cidr: c, zone: name, internal: z.internal ?? true });
      return { name, networks: cidrs.map((c) => c.text), internal: z.internal ?? true };
    });
    this.nets = nets.sort((a, b) => b.cidr.bits - a.cidr.bits);
    this.subnetCidrs = (def.subnets ?? [])
      .map((s) => ({ subnet: { name: s.name, cidr: parseCidr(s.cidr).text, zone: s.zone ?? null }, cidr: parseCidr(s.cidr) }))
      .sort((a, b) => b.cidr.bits - a.cidr.bits);
    this.subnets = this.subnetCidrs.map((s) => s.subnet);
    this.sanctionedResolvers = [...(def.resolvers ?? [])];
    this.sensors = new Map(Object.entries(def.sensors ?? {}));
  }

  private netOf(address: string): Net | null {
    return this.nets.find((n) => addressInCidr(address, n.cidr)) ?? null;
  }

  zoneOf(address: string): string | null {
    return this.netOf(address)?.zone ?? null;
  }

  isInternal(address: string): boolean {
    return this.netOf(address)?.internal ?? false;
  }

  subnetOf(address: string): Subnet | null {
    return this.subnetCidrs.find((s) => addressInCidr(address, s.cidr))?.subnet ?? null;
  }

  assetOf(): Asset | null {
    return null;
  }

  assetsByHostname(): readonly Asset[] {
    return [];
  }

  directionOf(orig: string, resp: string): Direction {
    const o = this.isInternal(orig);
    const r = this.isInternal(resp);
    return o && r ? 'internal' : o ? 'outbound' : r ? 'inbound' : 'external';
  }

  zoneSql(address: SqlFragment): SqlFragment {
    if (this.nets.length === 0) return raw('CAST(NULL AS VARCHAR)');
    return sql`(CASE ${join(this.nets.map((n) => sql`WHEN ${cidrSql(address, n.cidr, this.dialect)} THEN ${n.zone}`), ' ')} END)`;
  }

  internalSql(address: SqlFragment): SqlFragment {
    const inside = this.nets.filter((n) => n.internal);
    if (inside.length === 0) return raw('FALSE');
    // Most specific wins: an external network carved out of an internal one must say FALSE first.
    return sql`coalesce((CASE ${join(this.nets.map((n) => sql`WHEN ${cidrSql(address, n.cidr, this.dialect)} THEN ${n.internal}`), ' ')} END), FALSE)`;
  }

  directionSql(orig: SqlFragment, resp: SqlFragment): SqlFragment {
    const o = this.internalSql(orig);
    const r = this.internalSql(resp);
    return sql`(CASE WHEN ${o} AND ${r} THEN 'internal' WHEN ${o} THEN 'outbound' WHEN ${r} THEN 'inbound' ELSE 'external' END)`;
  }
}

/** Builds a CIDR site model, reporting a bad network as a usage error naming `source`. */
export function cidrSiteModel(def: CidrSiteDef, dialect: Dialect, source = 'site'): CidrSiteModel {
  try {
    return new CidrSiteModel(def, dialect);
  } catch (err) {
    throw new NightjarError('NJ_USAGE', `${source}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads the interim site file (other top-level keys of a fuller nightjar.yaml are ignored). */
export function loadInterimSite(file: string, dialect: Dialect): CidrSiteModel {
  let data: unknown;
  try {
    data = parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new NightjarError('NJ_USAGE', `cannot read the site file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const r = defSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new NightjarError('NJ_USAGE', `${file}: ${i.path.join('.')}: ${i.message}`);
  }
  return cidrSiteModel(r.data, dialect, file);
}
