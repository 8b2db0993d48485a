/**
 * The information elements Nightjar knows by name: the IANA IPFIX registry ids (which NetFlow v9 field
 * types 1..127 share) with their abstract data types, plus RFC 5103 reverse (biflow) elements. Every
 * other element is still decoded, never misparsed: it lands in `extras` under `ie<id>` or
 * `pen<N>_<id>` with its raw value in hex.
 */

/** Abstract data types (RFC 7012 §3.1) reduced to how a value is rendered. */
export const enum IeType {
  Unsigned = 0,
  Signed = 1,
  Float = 2,
  Ipv4 = 3,
  Ipv6 = 4,
  Mac = 5,
  Str = 6,
  Octets = 7,
  Bool = 8,
  DateSec = 9,
  DateMs = 10,
  DateUs = 11,
  DateNs = 12,
}

/** One known information element. */
export interface ElementDef {
  readonly id: number;
  readonly name: string;
  readonly type: IeType;
}

/** Private Enterprise Number of the RFC 5103 reverse information elements. */
export const REVERSE_PEN = 29305;

const U = IeType.Unsigned;
const V4 = IeType.Ipv4;
const V6 = IeType.Ipv6;
const S = IeType.Str;
const O = IeType.Octets;

// id, name, type: from the IANA "IP Flow Information Export (IPFIX) Entities" registry.
const TABLE: readonly [number, string, IeType][] = [
  [1, 'octetDeltaCount', U], [2, 'packetDeltaCount', U], [3, 'deltaFlowCount', U],
  [4, 'protocolIdentifier', U], [5, 'ipClassOfService', U], [6, 'tcpControlBits', U],
  [7, 'sourceTransportPort', U], [8, 'sourceIPv4Address', V4], [9, 'sourceIPv4PrefixLength', U],
  [10, 'ingressInterface', U], [11, 'destinationTransportPort', U], [12, 'destinationIPv4Address', V4],
  [13, 'destinationIPv4PrefixLength', U], [14, 'egressInterface', U], [15, 'ipNextHopIPv4Address', V4],
  [16, 'bgpSourceAsNumber', U], [17, 'bgpDestinationAsNumber', U], [18, 'bgpNextHopIPv4Address', V4],
  [19, 'postMCastPacketDeltaCount', U], [20, 'postMCastOctetDeltaCount', U],
  [21, 'flowEndSysUpTime', U], [22, 'flowStartSysUpTime', U], [23, 'postOctetDeltaCount', U],
  [24, 'postPacketDeltaCount', U], [25, 'minimumIpTotalLength', U], [26, 'maximumIpTotalLength', U],
  [27, 'sourceIPv6Address', V6], [28, 'destinationIPv6Address', V6], [29, 'sourceIPv6PrefixLength', U],
  [30, 'destinationIPv6PrefixLength', U], [31, 'flowLabelIPv6', U], [32, 'icmpTypeCodeIPv4', U],
  [33, 'igmpType', U], [34, 'samplingInterval', U], [35, 'samplingAlgorithm', U],
  [36, 'flowActiveTimeout', U], [37, 'flowIdleTimeout', U], [38, 'engineType', U], [39, 'engineId', U],
  [40, 'exportedOctetTotalCount', U], [41, 'exportedMessageTotalCount', U],
  [42, 'exportedFlowRecordTotalCount', U], [44, 'sourceIPv4Prefix', V4], [45, 'destinationIPv4Prefix', V4],
  [46, 'mplsTopLabelType', U], [47, 'mplsTopLabelIPv4Address', V4], [48, 'samplerId', U],
  [49, 'samplerMode', U], [50, 'samplerRandomInterval', U], [51, 'classId', U], [52, 'minimumTTL', U],
  [53, 'maximumTTL', U], [54, 'fragmentIdentification', U], [55, 'postIpClassOfService', U],
  [56, 'sourceMacAddress', IeType.Mac], [57, 'postDestinationMacAddress', IeType.Mac], [58, 'vlanId', U],
  [59, 'postVlanId', U], [60, 'ipVersion', U], [61, 'flowDirection', U], [62, 'ipNextHopIPv6Address', V6],
  [63, 'bgpNextHopIPv6Address', V6], [64, 'ipv6ExtensionHeaders', U],
  [70, 'mplsTopLabelStackSection', O], [71, 'mplsLabelStackSection2', O], [72, 'mplsLabelStackSection3', O],
  [73, 'mplsLabelStackSection4', O], [74, 'mplsLabelStackSection5', O], [75, 'mplsLabelStackSection6', O],
  [76, 'mplsLabelStackSection7', O], [77, 'mplsLabelStackSection8', O], [78, 'mplsLabelStackSection9', O],
  [79, 'mplsLabelStackSection10', O], [80, 'destinationMacAddress', IeType.Mac],
  [81, 'postSourceMacAddress', IeType.Mac], [82, 'interfaceName', S], [83, 'interfaceDescription', S],
  [84, 'samplerName', S], [85, 'octetTotalCount', U], [86, 'packetTotalCount', U], [88, 'fragmentOffset', U],
  [89, 'forwardingStatus', U], [90, 'mplsVpnRouteDistinguisher', O], [91, 'mplsTopLabelPrefixLength', U],
  [94, 'applicationDescription', S], [95, 'applicationId', O], [96, 'applicationName', S],
  [98, 'postIpDiffServCodePoint', U], [99, 'multicastReplicationFactor', U],
  [128, 'bgpNextAdjacentAsNumber', U], [129, 'bgpPrevAdjacentAsNumber', U], [130, 'exporterIPv4Address', V4],
  [131, 'exporterIPv6Address', V6], [132, 'droppedOctetDeltaCount', U], [133, 'droppedPacketDeltaCount', U],
  [136, 'flowEndReason', U], [137, 'commonPropertiesId', U], [138, 'observationPointId', U],
  [139, 'icmpTypeCodeIPv6', U], [140, 'mplsTopLabelIPv6Address', V6], [141, 'lineCardId', U],
  [142, 'portId', U], [143, 'meteringProcessId', U], [144, 'exportingProcessId', U], [145, 'templateId', U],
  [148, 'flowId', U], [149, 'observationDomainId', U],
  [150, 'flowStartSeconds', IeType.DateSec], [151, 'flowEndSeconds', IeType.DateSec],
  [152, 'flowStartMilliseconds', IeType.DateMs], [153, 'flowEndMilliseconds', IeType.DateMs],
  [154, 'flowStartMicroseconds', IeType.DateUs], [155, 'flowEndMicroseconds', IeType.DateUs],
  [156, 'flowStartNanoseconds', IeType.DateNs], [157, 'flowEndNanoseconds', IeType.DateNs],
  [158, 'flowStartDeltaMicroseconds', U], [159, 'flowEndDeltaMicroseconds', U],
  [160, 'systemInitTimeMilliseconds', IeType.DateMs], [161, 'flowDurationMilliseconds', U],
  [162, 'flowDurationMicroseconds', U], [176, 'icmpTypeIPv4', U], [177, 'icmpCodeIPv4', U],
  [178, 'icmpTypeIPv6', U], [179, 'icmpCodeIPv6', U], [180, 'udpSourcePort', U],
  [181, 'udpDestinationPort', U], [182, 'tcpSourcePort', U], [183, 'tcpDestinationPort', U],
  [192, 'ipTTL', U], [193, 'nextHeaderIPv6', U], [195, 'ipDiffServCodePoint', U],
  [225, 'postNATSourceIPv4Address', V4], [226, 'postNATDestinationIPv4Address', V4],
  [227, 'postNAPTSourceTransportPort', U], [228, 'postNAPTDestinationTransportPort', U],
  [230, 'natEvent', U], [231, 'initiatorOctets', U], [232, 'responderOctets', U], [233, 'firewallEvent', U],
  [234, 'ingressVRFID', U], [235, 'egressVRFID', U], [236, 'VRFname', S], [239, 'biflowDirection', U],
  [243, 'dot1qVlanId', U], [244, 'dot1qPriority', U], [252, 'ingressPhysicalInterface', U],
  [253, 'egressPhysicalInterface', U], [254, 'postdot1qVlanId', U], [256, 'ethernetType', U],
  [281, 'postNATSourceIPv6Address', V6], [282, 'postNATDestinationIPv6Address', V6],
  [298, 'initiatorPackets', U], [299, 'responderPackets', U], [302, 'selectorId', U],
  [304, 'selectorAlgorithm', U], [305, 'samplingPacketInterval', U], [306, 'samplingPacketSpace', U],
  [309, 'samplingSize', U], [310, 'samplingPopulation', U],
  [323, 'observationTimeMilliseconds', IeType.DateMs], [324, 'observationTimeMicroseconds', IeType.DateUs],
  [325, 'observationTimeNanoseconds', IeType.DateNs],
];

const BY_ID: (ElementDef | undefined)[] = [];
for (const [id, name, type] of TABLE) BY_ID[id] = Object.freeze({ id, name, type });

/** The IANA element with this id, or undefined when Nightjar does not know it by name. */
export function elementById(id: number): ElementDef | undefined {
  return id < BY_ID.length ? BY_ID[id] : undefined;
}

/** The name an element's value is kept under in `extras`: its IANA name, `reverse<Name>`, or `pen<N>_<id>`. */
export function elementKey(pen: number, id: number): string {
  if (pen === 0) return elementById(id)?.name ?? `ie${id}`;
  if (pen === REVERSE_PEN) {
    const fwd = elementById(id);
    if (fwd) return 'reverse' + fwd.name[0].toUpperCase() + fwd.name.slice(1);
  }
  return `pen${pen}_${id}`;
}

/** How an element's value is rendered in `extras` (octets as hex for anything unknown). */
export function elementType(pen: number, id: number): IeType {
  if (pen === 0 || pen === REVERSE_PEN) return elementById(id)?.type ?? IeType.Octets;
  return IeType.Octets;
}
