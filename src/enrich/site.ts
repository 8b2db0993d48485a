/**
 * The site model built from a validated `SiteConfig`: zone, subnet and asset lookups in TypeScript, and
 * the same decisions as SQL CASE expressions (most specific network first), so enrichment is applied
 * at query time and a corrected config also corrects old records. The TypeScript and SQL forms use the
 * same ordering, which the tests check on random addresses.
 */
import { addressInCidr, cidrSql, parseCidr, type Cidr } from '../query/cidr-sql.js';
import type { Dialect } from '../store/dialect.js';
import { raw, sql, type SqlFragment } from '../store/sql.js';
import { normalAddress } from './asset-address.js';
import type { SiteConfig } from './site-config.js';
import type { Asset, Direction, SiteModel, Subnet, Zone } from './site-model.js';

/** One network and what it decides, sorted most specific first. */
interface Entry<T> {
  readonly cidr: Cidr;
  readonly value: T;
}

/** Sorts entries by prefix length, longest first; equal lengths keep config order (stable sort). */
function bySpecificity<T>(entries: Entry<T>[]): Entry<T>[] {
  // IPv4 /24 and IPv6 /120 are equally "specific" in the sense that matters: the families never overlap.
  return entries.sort((a, b) => b.cidr.bits - a.cidr.bits);
}

function firstMatch<T>(entries: readonly Entry<T>[], address: string): T | null {
  for (const e of entries) if (addressInCidr(address, e.cidr)) return e.value;
  return null;
}

/** SQL CASE over entries in order; `then` renders each value; `otherwise` when none matches. */
function caseSql<T>(entries: readonly Entry<T>[], address: SqlFragment, d: Dialect, then: (v: T) => SqlFragment, otherwise: SqlFragment): SqlFragment {
  const family = (v6: boolean): SqlFragment => {
    const mine = entries.filter((e) => e.cidr.v6 === v6);
    if (mine.length === 0) return otherwise;
    let body = raw('');
    for (const e of mine) body = sql`${body} WHEN ${cidrSql(address, e.cidr, d)} THEN ${then(e.value)}`;
    return sql`(CASE${body} ELSE ${otherwise} END)`;
  };
  if (entries.length === 0) return otherwise;
  // IPv4 rows never evaluate IPv6 tests (the costly ones) and the other way round: the families never overlap.
  return sql`(CASE WHEN contains(${address}, ':') THEN ${family(true)} ELSE ${family(false)} END)`;
}

/** A text value as a typed SQL parameter. */
export function textParam(v: string | null): SqlFragment {
  return sql`CAST(${v} AS VARCHAR)`;
}

/** The stored text form of an address typed by a user (records already hold it; SQL sees only those). */
function safeNormal(address: string): string {
  try {
    return normalAddress(address);
  } catch {
    return address;
  }
}

/** The site model over a validated config; SQL is rendered for `dialect`. */
export class Site implements SiteModel {
  readonly zones: readonly Zone[];
  readonly subnets: readonly Subnet[];
  readonly assets: readonly Asset[];
  readonly sanctionedResolvers: readonly string[];
  readonly sensors: ReadonlyMap<string, string>;
  /** Assets with an exact address, last definition winning (the CSV after inline entries). */
  readonly exactAssets: ReadonlyMap<string, Asset>;
  /** Assets given as networks, most specific first. */
  readonly networkAssets: readonly Entry<Asset>[];
  private readonly zoneNets: readonly Entry<Zone>[];
  private readonly subnetNets: readonly Entry<Subnet>[];
  private readonly byHostname: ReadonlyMap<string, readonly Asset[]>;
  /** By the first label of fully qualified hostnames (`ws-bob` for `ws-bob.corp.example`). */
  private readonly byShortName: ReadonlyMap<string, readonly Asset[]>;

