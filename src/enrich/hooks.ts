/**
 * The enrichment work every ingest does in its transaction, registered where the CLI opens the store
 * (src/store/open.ts), so derived tables (passive DNS answers, address geo/ASN) and intel findings
 * stay in step with the events whichever command loads them. Each hook does work only when an
 * ingest brings something new; the geo tables are imported only then, keeping every command's
 * start-up (and a live capture's time to attach) short.
 */
import type { Dialect } from '../store/dialect.js';
import type { IngestHook } from '../store/store.js';
import { intelMatchHook } from './intel/intel-match.js';
import { ipInfoHook } from './ip-info.js';
import { passiveDnsHook } from './passive-dns.js';

/** The hooks for the store at `location` (its loaded geo databases live beside it). */
export function enrichmentHooks(location: string, dialect: Dialect): IngestHook[] {
  return [passiveDnsHook(), ipInfoHook(async () => (await import('./geo.js')).openGeo(location)), intelMatchHook(dialect)];
}
