/**
 * The DNS message decoder for the packet path: header, questions and the three record sections of one
 * message, decoded into a reusable DnsMessage without allocating per message beyond the strings it
 * must produce. Damaged input never throws: the result code says what went wrong and everything decoded
 * before the damage stays in the message (the question of a response with broken answers, say), and
 * the anomalies are listed by their Zeek weird names.
 *
 * Work is bounded: at most `maxQuestions` questions (Zeek's dns_max_queries, 25) and
 * `maxRecordsPerSection`/`maxRecords` records, each name at most 255 bytes reached through at most 128
 * backward pointers.
 */
import { T } from './dns-codes.js';
import { DnsNameReader, type DnsParseResult, nameErrorResult } from './dns-name.js';
import { decodeRdata } from './dns-rdata.js';
import { W } from './dns-weird.js';

export type { DnsParseResult };

/** Limits on the work one message may cause. */
export interface DnsDecodeOptions {
  /** Questions beyond this stop decoding (Zeek's dns_max_queries: 25). */
  readonly maxQuestions: number;
  /** Records per section. */
  readonly maxRecordsPerSection: number;
  /** Records over all three sections. */
  readonly maxRecords: number;
}

/** Default limits. */
export const DNS_DECODE_DEFAULTS: DnsDecodeOptions = Object.freeze({
  maxQuestions: 25,
  maxRecordsPerSection: 1000,
  maxRecords: 3000,
});

/** One question. */
export class DnsQuestion {
  /** The name as sent (case kept, no trailing dot, root as ''). */
  name = '';
  qtype = 0;
  /** The class as sent (mDNS puts its unicast-response flag in the top bit). */
  qclass = 0;
}

/** Section a record was found in. */
export const enum DnsSection {
  Answer = 1,
  Authority = 2,
  Additional = 3,
}

/** One resource record. */
export class DnsRecord {
  section: DnsSection = DnsSection.Answer;
  /** The owner name as sent (case kept). */
  name = '';
  type = 0;
  rclass = 0;
  /** TTL in seconds (unsigned 32-bit). */
  ttl = 0;
  /** Where the record data is in the decoded buffer, and its length. */
  rdataOffset = 0;
  rdataLength = 0;
  /**
   * The record data as text, as Zeek's dns.log `answers` shows it where Zeek logs the type (addresses,
   * names lowercased, `TXT 12 ...`, `RRSIG 29 es.net`, `<unknown type=10>`), and a plain rendering
   * otherwise (HTTPS/SVCB target, CAA `flags tag value`, HINFO `cpu os`, TSIG/TKEY algorithm).
   */
  text = '';
  /** True when Zeek's DNS script handles this type as a reply (it may still log no text, as for WKS). */
  zeekReply = false;
}

/** One decoded DNS message; reuse one instance for every message. */
export class DnsMessage {
  /** Decoding result; when not `ok`, the fields hold what was decoded before the problem. */
  result: DnsParseResult = 'ok';
  /** Offset in the buffer where decoding stopped on a problem. */
  errorOffset = -1;
  /** False when the message is shorter than the 12-byte header (nothing else is valid then). */
  headerOk = false;
  /** Message length in bytes. */
  length = 0;

  id = 0;
  /** The raw 16-bit flags word. */
  flags = 0;
  qr = false;
  opcode = 0;
  aa = false;
  tc = false;
  rd = false;
  ra = false;
  /** The three bits after RA (Z, AD, CD), as Zeek's `Z` holds them. */
  z = 0;
  /** AD and CD on their own. */
  ad = false;
  cd = false;
  /** Response code: the header's 4 bits, extended by the OPT record's upper 8 bits when present. */
  rcode = 0;
  /** The header's 4-bit response code alone. */
  headerRcode = 0;
  /** Counts as the header claims them. */
  qdcount = 0;
  ancount = 0;
  nscount = 0;
  arcount = 0;

  /**
   * Decoded questions and records: entries [0, count) of each array are this message's (fewer than
   * the header claims when decoding stopped early); entries past the count are reused objects left
   * from earlier messages, kept so decoding allocates no records.
   */
  readonly questions: DnsQuestion[] = [];
  questionCount = 0;
  readonly answers: DnsRecord[] = [];
  answerCount = 0;
  readonly authority: DnsRecord[] = [];
  authorityCount = 0;
  readonly additional: DnsRecord[] = [];
  additionalCount = 0;

