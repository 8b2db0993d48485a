/**
 * What the sFlow v5 decoder hands out: the reused flow-sample view, the per-sample interface health
 * record, the sink that receives them, the per-datagram result and the running statistics. Kept apart
 * from the decoding code so consumers (the collector, the row writer) depend on shapes, not on parsing.
 */

/** Bounded reason codes for damaged datagrams; each is counted in SflowStats.malformed. */
export type SflowErrorCode =
  | 'truncated_header' // shorter than the datagram header (28 bytes for IPv4 agents, 40 for IPv6)
  | 'bad_version' // version field is not 5
  | 'bad_agent_type' // agent address type neither 1 (IPv4) nor 2 (IPv6)
  | 'absurd_sample_count' // more samples announced than the datagram could hold
  | 'sample_past_end' // a sample's length runs past the datagram
  | 'sample_too_short' // a sample shorter than its fixed fields
  | 'absurd_record_count' // more records announced than the sample could hold
  | 'record_past_sample' // a record's length runs past its sample
  | 'record_too_short' // a known record shorter than its fixed fields
  | 'zero_length_record' // a record of length 0 (skipped)
  | 'missing_samples'; // fewer samples than announced before the datagram ended

/** Interface encodings of sFlow: 0 an ifIndex, 1 a discard reason, 2 a count of output interfaces. */
export const enum SflowIfFormat {
  IfIndex = 0,
  Discarded = 1,
  Multiple = 2,
}

/** Longest AS path and community list kept per gateway record; the rest are counted, not stored. */
export const MAX_AS_PATH = 64;
/** Longest community list kept per gateway record. */
export const MAX_COMMUNITIES = 64;

/**
 * One flow sample and its records. The decoder reuses a single instance: it is valid only during the
 * sink call, so a sink that keeps data copies what it needs (writeSflowRow does exactly that).
 */
export class SflowFlowSample {
  /** Datagram context: arrival time, UDP source, agent address and sub-agent, agent uptime. */
  tsMicros = 0;
  exporter = '';
  agent = '';
  subAgentId = 0;
  uptimeMs = 0;

  /** Sample header (compact format 1 or expanded format 3). */
  expanded = false;
  /** Bytes of the sample body, per its length field. */
  sampleLength = 0;
  sequence = 0;
  sourceIdType = 0;
  sourceIdIndex = 0;
  samplingRate = 0;
  samplePool = 0;
  drops = 0;
  inputFormat = 0;
  inputValue = 0;
  outputFormat = 0;
  outputValue = 0;
  records = 0;

  /** Raw packet header record (1): header protocol, frame length (with stripped bytes), header size. */
  hasHeader = false;
  headerProtocol = 0;
  frameLength = 0;
  stripped = 0;
  headerLength = 0;

  /** Where the 5-tuple came from: 0 none, 1 the decoded raw header, 3 sampled IPv4, 4 sampled IPv6. */
  tupleSource = 0;
  ipVersion = 0;
  readonly src = new Uint8Array(16);
  readonly dst = new Uint8Array(16);
  ipProto = 0;
  srcPort = 0;
  dstPort = 0;
  /** Ports are known (transport header captured, or a sampled IPv4/IPv6 record). */
  portsOk = false;
  tcpFlags = 0;
  /** IP length per the IP header (or the sampled IPv4/IPv6 record's length), 0 when unknown. */
  ipLen = 0;
  /** TOS (IPv4) or priority (IPv6) of a sampled IPv4/IPv6 record, -1 when absent. */
  tos = -1;
  /** VLAN tags found in the decoded header, -1 when absent. */
  vlan = -1;
  innerVlan = -1;

  /** Sampled Ethernet record (2). */
  hasEthernet = false;
  ethLength = 0;
  readonly srcMac = new Uint8Array(6);
  readonly dstMac = new Uint8Array(6);
  ethType = 0;

  /** Extended switch record (1001). */
  hasSwitch = false;
  srcVlan = 0;
  srcPriority = 0;
  dstVlan = 0;
  dstPriority = 0;

  /** Extended router record (1002). */
  hasRouter = false;
  routerNextHop = '';
  srcMask = 0;
  dstMask = 0;

  /** Extended gateway record (1003); asPath/communities hold asPathLength/communityCount entries. */
  hasGateway = false;
  gatewayNextHop = '';
  routerAs = 0;
  srcAs = 0;
  srcPeerAs = 0;
  readonly asPath = new Uint32Array(MAX_AS_PATH);
  asPathLength = 0;
  readonly communities = new Uint32Array(MAX_COMMUNITIES);
  communityCount = 0;
  localPref = 0;
  /** AS path entries or communities beyond the kept maximum. */
  gatewayTruncated = false;

  /** Extended user (1004) and URL (1005) records; null when absent. */
  srcUser: string | null = null;
  dstUser: string | null = null;
  url: string | null = null;
  urlHost: string | null = null;
  urlDirection = 0;

  /** Records of a format this decoder does not read, skipped by their length. */
  unknownRecords = 0;

  /** Packets this sample stands for (the sampling rate, at least 1). */
  get scaledPackets(): number {
    return this.samplingRate > 0 ? this.samplingRate : 1;
  }

  /** Bytes this sample stands for: the frame length times the sampling rate. */
  get scaledBytes(): number {
    return this.frameLength * this.scaledPackets;
  }

