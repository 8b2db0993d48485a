/**
 * Decodes one captured packet from its link layer down to the transport header, filling a reused
 * PacketInfo. Allocation-free per packet: every read is bounds-checked arithmetic on the capture's
 * own bytes, anomalies are constant codes counted in `weirds`, and nothing throws. IP fragments are
 * held and reassembled across calls, so one decoder serves one capture (or one ordered stream).
 *
 * After a reassembly `out.buf` is the decoder's own buffer, valid until the next decode() call.
 */
import { DecodeResult, PacketInfo } from './packet-info.js';
import { LayerState } from './layer-state.js';
import { decodeLink } from './link.js';
import { Weird } from './weird-codes.js';

/** Options of a PacketDecoder; all have defaults. */
export interface PacketDecoderOptions {
  /** Capture time after which an incomplete datagram is dropped (default 30 s). */
  fragmentTimeoutMicros?: number;
  /** Bytes all incomplete datagrams may hold together (default 64 MiB). */
  maxFragmentBytes?: number;
  /** Most tunnel layers decoded in one packet (default 4). */
  maxTunnelDepth?: number;
}

/** Default bounds, as documented on PacketDecoderOptions. */
export const PACKET_DECODER_DEFAULTS = Object.freeze({
  fragmentTimeoutMicros: 30_000_000,
  maxFragmentBytes: 64 * 1024 * 1024,
  maxTunnelDepth: 4,
});

const EMPTY = new Uint8Array(0);

/** Decodes packets into PacketInfo, keeping fragment state and anomaly counts between calls. */
export class PacketDecoder {
  /** Anomalies seen so far, by code (see weird-codes.ts). */
  readonly weirds: Map<string, number>;
  private readonly state: LayerState;

  constructor(opts: PacketDecoderOptions = {}) {
    this.state = new LayerState(
      opts.maxTunnelDepth ?? PACKET_DECODER_DEFAULTS.maxTunnelDepth,
      opts.fragmentTimeoutMicros ?? PACKET_DECODER_DEFAULTS.fragmentTimeoutMicros,
      opts.maxFragmentBytes ?? PACKET_DECODER_DEFAULTS.maxFragmentBytes,
      new PacketInfo(),
    );
    this.weirds = this.state.weirds;
  }

  /**
   * Decodes the packet in `buf[offset, offset + capLen)` captured with link type `linkType`.
   * `wireLen` is its length on the wire; `tsMicros` its capture time (fragment timeouts use it).
   */
  decode(
    linkType: number,
    buf: Uint8Array,
    offset: number,
    capLen: number,
    wireLen: number,
    tsMicros: number,
    out: PacketInfo,
  ): DecodeResult {
    out.reset();
    out.buf = buf;
    out.tsMicros = tsMicros;
    out.capLen = capLen;
    out.wireLen = wireLen;
    const s = this.state;
    s.begin(out);
    if (!(offset >= 0 && capLen >= 0 && offset <= buf.length)) {
      out.buf = EMPTY;
      s.weird(Weird.truncatedIp);
      return DecodeResult.Malformed;
    }
    let end = offset + capLen;
    if (end > buf.length) end = buf.length;
    const wend = wireLen > capLen ? offset + wireLen : offset + capLen;
    return decodeLink(s, linkType, buf, offset, end, wend);
  }

  /** Bytes held by incomplete IP datagrams. */
  get fragmentBytes(): number {
    return this.state.frags.bytesInUse;
  }

  /** Incomplete IP datagrams held. */
  get pendingFragments(): number {
    return this.state.frags.pending;
  }
}
