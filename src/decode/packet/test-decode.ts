/**
 * Test support: decodes one crafted packet with a fresh (or given) decoder and returns what came
 * out, so each test reads as input and expectations.
 */
import { PacketDecoder } from './decode-packet.js';
import { DecodeResult, LinkType, PacketInfo } from './packet-info.js';
import { addr } from './packet-builder.js';

/** What one decode produced. */
export interface Decoded {
  result: DecodeResult;
  /** The result's name, for readable assertion messages. */
  name: string;
  out: PacketInfo;
  decoder: PacketDecoder;
}

const NAMES = ['Ok', 'FragmentHeld', 'NotIp', 'Malformed', 'Unsupported'];

/** Options for decodeBytes(). */
export interface DecodeOptions {
  linkType?: number;
  decoder?: PacketDecoder;
  out?: PacketInfo;
  /** Bytes captured (default all) and length on the wire (default the captured length). */
  capLen?: number;
  wireLen?: number;
  ts?: number;
}

/** Decodes `bytes` as one captured packet (Ethernet unless told otherwise). */
export function decodeBytes(bytes: Uint8Array, o: DecodeOptions = {}): Decoded {
  const decoder = o.decoder ?? new PacketDecoder();
  const out = o.out ?? new PacketInfo();
  const capLen = o.capLen ?? bytes.length;
  const result = decoder.decode(
    o.linkType ?? LinkType.ETHERNET,
    bytes,
    0,
    capLen,
    o.wireLen ?? capLen,
    o.ts ?? 1_700_000_000_000_000,
    out,
  );
  return { result, name: NAMES[result], out, decoder };
}

/** Whether the address bytes at the start of `field` are those of `text` (IPv4 or IPv6). */
export function isAddr(field: Uint8Array, text: string): boolean {
  const a = addr(text);
  for (let i = 0; i < a.length; i++) if (field[i] !== a[i]) return false;
  return true;
}
