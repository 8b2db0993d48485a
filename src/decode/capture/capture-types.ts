/**
 * The contract shared by the capture-file readers (pcap, pcapng and the sniffing front end): how a
 * reader hands over packets and problems, and the bounds every reader applies to untrusted lengths.
 * Readers never do I/O and never allocate per packet: a packet is a window (buf, offset, capLen) into
 * the pushed chunk, or into the reader's carry buffer when the record spanned two chunks.
 */

/**
 * Receives one packet. `buf` is only valid during the call (it is the pushed chunk or a reused carry
 * buffer); `interfaceId` is 0 for pcap and, for pcapng, the ordinal of the packet's Interface
 * Description Block counted across every section of the file.
 */
export type PacketHandler = (
  linkType: number,
  tsMicros: number,
  buf: Uint8Array,
  offset: number,
  capLen: number,
  wireLen: number,
  interfaceId: number,
) => void;

/**
 * Receives one problem: a short stable `code` (`truncated_record`, `bad_block_length`, `bad_caplen`,
 * `unknown_interface`, `bad_magic`), the file offset of the record concerned, and an optional detail.
 */
export type ProblemHandler = (code: string, offset: number, detail?: string) => void;

/** A streaming capture reader: chunks in, packets and problems out through the handlers. */
export interface CaptureReader {
  /** Feeds the next chunk of the file; packets inside it are delivered before push returns. */
  push(chunk: Buffer): void;
  /** Signals the end of the file; reports a record cut short by the end of the file. */
  finish(): void;
}

/** Largest pcapng block accepted; anything bigger is taken as corruption, never allocated. */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;

/** Largest pcap captured length accepted (libpcap's MAXIMUM_SNAPLEN). */
export const MAX_PCAP_CAPLEN = 256 * 1024;
