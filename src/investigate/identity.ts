/**
 * Who HOST is: an address, an asset hostname from the inventory, or a name seen in DNS answers,
 * resolved to the host's addresses; then its names, zone, subnet, asset record, and first and last
 * time it appears in any event table.
 */
import ipaddr from 'ipaddr.js';
import { NightjarError } from '../model/errors.js';
import { join, raw, sql } from '../store/sql.js';
import type { InvestigationContext, MicroRange } from './context.js';
import { inAddresses, inRange, str } from './host-sql.js';

/** The host as the report identifies it. */
export interface Identity {
  /** What the user typed. */
  query: string;
  matched_by: 'address' | 'asset' | 'dns';
  addresses: string[];
  /** Asset hostnames first, then names DNS answers gave for the addresses (last day of the period). */
  names: string[];
  zone: string | null;
  subnet: string | null;
  internal: boolean;
  asset: { hostname: string | null; owner: string | null; role: string | null; criticality: string | null; tags: string[] } | null;
  /** First and last record the host originated (else received) within the baseline window and the period. */
  first_seen: string | null;
  last_seen: string | null;
}

function normalise(a: string): string | null {
  try {
    const p = ipaddr.parse(a.trim());
    if (p.kind() === 'ipv6' && (p as ipaddr.IPv6).isIPv4MappedAddress()) return (p as ipaddr.IPv6).toIPv4Address().toString();
    return p.toString();
  } catch {
    return null;
  }
}

/** Resolves HOST to addresses, or throws a usage error saying what HOST may be. */
export async function resolveHost(ctx: InvestigationContext, host: string): Promise<{ addresses: string[]; matchedBy: Identity['matched_by'] }> {
  const text = host.trim();
  if (text.length === 0 || text.length > 255) throw new NightjarError('NJ_USAGE', 'give HOST as an address, an asset hostname or a DNS name');
  if (ipaddr.isValid(text)) return { addresses: [normalise(text)!], matchedBy: 'address' };
  const assets = ctx.site.assetsByHostname(text).filter((a) => !a.address.includes('/'));
  if (assets.length > 0) return { addresses: [...new Set(assets.map((a) => normalise(a.address)).filter((a): a is string => a !== null))], matchedBy: 'asset' };
  const rows = await ctx.store.all(sql`SELECT DISTINCT a FROM (SELECT unnest(answers) AS a FROM dns WHERE lower(query) = lower(${text})) ORDER BY a LIMIT 64`);
  const answers = rows.map((r) => normalise(String(r.a))).filter((a): a is string => a !== null);
  // A DNS name may resolve to outside addresses too (load balancers); the investigated host is ours.
  const internal = answers.filter((a) => ctx.site.isInternal(a));
  const picked = internal.length > 0 ? internal : answers;
  if (picked.length === 0) {
    throw new NightjarError(
      'NJ_USAGE',
      `no host "${text}": it is not an address, no asset in the site model has that hostname, and no DNS answer in the store names it`,
    );
  }
  return { addresses: [...new Set(picked)], matchedBy: 'dns' };
}

/** The identity section for resolved addresses; `window` is the baseline window and the period together. */
export async function identify(
  ctx: InvestigationContext,
  query: string,
  addresses: readonly string[],
  matchedBy: Identity['matched_by'],
  window: MicroRange,
): Promise<Identity> {
  const d = ctx.store.dialect;
  // Bounded to the window (baseline and period): a time range lets the engine skip whole row groups,
  // where an all-time scan of three tables would cost more than the rest of the report.
  // The originator side first (one column to compare, and what a client host does); only a host that
  // never originated anything is looked up as a responder.
  const seenAs = (side: 'orig_h' | 'resp_h') => {
    const cond = sql`${inRange(d, window)} AND ${inAddresses(raw(side), addresses)}`;
    return ctx.store.all(sql`SELECT min(f) AS first, max(l) AS last FROM (
      SELECT min(ts) AS f, max(ts) AS l FROM connections WHERE ${cond}
      UNION ALL SELECT min(ts), max(ts) FROM dns WHERE ${cond}
      UNION ALL SELECT min(ts), max(ts) FROM firewall WHERE ${cond})`);
  };
  let seen = await seenAs('orig_h');
  if (seen[0]?.first === null || seen[0]?.first === undefined) seen = await seenAs('resp_h');
  const answered = join(addresses.map((x) => sql`list_contains(answers, ${x})`), ' OR ');
  const names = await ctx.store.all(sql`SELECT lower(query) AS name, count(*) AS n FROM dns
    WHERE ${inRange(d, { since: Math.max(window.since, window.until - 86_400_000_000), until: window.until })}
      AND query IS NOT NULL AND (${answered}) GROUP BY 1 ORDER BY n DESC, name LIMIT 10`);
  const primary = addresses[0];
  const asset = ctx.site.assetOf(primary);
  const assetNames = addresses.map((a) => ctx.site.assetOf(a)?.hostname).filter((h): h is string => !!h);
  return {
    query,
    matched_by: matchedBy,
    addresses: [...addresses],
    names: [...new Set([...assetNames, ...names.map((r) => String(r.name))])],
    zone: ctx.site.zoneOf(primary),
    subnet: ctx.site.subnetOf(primary)?.name ?? null,
    internal: ctx.site.isInternal(primary),
    asset: asset
      ? { hostname: asset.hostname, owner: asset.owner, role: asset.role, criticality: asset.criticality, tags: [...asset.tags] }
      : null,
    first_seen: str(seen[0]?.first),
    last_seen: str(seen[0]?.last),
  };
}
