/**
 * Which of several parallel capture decoders owns a packet: a hash of the packet's flow that is the
 * same in both directions, so every packet of a connection, and so its DNS transactions and
 * application state, lands in one decoder with its own flow table. Packets are routed so that the
 * rows of all shards together are the rows of one decoder:
 *
 * - tunnelled packets by their outer addresses (inner connections are keyed by them, whatever the
 *   outer ports, which differ per direction in Geneve and VXLAN), and UDP on a tunnel port by its
 *   addresses too: a tunnel's own connections and every connection inside it stay together, so
 *   tunnel_parents are right;
 * - TCP, UDP and SCTP by addresses and ports; UDP to or from a flow-export collector port (NetFlow,
 *   IPFIX, sFlow) by the collector's endpoint only, so all of an exporter's datagrams, whatever its
 *   source port, meet the same template state;
 * - ICMP and other protocols by the two addresses (ICMP connections are keyed by message types).
 *
 * Written by hand: a few multiplications on address words already decoded, no allocation.
 */
import { type PacketInfo, TunnelKind } from '../decode/packet/packet-info.js';
import { NETFLOW_PORTS, SFLOW_PORT } from './export-payloads.js';
import { fmix, mix, words } from './flow-key.js';

/** Ports routed specially, as a bitmap for the hot path: 1 flow-export collector, 2 UDP tunnel. */
const PORT_KIND = new Uint8Array(65536);
for (const p of NETFLOW_PORTS) PORT_KIND[p] = 1;
PORT_KIND[SFLOW_PORT] = 1;
// VXLAN, Geneve, Teredo (the decoder's tunnel ports).
PORT_KIND[4789] = PORT_KIND[6081] = PORT_KIND[3544] = 2;

/** Decides the shard of the packets decoded into one PacketInfo, reading its addresses as words. */
export class FlowSharder {
  private readonly src: Uint32Array;
  private readonly dst: Uint32Array;
  private readonly tunnelSrc: Uint32Array;
  private readonly tunnelDst: Uint32Array;

  constructor(
    private readonly p: PacketInfo,
    private readonly count: number,
  ) {
    this.src = words(p.src);
    this.dst = words(p.dst);
    this.tunnelSrc = words(p.tunnelSrc);
    this.tunnelDst = words(p.tunnelDst);
  }

  /** The shard (0 .. count-1) that owns the packet now in the PacketInfo, which decoded without error. */
  shard(): number {
    const p = this.p;
    let a: number;
    let b: number;
    if (p.tunnel !== TunnelKind.None) {
      const v6 = p.tunnelIpVersion === 6;
      a = endpointHash(this.tunnelSrc, v6, 0);
      b = endpointHash(this.tunnelDst, v6, 0);
    } else {
      const v6 = p.ipVersion === 6;
      const proto = p.ipProto;
      if (p.transportOk && (proto === 6 || proto === 17 || proto === 132)) {
        const sp = p.srcPort;
        const dp = p.dstPort;
        const ks = proto === 17 ? PORT_KIND[sp] : 0;
        const kd = proto === 17 ? PORT_KIND[dp] : 0;
        const tunnelPort = ks === 2 || kd === 2;
        a = endpointHash(this.src, v6, tunnelPort ? 0 : sp);
        b = endpointHash(this.dst, v6, tunnelPort ? 0 : dp);
        if (!tunnelPort && (ks === 1 || kd === 1)) {
          // The collector's endpoint alone (the lower hash when both ports are collector ports).
          a = ks === 1 && kd === 1 ? (Math.min(a >>> 0, b >>> 0) | 0) : ks === 1 ? a : b;
          b = 0;
        }
      } else {
        a = endpointHash(this.src, v6, 0);
        b = endpointHash(this.dst, v6, 0);
      }
    }
    // Addition is commutative: both directions give the same value. Multiply-shift, not %, keeps
    // the arithmetic in 32-bit integers.
    return ((fmix((a + b) | 0) >>> 16) * this.count) >>> 16;
  }
}

/** A 32-bit hash of an address (1 word for IPv4, 4 for IPv6) and port. */
function endpointHash(w: Uint32Array, v6: boolean, port: number): number {
  let h = mix(0x2545f491, port);
  h = mix(h, w[0]);
  if (v6) {
    h = mix(h, w[1]);
    h = mix(h, w[2]);
    h = mix(h, w[3]);
  }
  return fmix(h);
}
