/** What every section of an investigation works over: the host, the windows, the fleet, the thresholds. */
import type { FleetInfo } from './baseline.js';
import type { InvestigationContext, MicroRange } from './context.js';
import type { InvestigateOptions } from './options.js';

/** The resolved question every section answers a part of. */
export interface Scope {
  readonly ctx: InvestigationContext;
  /** The host's addresses. */
  readonly addresses: readonly string[];
  /** The investigated period. */
  readonly period: MicroRange;
  /** The baseline window actually used (before the period). */
  readonly baseline: MicroRange;
  readonly fleet: FleetInfo;
  /** The host's destinations (over baseline and period) that the site model calls internal. */
  readonly internalPeers: readonly string[];
  /** The host's external destinations in the period (keys for fleet prevalence). */
  readonly externalInPeriod: readonly string[];
  readonly opts: InvestigateOptions;
}

/** Connection totals of a group (a destination, a peer). */
export interface Traffic {
  connections: number;
  /** Connections never established (S0, REJ, RSTOS0, SH). */
  failed: number;
  bytes_out: number;
  bytes_in: number;
  first: string;
  last: string;
}
