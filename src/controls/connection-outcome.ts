/**
 * Did a connection get through? One rule, shared by every validation and documented in
 * docs/controls.md:
 * - `blocked`: the source says a device refused it (`action` deny, drop or reject);
 * - `succeeded`: data flowed both ways: Zeek/Suricata states SF, S1, S2, S3, RSTO, RSTR (the
 *   handshake completed), OTH with bytes or packets from the responder (picked up mid-stream), or,
 *   for flow and cloud records without a state, bytes or packets from both sides;
 * - `unanswered`: an attempt with no sign of an answer (S0, REJ, SH, RSTOS0, one-way flow records):
 *   the destination did not answer or something dropped it without logging.
 * A record whose source only says `action` allow, with no reply seen, is `allowed`: the device let
 * it through even though nothing came back.
 */
import { raw, sql, type SqlFragment } from '../store/sql.js';

/** What a connection's records say happened. */
export type ConnectionOutcome = 'succeeded' | 'blocked' | 'allowed' | 'unanswered';

/** Zeek states that mean the handshake completed. */
export const ESTABLISHED_STATES = ['SF', 'S1', 'S2', 'S3', 'RSTO', 'RSTR'] as const;

/** Actions meaning a device refused the traffic. */
export const BLOCK_ACTIONS = ['deny', 'drop', 'reject'] as const;

const list = (xs: readonly string[]): SqlFragment => raw(xs.map((x) => `'${x}'`).join(', '));

/** SQL: the outcome of a connections row; `t` is the alias prefix (`c.` or empty). */
export function outcomeSql(t: '' | 'c.' = ''): SqlFragment {
  const c = (name: string): SqlFragment => raw(`${t}${name}`);
  const respSent = sql`(coalesce(${c('resp_bytes')}, 0) > 0 OR coalesce(${c('resp_pkts')}, 0) > 0)`;
  const origSent = sql`(coalesce(${c('orig_bytes')}, 0) > 0 OR coalesce(${c('orig_pkts')}, 0) > 0)`;
  return sql`(CASE
    WHEN lower(${c('action')}) IN (${list(BLOCK_ACTIONS)}) THEN 'blocked'
    WHEN ${c('conn_state')} IN (${list(ESTABLISHED_STATES)}) THEN 'succeeded'
    WHEN ${c('conn_state')} = 'OTH' AND ${respSent} THEN 'succeeded'
    WHEN ${c('conn_state')} IS NULL AND ${respSent} AND ${origSent} THEN 'succeeded'
    WHEN lower(${c('action')}) IN ('allow', 'accept', 'permit') THEN 'allowed'
    ELSE 'unanswered' END)`;
}

/** SQL: the row is a final connection record (live captures also write interim progress rows). */
export function finalRowSql(t: '' | 'c.' = ''): SqlFragment {
  return sql`${raw(`${t}state_reason`)} IS DISTINCT FROM 'interim'`;
}
