/**
 * Destination names from the store's own DNS records, for when no passive-DNS table is wired in:
 * every A/AAAA answer becomes (client, address, name, ts, expires), expiring after its TTL (one hour
 * when the source gave none). Answers up to a day before the range still name connections inside it.
 * Joined with `nameJoinSql`, a connection takes the name its client resolved most recently before it.
 */
import type { TimeRange } from '../query/time-range.js';
import type { Dialect } from '../store/dialect.js';
import { raw, sql, type SqlFragment } from '../store/sql.js';
import type { DnsAnswerSource } from './context.js';
import { rangeSql } from './range.js';

/** How far before the range answers are read, in microseconds. */
export const ANSWER_LOOKBACK_MICROS = 86_400_000_000;

/** Seconds an answer without a TTL stays usable. */
export const DEFAULT_ANSWER_SECONDS = 3600;

/** SQL: the text looks like an IP address (IPv4 dotted quad, or IPv6 with colons and no spaces). */
export function isAddressSql(x: SqlFragment): SqlFragment {
  return sql`(regexp_full_match(${x}, '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}') OR regexp_full_match(${x}, '[0-9a-fA-F:.]*:[0-9a-fA-F:.]*'))`;
}

/** Answers derived from the `dns` table. */
export function dnsAnswersFromStore(d: Dialect): DnsAnswerSource {
  return {
    answersSql(range: TimeRange): SqlFragment {
      return sql`(SELECT client, address, name, ts,
          ts + to_microseconds(CAST(coalesce(ttl, ${DEFAULT_ANSWER_SECONDS}) * 1000000 AS BIGINT)) AS expires
        FROM (SELECT orig_h AS client, lower(rtrim(query, '.')) AS name, ts, unnest(answers) AS address, unnest(ttls) AS ttl
              FROM dns WHERE answers IS NOT NULL AND query IS NOT NULL AND ${rangeSql(d, range, ANSWER_LOOKBACK_MICROS)})
        WHERE ${isAddressSql(raw('address'))})`;
    },
  };
}

/**
 * SQL: `FROM <conns> AS c ASOF LEFT JOIN <answers> AS a ...`, naming each connection with the most
 * recent answer its client got for the address before it; `name` is NULL once that answer expired.
 */
export function nameJoinSql(conns: SqlFragment, answers: SqlFragment): { from: SqlFragment; name: SqlFragment } {
  return {
    from: sql`${conns} AS c ASOF LEFT JOIN ${answers} AS a ON c.orig_h = a.client AND c.resp_h = a.address AND c.ts >= a.ts`,
    name: raw('(CASE WHEN c.ts <= a.expires THEN a.name END)'),
  };
}
