/**
 * Counters of a flow-export decoder: what was decoded, what was skipped and why (bounded reason
 * codes), and records lost according to the exporters' sequence numbers.
 */

/** Reason codes for malformed input, each counted once per datagram or set skipped. */
export type MalformedReason =
  | 'truncated_header'
  | 'bad_version'
  | 'bad_length'
  | 'bad_set_length'
  | 'bad_set_id'
  | 'bad_template'
  | 'zero_length_field'
  | 'template_limit'
  | 'truncated_record'
  | 'bad_varlen';

/** Reason codes for data dropped although the datagram was well formed. */
export type DropReason = 'no_template' | 'held_overflow';

/** Running counters of one decoder; read them at any time. */
export class NetflowStats {
  datagrams = 0;
  /** Flow records delivered to the handler. */
  flows = 0;
  /** Options data records applied to exporter state. */
  optionsRecords = 0;
  templatesAdded = 0;
  /** Template records identical to the known one. */
  templateRefreshes = 0;
  /** Template records redefining a known id with another layout. */
  templateReplacements = 0;
  templateWithdrawals = 0;
  /** Records the exporters' sequence numbers say were sent but never arrived. */
  lostRecords = 0;
  /** Sequence numbers that went backwards or jumped too far (exporter restart): counting restarted. */
  sequenceResets = 0;
  /** Data sets currently held waiting for a template. */
  heldSets = 0;
  /** Data sets decoded late, once their template arrived. */
  heldReplayed = 0;
  readonly malformed: Partial<Record<MalformedReason, number>> = {};
  /** Dropped data: `no_template` counts data sets (their record count is unknowable without it). */
  readonly dropped: Partial<Record<DropReason, number>> = {};

  /** Counts one malformed datagram or set. */
  bad(reason: MalformedReason): void {
    this.malformed[reason] = (this.malformed[reason] ?? 0) + 1;
  }

  /** Counts dropped data. */
  drop(reason: DropReason, n = 1): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
  }
}
