/** The report as JSON: the typed object itself, indented, with `schema_version` first. */
import type { InvestigationReport } from '../report.js';

/** Renders the report as JSON text (see docs/investigation.md for the schema). */
export function renderJson(r: InvestigationReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
