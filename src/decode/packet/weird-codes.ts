/**
 * The anomaly codes the packet decoders count. Where Zeek has a weird for the same condition we use
 * its name, so a Nightjar count can be checked against a Zeek weird.log of the same trace.
 */
export const Weird = {
  // Link layers.
  unknownLinkType: 'unknown_link_type',
  truncatedEthernet: 'truncated_ethernet_frame',
  truncatedLlc: 'truncated_LLC_header',
  truncatedVlan: 'truncated_VLAN_header',
  truncatedMpls: 'truncated_MPLS_header',
  unknownMplsPayload: 'unknown_MPLS_payload',
  truncatedPppoe: 'truncated_PPPoE_header',
  badPppoe: 'bad_PPPoE_header',
  truncatedSll: 'truncated_Linux_SLL_header',
  truncatedSll2: 'truncated_Linux_SLL2_header',
  truncatedNull: 'truncated_NULL_header',
  truncatedNflog: 'truncated_NFLOG_header',
  unknownNflogVersion: 'unknown_NFLOG_version',
  badNflogTlv: 'bad_NFLOG_TLV',
  truncatedPpp: 'truncated_PPP_header',
  truncatedHdlc: 'truncated_HDLC_header',
  truncatedPflog: 'truncated_PFLOG_header',
  truncated80211: 'truncated_802_11_header',
  truncatedRadiotap: 'truncated_radiotap_header',

  // IP (names and order of checks follow Zeek's IP analyzer).
  truncatedIp: 'truncated_IP',
  unknownIpVersion: 'unknown_ip_version',
  ipHdrLenZero: 'ip_hdr_len_zero',
  truncatedIpLen: 'truncated_IP_len',
  invalidIpHeaderSize: 'invalid_IP_header_size',
  internallyTruncatedHeader: 'internally_truncated_header',
  ipv4MinHeaderSize: 'IPv4_min_header_size',
  truncatedIpv6Ext: 'truncated_IPv6_ext_header',
  ipv6NoNext: 'ipv6_no_next',
  truncatedAh: 'truncated_AH_header',

  // Fragments (Zeek's Frag.cc names, plus the table's own bounds).
  fragmentWithDf: 'fragment_with_DF',
  excessivelySmallFragment: 'excessively_small_fragment',
  excessivelyLargeFragment: 'excessively_large_fragment',
  fragmentSizeInconsistency: 'fragment_size_inconsistency',
  fragmentProtocolInconsistency: 'fragment_protocol_inconsistency',
  fragmentOverlap: 'fragment_overlap',
  fragmentInconsistency: 'fragment_inconsistency',
  incompletelyCapturedFragment: 'incompletely_captured_fragment',
  fragmentTooManyHoles: 'fragment_too_many_holes',
  fragmentInReassembled: 'fragment_in_reassembled_packet',
  /** Counted when an incomplete datagram is dropped for age (not attached to the current packet). */
  fragmentTimeout: 'fragment_timeout',
  /** Counted when an incomplete datagram is dropped to stay within the byte bound. */
  fragmentTableFull: 'fragment_table_full',

  // Transport.
  truncatedHeader: 'truncated_header',
  badTcpHeaderLen: 'bad_TCP_header_len',
  udpLengthMismatch: 'UDP_datagram_length_mismatch',

  // Tunnels.
  exceededTunnelMaxDepth: 'exceeded_tunnel_max_depth',
  invalidInnerIpVersion: 'invalid_inner_IP_version',
  truncatedGre: 'truncated_GRE',
  unknownGreVersion: 'unknown_gre_version',
  truncatedErspan: 'truncated_ERSPAN',
  teredoBubbleWithPayload: 'Teredo_bubble_with_payload',
} as const;

/** One of the codes above. */
export type WeirdCode = (typeof Weird)[keyof typeof Weird];
