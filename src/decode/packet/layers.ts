/**
 * What the layer decoders share while one packet is decoded. The entry points of the other layers are
 * reached through this interface (implemented once, by PacketDecoder) so that tunnels can start over
 * at Ethernet or IP without the layer modules importing each other in a cycle.
 *
 * Every decoder takes `end` (the end of the captured bytes it may read) and `wend` (where the data
 * ends on the wire, or per the enclosing header; `wend >= end`). Reads stay below `end`; length checks
 * that Zeek makes against the wire length use `wend`.
 */
import type { DecodeResult, PacketInfo, TunnelKind } from './packet-info.js';
import type { FragmentReassembler } from './fragments.js';
import type { WeirdCode } from './weird-codes.js';

/** Shared state and cross-layer entry points for decoding one packet. */
export interface Layers {
  /** The packet being filled. */
  readonly out: PacketInfo;
  /** IPv4 and IPv6 reassembly state, kept across packets. */
  readonly frags: FragmentReassembler;
  /** Tunnel layers entered so far in this packet. */
  depth: number;
  /** Most tunnel layers a packet may nest. */
  readonly maxDepth: number;
  /** Depth at which the buffer being decoded was reassembled, or -1. */
  reassembledDepth: number;
  /** The packet being decoded is a first fragment taken as it is (its transport lengths cover more). */
  partial: boolean;
  /** A tunnel layer was entered and its carrier is not recorded yet (see tunnels.ts). */
  tunnelPending: boolean;
  pendingKind: TunnelKind;
  pendingSrcPort: number;
  pendingDstPort: number;
  pendingId: number;
  /** Counts an anomaly of this packet and records it in `out.weird`. */
  weird(code: WeirdCode): void;
  /** Decodes from an Ethernet header. */
  ethernet(buf: Uint8Array, off: number, end: number, wend: number): DecodeResult;
  /** Decodes a payload identified by an ethertype (VLAN tags, MPLS, PPPoE, IP). */
  etherType(type: number, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult;
  /** Decodes an IP packet, version taken from its first nibble. */
  ip(buf: Uint8Array, off: number, end: number, wend: number): DecodeResult;
}
