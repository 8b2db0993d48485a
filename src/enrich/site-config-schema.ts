/**
 * The schema of `nightjar.yaml`: every key the site config may hold, its type and its default. Every
 * object is strict, so a misspelt key is an error rather than a setting silently ignored. Other
 * components add their own keys to `ENRICHMENT_SHAPE` (one line each) rather than to the top level.
 */
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { parseCidr } from '../query/cidr-sql.js';

function isCidr(v: string): boolean {
  try {
    parseCidr(v);
    return true;
  } catch {
    return false;
  }
}

const cidr = z.string().refine(isCidr, { message: 'not an address or CIDR (e.g. 10.0.0.0/8, fd00::/8, 10.1.2.3)' });
const address = z.string().refine((v) => ipaddr.isValid(v.trim()), { message: 'not an IP address (e.g. 10.0.0.53, 2001:db8::53)' });
const name = z.string().trim().min(1, { message: 'must not be empty' });

/** Criticality levels an asset may have, lowest first. */
export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;

const zone = z.strictObject({
  name,
  networks: z.array(cidr).min(1, { message: 'give at least one network' }),
  internal: z.boolean().default(true),
  description: z.string().optional(),
});

const subnet = z.strictObject({
  name,
  cidr,
  zone: name.optional(),
  description: z.string().optional(),
});

/** One asset as written inline in the YAML (the CSV import yields the same shape). */
export const assetSchema = z.strictObject({
  address: cidr,
  hostname: name.optional(),
  owner: name.optional(),
  role: name.optional(),
  criticality: z.enum(CRITICALITIES).optional(),
  tags: z.array(name).default([]),
});

const sensor = z.strictObject({
  id: name,
  name,
  address: address.optional(),
});

/**
 * Settings of the enrichment components, each owned by one module. Keys live here (not at the top
 * level) so a component can add its own without touching anyone else's.
 */
export const ENRICHMENT_SHAPE = {
  /** Passive DNS: how long after a DNS answer a connection may still be named by it, when no TTL says less. */
  passive_dns_window_seconds: z.number().int().positive().max(30 * 86400).default(3600),
  /** Rarity: a destination seen from at most this many internal hosts counts as rare. */
  rare_prevalence_threshold: z.number().int().positive().default(3),
};

/** The whole file. */
export const siteConfigSchema = z.strictObject({
  zones: z.array(zone).optional(),
  subnets: z.array(subnet).default([]),
  assets: z.array(assetSchema).default([]),
  assets_csv: z.string().trim().min(1).optional(),
  sanctioned_resolvers: z.array(address).default([]),
  sensors: z.array(sensor).default([]),
  enrichment: z.strictObject(ENRICHMENT_SHAPE).prefault({}),
});

/** The file as parsed (before networks are normalised and the CSV is read). */
export type SiteConfigInput = z.output<typeof siteConfigSchema>;

/** The enrichment settings with their defaults applied. */
export type EnrichmentConfig = SiteConfigInput['enrichment'];

/** Zones used when the file gives none: private, loopback and link-local ranges, all internal. */
export const DEFAULT_ZONES: readonly { name: string; networks: string[]; internal: boolean }[] = [
  { name: 'private', networks: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'], internal: true },
  { name: 'loopback', networks: ['127.0.0.0/8', '::1/128'], internal: true },
  { name: 'link-local', networks: ['169.254.0.0/16', 'fe80::/10'], internal: true },
];