  /** EDNS (the first OPT record): present, UDP payload size, version, DNSSEC-OK flag, option count. */
  edns = false;
  ednsUdpSize = 0;
  ednsVersion = 0;
  ednsDo = false;
  ednsExtendedRcode = 0;
  ednsOptions = 0;

  /** This message's questions as a new array (for tests and tools; the packet path reads the counts). */
  questionList(): DnsQuestion[] {
    return this.questions.slice(0, this.questionCount);
  }

  /** This message's records of one section, or of all three in order, as a new array. */
  recordList(section?: DnsSection): DnsRecord[] {
    const an = this.answers.slice(0, this.answerCount);
    const ns = this.authority.slice(0, this.authorityCount);
    const ar = this.additional.slice(0, this.additionalCount);
    if (section === DnsSection.Answer) return an;
    if (section === DnsSection.Authority) return ns;
    if (section === DnsSection.Additional) return ar;
    return [...an, ...ns, ...ar];
  }

  /** Anomalies met while decoding, by Zeek weird name (repeats kept). */
  readonly weirds: string[] = [];
  /** Bytes after the last record. */
  trailing = 0;
}

const names = new DnsNameReader();

function stop(msg: DnsMessage, result: DnsParseResult, at: number): DnsParseResult {
  msg.result = result;
  msg.errorOffset = at;
  return result;
}

/**
 * Decodes the DNS message at buf[offset, offset+length) into `out` (cleared first). Never throws;
 * returns the result code, also kept in `out.result`.
 */
export function decodeDnsMessage(
  buf: Uint8Array,
  offset: number,
  length: number,
  out: DnsMessage,
  options: DnsDecodeOptions = DNS_DECODE_DEFAULTS,
): DnsParseResult {
  out.result = 'ok';
  out.errorOffset = -1;
  out.questionCount = out.answerCount = out.authorityCount = out.additionalCount = 0;
  if (out.weirds.length !== 0) out.weirds.length = 0;
  out.edns = false;
  out.ednsUdpSize = 0;
  out.ednsVersion = 0;
  out.ednsDo = false;
  out.ednsExtendedRcode = 0;
  out.ednsOptions = 0;
  out.trailing = 0;
  if (!(offset >= 0 && offset <= buf.length)) offset = buf.length; // nothing to read
  const end = Math.min(offset + Math.max(length | 0, 0), buf.length);
  out.length = end - offset;
  if (end - offset < 12) {
    out.headerOk = false;
    out.weirds.push(W.lenLtHdr);
    return stop(out, 'truncated', offset);
  }
  out.headerOk = true;
  const flags = (buf[offset + 2] << 8) | buf[offset + 3];
  out.id = (buf[offset] << 8) | buf[offset + 1];
  out.flags = flags;
  out.qr = (flags & 0x8000) !== 0;
  out.opcode = (flags >> 11) & 15;
  out.aa = (flags & 0x0400) !== 0;
  out.tc = (flags & 0x0200) !== 0;
  out.rd = (flags & 0x0100) !== 0;
  out.ra = (flags & 0x0080) !== 0;
  out.z = (flags >> 4) & 7;
  out.ad = (flags & 0x0020) !== 0;
  out.cd = (flags & 0x0010) !== 0;
  out.headerRcode = out.rcode = flags & 15;
  out.qdcount = (buf[offset + 4] << 8) | buf[offset + 5];
  out.ancount = (buf[offset + 6] << 8) | buf[offset + 7];
  out.nscount = (buf[offset + 8] << 8) | buf[offset + 9];
  out.arcount = (buf[offset + 10] << 8) | buf[offset + 11];

  if (out.qdcount > options.maxQuestions) {
    out.weirds.push(W.countTooLarge);
    return stop(out, 'too_many_records', offset + 4);
  }
  names.reset(buf, offset);
  let p = offset + 12;
  const qs = out.questions;
  for (let i = 0; i < out.qdcount; i++) {
    const after = names.readName(p, end);
    if (after < 0) return stop(out, nameErrorResult(after, out.weirds), names.errorAt);
    if (after + 4 > end) {
      out.weirds.push(W.questTooShort);
      return stop(out, 'truncated', after);
    }
    const q = qs[i] ?? (qs[i] = new DnsQuestion());
    q.name = names.name;
    q.qtype = (buf[after] << 8) | buf[after + 1];
    q.qclass = (buf[after + 2] << 8) | buf[after + 3];
    out.questionCount = i + 1;
    p = after + 4;
  }
  total = 0;
  let next = decodeSection(buf, end, p, out.ancount, out.answers, DnsSection.Answer, out, options);
  if (next >= 0) next = decodeSection(buf, end, next, out.nscount, out.authority, DnsSection.Authority, out, options);
  if (next >= 0) next = decodeSection(buf, end, next, out.arcount, out.additional, DnsSection.Additional, out, options);
  if (next < 0) return out.result;
  out.trailing = end - next;
  return 'ok';
}

