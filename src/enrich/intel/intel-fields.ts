/**
 * Filter fields telling whether a record matched threat intelligence: `intel_match`, `intel_feed`,
 * `intel_indicator`. They read the recorded intel findings (a small table) rather than re-matching
 * every record against every indicator at query time, which for CIDRs and domain suffixes would cost
 * a range join and a suffix explosion per query. So they reflect what was recorded: records ingested
 * after a feed was loaded are matched as they load; older records count once `nightjar intel hunt
 * --record` has run. The join is one hash join against the findings aggregated per record, and a
 * query pays for it only when it names one of these fields.
 */
import type { EventTableName } from '../../model/fields.js';
import type { QueryField } from '../../query/catalog.js';
import type { Dialect } from '../../store/dialect.js';
import { raw, sql, type SqlFragment } from '../../store/sql.js';

/** Key of the intel join in a catalog's `joins`. */
export const INTEL_JOIN = 'intel';

/** Tables whose records intel findings point at. */
export type IntelTable = Extract<EventTableName, 'connections' | 'dns' | 'firewall'>;

/** The join and fields intel adds to the catalog of a connections, dns or firewall table (over `t`). */
export function intelFields(_dialect: Dialect, table: IntelTable): { joins: Map<string, SqlFragment>; fields: QueryField[] } {
  // Findings keep the record's ingest, time, uid and 5-tuple; together they identify the record.
  const join = sql`LEFT JOIN (
  SELECT ingest_id, ts, uid, orig_h, orig_p, resp_h, resp_p,
    string_agg(DISTINCT json_extract_string(extra, '$.feed'), ',' ORDER BY json_extract_string(extra, '$.feed')) AS feeds,
    string_agg(DISTINCT json_extract_string(extra, '$.indicator'), ',' ORDER BY json_extract_string(extra, '$.indicator')) AS indicators
  FROM findings WHERE source_type = 'intel' AND json_extract_string(extra, '$.table') = ${table}
  GROUP BY ALL) AS ${raw(INTEL_JOIN)}
ON ${raw(INTEL_JOIN)}.ingest_id = t.ingest_id AND ${raw(INTEL_JOIN)}.ts = t.ts AND ${raw(INTEL_JOIN)}.uid IS NOT DISTINCT FROM t.uid
  AND ${raw(INTEL_JOIN)}.orig_h IS NOT DISTINCT FROM t.orig_h AND ${raw(INTEL_JOIN)}.orig_p IS NOT DISTINCT FROM t.orig_p
  AND ${raw(INTEL_JOIN)}.resp_h IS NOT DISTINCT FROM t.resp_h AND ${raw(INTEL_JOIN)}.resp_p IS NOT DISTINCT FROM t.resp_p`;
  const i = raw(INTEL_JOIN);
  const needs = [INTEL_JOIN];
  const fields: QueryField[] = [
    {
      name: 'intel_match',
      aliases: [],
      type: 'bool',
      meaning: 'The record matched a threat-intelligence indicator (recorded at ingest or by intel hunt --record)',
      expr: sql`(${i}.feeds IS NOT NULL)`,
      needs,
    },
    {
      name: 'intel_feed',
      aliases: ['threat.feed.name'],
      type: 'string',
      meaning: 'Feeds whose indicators the record matched, comma separated',
      expr: sql`${i}.feeds`,
      needs,
    },
    {
      name: 'intel_indicator',
      aliases: ['threat.indicator.name'],
      type: 'string',
      meaning: 'Indicators the record matched, as the feeds gave them, comma separated',
      expr: sql`${i}.indicators`,
      needs,
    },
  ];
  return { joins: new Map([[INTEL_JOIN, join]]), fields };
}
