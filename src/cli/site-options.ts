/** The `--config` option and the site model a command gets from it (see src/enrich/site-config.ts). */
import type { Command } from 'commander';
import { createSite, type Site } from '../enrich/site.js';
import { loadSiteConfig } from '../enrich/site-config.js';
import type { Dialect } from '../store/dialect.js';

/** Adds --config. */
export function withConfig(cmd: Command): Command {
  return cmd.option('--config <path>', 'site config (default: $NIGHTJAR_CONFIG, else ./nightjar.yaml, else built-in zones)');
}

/** The site model chosen by --config and the environment, rendering SQL for a store's dialect. */
export function siteOf(o: { config?: string }, dialect: Dialect): Site {
  return createSite(loadSiteConfig(o.config), dialect);
}
