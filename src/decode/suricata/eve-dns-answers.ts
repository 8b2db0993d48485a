/**
 * Reading the parts of an EVE DNS message that every format shares: answer records to text and TTLs,
 * the header flags to the DNS columns, and the response code. Records without an `rdata` string are
 * written the way zone files write them: SOA as "mname rname serial refresh retry expire minimum",
 * SRV as "priority weight port target", SSHFP as "algorithm type fingerprint"; anything else Suricata
 * adds later is kept as its JSON text rather than dropped. AAAA data is written in the RFC 5952 form,
 * like addresses elsewhere (Suricata writes IPv6 in full).
 */
import { DNS, columnIndex } from '../../model/fields.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import { rcodeNumber } from './eve-dns-codes.js';
import { canonicalIp } from '../../model/address-format.js';
import { isObject, type EveObject } from './eve-values.js';

const D = columnIndex(DNS);

/** Answers and TTLs collected for one row; reused from row to row. */
export interface AnswerList {
  data: string[];
  ttls: number[];
  /** False once an answer lacked a TTL: the TTL list would no longer line up with the answers. */
  ttlsOk: boolean;
}

/** An empty answer list to fill. */
export function answerList(): AnswerList {
  return { data: [], ttls: [], ttlsOk: true };
}

/** Empties `l` for the next row. */
export function resetAnswers(l: AnswerList): void {
  l.data.length = 0;
  l.ttls.length = 0;
  l.ttlsOk = true;
}

/** Zone-file text of a record's data given as an object (soa, srv, sshfp, ...), or its JSON text. */
export function rdataText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (!isObject(v)) return v === undefined || v === null ? null : JSON.stringify(v);
  if ('mname' in v && 'rname' in v) return `${v.mname} ${v.rname} ${v.serial} ${v.refresh} ${v.retry} ${v.expire} ${v.minimum}`;
  if ('priority' in v && 'port' in v && 'name' in v) return `${v.priority} ${v.weight} ${v.port} ${v.name}`;
  if ('fingerprint' in v && 'algo' in v) return `${v.algo} ${v.type} ${v.fingerprint}`;
  return JSON.stringify(v);
}

/** Adds one answer record ({rrname, rrtype, ttl, rdata | soa | srv | sshfp}) to `l`; false when it carries no data. */
export function addAnswer(l: AnswerList, a: EveObject): boolean {
  let text = a.rdata !== undefined ? rdataText(a.rdata) : rdataText(a.soa ?? a.srv ?? a.sshfp);
  if (text !== null && a.rrtype === 'AAAA') text = canonicalIp(text);
  if (text === null) return false;
  l.data.push(text);
  if (typeof a.ttl === 'number') l.ttls.push(a.ttl);
  else l.ttlsOk = false;
  return true;
}

/** Adds the records of an `answers` array; entries that are not objects are ignored. */
export function addAnswerArray(l: AnswerList, answers: unknown[]): void {
  for (const a of answers) if (isObject(a)) addAnswer(l, a);
}

/** Adds the records of a `grouped` object ({"A": ["1.2.3.4"], "CNAME": [...]}); it has no TTLs. */
export function addGrouped(l: AnswerList, grouped: EveObject): void {
  for (const type in grouped) {
    const list = grouped[type];
    if (!Array.isArray(list)) continue;
    for (const v of list) {
      const text = rdataText(v);
      if (text !== null) l.data.push(type === 'AAAA' ? canonicalIp(text) : text);
    }
  }
  if (l.data.length > 0) l.ttlsOk = false;
}

/** Writes the answers and TTLs of `l` (an empty list stays an empty list, not null). */
export function writeAnswers(b: ColumnBatch, r: number, l: AnswerList): void {
  if (l.data.length === 0) {
    b.setEmptyList(D.answers, r);
    b.setEmptyList(D.ttls, r);
    return;
  }
  for (const d of l.data) b.pushStr(D.answers, r, d);
  if (l.ttlsOk) for (const t of l.ttls) b.pushNum(D.ttls, r, t);
}

/**
 * Writes aa/tc/rd/ra/z from the `flags` hex string when present (the header itself), else from the
 * qr/aa/tc/rd/ra booleans, which Suricata writes only when true. Returns the header flags, or -1.
 */
export function writeFlags(b: ColumnBatch, r: number, dns: EveObject): number {
  const fh = dns.flags;
  if (typeof fh === 'string' && /^[0-9a-fA-F]{1,4}$/.test(fh)) {
    const f = parseInt(fh, 16);
    b.setBool(D.aa, r, (f & 0x0400) !== 0);
    b.setBool(D.tc, r, (f & 0x0200) !== 0);
    b.setBool(D.rd, r, (f & 0x0100) !== 0);
    b.setBool(D.ra, r, (f & 0x0080) !== 0);
    b.setNum(D.z, r, (f >> 4) & 7);
    return f;
  }
  if (dns.qr === true || dns.aa === true || dns.tc === true || dns.rd === true || dns.ra === true) {
    b.setBool(D.aa, r, dns.aa === true);
    b.setBool(D.tc, r, dns.tc === true);
    b.setBool(D.rd, r, dns.rd === true);
    b.setBool(D.ra, r, dns.ra === true);
  }
  return -1;
}

/** Writes rcode and rcode_name from Suricata's rcode text, falling back to the header's low 4 bits. */
export function writeRcode(b: ColumnBatch, r: number, rcode: unknown, flags: number): void {
  if (typeof rcode === 'string' && rcode.length > 0) {
    const n = rcodeNumber(rcode);
    if (n !== null) b.setNum(D.rcode, r, n);
    if (!/^\d+$/.test(rcode)) b.setStr(D.rcode_name, r, rcode);
    if (n !== null) return;
  }
  if (flags >= 0) b.setNum(D.rcode, r, flags & 0x0f);
}
