/**
 * Which zones and subnets of the site model have which telemetry: per event table (connections,
 * DNS, firewall), the records with either side inside each zone's networks or each subnet. One
 * scan per table answers a chunk of zones and subnets at once (a FILTERed count per entity).
 */
import { cidrSql, parseCidr } from '../query/cidr-sql.js';
import { join, raw, sql, type SqlFragment } from '../store/sql.js';
import type { ValidationContext, ValidationOptions } from './context.js';
import { rangeSql } from './range.js';

/** The telemetry kinds coverage is reported for. */
export const TELEMETRY = ['connections', 'dns', 'firewall'] as const;

/** A telemetry kind. */
export type Telemetry = (typeof TELEMETRY)[number];

/** Coverage of one zone or subnet. */
export interface Coverage {
  kind: 'zone' | 'subnet';
  name: string;
  zone: string | null;
  networks: string[];
  connections: number;
  dns: number;
  firewall: number;
  /** Telemetry kinds with no record at all. */
  missing: Telemetry[];
}

const CHUNK = 40;

/** Counts each telemetry kind per zone and subnet. */
export async function telemetryCoverage(ctx: ValidationContext, opts: ValidationOptions): Promise<Coverage[]> {
  const { store, site } = ctx;
  const d = store.dialect;
  const entities: Coverage[] = [
    ...site.zones.filter((z) => z.internal).map((z): Coverage => ({ kind: 'zone', name: z.name, zone: z.name, networks: [...z.networks], connections: 0, dns: 0, firewall: 0, missing: [] })),
    ...site.subnets.map((s): Coverage => ({ kind: 'subnet', name: s.name, zone: s.zone, networks: [s.cidr], connections: 0, dns: 0, firewall: 0, missing: [] })),
  ];
  const inside = (col: string, networks: readonly string[]): SqlFragment =>
    join(networks.map((n) => cidrSql(raw(col), parseCidr(n), d)), ' OR ');
  for (let i = 0; i < entities.length; i += CHUNK) {
    const chunk = entities.slice(i, i + CHUNK);
    const counts = join(
      chunk.map((e, k) => sql`count(*) FILTER (WHERE ${inside('orig_h', e.networks)} OR ${inside('resp_h', e.networks)}) AS ${raw(`e${k}`)}`),
    );
    for (const t of TELEMETRY) {
      const [row] = await store.all(sql`SELECT ${counts} FROM ${raw(t)} WHERE ${rangeSql(d, opts.range)}`);
      chunk.forEach((e, k) => (e[t] = Number(row[`e${k}`] ?? 0)));
    }
  }
  for (const e of entities) e.missing = TELEMETRY.filter((t) => e[t] === 0);
  return entities;
}
