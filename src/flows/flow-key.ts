/**
 * Builds the connection key of a packet into a reused word buffer and hashes it, without allocating.
 *
 * Key layout (32-bit words, KEY_WORDS in all):
 *   0      protocol | IPv6 << 8 | tunnel kind << 9 | outer IPv6 << 12 (tunnel bits only when keyed)
 *   1      (VLAN + 1) | (inner VLAN + 1) << 16, or 0 when VLANs are not keyed
 *   2      port A | port B << 16 (ICMP: type and counterpart type or code; other protocols: 0)
 *   3-6    address A (IPv4: word 3 only, the rest zero)
 *   7-10   address B
 *   11-14  outer (tunnel) address, the lower of the two; 15-18 the higher
 * A connection record stores words 0-10 at I_KEY and 11-18 at I_TUNNEL.
 * A/B is a canonical order of the two endpoints (as Zeek's conn key), so both directions of a
 * connection give the same key; `srcIsA` says which side sent this packet. One-way ICMP messages are
 * keyed by direction, as in Zeek. Address words are copied in the machine's byte order: the order is
 * only used to make the key canonical, never shown.
 */
import { type PacketInfo, TunnelKind } from '../decode/packet/packet-info.js';
import { FlowKind, I_TUNNEL, KEY_HOT_WORDS, KEY_WORDS } from './flow-state.js';

/** ICMPv4 request/reply counterparts (Zeek's ICMP4_counterpart); -1 for one-way messages. */
const ICMP4_PAIR = pairs([
  [8, 0],
  [13, 14],
  [15, 16],
  [10, 9],
  [17, 18],
]);
/** ICMPv6 counterparts (Zeek's ICMP6_counterpart). */
const ICMP6_PAIR = pairs([
  [128, 129],
  [133, 134],
  [135, 136],
  [130, 131],
  [139, 140],
  [144, 145],
]);

function pairs(list: [number, number][]): Int16Array {
  const t = new Int16Array(256).fill(-1);
  for (const [a, b] of list) {
    t[a] = b;
    t[b] = a;
  }
  return t;
}

/** The key of the packet being processed, reused from packet to packet. */
export class KeyBuilder {
  readonly words = new Int32Array(KEY_WORDS);
  hash = 0;
  /** The packet's source is the key's side A (side 0). */
  srcIsA = true;
  /** Words 11-18 are part of the key. */
  tunnelled = false;
  private pi: PacketInfo | null = null;
  private sw: Uint32Array = new Uint32Array(4);
  private dw: Uint32Array = new Uint32Array(4);
  private tsw: Uint32Array = new Uint32Array(4);
  private tdw: Uint32Array = new Uint32Array(4);
  /** Word views of the last few PacketInfo objects seen, so callers may alternate a few of them. */
  private readonly seen: (PacketInfo | null)[] = [null, null, null, null];
  private readonly seenViews: Uint32Array[][] = [[], [], [], []];
  private nextSeen = 0;

  constructor(
    private readonly vlanInKey: boolean,
    private readonly tunnelInKey: boolean,
  ) {}

  /** Fills `words`, `hash`, `srcIsA` and `tunnelled` for packet `p` of the given kind. */
  build(p: PacketInfo, kind: FlowKind): void {
    if (p !== this.pi) this.bind(p);
    const k = this.words;
    const v6 = p.ipVersion === 6;
    const sw = this.sw;
    const dw = this.dw;
    let sp = 0;
    let dp = 0;
    let oneWay = false;
    if (kind === FlowKind.Tcp || kind === FlowKind.Udp) {
      sp = p.srcPort;
      dp = p.dstPort;
    } else if (kind === FlowKind.Icmp) {
      sp = p.icmpType;
      const c = (p.ipProto === 58 ? ICMP6_PAIR : ICMP4_PAIR)[sp & 255];
      if (c < 0) {
        oneWay = true;
        dp = p.icmpCode;
      } else dp = c;
    }
    let srcFirst = true;
    if (!oneWay) {
      let d = 0;
      if (sw[0] !== dw[0]) d = sw[0] < dw[0] ? -1 : 1;
      else if (v6) {
        if (sw[1] !== dw[1]) d = sw[1] < dw[1] ? -1 : 1;
        else if (sw[2] !== dw[2]) d = sw[2] < dw[2] ? -1 : 1;
        else if (sw[3] !== dw[3]) d = sw[3] < dw[3] ? -1 : 1;
      }
      srcFirst = d < 0 || (d === 0 && sp <= dp);
    }
    this.srcIsA = srcFirst;
    const a = srcFirst ? sw : dw;
    const b = srcFirst ? dw : sw;
    let w0 = p.ipProto | (v6 ? 0x100 : 0);
    const tun = this.tunnelInKey && p.tunnel !== TunnelKind.None;
    this.tunnelled = tun;
    if (tun) w0 |= (p.tunnel << 9) | (p.tunnelIpVersion === 6 ? 0x1000 : 0);
    k[0] = w0;
    k[1] = this.vlanInKey ? ((p.vlan + 1) & 0xffff) | ((p.innerVlan + 1) << 16) : 0;
    k[2] = srcFirst ? sp | (dp << 16) : dp | (sp << 16);
    k[3] = a[0];
    k[7] = b[0];
    if (v6) {
      k[4] = a[1];
      k[5] = a[2];
      k[6] = a[3];
      k[8] = b[1];
      k[9] = b[2];
      k[10] = b[3];
    } else {
      k[4] = k[5] = k[6] = k[8] = k[9] = k[10] = 0;
    }
    if (p.tunnel !== TunnelKind.None) this.tunnelWords(p.tunnelIpVersion === 6);

    let h = mix(0x2545f491, k[0]);
    h = mix(h, k[1]);
    h = mix(h, k[2]);
    h = mix(h, k[3]);
    h = mix(h, k[7]);
    if (v6) {
      h = mix(h, k[4]);
      h = mix(h, k[5]);
      h = mix(h, k[6]);
      h = mix(h, k[8]);
      h = mix(h, k[9]);
      h = mix(h, k[10]);
    }
    if (tun) for (let i = 11; i < KEY_WORDS; i++) h = mix(h, k[i]);
    this.hash = fmix(h);
  }

