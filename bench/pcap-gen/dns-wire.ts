/**
 * DNS messages in wire format for the generator: a query with an EDNS0 OPT record, and its response
 * with a CNAME (compressed against the question), A or AAAA answers pointing back at the name they
 * answer, or, for names that do not exist and for AAAA questions a name has no answer to, an SOA of
 * the zone in the authority section whose names are pointers into the question.
 */
import type { NameEntry } from './site.js';

/** Query types the generator asks. */
export const QType = { A: 1, AAAA: 28 } as const;

const OPT_RR = 11;
const SOA_RR = 2 + 10 + (1 + 3 + 2) + (1 + 10 + 2) + 20;

function answerCount(e: NameEntry, qtype: number): number {
  if (qtype === QType.A) return e.servers.length;
  let n = 0;
  for (const s of e.servers) if (s.ip6) n++;
  return n;
}

/** Byte length of the query (`response` false) or response for `e` and `qtype`. */
export function dnsLength(e: NameEntry, qtype: number, response: boolean): number {
  const base = 12 + e.wire.length + 4 + OPT_RR;
  if (!response) return base;
  const n = e.nx ? 0 : answerCount(e, qtype);
  if (n === 0) return base + SOA_RR;
  const cname = e.cname ? 12 + e.cname.length : 0;
  return base + cname + n * (12 + (qtype === QType.A ? 4 : 16));
}

function u16(b: Uint8Array, o: number, v: number): number {
  b[o] = v >>> 8;
  b[o + 1] = v & 0xff;
  return o + 2;
}

function u32(b: Uint8Array, o: number, v: number): number {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
  return o + 4;
}

/** Resource record header: name pointer, type, class IN, TTL and RDLENGTH; returns the RDATA offset. */
function rr(b: Uint8Array, o: number, ptr: number, type: number, ttl: number, rdlen: number): number {
  o = u16(b, o, 0xc000 | ptr);
  o = u16(b, o, type);
  o = u16(b, o, 1);
  o = u32(b, o, ttl);
  return u16(b, o, rdlen);
}

/** Writes the DNS message at `o` in `b` (exactly `dnsLength` bytes); returns the end offset. */
export function writeDns(b: Uint8Array, o: number, e: NameEntry, qtype: number, id: number, response: boolean): number {
  const start = o;
  const n = response && !e.nx ? answerCount(e, qtype) : 0;
  const soa = response && n === 0;
  const cname = n > 0 && e.cname !== null;
  o = u16(b, o, id);
  o = u16(b, o, response ? (e.nx ? 0x8183 : 0x8180) : 0x0100);
  o = u16(b, o, 1);
  o = u16(b, o, n + (cname ? 1 : 0));
  o = u16(b, o, soa ? 1 : 0);
  o = u16(b, o, 1);
  b.set(e.wire, o);
  o += e.wire.length;
  o = u16(b, o, qtype);
  o = u16(b, o, 1);
  let target = 12; // Answers name the question until a CNAME redirects them.
  if (cname && e.cname) {
    o = rr(b, o, 12, 5, e.ttl, e.cname.length);
    target = o - start;
    b.set(e.cname, o);
    o += e.cname.length;
  }
  for (const s of e.servers) {
    if (n === 0) break;
    if (qtype === QType.A) {
      o = rr(b, o, target, QType.A, e.ttl, 4);
      o = u32(b, o, s.ip4);
    } else if (s.ip6) {
      o = rr(b, o, target, QType.AAAA, e.ttl, 16);
      for (let i = 0; i < 4; i++) o = u32(b, o, s.ip6[i]);
    }
  }
  if (soa) {
    const zone = 12 + e.zoneAt;
    o = rr(b, o, zone, 6, 900, SOA_RR - 12);
    b[o++] = 3;
    b[o++] = 0x6e; // "ns1"
    b[o++] = 0x73;
    b[o++] = 0x31;
    o = u16(b, o, 0xc000 | zone);
    b[o++] = 10;
    for (const ch of 'hostmaster') b[o++] = ch.charCodeAt(0);
    o = u16(b, o, 0xc000 | zone);
    o = u32(b, o, 2024030101);
    o = u32(b, o, 7200);
    o = u32(b, o, 3600);
    o = u32(b, o, 1209600);
    o = u32(b, o, 300);
  }
  // EDNS0 OPT: root name, type 41, UDP payload size 1232, no extended flags, no options.
  b[o++] = 0;
  o = u16(b, o, 41);
  o = u16(b, o, 1232);
  o = u32(b, o, 0);
  o = u16(b, o, 0);
  return o;
}
