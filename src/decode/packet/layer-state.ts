/**
 * The one implementation of Layers: per-packet decoding state, the anomaly counters, the fragment
 * reassembler, and the entry points the layer modules call each other through. PacketDecoder wraps
 * it so that only the decoder's public surface is exported to the rest of Nightjar.
 */
import { DecodeResult, TunnelKind, type PacketInfo } from './packet-info.js';
import type { Layers } from './layers.js';
import { decodeEthernet, decodeEtherType } from './ethernet.js';
import { FragmentReassembler, type WeirdSink } from './fragments.js';
import { decodeIp4 } from './ip4.js';
import { decodeIp6 } from './ip6.js';
import { Weird, type WeirdCode } from './weird-codes.js';

/** Decoding state shared by the layer modules, reset for every packet. */
export class LayerState implements Layers, WeirdSink {
  readonly weirds = new Map<string, number>();
  readonly frags: FragmentReassembler;
  out: PacketInfo;
  depth = 0;
  reassembledDepth = -1;
  partial = false;
  tunnelPending = false;
  pendingKind = TunnelKind.None;
  pendingSrcPort = 0;
  pendingDstPort = 0;
  pendingId = -1;

  constructor(
    readonly maxDepth: number,
    fragmentTimeoutMicros: number,
    maxFragmentBytes: number,
    out: PacketInfo,
  ) {
    this.frags = new FragmentReassembler(this, fragmentTimeoutMicros, maxFragmentBytes);
    this.out = out;
  }

  /** Starts a packet. */
  begin(out: PacketInfo): void {
    this.out = out;
    this.depth = 0;
    this.reassembledDepth = -1;
    this.partial = false;
    this.tunnelPending = false;
  }

  /** Counts an anomaly of the current packet and records it in `out.weird`. */
  weird(code: WeirdCode): void {
    this.out.weird = code;
    this.weirds.set(code, (this.weirds.get(code) ?? 0) + 1);
  }

  /** Counts an anomaly not attached to the current packet (fragment table housekeeping). */
  count(code: WeirdCode): void {
    this.weirds.set(code, (this.weirds.get(code) ?? 0) + 1);
  }

  /** Layer entry point: an Ethernet frame. */
  ethernet(buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
    return decodeEthernet(this, buf, off, end, wend);
  }

  /** Layer entry point: a payload named by an ethertype. */
  etherType(type: number, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
    return decodeEtherType(this, type, buf, off, end, wend);
  }

  /** Layer entry point: an IP packet of either version. */
  ip(buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
    if (end - off < 20) {
      this.weird(Weird.truncatedIp);
      return DecodeResult.Malformed;
    }
    const version = buf[off] >> 4;
    if (version === 4) return decodeIp4(this, buf, off, end, wend);
    if (version === 6) return decodeIp6(this, buf, off, end, wend);
    this.weird(Weird.unknownIpVersion);
    return DecodeResult.Malformed;
  }
}
