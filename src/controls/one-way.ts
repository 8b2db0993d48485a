/**
 * Connections seen in one direction only, the mark of a tap that sees half the traffic or of
 * asymmetric routing. Two kinds of evidence:
 * - Zeek-style histories with letters from one side only (upper case: originator, lower case:
 *   responder) where the other side must have spoken: the originator acknowledged or sent data
 *   (`A`/`D`), or sent at least `minPackets` packets; or only the responder was seen at all;
 * - TCP flow records without a state (NetFlow/IPFIX/sFlow, cloud logs) carrying at least
 *   `minPackets` packets one way, with no reverse record (ports swapped) within five minutes.
 * Grouped by sensor and by the subnet (else zone) of the internal side.
 */
import { raw, sql } from '../store/sql.js';
import type { ValidationContext, ValidationOptions } from './context.js';
import { finalRowSql } from './connection-outcome.js';
import { rangeSql } from './range.js';
import { evidenceFilter, TopList } from './top-list.js';

/** One sensor/subnet with one-way connections. */
export interface OneWayGroup {
  sensor: string | null;
  /** Subnet name, else zone name, of the internal side; null when neither side is in the site model. */
  subnet: string | null;
  zone: string | null;
  kind: 'history' | 'flow-without-reverse';
  /** Which side was seen. */
  seen: 'originator-only' | 'responder-only';
  connections: number;
  /** Distinct (source, destination, port) triples. */
  pairs: number;
  /** The pair with the most connections, as a filter. */
  evidence: string;
}

/** Tuning for the one-way check. */
export interface OneWayOptions extends ValidationOptions {
  /** Packets one side must have sent before silence from the other is telling (default 10). */
  readonly minPackets?: number;
}

/** Finds one-way connections, grouped by sensor and subnet. */
export async function findOneWay(ctx: ValidationContext, opts: OneWayOptions): Promise<{ groups: OneWayGroup[]; total: number; connections: number }> {
  const { store, site } = ctx;
  const d = store.dialect;
  const minPackets = opts.minPackets ?? 10;
  const base = sql`${rangeSql(d, opts.range)} AND ${finalRowSql()}`;
  const q = sql`SELECT sensor, kind, seen, orig_h, resp_h, resp_p, count(*) AS connections FROM (
      SELECT sensor, 'history' AS kind, CASE WHEN regexp_full_match(history, '\\^?[A-Z]+') THEN 'originator-only' ELSE 'responder-only' END AS seen,
             orig_h, resp_h, resp_p
      FROM connections WHERE ${base} AND history IS NOT NULL AND (
        (regexp_full_match(history, '\\^?[A-Z]+') AND (regexp_matches(history, '[AD]') OR coalesce(orig_pkts, 0) >= ${minPackets}))
        OR regexp_full_match(history, '\\^?[a-z]+'))
      UNION ALL
      SELECT c.sensor, 'flow-without-reverse', 'originator-only', c.orig_h, c.resp_h, c.resp_p
      FROM connections AS c
      WHERE ${rangeSql(d, opts.range, 0, raw('c.ts'))} AND ${finalRowSql('c.')} AND c.proto = 'tcp' AND c.conn_state IS NULL AND c.history IS NULL
        AND coalesce(c.orig_pkts, 0) >= ${minPackets} AND coalesce(c.resp_pkts, 0) = 0 AND coalesce(c.resp_bytes, 0) = 0
        AND NOT EXISTS (SELECT 1 FROM connections AS r WHERE r.orig_h = c.resp_h AND r.resp_h = c.orig_h AND r.orig_p = c.resp_p
          AND r.resp_p = c.orig_p AND r.proto = 'tcp' AND r.ts BETWEEN c.ts - INTERVAL 5 MINUTE AND c.ts + INTERVAL 5 MINUTE)
    ) GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY connections DESC, orig_h, resp_h, resp_p`;
  const groups = new Map<string, { group: OneWayGroup; best: number }>();
  for await (const batch of store.stream(q)) {
    for (const r of batch) {
      const orig = String(r.orig_h);
      const resp = String(r.resp_h);
      const inside = site.isInternal(orig) || !site.isInternal(resp) ? orig : resp;
      const subnet = site.subnetOf(inside)?.name ?? site.zoneOf(inside);
      const sensor = r.sensor === null ? null : String(r.sensor);
      const key = `${sensor}|${subnet}|${r.kind}|${r.seen}`;
      let e = groups.get(key);
      if (!e) {
        e = {
          best: -1,
          group: {
            sensor,
            subnet,
            zone: site.zoneOf(inside),
            kind: r.kind as OneWayGroup['kind'],
            seen: r.seen as OneWayGroup['seen'],
            connections: 0,
            pairs: 0,
            evidence: '',
          },
        };
        groups.set(key, e);
      }
      const n = Number(r.connections);
      e.group.connections += n;
      e.group.pairs++;
      // Rows come busiest first, ties by address: the evidence pair is the same on every run.
      if (n > e.best) {
        e.best = n;
        e.group.evidence = evidenceFilter(orig, resp, r.resp_p === null ? null : Number(r.resp_p));
      }
    }
  }
  const top = new TopList<OneWayGroup>(opts.limit, (g) => g.connections, (a, b) => (`${a.sensor}${a.subnet}` < `${b.sensor}${b.subnet}` ? -1 : 1));
  let connections = 0;
  for (const e of groups.values()) {
    top.add(e.group);
    connections += e.group.connections;
  }
  return { groups: top.result(), total: top.total, connections };
}
