/**
 * nfdump stores addresses in host (little-endian) order: an IPv4 address as one uint32, an IPv6
 * address as two uint64 with the high half first. These helpers turn them into text through the
 * shared dotted-quad and RFC 5952 formatters.
 */
import { ipv4Text, ipv6Text } from '../dns/dns-text.js';

const scratch = new Uint8Array(16);

/** Text of the little-endian IPv4 address at b[p, p + 4). */
export function ipv4LeText(b: Uint8Array, p: number): string {
  scratch[0] = b[p + 3];
  scratch[1] = b[p + 2];
  scratch[2] = b[p + 1];
  scratch[3] = b[p];
  return ipv4Text(scratch, 0);
}

/** Text of the IPv6 address at b[p, p + 16) stored as two little-endian uint64 (high half first). */
export function ipv6LeText(b: Uint8Array, p: number): string {
  for (let i = 0; i < 8; i++) {
    scratch[i] = b[p + 7 - i];
    scratch[8 + i] = b[p + 15 - i];
  }
  return ipv6Text(scratch, 0);
}

/** Little-endian unsigned integers; 64-bit values as numbers (exact below 2^53, as counters are). */
export function le16(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8);
}

/** Little-endian uint32. */
export function le32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
}

/** Little-endian uint64 as a number. */
export function le64(b: Uint8Array, p: number): number {
  return le32(b, p) + le32(b, p + 4) * 0x100000000;
}
