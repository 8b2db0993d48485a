/**
 * Big-endian XDR reads and address printing for the sFlow decoder. Callers check bounds before reading:
 * these helpers never look at the buffer length, which keeps the hot loops branch-light.
 */
import { formatAddress } from '../../model/address-format.js';

/** Unsigned 32-bit big-endian integer at `p`. */
export function u32(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

/** Unsigned 64-bit big-endian integer at `p`, as a number (exact up to 2^53). */
export function u64(b: Uint8Array, p: number): number {
  return u32(b, p) * 4294967296 + u32(b, p + 4);
}

/** Dotted IPv4 text of the 4 bytes at `p`. */
export function ipv4Text(b: Uint8Array, p: number): string {
  return `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
}

/** IPv6 text of the 16 bytes at `p`, in the form every stored address has (see formatAddress). */
export function ipv6Text(b: Uint8Array, p: number): string {
  return formatAddress(b, p, true);
}

/** Text of an address: 4 bytes as IPv4 when `v6` is false, else 16 bytes as IPv6. */
export function addressText(b: Uint8Array, p: number, v6: boolean): string {
  return v6 ? ipv6Text(b, p) : ipv4Text(b, p);
}

/**
 * Reads an XDR `address` (type 1 IPv4, 2 IPv6, 0 unknown) at `p` within `end`; returns the text and
 * the offset after it through `out`, or false when it does not fit or the type is unknown.
 */
export function readAddress(b: Uint8Array, p: number, end: number, out: { text: string; next: number }): boolean {
  if (p + 4 > end) return false;
  const type = u32(b, p);
  if (type === 1 && p + 8 <= end) {
    out.text = ipv4Text(b, p + 4);
    out.next = p + 8;
    return true;
  }
  if (type === 2 && p + 20 <= end) {
    out.text = ipv6Text(b, p + 4);
    out.next = p + 20;
    return true;
  }
  if (type === 0) {
    out.text = '';
    out.next = p + 4;
    return true;
  }
  return false;
}

/** Reads an XDR string at `p` within `end`, keeping at most `max` bytes as UTF-8; false when it does not fit. */
export function readString(b: Uint8Array, p: number, end: number, max: number, out: { text: string; next: number }): boolean {
  if (p + 4 > end) return false;
  const n = u32(b, p);
  const padded = (n + 3) & ~3;
  if (n > end - p - 4 || padded > end - p - 4) return false;
  const take = n > max ? max : n;
  out.text = Buffer.from(b.buffer, b.byteOffset + p + 4, take).toString('utf8');
  out.next = p + 4 + padded;
  return true;
}
