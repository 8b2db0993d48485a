/**
 * Configuration of the flow table: timeouts (Zeek's defaults), memory bound, key composition and
 * interim records. Validated once (unknown keys rejected) and frozen.
 */
import { NightjarError } from '../model/errors.js';
import { ZEEK_LIKELY_SERVER_PORTS_TCP, ZEEK_LIKELY_SERVER_PORTS_UDP } from './likely-server-ports.js';

const SECOND = 1_000_000;
/** Upper bound of maxFlows. */
export const MAX_FLOWS = 4_000_000;

/** Options of a FlowTable; every time is in microseconds of capture time, 0 meaning "never". */
export interface FlowTableOptions {
  /**
   * Most connections held at once (at most 4 M). Their records (448 bytes each) are reserved up front
   * but take memory only once used. When full, a new connection first makes the table emit the
   * queued connection with the earliest deadline (closing connections go first), marked 'evicted'.
   */
  maxFlows?: number;
  /** Connections the hash index is first sized for (it doubles as needed, up to maxFlows). */
  initialCapacity?: number;
  /** Zeek tcp_inactivity_timeout (5 min). */
  tcpInactivityTimeout?: number;
  /** Zeek udp_inactivity_timeout (1 min); Zeek also applies it to TCP connections still in their handshake. */
  udpInactivityTimeout?: number;
  /** Zeek icmp_inactivity_timeout (1 min). */
  icmpInactivityTimeout?: number;
  /** Zeek unknown_ip_inactivity_timeout (1 min), for protocols other than TCP, UDP and ICMP. */
  unknownIpInactivityTimeout?: number;
  /** Zeek tcp_attempt_delay (5 s): a SYN with no answer is logged (S0) this long after it was sent. */
  tcpAttemptDelay?: number;
  /** Zeek tcp_close_delay (5 s): state kept this long after a connection fully closed (or was reset). */
  tcpCloseDelay?: number;
  /** Zeek tcp_reset_delay (5 s): state kept this long after a RST that follows the sender's own FIN. */
  tcpResetDelay?: number;
  /** Emit an interim record every this often for a long-lived connection (0: never). Default 5 min. */
  interimInterval?: number;
  /** Include the 802.1Q VLAN ids in the connection key (Zeek's vlan_fivetuple key). Default true. */
  vlanInKey?: boolean;
  /** Include the tunnel kind and outer addresses in the key of tunnelled connections. Default true. */
  tunnelInKey?: boolean;
  /** TCP ports treated as likely server ports (replaces Zeek's default list). */
  likelyServerPortsTcp?: readonly number[];
  /** UDP ports treated as likely server ports (replaces Zeek's default list). */
  likelyServerPortsUdp?: readonly number[];
  /** Seed of the connection uids, so two runs over the same input give the same uids. Default 0. */
  uidSeed?: number;
}

/** Options with every default filled in. */
export type ResolvedFlowTableOptions = Readonly<Required<FlowTableOptions>>;

/** Zeek's defaults (scripts/base/init-bare.zeek) and Nightjar's memory bound. */
export const FLOW_TABLE_DEFAULTS: ResolvedFlowTableOptions = Object.freeze({
  maxFlows: 1_000_000,
  initialCapacity: 4096,
  tcpInactivityTimeout: 300 * SECOND,
  udpInactivityTimeout: 60 * SECOND,
  icmpInactivityTimeout: 60 * SECOND,
  unknownIpInactivityTimeout: 60 * SECOND,
  tcpAttemptDelay: 5 * SECOND,
  tcpCloseDelay: 5 * SECOND,
  tcpResetDelay: 5 * SECOND,
  interimInterval: 300 * SECOND,
  vlanInKey: true,
  tunnelInKey: true,
  likelyServerPortsTcp: ZEEK_LIKELY_SERVER_PORTS_TCP,
  likelyServerPortsUdp: ZEEK_LIKELY_SERVER_PORTS_UDP,
  uidSeed: 0,
});

/** Checks options against the defaults' shape and returns a frozen, complete copy. */
export function resolveFlowTableOptions(opts: FlowTableOptions = {}): ResolvedFlowTableOptions {
  const out: Record<string, unknown> = { ...FLOW_TABLE_DEFAULTS };
  for (const [k, v] of Object.entries(opts)) {
    if (!(k in FLOW_TABLE_DEFAULTS)) throw bad(`unknown flow table option '${k}'`);
    if (v === undefined) continue;
    const def = (FLOW_TABLE_DEFAULTS as Record<string, unknown>)[k];
    if (typeof def === 'boolean') {
      if (typeof v !== 'boolean') throw bad(`flow table option '${k}' must be true or false`);
    } else if (Array.isArray(def)) {
      if (!Array.isArray(v) || !v.every((p) => Number.isInteger(p) && p >= 0 && p <= 65535)) {
        throw bad(`flow table option '${k}' must be a list of port numbers`);
      }
    } else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (k !== 'uidSeed' && !Number.isInteger(v))) {
      throw bad(`flow table option '${k}' must be a non-negative number`);
    }
    out[k] = v;
  }
  if ((out.maxFlows as number) < 1) throw bad(`flow table option 'maxFlows' must be at least 1`);
  // Records live in one ArrayBuffer indexed with 32-bit arithmetic: 4 M records of 448 bytes is 1.8 GB.
  if ((out.maxFlows as number) > MAX_FLOWS) throw bad(`flow table option 'maxFlows' must be at most ${MAX_FLOWS}`);
  return Object.freeze(out) as ResolvedFlowTableOptions;
}

function bad(message: string): NightjarError {
  return new NightjarError('NJ_USAGE', message);
}
