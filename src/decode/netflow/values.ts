/**
 * Reading element values out of export datagrams: unsigned integers of any reduced-size length,
 * NTP timestamps (RFC 7011 §6.1.9-10), and the text forms `extras` uses for values Nightjar has no
 * column for (addresses, MAC addresses, strings, hex).
 */
import { ipv4Text, ipv6Text } from '../dns/dns-text.js';
import { IeType } from './elements.js';

const HEX = '0123456789abcdef';
/** Seconds between the NTP epoch (1900) and the Unix epoch. */
export const NTP_UNIX_OFFSET = 2_208_988_800;

/** Big-endian unsigned integer of 1..8 bytes (above 2^53 precision is lost, as for any JS number). */
export function readUint(b: Uint8Array, off: number, len: number): number {
  switch (len) {
    case 1:
      return b[off];
    case 2:
      return (b[off] << 8) | b[off + 1];
    case 4:
      return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
    default: {
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + b[off + i];
      return v;
    }
  }
}

/** Big-endian unsigned 16-bit integer. */
export function u16(b: Uint8Array, off: number): number {
  return (b[off] << 8) | b[off + 1];
}

/** Big-endian unsigned 32-bit integer. */
export function u32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}

/** An NTP-format timestamp (seconds since 1900 and a 2^-32 fraction) as Unix microseconds. */
export function ntpMicros(b: Uint8Array, off: number, nanosecondPrecision: boolean): number {
  const secs = u32(b, off) - NTP_UNIX_OFFSET;
  let frac = u32(b, off + 4);
  // RFC 7011 §6.1.9: the low 11 bits of a dateTimeMicroseconds fraction carry no meaning.
  if (!nanosecondPrecision) frac -= frac & 0x7ff;
  return secs * 1_000_000 + Math.floor((frac * 1_000_000) / 4_294_967_296);
}

/** Lowercase hex of bytes [off, off + len). */
export function hex(b: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = off; i < off + len; i++) s += HEX[b[i] >> 4] + HEX[b[i] & 15];
  return s;
}

/** An address element as canonical text (dotted IPv4, compressed lowercase IPv6). */
export function addrText(b: Uint8Array, off: number, len: number): string | null {
  if (len === 4) return ipv4Text(b, off);
  if (len === 16) return ipv6Text(b, off);
  return null;
}

/** A value rendered for `extras` by its abstract type; anything whose length does not fit is hex. */
export function valueOf(type: IeType, b: Uint8Array, off: number, len: number): string | number | boolean {
  switch (type) {
    case IeType.Unsigned:
    case IeType.DateSec:
    case IeType.DateMs:
      return len >= 1 && len <= 8 ? readUint(b, off, len) : hex(b, off, len);
    case IeType.Signed: {
      if (len < 1 || len > 6) return hex(b, off, len);
      const v = readUint(b, off, len);
      const top = 2 ** (8 * len);
      return v >= top / 2 ? v - top : v;
    }
    case IeType.Float:
      if (len === 4) return new DataView(b.buffer, b.byteOffset + off, 4).getFloat32(0);
      if (len === 8) return new DataView(b.buffer, b.byteOffset + off, 8).getFloat64(0);
      return hex(b, off, len);
    case IeType.Bool:
      return len === 1 ? b[off] === 1 : hex(b, off, len);
    case IeType.DateUs:
    case IeType.DateNs:
      return len === 8 ? ntpMicros(b, off, type === IeType.DateNs) : hex(b, off, len);
    case IeType.Ipv4:
    case IeType.Ipv6:
      return addrText(b, off, len) ?? hex(b, off, len);
    case IeType.Mac: {
      if (len !== 6) return hex(b, off, len);
      let s = '';
      for (let i = 0; i < 6; i++) s += (i ? ':' : '') + HEX[b[off + i] >> 4] + HEX[b[off + i] & 15];
      return s;
    }
    case IeType.Str: {
      let end = off + len;
      while (end > off && b[end - 1] === 0) end--; // exporters pad names with NULs
      return Buffer.from(b.buffer, b.byteOffset + off, end - off).toString('utf8');
    }
    default:
      return hex(b, off, len);
  }
}
