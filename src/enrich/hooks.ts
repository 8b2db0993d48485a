/**
 * The enrichment work every ingest does in its transaction, registered where the CLI opens the store
 * (src/store/open.ts). Each hook loads what it needs only when an ingest brings something new.
 */
import type { IngestHook } from '../store/store.js';
import { openGeo } from './geo.js';
import { ipInfoHook } from './ip-info.js';

/** The hooks for the store at `location` (its loaded geo databases live beside it). */
export function enrichmentHooks(location: string): IngestHook[] {
  return [ipInfoHook(() => openGeo(location))];
}
