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
 * Written by hand: a few multiplications on bytes already decoded, no allocation.
 */
import { type PacketInfo, TunnelKind } from '../decode/packet/packet-info.js';
import { NETFLOW_PORTS, SFLOW_PORT } from './export-payloads.js';
import { fmix, mix } from './flow-key.js';

/** Ports routed specially, as a bitmap for the hot path: 1 flow-export collector, 2 UDP tunnel. */
const PORT_KIND = new Uint8Array(65536);
for (const p of NETFLOW_PORTS) PORT_KIND[p] = 1;
PORT_KIND[SFLOW_PORT] = 1;
// VXLAN, Geneve, Teredo (the decoder's tunnel ports).
PORT_KIND[4789] = PORT_KIND[6081] = PORT_KIND[3544] = 2;

/** The shard (0 .. count-1) that owns packet `p`, which decoded without error. */
export function flowShard(p: PacketInfo, count: number): number {
  let a: number;
  let b: number;
  if (p.tunnel !== TunnelKind.None) {
    const v6 = p.tunnelIpVersion === 6;
    a = endpointHash(p.tunnelSrc, v6, 0);
    b = endpointHash(p.tunnelDst, v6, 0);
  } else {
    const v6 = p.ipVersion === 6;
    const proto = p.ipProto;
    if (p.transportOk && (proto === 6 || proto === 17 || proto === 132)) {
      const tunnelPort = proto === 17 && (PORT_KIND[p.srcPort] === 2 || PORT_KIND[p.dstPort] === 2);
      a = endpointHash(p.src, v6, tunnelPort ? 0 : p.srcPort);
      b = endpointHash(p.dst, v6, tunnelPort ? 0 : p.dstPort);
      if (proto === 17 && !tunnelPort) {
        const ea = PORT_KIND[p.srcPort] === 1;
        const eb = PORT_KIND[p.dstPort] === 1;
        if (ea || eb) {
          // The collector's endpoint alone (the lower hash when both ports are collector ports).
          const h = ea && eb ? Math.min(a >>> 0, b >>> 0) | 0 : ea ? a : b;
          a = h;
          b = 0;
        }
      }
    } else {
      a = endpointHash(p.src, v6, 0);
      b = endpointHash(p.dst, v6, 0);
    }
  }
  // Addition is commutative: both directions give the same value.
  return (fmix((a + b) | 0) >>> 0) % count;
}

/** A 32-bit hash of an address (4 or 16 bytes) and port. */
function endpointHash(addr: Uint8Array, v6: boolean, port: number): number {
  let h = mix(0x2545f491, port);
  h = mix(h, addr[0] | (addr[1] << 8) | (addr[2] << 16) | (addr[3] << 24));
  if (v6) {
    for (let i = 4; i < 16; i += 4) h = mix(h, addr[i] | (addr[i + 1] << 8) | (addr[i + 2] << 16) | (addr[i + 3] << 24));
  }
  return fmix(h);
}
