/**
 * Record data decoding: checks each type's data against its length and renders it as text the way
 * Zeek's DNS script writes it into dns.log `answers` (scripts/base/protocols/dns/main.zeek), with the
 * names inside lowercased as Zeek's analyzer does. Types Zeek parses but its script never logs
 * (HINFO, CAA, SVCB, HTTPS, TKEY, TSIG) get a plain rendering and `zeekReply = false`; types Zeek
 * does not parse at all render as `<unknown type=N>`, as in Zeek.
 */
import { T } from './dns-codes.js';
import type { DnsRecord } from './dns-message.js';
import { type DnsNameReader, type DnsParseResult, NameError, nameErrorResult } from './dns-name.js';
import { escapedText, hexText, ipv4Text, ipv6Text } from './dns-text.js';
import { W } from './dns-weird.js';

const unknownText: (string | undefined)[] = [];

/** Fills `rec.text` and `rec.zeekReply` from the record data; returns `ok` or why it could not. */
export function decodeRdata(buf: Uint8Array, names: DnsNameReader, rec: DnsRecord, weirds: string[]): DnsParseResult {
  const w = weirds;
  const p = rec.rdataOffset;
  const len = rec.rdataLength;
  const end = p + len;
  rec.zeekReply = true;
  switch (rec.type) {
    case T.A:
      if (len !== 4) return bad(w, W.rrBadLength);
      rec.text = ipv4Text(buf, p);
      return 'ok';
    case T.AAAA:
    case T.A6:
      if (len !== 16) return bad(w, rec.type === T.AAAA ? W.aaaaNegLength : W.rrBadLength);
      rec.text = ipv6Text(buf, p);
      return 'ok';
    case T.NS:
    case T.CNAME:
    case T.PTR:
      return nameData(buf, names, rec, p, end, w);
    case T.MX:
      if (len < 3) return bad(w, W.rrLengthMismatch);
      return nameData(buf, names, rec, p + 2, end, w);
    case T.SRV:
      if (len < 7) return bad(w, W.rrLengthMismatch);
      return nameData(buf, names, rec, p + 6, end, w);
    case T.SOA:
      return soa(buf, names, rec, p, end, w);
    case T.TXT:
    case T.SPF:
      return txt(buf, rec, p, end, w, rec.type === T.TXT ? 'TXT ' : 'SPF ');
    case T.WKS:
      rec.text = '';
      return 'ok';
    case T.NAPTR:
      return naptr(buf, names, rec, p, end, w);
    case T.RRSIG:
      return rrsig(buf, names, rec, p, end, w);
    case T.DNSKEY:
      if (len < 4) return bad(w, W.rrLengthMismatch);
      rec.text = 'DNSKEY ' + buf[p + 3];
      return 'ok';
    case T.DS:
      if (len < 4) return bad(w, W.rrLengthMismatch);
      rec.text = 'DS ' + buf[p + 2] + ' ' + buf[p + 3];
      return 'ok';
    case T.NSEC: {
      const after = names.readName(p, end);
      if (after < 0) return nameFail(after, w);
      rec.text = 'NSEC ' + rec.name.toLowerCase() + ' ' + names.name.toLowerCase();
      return 'ok';
    }
    case T.NSEC3:
      if (len < 6) return bad(w, W.rrLengthMismatch);
      rec.text = 'NSEC3';
      return 'ok';
    case T.NSEC3PARAM:
      if (len < 5) return bad(w, W.rrLengthMismatch);
      rec.text = 'NSEC3PARAM';
      return 'ok';
    case T.BINDS:
      if (len < 5) return bad(w, W.rrLengthMismatch);
      rec.text = 'BIND9 signing signal';
      return 'ok';
    case T.SSHFP:
      if (len < 2) return bad(w, W.rrLengthMismatch);
      rec.text = 'SSHFP: ' + hexText(buf, p + 2, end);
      return 'ok';
    case T.LOC:
      if (len < 16) return bad(w, W.rrLengthMismatch);
      if (buf[p] !== 0) weirds.push(W.locVersion);
      rec.text = 'LOC:  ' + buf[p + 1] + ' ' + buf[p + 2] + ' ' + buf[p + 3];
      return 'ok';
    // Parsed by Zeek, never logged by its script: rendered for our own use only.
    case T.HINFO:
      rec.zeekReply = false;
      return hinfo(buf, rec, p, end, w);
    case T.CAA:
      rec.zeekReply = false;
      return caa(buf, rec, p, end, w);
    case T.SVCB:
    case T.HTTPS: {
      rec.zeekReply = false;
      if (len < 3) return bad(w, W.svcbWrongLength);
      const after = names.readName(p + 2, end);
      if (after < 0) return nameFail(after, w);
      rec.text = names.name === '' ? '.' : names.name;
      return 'ok';
    }
    case T.TSIG:
    case T.TKEY: {
      rec.zeekReply = false;
      const after = names.readName(p, end);
      if (after < 0) return nameFail(after, w);
      rec.text = names.name.toLowerCase();
      return 'ok';
    }
    case T.OPT: // outside the additional section
    case 32: // Zeek's NBS (NetBIOS) type: skipped without an event
      rec.zeekReply = false;
      rec.text = '';
      return 'ok';
    default:
      weirds.push(W.unknownType);
      rec.text = unknownText[rec.type] ??= '<unknown type=' + rec.type + '>';
      return 'ok';
  }
}

