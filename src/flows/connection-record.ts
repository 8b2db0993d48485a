/**
 * What the flow table emits: one connection summary, field for field what Zeek's conn.log would say,
 * named after the CONNECTIONS fields in src/model/fields.ts (plus VLAN, tunnel and interim details).
 *
 * Interim versus final records: a connection that lives longer than `interimInterval` is reported
 * along the way with `interim: true`. Every interim record carries the *cumulative* counters since the
 * connection began and the same uid as the final record. Consumers that want one row per connection
 * keep only the last record per uid (the final one supersedes all interims; never add them up); those
 * that chart traffic over time can difference consecutive records of a uid.
 */

/** Zeek conn_state values. */
export type ConnState =
  | 'S0'
  | 'S1'
  | 'SF'
  | 'REJ'
  | 'S2'
  | 'S3'
  | 'RSTO'
  | 'RSTR'
  | 'RSTOS0'
  | 'RSTRH'
  | 'SH'
  | 'SHR'
  | 'OTH';

/** Why a record was emitted (the `state_reason` column). */
export type ConnectionEndReason =
  | 'closed' // TCP closed (FIN both ways or RST) and the close delay passed
  | 'timeout' // inactivity, or an unanswered SYN after tcp_attempt_delay
  | 'evicted' // the table was full and this connection was nearest its timeout
  | 'reused' // a new SYN with a new sequence number started a new connection on the same ports
  | 'end_of_input' // flush() at the end of the capture
  | 'interim'; // a progress report of a still-open connection

/** Tunnel the connection was carried in (from its first packet). */
export interface ConnectionTunnel {
  /** Zeek's Tunnel::Type name, lower case: ip, gre, vxlan, geneve, teredo. */
  readonly kind: string;
  /** Outer source and destination addresses of the connection's first packet. */
  readonly src_h: string;
  readonly dst_h: string;
}

/** One connection summary. */
export interface ConnectionRecord {
  /** Time of the first packet, microseconds since the epoch. */
  readonly ts: number;
  /** Zeek-style connection uid ('C' + base62), unique within a run and stable for a given uid seed. */
  readonly uid: string;
  readonly orig_h: string;
  /** Originator port (ICMP: the type of the originator's first message). */
  readonly orig_p: number;
  readonly resp_h: string;
  /** Responder port (ICMP: the counterpart type of a request/reply pair, else the code). */
  readonly resp_p: number;
  /** IANA IP protocol number (6 tcp, 17 udp, 1 icmp, 58 icmp6, 132 sctp, ...). */
  readonly ip_proto: number;
  /** Application protocols set through FlowTable.setService, comma separated, or null. */
  readonly service: string | null;
  /** Seconds from first to last packet; null when zero (Zeek logs '-'), as are the two byte counts. */
  readonly duration: number | null;
  /** Payload bytes; for TCP taken from sequence numbers like Zeek. */
  readonly orig_bytes: number | null;
  readonly resp_bytes: number | null;
  readonly conn_state: ConnState;
  /** Left null: the site model that knows local networks is applied downstream. */
  readonly local_orig: boolean | null;
  readonly local_resp: boolean | null;
  /** Bytes acknowledged by the peer but never seen (content gaps). */
  readonly missed_bytes: number;
  /** Zeek history letters, or null when empty (Zeek logs '-'). */
  readonly history: string | null;
  readonly orig_pkts: number;
  /** Sum of IP total lengths of the originator's packets. */
  readonly orig_ip_bytes: number;
  readonly resp_pkts: number;
  readonly resp_ip_bytes: number;
  /** Time of the last packet that counted towards duration, microseconds. */
  readonly end_ts: number;
  readonly state_reason: ConnectionEndReason;
  /** True for a progress report of a connection still open (see the file comment). */
  readonly interim: boolean;
  /** Outer and inner 802.1Q VLAN ids of the first packet, or null. */
  readonly vlan: number | null;
  readonly inner_vlan: number | null;
  readonly tunnel: ConnectionTunnel | null;
}
