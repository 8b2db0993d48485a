/**
 * The fallback for naming destinations when no passive-DNS enrichment is wired in: the name the host
 * itself most recently resolved to the server's address before its last connection there, from the
 * `dns` table. One query for all servers.
 */
import { raw, sql } from '../store/sql.js';
import type { DestinationNamer, InvestigationContext, NamingRequest } from './context.js';
import { inAddresses } from './host-sql.js';

/** A namer over the store's DNS records of the clients themselves. */
export function hostDnsNamer(ctx: Pick<InvestigationContext, 'store'>): DestinationNamer {
  return async (requests: readonly NamingRequest[]) => {
    if (requests.length === 0) return new Map();
    const d = ctx.store.dialect;
    const clients = [...new Set(requests.map((r) => r.client))];
    const servers = [...new Set(requests.map((r) => r.server))];
    const at = requests.map((r) => r.at);
    const until = Math.max(...at) + 1;
    // Answers older than a day before the first connection named are not looked at (bounded scan).
    const since = Math.min(...at) - 86_400_000_000;
    const rows = await ctx.store.all(sql`SELECT a AS server, arg_max(name, ts) AS name FROM (
        SELECT lower(query) AS name, ts, unnest(answers) AS a FROM dns
        WHERE ${inAddresses(raw('orig_h'), clients)} AND ts >= ${d.timestampFromMicros(since)} AND ts < ${d.timestampFromMicros(until)}
          AND query IS NOT NULL)
      WHERE ${inAddresses(raw('a'), servers)} GROUP BY a`);
    return new Map(rows.map((r) => [String(r.server), String(r.name)]));
  };
}
