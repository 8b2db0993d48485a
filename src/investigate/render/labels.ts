/**
 * Wording shared by the report renderers (terminal, Markdown, HTML), so the three say the same thing:
 * decisions, flags, short times, the host's title line.
 */
import type { DestinationFlags } from '../external.js';
import type { Decision, InvestigationReport } from '../report.js';

/** Decision as shown to people. */
export const DECISION_TEXT: Record<Decision, string> = { contain: 'CONTAIN', monitor: 'MONITOR', no_action: 'NO ACTION' };

/** Flags in display order with their short labels. */
const FLAG_LABELS: [keyof DestinationFlags, string][] = [
  ['intel', 'intel'],
  ['regular_timing', 'beacon-like'],
  ['denied', 'denied'],
  ['rare', 'rare'],
  ['new', 'new'],
  ['long_lived', 'long-lived'],
];

/** The set flags of a destination as a comma-separated list. */
export function flagText(f: DestinationFlags): string {
  return FLAG_LABELS.filter(([k]) => f[k]).map(([, l]) => l).join(', ');
}

/** `2024-03-08 10:00:05` from an ISO time (UTC, to the second). */
export function shortTime(iso: string | null): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '-';
}

/** The host's name and addresses for titles. */
export function hostTitle(r: InvestigationReport): string {
  const name = r.identity.names[0];
  const addrs = r.identity.addresses.join(', ');
  return name ? `${name} (${addrs})` : addrs;
}

/** Zone, subnet and asset role in one line. */
export function placeText(r: InvestigationReport): string {
  const id = r.identity;
  const parts = [`zone ${id.zone ?? 'none'}${id.subnet ? ` / ${id.subnet}` : ''}`];
  if (id.asset) parts.push(`asset: ${[id.asset.role, id.asset.owner, id.asset.criticality && `criticality ${id.asset.criticality}`].filter(Boolean).join(', ') || id.asset.hostname}`);
  return parts.join('   ');
}

/** The baseline window in words. */
export function baselineText(r: InvestigationReport): string {
  const w = r.baseline.window;
  return `${w.days} day(s) of baseline, ${shortTime(w.since)} to ${shortTime(w.until)}${w.limited ? ` (asked for ${w.requested_days})` : ''}`;
}
