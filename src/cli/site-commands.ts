/** The site-model and enrichment commands, registered together so main.ts wires them in one line. */
import type { Command } from 'commander';
import { checkConfigCommand } from './check-config.js';
import { enrichCommand } from './enrich.js';
import { geoCommand } from './geo.js';
import { hostCommand } from './host.js';

/** Every site and enrichment command. */
export function siteCommands(): Command[] {
  return [hostCommand(), checkConfigCommand(), geoCommand(), enrichCommand()];
}