  /** Clears everything a record sets, before the next sample. */
  resetRecords(): void {
    this.hasHeader = this.hasEthernet = this.hasSwitch = this.hasRouter = this.hasGateway = false;
    this.headerProtocol = this.frameLength = this.stripped = this.headerLength = 0;
    this.tupleSource = this.ipVersion = this.ipProto = this.srcPort = this.dstPort = this.tcpFlags = this.ipLen = 0;
    this.portsOk = false;
    this.tos = this.vlan = this.innerVlan = -1;
    this.ethLength = this.ethType = 0;
    this.srcVlan = this.srcPriority = this.dstVlan = this.dstPriority = 0;
    this.routerNextHop = this.gatewayNextHop = '';
    this.srcMask = this.dstMask = this.routerAs = this.srcAs = this.srcPeerAs = this.localPref = 0;
    this.asPathLength = this.communityCount = 0;
    this.gatewayTruncated = false;
    this.srcUser = this.dstUser = this.url = this.urlHost = null;
    this.urlDirection = 0;
    this.unknownRecords = 0;
  }
}

/** Generic interface counters (counter record 1), as the agent reports them. */
export interface SflowGenericCounters {
  ifIndex: number;
  ifType: number;
  ifSpeed: number;
  /** 0 unknown, 1 full-duplex, 2 half-duplex, 3 in, 4 out. */
  ifDirection: number;
  /** Bit 0 admin up, bit 1 oper up. */
  ifStatus: number;
  inOctets: number;
  inUcastPkts: number;
  inMulticastPkts: number;
  inBroadcastPkts: number;
  inDiscards: number;
  inErrors: number;
  inUnknownProtos: number;
  outOctets: number;
  outUcastPkts: number;
  outMulticastPkts: number;
  outBroadcastPkts: number;
  outDiscards: number;
  outErrors: number;
  promiscuousMode: number;
}

/** Ethernet interface counters (counter record 2, the dot3Stats group). */
export interface SflowEthernetCounters {
  alignmentErrors: number;
  fcsErrors: number;
  singleCollisionFrames: number;
  multipleCollisionFrames: number;
  sqeTestErrors: number;
  deferredTransmissions: number;
  lateCollisions: number;
  excessiveCollisions: number;
  internalMacTransmitErrors: number;
  carrierSenseErrors: number;
  frameTooLongs: number;
  internalMacReceiveErrors: number;
  symbolErrors: number;
}

/** One counter sample as an interface health record (a fresh object the caller may keep). */
export interface SflowCounterSample {
  tsMicros: number;
  exporter: string;
  agent: string;
  subAgentId: number;
  uptimeMs: number;
  expanded: boolean;
  /** Bytes of the sample body, per its length field. */
  sampleLength: number;
  sequence: number;
  sourceIdType: number;
  sourceIdIndex: number;
  /** The generic record's ifIndex, else the source id index. */
  ifIndex: number;
  generic: SflowGenericCounters | null;
  ethernet: SflowEthernetCounters | null;
  /** Counter record formats present but not decoded (enterprise << 12 | format). */
  unknownRecords: number[];
}

/** Receives what one datagram holds, in datagram order. */
export interface SflowSink {
  /** One flow sample; the object is reused after the call returns. */
  flowSample(sample: SflowFlowSample): void;
  /** One counter sample; the object is the caller's to keep. */
  counterSample(sample: SflowCounterSample): void;
}

/** What one datagram gave; the decoder reuses this object for the next datagram. */
export interface SflowResult {
  /** True when the whole datagram was read without damage. */
  ok: boolean;
  /** The first damage found, or null. */
  error: SflowErrorCode | null;
  /** Datagram header fields (0 / '' when the header was unreadable). */
  agent: string;
  subAgentId: number;
  sequence: number;
  uptimeMs: number;
  /** Samples announced by the header. */
  announced: number;
  flowSamples: number;
  counterSamples: number;
  /** Samples of other formats (or enterprises), skipped by their length. */
  skippedSamples: number;
}

/** Running counts of one decoder, for metrics and for the lost-samples gauge. */
export interface SflowStats {
  datagrams: number;
  flowSamples: number;
  counterSamples: number;
  unknownSamples: number;
  unknownFlowRecords: number;
  unknownCounterRecords: number;
  /** Raw headers the packet decoder could not take down to IP. */
  undecodedHeaders: number;
  /** Datagrams missing from an agent's datagram sequence. */
  lostDatagrams: number;
  /** Samples missing from a source's sample sequence. */
  lostSamples: number;
  /** Sequences that went back to a small value or whose agent uptime went back: counting started over. */
  restarts: number;
  /** Sequence numbers seen again or late (not counted as loss). */
  duplicates: number;
  outOfOrder: number;
  /** Agents or sources not tracked because the tracking tables were full. */
  untracked: number;
  /** Damaged datagrams, by reason code. */
  malformed: Record<SflowErrorCode, number>;
}

/** A zeroed statistics object. */
export function newSflowStats(): SflowStats {
  return {
    datagrams: 0,
    flowSamples: 0,
    counterSamples: 0,
    unknownSamples: 0,
    unknownFlowRecords: 0,
    unknownCounterRecords: 0,
    undecodedHeaders: 0,
    lostDatagrams: 0,
    lostSamples: 0,
    restarts: 0,
    duplicates: 0,
    outOfOrder: 0,
    untracked: 0,
    malformed: {
      truncated_header: 0,
      bad_version: 0,
      bad_agent_type: 0,
      absurd_sample_count: 0,
      sample_past_end: 0,
      sample_too_short: 0,
      absurd_record_count: 0,
      record_past_sample: 0,
      record_too_short: 0,
      zero_length_record: 0,
      missing_samples: 0,
    },
  };
}
