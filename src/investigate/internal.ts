/**
 * Internal systems the host touched as a client: peers with their ports and services, whether each
 * peer is new for this host (not in its baseline), administrative protocols singled out (SSH, SMB,
 * RDP, WinRM: the ways attackers move laterally), and scan-like fan-out: one port on many hosts
 * (horizontal) or many ports on one host (vertical), at least `scanFanout` distinct targets.
 */
import { raw, sql } from '../store/sql.js';
import { BYTES_IN, BYTES_OUT, FINAL_ROWS, inAddresses, inRange, num, str } from './host-sql.js';
import type { Scope, Traffic } from './scope.js';

/** Administrative protocols by server port. */
export const ADMIN_PORTS: ReadonlyMap<number, string> = new Map([
  [22, 'ssh'],
  [139, 'smb'],
  [445, 'smb'],
  [3389, 'rdp'],
  [5985, 'winrm'],
  [5986, 'winrm'],
]);

/** One internal peer the host connected to. */
export interface InternalPeer extends Traffic {
  address: string;
  hostname: string | null;
  zone: string | null;
  ports: number[];
  services: string[];
  new: boolean;
  /** Administrative protocols used (ssh, smb, rdp, winrm), attempted or established. */
  admin: string[];
  /** Administrative connections that were established. */
  admin_established: number;
}

/** A scan-like fan-out. */
export interface ScanPattern {
  kind: 'horizontal' | 'vertical';
  /** Horizontal: the port probed on many hosts. */
  port: number | null;
  /** Vertical: the host probed on many ports. */
  target: string | null;
  proto: string;
  targets: number;
  connections: number;
  failed_share: number;
  first: string;
  last: string;
}

const FAILED = raw(`conn_state IN ('S0', 'REJ', 'RSTOS0', 'SH')`);

/** A scan starts with its first unanswered or refused probe (ordinary traffic on the port may precede it). */
const SCAN_FIRST = sql`coalesce(min(ts) FILTER (WHERE ${FAILED}), min(ts))`;

/** Peers and scans of the host inside the site. */
export async function internalActivity(s: Scope): Promise<{ peers: InternalPeer[]; scans: ScanPattern[] }> {
  const { ctx, addresses, period, baseline, opts } = s;
  const d = ctx.store.dialect;
  const host = inAddresses(raw('orig_h'), addresses);
  const adminPorts = raw([...ADMIN_PORTS.keys()].join(', '));
  const peersNotSelf = s.internalPeers.filter((a) => !addresses.includes(a));
  const h = sql`h AS MATERIALIZED (SELECT ts, resp_h, resp_p, proto, service, conn_state, ${BYTES_OUT} AS bo, ${BYTES_IN} AS bi
    FROM connections WHERE ${host} AND ${inRange(d, period)} AND ${FINAL_ROWS} AND ${inAddresses(raw('resp_h'), peersNotSelf)})`;
  const peers = await ctx.store.all(sql`WITH ${h},
    base AS (SELECT DISTINCT resp_h FROM connections WHERE ${host} AND ${inRange(d, baseline)})
    SELECT h.resp_h, count(*) AS n, count(*) FILTER (WHERE ${FAILED}) AS failed, sum(bo) AS bytes_out, sum(bi) AS bytes_in,
           min(ts) AS first, max(ts) AS last, list_sort(list_distinct(list(resp_p)))[1:12] AS ports,
           string_agg(DISTINCT service, ',') AS services,
           list_sort(list_distinct(list(resp_p) FILTER (WHERE resp_p IN (${adminPorts}) AND proto = 'tcp'))) AS admin_ports,
           count(*) FILTER (WHERE resp_p IN (${adminPorts}) AND proto = 'tcp' AND NOT ${FAILED}) AS admin_ok,
           bool_and(base.resp_h IS NULL) AS is_new
    FROM h LEFT JOIN base USING (resp_h) GROUP BY h.resp_h`);
  const scans = await ctx.store.all(sql`WITH ${h}
    SELECT 'horizontal' AS kind, resp_p AS port, NULL AS target, proto, count(DISTINCT resp_h) AS targets, count(*) AS n,
           avg(CASE WHEN ${FAILED} THEN 1 ELSE 0 END) AS failed_share, ${SCAN_FIRST} AS first, max(ts) AS last
    FROM h WHERE proto IN ('tcp', 'udp') GROUP BY resp_p, proto HAVING count(DISTINCT resp_h) >= ${opts.scanFanout}
    UNION ALL
    SELECT 'vertical', NULL, resp_h, proto, count(DISTINCT resp_p), count(*),
           avg(CASE WHEN ${FAILED} THEN 1 ELSE 0 END), ${SCAN_FIRST}, max(ts)
    FROM h WHERE proto IN ('tcp', 'udp') GROUP BY resp_h, proto HAVING count(DISTINCT resp_p) >= ${opts.scanFanout}
    ORDER BY targets DESC`);
  const list = peers.map((r): InternalPeer => {
    const address = String(r.resp_h);
    const adminPortsUsed = Array.isArray(r.admin_ports) ? r.admin_ports.map(num) : [];
    return {
      address,
      hostname: ctx.site.assetOf(address)?.hostname ?? null,
      zone: ctx.site.zoneOf(address),
      ports: Array.isArray(r.ports) ? r.ports.map(num) : [],
      services: str(r.services)?.split(',').filter((s) => s !== '') ?? [],
      connections: num(r.n),
      failed: num(r.failed),
      bytes_out: num(r.bytes_out),
      bytes_in: num(r.bytes_in),
      first: String(r.first),
      last: String(r.last),
      new: r.is_new === true,
      admin: [...new Set(adminPortsUsed.map((p) => ADMIN_PORTS.get(p)!))],
      admin_established: num(r.admin_ok),
    };
  });
  // Administrative and new peers first: those are where lateral movement shows.
  list.sort(
    (a, b) =>
      Number(b.admin_established > 0) - Number(a.admin_established > 0) ||
      Number(b.new) - Number(a.new) ||
      b.connections - a.connections ||
      a.address.localeCompare(b.address),
  );
  return {
    peers: list,
    scans: scans.map((r) => ({
      kind: r.kind === 'vertical' ? 'vertical' : 'horizontal',
      port: r.port === null ? null : num(r.port),
      target: str(r.target),
      proto: String(r.proto),
      targets: num(r.targets),
      connections: num(r.n),
      failed_share: Math.round(num(r.failed_share) * 1000) / 1000,
      first: String(r.first),
      last: String(r.last),
    })),
  };
}
