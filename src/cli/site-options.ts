/** The `--config` option, the site model a command gets from it, and the enrichment fields it installs. */
import type { Command } from 'commander';
import { installEnrichmentFields } from '../enrich/catalog-setup.js';
import { createSite, type Site } from '../enrich/site.js';
import { loadSiteConfig } from '../enrich/site-config.js';
import type { Dialect } from '../store/dialect.js';
import { duckdbDialect } from '../store/duckdb/dialect.js';

/** Adds --config (once, however many option groups ask for it). */
export function withConfig(cmd: Command): Command {
  if (cmd.options.some((o) => o.long === '--config')) return cmd;
  return cmd.option('--config <path>', 'site config (default: $NIGHTJAR_CONFIG, else ./nightjar.yaml, else built-in zones)');
}

/** The site model chosen by --config and the environment, rendering SQL for a store's dialect. */
export function siteOf(o: { config?: string }, dialect: Dialect): Site {
  return createSite(loadSiteConfig(o.config), dialect);
}

/** Commands whose filters and reports use enrichment fields (zones, geo, destination names). */
const ENRICHED_COMMANDS = new Set(['query', 'top', 'conversations', 'timeline', 'host', 'investigate', 'validate', 'intel']);

/**
 * Before a command that asks questions runs, installs the enrichment fields of the site config it
 * was given (so a filter may say `resp_zone == corp` or `resp_country == NL`). Other commands never
 * read the config, so a broken nightjar.yaml does not stop an ingest.
 */
export function installSiteFor(action: Command): void {
  let top: Command = action;
  while (top.parent && top.parent.parent) top = top.parent;
  if (!ENRICHED_COMMANDS.has(top.name())) return;
  const o = { ...top.opts(), ...action.opts() } as { config?: string };
  const config = loadSiteConfig(o.config);
  installEnrichmentFields(createSite(config, duckdbDialect), config, duckdbDialect);
}
