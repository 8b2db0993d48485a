/**
 * The ingest hooks every store opened for Nightjar's commands runs, so derived tables (passive DNS
 * answers) and intel findings stay in step with the events whichever command loads them.
 */
import type { Store } from '../store/store.js';
import { intelMatchHook } from './intel/intel-match.js';
import { passiveDnsHook } from './passive-dns.js';

/** Registers the enrichment ingest hooks on a store. */
export function addEnrichmentHooks(store: Store): Store {
  store.addIngestHook(passiveDnsHook());
  store.addIngestHook(intelMatchHook(store.dialect));
  return store;
}
