/**
 * The site model as the rest of Nightjar sees it: which addresses are ours, in which zone and subnet,
 * which asset they are, and which DNS resolvers are sanctioned. It is built from `nightjar.yaml`
 * (validated, frozen) and applied at query time, so a corrected config also corrects old records.
 */
import type { SqlFragment } from '../store/sql.js';

/** A named zone and the networks in it. */
export interface Zone {
  readonly name: string;
  /** Normalised CIDRs (`10.0.0.0/8`, `fd00::/8`). */
  readonly networks: readonly string[];
  /** Internal zones are "ours"; addresses in no internal zone are external. */
  readonly internal: boolean;
}

/** A named subnet inside a zone. */
export interface Subnet {
  readonly name: string;
  readonly cidr: string;
  readonly zone: string | null;
}

/** One inventory entry (from nightjar.yaml or an imported CSV). */
export interface Asset {
  /** An address or a CIDR. */
  readonly address: string;
  readonly hostname: string | null;
  readonly owner: string | null;
  readonly role: string | null;
  readonly criticality: 'low' | 'medium' | 'high' | 'critical' | null;
  readonly tags: readonly string[];
}

/** Direction of a connection relative to the site. */
export type Direction = 'inbound' | 'outbound' | 'internal' | 'external';

/** The site model: lookups in TypeScript and the same decisions as SQL expressions. */
export interface SiteModel {
  readonly zones: readonly Zone[];
  readonly subnets: readonly Subnet[];
  readonly assets: readonly Asset[];
  /** Addresses of the DNS resolvers clients are supposed to use (empty: not configured). */
  readonly sanctionedResolvers: readonly string[];
  /** Sensor/exporter names by the id or address records carry. */
  readonly sensors: ReadonlyMap<string, string>;
  /** Zone of an address (most specific network wins), or null when it is in none. */
  zoneOf(address: string): string | null;
  /** True when the address is in an internal zone. */
  isInternal(address: string): boolean;
  /** The most specific named subnet holding the address. */
  subnetOf(address: string): Subnet | null;
  /** The most specific asset entry for an address. */
  assetOf(address: string): Asset | null;
  /** Assets whose hostname matches (case-insensitive; a name without dots also matches an FQDN's first label). */
  assetsByHostname(hostname: string): readonly Asset[];
  /** Direction of a connection from its originator to its responder. */
  directionOf(orig: string, resp: string): Direction;
  /** SQL: the zone of an address expression (NULL when in none). */
  zoneSql(address: SqlFragment): SqlFragment;
  /** SQL: TRUE when the address expression is internal. */
  internalSql(address: SqlFragment): SqlFragment;
  /** SQL: the direction of a connection. */
  directionSql(orig: SqlFragment, resp: SqlFragment): SqlFragment;
}