  /** True when the record whose key starts at Int32 index `base` has the built key. */
  equals(key: Int32Array, base: number): boolean {
    const k = this.words;
    if (key[base + 3] !== k[3] || key[base + 7] !== k[7] || key[base + 2] !== k[2] || key[base] !== k[0]) {
      return false;
    }
    if (key[base + 1] !== k[1]) return false;
    if ((k[0] & 0x100) !== 0) {
      for (let i = 4; i < 7; i++) if (key[base + i] !== k[i] || key[base + i + 4] !== k[i + 4]) return false;
    }
    if (this.tunnelled) {
      const t = base + I_TUNNEL - KEY_HOT_WORDS;
      for (let i = KEY_HOT_WORDS; i < KEY_WORDS; i++) if (key[t + i] !== k[i]) return false;
    }
    return true;
  }

  /** Copies the built key into the record whose key starts at Int32 index `base`. */
  store(key: Int32Array, base: number): void {
    const k = this.words;
    for (let i = 0; i < KEY_HOT_WORDS; i++) key[base + i] = k[i];
    const t = base + I_TUNNEL - KEY_HOT_WORDS;
    for (let i = KEY_HOT_WORDS; i < KEY_WORDS; i++) key[t + i] = k[i];
  }

  /** Writes the outer addresses, lower first, into words 11-18 and sets `tunnelSwap`. */
  private tunnelWords(v6: boolean): void {
    const k = this.words;
    const s = this.tsw;
    const d = this.tdw;
    let sFirst = true;
    for (let i = 0; i < (v6 ? 4 : 1); i++) {
      if (s[i] !== d[i]) {
        sFirst = s[i] < d[i];
        break;
      }
    }
    this.tunnelSwap = !sFirst;
    const lo = sFirst ? s : d;
    const hi = sFirst ? d : s;
    k[11] = lo[0];
    k[15] = hi[0];
    if (v6) {
      k[12] = lo[1];
      k[13] = lo[2];
      k[14] = lo[3];
      k[16] = hi[1];
      k[17] = hi[2];
      k[18] = hi[3];
    } else k[12] = k[13] = k[14] = k[16] = k[17] = k[18] = 0;
  }

  /** The packet's outer source is the higher tunnel address (set by build for tunnelled packets). */
  tunnelSwap = false;

  /** Word views of a PacketInfo's address arrays (created once per PacketInfo, kept for the last four). */
  private bind(p: PacketInfo): void {
    let i = this.seen.indexOf(p);
    if (i < 0) {
      i = this.nextSeen;
      this.nextSeen = (i + 1) & 3;
      this.seen[i] = p;
      this.seenViews[i] = [words(p.src), words(p.dst), words(p.tunnelSrc), words(p.tunnelDst)];
    }
    const v = this.seenViews[i];
    this.pi = p;
    this.sw = v[0];
    this.dw = v[1];
    this.tsw = v[2];
    this.tdw = v[3];
  }
}

/** A word view of a PacketInfo address array (16 bytes, 4-byte aligned). */
export function words(a: Uint8Array): Uint32Array {
  if (a.byteOffset % 4 === 0 && a.length >= 16) return new Uint32Array(a.buffer, a.byteOffset, 4);
  throw new RangeError('PacketInfo address arrays must be 16 bytes, 4-byte aligned');
}

/** One MurmurHash3 (x86, 32-bit) mixing step of word `k` into `h`. */
export function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finalizer. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
