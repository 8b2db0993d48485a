/** What a site config holds, in brief: the answer `nightjar check-config` prints and the API can serve. */
import type { SiteConfig } from './site-config.js';

/** A summary of a validated site config. */
export interface SiteSummary {
  /** The file, or null when the built-in defaults are in use. */
  source: string | null;
  zones: { name: string; internal: boolean; networks: string[] }[];
  subnets: number;
  assets: number;
  sanctioned_resolvers: string[];
  sensors: number;
  enrichment: Record<string, unknown>;
}

/** Summarises a site config. */
export function siteSummary(c: SiteConfig): SiteSummary {
  return {
    source: c.source,
    zones: c.zones.map((z) => ({ name: z.name, internal: z.internal, networks: [...z.networks] })),
    subnets: c.subnets.length,
    assets: c.assets.length,
    sanctioned_resolvers: [...c.sanctionedResolvers],
    sensors: c.sensors.length,
    enrichment: { ...c.enrichment },
  };
}
