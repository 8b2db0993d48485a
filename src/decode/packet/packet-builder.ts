/**
 * Builds packets byte by byte for the decoder's tests and benchmark: Ethernet with VLAN tags,
 * IPv4 (with options and fragment fields), IPv6 and extension headers, TCP, UDP, ICMP, and the
 * tunnel headers. Every length field can be overridden to make malformed packets. Not for the hot
 * path: each call allocates.
 */
import { parseIpInto } from '../../model/ip.js';

/** Joins byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Bytes from numbers (each taken mod 256). */
export function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values, (v) => v & 0xff);
}

/** The 4 or 16 bytes of an address in text form. */
export function addr(text: string): Uint8Array {
  const b = new Uint8Array(16);
  const n = parseIpInto(text, b, 0);
  if (n === 0) throw new Error(`not an address: ${text}`);
  return b.slice(0, n);
}

function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

function put32(b: Uint8Array, o: number, v: number): void {
  put16(b, o, (v >>> 16) & 0xffff);
  put16(b, o + 2, v & 0xffff);
}

/** An 802.1Q (or other TPID) tag. */
export interface VlanTag {
  vid: number;
  tpid?: number;
}

/** Ethernet II header with optional VLAN tags, then `payload` of the given ethertype. */
export function ethernet(etherType: number, payload: Uint8Array, tags: VlanTag[] = []): Uint8Array {
  const h = new Uint8Array(14 + tags.length * 4);
  h.set([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb]);
  let o = 12;
  for (const t of tags) {
    put16(h, o, t.tpid ?? 0x8100);
    put16(h, o + 2, t.vid & 0x0fff);
    o += 4;
  }
  put16(h, o, etherType);
  return concat(h, payload);
}

/** Fields of an IPv4 header; omitted ones get plain defaults. */
export interface Ip4Options {
  src?: string;
  dst?: string;
  proto: number;
  payload: Uint8Array;
  id?: number;
  ttl?: number;
  df?: boolean;
  mf?: boolean;
  /** Fragment offset in bytes (a multiple of 8). */
  fragOffset?: number;
  /** IP options (padded to 4 bytes by the caller). */
  options?: Uint8Array;
  /** Overrides: header length in bytes (IHL * 4), total length, version. */
  ihl?: number;
  totalLen?: number;
  version?: number;
}

/** An IPv4 packet. */
export function ipv4(o: Ip4Options): Uint8Array {
  const opts = o.options ?? new Uint8Array(0);
  const hlen = 20 + opts.length;
  const h = new Uint8Array(hlen);
  const ihl = o.ihl ?? hlen;
  h[0] = ((o.version ?? 4) << 4) | ((ihl >> 2) & 0x0f);
  put16(h, 2, o.totalLen ?? hlen + o.payload.length);
  put16(h, 4, o.id ?? 0x1234);
  put16(h, 6, (o.df ? 0x4000 : 0) | (o.mf ? 0x2000 : 0) | ((o.fragOffset ?? 0) >> 3));
  h[8] = o.ttl ?? 64;
  h[9] = o.proto;
  h.set(addr(o.src ?? '10.0.0.1'), 12);
  h.set(addr(o.dst ?? '10.0.0.2'), 16);
  h.set(opts, 20);
  return concat(h, o.payload);
}

/** Fields of an IPv6 header. */
export interface Ip6Options {
  src?: string;
  dst?: string;
  next: number;
  payload: Uint8Array;
  hopLimit?: number;
  payloadLen?: number;
}

/** An IPv6 packet (`payload` includes any extension headers). */
export function ipv6(o: Ip6Options): Uint8Array {
  const h = new Uint8Array(40);
  h[0] = 0x60;
  put16(h, 4, o.payloadLen ?? o.payload.length);
  h[6] = o.next;
  h[7] = o.hopLimit ?? 64;
  h.set(addr(o.src ?? '2001:db8::1'), 8);
  h.set(addr(o.dst ?? '2001:db8::2'), 24);
  return concat(h, o.payload);
}