// Records decoded so far in the current message, over all sections.
let total = 0;

function setCount(out: DnsMessage, section: DnsSection, n: number): void {
  if (section === DnsSection.Answer) out.answerCount = n;
  else if (section === DnsSection.Authority) out.authorityCount = n;
  else out.additionalCount = n;
}

// Decodes `count` records from `p` into `list`; returns the position after them, or -1 after stop().
function decodeSection(
  buf: Uint8Array,
  end: number,
  p: number,
  count: number,
  list: DnsRecord[],
  section: DnsSection,
  out: DnsMessage,
  options: DnsDecodeOptions,
): number {
  for (let i = 0; i < count; i++) {
    if (i >= options.maxRecordsPerSection || total >= options.maxRecords) {
      out.weirds.push(W.tooManyRecords);
      stop(out, 'too_many_records', p);
      return -1;
    }
    const after = names.readName(p, end);
    if (after < 0) {
      stop(out, nameErrorResult(after, out.weirds), names.errorAt);
      return -1;
    }
    if (after + 10 > end) {
      out.weirds.push(W.ansTooShort);
      stop(out, 'truncated', after);
      return -1;
    }
    const rec = list[i] ?? (list[i] = new DnsRecord());
    rec.section = section;
    rec.name = names.name;
    rec.type = (buf[after] << 8) | buf[after + 1];
    rec.rclass = (buf[after + 2] << 8) | buf[after + 3];
    rec.ttl = ((buf[after + 4] << 24) | (buf[after + 5] << 16) | (buf[after + 6] << 8) | buf[after + 7]) >>> 0;
    const rdlen = (buf[after + 8] << 8) | buf[after + 9];
    const rd = after + 10;
    rec.rdataOffset = rd;
    rec.rdataLength = rdlen;
    rec.text = '';
    rec.zeekReply = false;
    if (rd + rdlen > end) {
      out.weirds.push(W.rdlengthLtLen);
      stop(out, 'bad_rdata_length', after + 8);
      return -1;
    }
    if (rdlen === 0 && rec.type !== T.OPT) out.weirds.push(W.zeroRdlength);
    total++;
    const r = rec.type === T.OPT && section === DnsSection.Additional ? decodeOpt(buf, rec, out) : decodeRdata(buf, names, rec, out.weirds);
    if (r !== 'ok') {
      // Zeek logs the TXT strings read before the damage, so a record that produced text is kept.
      if (rec.text !== '') setCount(out, section, i + 1);
      stop(out, r, rd);
      return -1;
    }
    setCount(out, section, i + 1);
    p = rd + rdlen;
  }
  return p;
}

// The OPT pseudo-record: the class is the sender's UDP payload size, the TTL carries the extended
// rcode, the EDNS version and the DO flag, and the data is a list of options.
function decodeOpt(buf: Uint8Array, rec: DnsRecord, msg: DnsMessage): DnsParseResult {
  if (msg.edns) return 'ok';
  msg.edns = true;
  msg.ednsUdpSize = rec.rclass;
  msg.ednsExtendedRcode = rec.ttl >>> 24;
  msg.ednsVersion = (rec.ttl >>> 16) & 0xff;
  msg.ednsDo = (rec.ttl & 0x8000) !== 0;
  msg.rcode = (msg.ednsExtendedRcode << 4) | msg.headerRcode;
  let p = rec.rdataOffset;
  const end = p + rec.rdataLength;
  while (end - p >= 4) {
    const len = (buf[p + 2] << 8) | buf[p + 3];
    if (p + 4 + len > end) break;
    msg.ednsOptions++;
    p += 4 + len;
  }
  if (p !== end) msg.weirds.push(W.ednsTruncatedOption);
  return 'ok';
}