  constructor(
    config: SiteConfig,
    private readonly dialect: Dialect,
  ) {
    this.zones = config.zones;
    this.assets = config.assets;
    this.sanctionedResolvers = config.sanctionedResolvers;
    const sensors = new Map<string, string>();
    for (const s of config.sensors) {
      sensors.set(s.id, s.name);
      if (s.address) sensors.set(s.address, s.name);
    }
    this.sensors = sensors;
    this.zoneNets = bySpecificity(config.zones.flatMap((z) => z.networks.map((n) => ({ cidr: parseCidr(n), value: z }))));
    // A subnet without a zone lies in the zone of its network address.
    this.subnets = config.subnets.map((s) => ({ ...s, zone: s.zone ?? firstMatch(this.zoneNets, s.cidr.slice(0, s.cidr.lastIndexOf('/')))?.name ?? null }));
    this.subnetNets = bySpecificity(this.subnets.map((s) => ({ cidr: parseCidr(s.cidr), value: s })));
    const exact = new Map<string, Asset>();
    const nets: Entry<Asset>[] = [];
    for (const a of config.assets) {
      if (a.address.includes('/')) nets.push({ cidr: parseCidr(a.address), value: a });
      else exact.set(a.address, a);
    }
    this.exactAssets = exact;
    this.networkAssets = bySpecificity(nets);
    const names = new Map<string, Asset[]>();
    const short = new Map<string, Asset[]>();
    for (const a of config.assets) {
      if (!a.hostname) continue;
      const k = a.hostname.toLowerCase();
      names.set(k, [...(names.get(k) ?? []), a]);
      const dot = k.indexOf('.');
      if (dot > 0) short.set(k.slice(0, dot), [...(short.get(k.slice(0, dot)) ?? []), a]);
    }
    this.byHostname = names;
    this.byShortName = short;
  }

  zoneOf(address: string): string | null {
    return firstMatch(this.zoneNets, safeNormal(address))?.name ?? null;
  }

  isInternal(address: string): boolean {
    return firstMatch(this.zoneNets, safeNormal(address))?.internal ?? false;
  }

  subnetOf(address: string): Subnet | null {
    return firstMatch(this.subnetNets, safeNormal(address));
  }

  assetOf(address: string): Asset | null {
    const a = safeNormal(address);
    return this.exactAssets.get(a) ?? firstMatch(this.networkAssets, a);
  }

  assetsByHostname(hostname: string): readonly Asset[] {
    // An analyst types the short name; the inventory often holds the fully qualified one.
    const k = hostname.toLowerCase();
    return this.byHostname.get(k) ?? (k.includes('.') ? undefined : this.byShortName.get(k)) ?? [];
  }

  directionOf(orig: string, resp: string): Direction {
    const o = this.isInternal(orig);
    const r = this.isInternal(resp);
    return o && r ? 'internal' : o ? 'outbound' : r ? 'inbound' : 'external';
  }

  zoneSql(address: SqlFragment): SqlFragment {
    return caseSql(this.zoneNets, address, this.dialect, (z) => textParam(z.name), raw('CAST(NULL AS VARCHAR)'));
  }

  internalSql(address: SqlFragment): SqlFragment {
    return caseSql(this.zoneNets, address, this.dialect, (z) => raw(z.internal ? 'TRUE' : 'FALSE'), raw('FALSE'));
  }

  directionSql(orig: SqlFragment, resp: SqlFragment): SqlFragment {
    const o = this.internalSql(orig);
    const r = this.internalSql(resp);
    return sql`(CASE WHEN ${o} AND ${r} THEN 'internal' WHEN ${o} THEN 'outbound' WHEN ${r} THEN 'inbound' ELSE 'external' END)`;
  }

  /** SQL: the name of the most specific subnet holding the address (NULL when none). */
  subnetSql(address: SqlFragment): SqlFragment {
    return caseSql(this.subnetNets, address, this.dialect, (s) => textParam(s.name), raw('CAST(NULL AS VARCHAR)'));
  }

  /** SQL: one attribute of the most specific network asset holding the address (exact assets go through a join). */
  networkAssetSql(address: SqlFragment, pick: (a: Asset) => string | null): SqlFragment {
    return caseSql(this.networkAssets, address, this.dialect, (a) => textParam(pick(a)), raw('CAST(NULL AS VARCHAR)'));
  }
}

/** Builds the site model for a config, rendering SQL for a dialect. */
export function createSite(config: SiteConfig, dialect: Dialect): Site {
  return new Site(config, dialect);
}
