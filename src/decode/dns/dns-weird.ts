/**
 * Names of the anomalies ("weirds") the DNS decoder, the TCP framer and the transaction tracker report.
 * Where Zeek has a name for the same condition (src/analyzer/protocol/dns/DNS.cc and the DNS scripts)
 * we use Zeek's spelling, so counts line up with a Zeek weird.log; the few conditions Zeek cannot hit
 * (it has no hop limit, no record cap, no resync after a TCP gap) carry our own `DNS_`-prefixed names.
 */

/** Weird names, keyed by a short identifier. */
export const W = {
  // Zeek's names (DNS.cc).
  lenLtHdr: 'DNS_truncated_len_lt_hdr_len',
  countTooLarge: 'DNS_Conn_count_too_large',
  questTooShort: 'DNS_truncated_quest_too_short',
  ansTooShort: 'DNS_truncated_ans_too_short',
  rdlengthLtLen: 'DNS_truncated_RR_rdlength_lt_len',
  zeroRdlength: 'DNS_zero_rdlength',
  unknownType: 'DNS_RR_unknown_type',
  nameTooLong: 'DNS_NAME_too_long',
  forwardCompress: 'DNS_label_forward_compress_offset',
  labelLenGtPkt: 'DNS_label_len_gt_pkt',
  labelTooLong: 'DNS_label_too_long',
  rrLengthMismatch: 'DNS_RR_length_mismatch',
  rrBadLength: 'DNS_RR_bad_length',
  aaaaNegLength: 'DNS_AAAA_neg_length',
  txtPastRdlen: 'DNS_TXT_char_str_past_rdlen',
  caaPastRdlen: 'DNS_CAA_char_str_past_rdlen',
  svcbWrongLength: 'DNS_SVBC_wrong_length',
  ednsTruncatedOption: 'EDNS_truncated_option',
  locVersion: 'DNS_LOC_version_unrecognized',
  // Zeek's script-level names for messages that never found their other half.
  unmatchedMsg: 'dns_unmatched_msg',
  unmatchedReply: 'dns_unmatched_reply',
  unmatchedQuantity: 'dns_unmatched_msg_quantity',
  // Ours: limits Zeek does not have.
  tooManyHops: 'DNS_label_too_many_pointers',
  tooManyRecords: 'DNS_too_many_records',
  badLabelType: 'DNS_label_bad_type',
  rdataOverrun: 'DNS_RR_rdata_overrun',
  tcpGap: 'DNS_tcp_gap',
  tcpResyncSkip: 'DNS_tcp_resync_skipped',
  tcpPartialAtEnd: 'DNS_tcp_partial_message',
  stateEvicted: 'DNS_state_evicted',
} as const;

/** Running counts of weirds by name, for reporting; bounded by the fixed set of names above. */
export class DnsWeirdCounts {
  readonly counts = new Map<string, number>();

  /** Adds `n` occurrences of one weird. */
  add(name: string, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  /** Adds every weird a decoded message raised. */
  addAll(names: readonly string[]): void {
    for (let i = 0; i < names.length; i++) this.add(names[i]);
  }

  /** The counts as a plain object sorted by name (for logs and tests). */
  toJSON(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of [...this.counts.keys()].sort()) out[k] = this.counts.get(k)!;
    return out;
  }
}