/** A hop-by-hop, routing or destination options header of `units` * 8 + 8 bytes. */
export function ext6(next: number, units = 0): Uint8Array {
  const h = new Uint8Array(8 + units * 8);
  h[0] = next;
  h[1] = units;
  return h;
}

/** An IPv6 fragment header. */
export function frag6(next: number, offset: number, more: boolean, id: number): Uint8Array {
  const h = new Uint8Array(8);
  h[0] = next;
  put16(h, 2, (offset & 0xfff8) | (more ? 1 : 0));
  put32(h, 4, id);
  return h;
}

/** An authentication header (AH) of `words` + 2 4-byte words. */
export function ah(next: number, words = 4): Uint8Array {
  const h = new Uint8Array((words + 2) * 4);
  h[0] = next;
  h[1] = words;
  return h;
}

/** Fields of a TCP header. */
export interface TcpOptions {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  window?: number;
  options?: Uint8Array;
  payload?: Uint8Array;
  /** Override: header length in bytes (data offset * 4). */
  hlen?: number;
}

/** A TCP segment. */
export function tcp(o: TcpOptions = {}): Uint8Array {
  const opts = o.options ?? new Uint8Array(0);
  const h = new Uint8Array(20 + opts.length);
  put16(h, 0, o.sport ?? 40000);
  put16(h, 2, o.dport ?? 80);
  put32(h, 4, o.seq ?? 1000);
  put32(h, 8, o.ack ?? 0);
  h[12] = (((o.hlen ?? h.length) >> 2) & 0x0f) << 4;
  h[13] = o.flags ?? 0x02;
  put16(h, 14, o.window ?? 65535);
  h.set(opts, 20);
  return concat(h, o.payload ?? new Uint8Array(0));
}

/** A UDP datagram. */
export function udp(sport: number, dport: number, payload: Uint8Array, length?: number): Uint8Array {
  const h = new Uint8Array(8);
  put16(h, 0, sport);
  put16(h, 2, dport);
  put16(h, 4, length ?? 8 + payload.length);
  return concat(h, payload);
}

/** An ICMP or ICMPv6 message: type, code, checksum, 4 bytes of rest-of-header, payload. */
export function icmp(type: number, code: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concat(bytes(type, code, 0, 0, 0, 1, 0, 1), payload);
}

/** An SCTP common header (no chunks unless given). */
export function sctp(sport: number, dport: number, chunks: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = new Uint8Array(12);
  put16(h, 0, sport);
  put16(h, 2, dport);
  put32(h, 4, 0xdeadbeef);
  return concat(h, chunks);
}

/** A GRE header: flags (C 0x8000, K 0x2000, S 0x1000; version in the low bits), protocol, fields. */
export function gre(flags: number, proto: number, key?: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const parts: Uint8Array[] = [];
  const h = new Uint8Array(4);
  put16(h, 0, flags);
  put16(h, 2, proto);
  parts.push(h);
  if (flags & 0x8000) parts.push(new Uint8Array(4));
  if (flags & 0x2000) {
    const k = new Uint8Array(4);
    put32(k, 0, key ?? 0);
    parts.push(k);
  }
  if (flags & 0x1000) parts.push(bytes(0, 0, 0, 7));
  parts.push(payload);
  return concat(...parts);
}

/** A VXLAN header (I flag set unless `flags` says otherwise) and the inner frame. */
export function vxlan(vni: number, frame: Uint8Array, flags = 0x08): Uint8Array {
  const h = new Uint8Array(8);
  h[0] = flags;
  h[4] = (vni >> 16) & 0xff;
  h[5] = (vni >> 8) & 0xff;
  h[6] = vni & 0xff;
  return concat(h, frame);
}

/** A Geneve header with `options` (a multiple of 4 bytes) and the inner packet. */
export function geneve(vni: number, proto: number, options: Uint8Array, inner: Uint8Array): Uint8Array {
  const h = new Uint8Array(8);
  h[0] = (options.length >> 2) & 0x3f;
  put16(h, 2, proto);
  h[4] = (vni >> 16) & 0xff;
  h[5] = (vni >> 8) & 0xff;
  h[6] = vni & 0xff;
  return concat(h, options, inner);
}