function bad(w: string[], weird: string): DnsParseResult {
  w.push(weird);
  return 'bad_rdata_length';
}

// A name inside record data may not run past the data; that is a length error, not a truncation.
function nameFail(e: number, w: string[]): DnsParseResult {
  if (e === NameError.Truncated) return bad(w, W.rrLengthMismatch);
  return nameErrorResult(e, w);
}

function nameData(buf: Uint8Array, names: DnsNameReader, rec: DnsRecord, p: number, end: number, w: string[]): DnsParseResult {
  const after = names.readName(p, end);
  if (after < 0) return nameFail(after, w);
  if (after !== end) w.push(W.rrLengthMismatch);
  rec.text = names.name.toLowerCase();
  return 'ok';
}

function soa(buf: Uint8Array, names: DnsNameReader, rec: DnsRecord, p: number, end: number, w: string[]): DnsParseResult {
  const afterM = names.readName(p, end);
  if (afterM < 0) return nameFail(afterM, w);
  const mname = names.name;
  const afterR = names.readName(afterM, end);
  if (afterR < 0) return nameFail(afterR, w);
  if (afterR + 20 > end) return bad(w, W.rrLengthMismatch);
  if (afterR + 20 !== end) w.push(W.rrLengthMismatch);
  rec.text = mname.toLowerCase();
  return 'ok';
}

// Zeek: "TXT <length> <string>" per character-string, joined by spaces.
function txt(buf: Uint8Array, rec: DnsRecord, p: number, end: number, w: string[], label: string): DnsParseResult {
  let s = '';
  while (p < end) {
    const n = buf[p];
    if (p + 1 + n > end) {
      rec.text = s;
      return bad(w, W.txtPastRdlen);
    }
    if (s !== '') s += ' ';
    s += label + n + ' ' + escapedText(buf, p + 1, p + 1 + n);
    p += 1 + n;
  }
  rec.text = s;
  return 'ok';
}

// Zeek: "NAPTR <order> <preference> <flags> <service> <regexp> <replacement>", empty parts left out.
function naptr(buf: Uint8Array, names: DnsNameReader, rec: DnsRecord, p: number, end: number, w: string[]): DnsParseResult {
  if (p + 4 > end) return bad(w, W.rrLengthMismatch);
  const order = (buf[p] << 8) | buf[p + 1];
  const pref = (buf[p + 2] << 8) | buf[p + 3];
  p += 4;
  const parts: string[] = [];
  for (let i = 0; i < 3; i++) {
    if (p >= end || p + 1 + buf[p] > end) return bad(w, W.rrLengthMismatch);
    parts.push(escapedText(buf, p + 1, p + 1 + buf[p]));
    p += 1 + buf[p];
  }
  const after = names.readName(p, end);
  if (after < 0) return nameFail(after, w);
  let tail = parts[2];
  const repl = names.name.toLowerCase();
  if (repl !== '') tail = tail === '' ? repl : tail + ' ' + repl;
  rec.text = 'NAPTR ' + order + ' ' + pref + ' ' + parts[0] + ' ' + parts[1] + ' ' + tail;
  return 'ok';
}

// Zeek: "RRSIG <type covered> <signer>", the root signer written `<Root>`.
function rrsig(buf: Uint8Array, names: DnsNameReader, rec: DnsRecord, p: number, end: number, w: string[]): DnsParseResult {
  if (end - p < 18) return bad(w, W.rrLengthMismatch);
  const covered = (buf[p] << 8) | buf[p + 1];
  const after = names.readName(p + 18, end);
  if (after < 0) return nameFail(after, w);
  rec.text = 'RRSIG ' + covered + ' ' + (names.name === '' ? '<Root>' : names.name.toLowerCase());
  return 'ok';
}

function hinfo(buf: Uint8Array, rec: DnsRecord, p: number, end: number, w: string[]): DnsParseResult {
  if (p >= end || p + 1 + buf[p] > end) return bad(w, W.txtPastRdlen);
  const cpu = escapedText(buf, p + 1, p + 1 + buf[p]);
  p += 1 + buf[p];
  if (p >= end || p + 1 + buf[p] > end) return bad(w, W.txtPastRdlen);
  rec.text = cpu + ' ' + escapedText(buf, p + 1, p + 1 + buf[p]);
  return 'ok';
}

function caa(buf: Uint8Array, rec: DnsRecord, p: number, end: number, w: string[]): DnsParseResult {
  if (end - p < 2 || buf[p + 1] >= end - p - 2) return bad(w, W.caaPastRdlen);
  const tagEnd = p + 2 + buf[p + 1];
  rec.text = buf[p] + ' ' + escapedText(buf, p + 2, tagEnd) + ' ' + escapedText(buf, tagEnd, end);
  return 'ok';
}
