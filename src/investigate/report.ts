/**
 * The investigation report: one typed object that every renderer (terminal, JSON, Markdown, HTML) and
 * the future HTTP API present. Its JSON form is versioned by `schema_version` and documented in
 * `docs/investigation.md`; fields are only ever added within a version.
 */
import type { Activity } from './activity.js';
import type { HostBaseline } from './baseline.js';
import type { DnsActivity } from './dns-activity.js';
import type { ExternalDestination } from './external.js';
import type { FindingGroup, FirewallActivity } from './firewall-activity.js';
import type { EvidenceTable } from './filter-text.js';
import type { Identity } from './identity.js';
import type { InternalPeer, ScanPattern } from './internal.js';

/** Version of the report's JSON shape. */
export const SCHEMA_VERSION = 1;

/** A list trimmed to the section limit, with the full count. */
export interface Section<T> {
  total: number;
  items: T[];
}

/** One event of the merged timeline. */
export interface TimelineEvent {
  ts: string;
  kind: 'activity' | 'external' | 'dns' | 'internal' | 'scan' | 'firewall' | 'finding';
  summary: string;
}

/** A filter that reproduces an evidence item's records, and how many it matches. */
export interface Reproduction {
  table: EvidenceTable;
  filter: string;
  since: string;
  until: string;
  records: number;
}

/** One scored piece of evidence. */
export interface Evidence {
  /** Stable rule id (see docs/investigation.md). */
  rule: string;
  title: string;
  points: number;
  detail: string;
  reproduce: Reproduction[];
}

/** What to do. */
export type Decision = 'contain' | 'monitor' | 'no_action';

/** The verdict and why. */
export interface Verdict {
  decision: Decision;
  score: number;
  thresholds: { contain: number; monitor: number };
  evidence: Evidence[];
  next_steps: string[];
}

/** The whole report. */
export interface InvestigationReport {
  schema_version: typeof SCHEMA_VERSION;
  generated_at: string;
  period: { since: string; until: string };
  identity: Identity;
  summary: {
    connections: number;
    bytes_out: number;
    bytes_in: number;
    external_destinations: number;
    internal_peers: number;
    dns_queries: number;
    firewall_events: number;
    findings: number;
  };
  baseline: HostBaseline;
  external: Section<ExternalDestination>;
  internal: { peers: Section<InternalPeer>; admin: InternalPeer[]; scans: ScanPattern[] };
  dns: Omit<DnsActivity, 'domains'> & { domains: Section<DnsActivity['domains'][number]> };
  firewall: FirewallActivity;
  findings: FindingGroup[];
  activity: Activity;
  timeline: TimelineEvent[];
  verdict: Verdict;
  /** What limits the report (short history, small fleet, missing enrichment). */
  notes: string[];
}
