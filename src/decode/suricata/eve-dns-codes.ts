/**
 * DNS type and response-code names as Suricata writes them, to their numbers. Suricata prints names it
 * knows and the decimal number otherwise, so a numeric string is accepted as the number itself.
 */

const QTYPES: ReadonlyMap<string, number> = new Map([
  ['A', 1], ['NS', 2], ['MD', 3], ['MF', 4], ['CNAME', 5], ['SOA', 6], ['MB', 7], ['MG', 8], ['MR', 9],
  ['NULL', 10], ['WKS', 11], ['PTR', 12], ['HINFO', 13], ['MINFO', 14], ['MX', 15], ['TXT', 16], ['RP', 17],
  ['AFSDB', 18], ['X25', 19], ['ISDN', 20], ['RT', 21], ['NSAP', 22], ['NSAP-PTR', 23], ['SIG', 24],
  ['KEY', 25], ['PX', 26], ['GPOS', 27], ['AAAA', 28], ['LOC', 29], ['NXT', 30], ['SRV', 33],
  ['ATMA', 34], ['NAPTR', 35], ['KX', 36], ['CERT', 37], ['A6', 38], ['DNAME', 39], ['OPT', 41],
  ['APL', 42], ['DS', 43], ['SSHFP', 44], ['IPSECKEY', 45], ['RRSIG', 46], ['NSEC', 47], ['DNSKEY', 48],
  ['DHCID', 49], ['NSEC3', 50], ['NSEC3PARAM', 51], ['TLSA', 52], ['SMIMEA', 53], ['HIP', 55],
  ['CDS', 59], ['CDNSKEY', 60], ['OPENPGPKEY', 61], ['CSYNC', 62], ['ZONEMD', 63], ['SVCB', 64],
  ['HTTPS', 65], ['SPF', 99], ['TKEY', 249], ['TSIG', 250], ['IXFR', 251], ['AXFR', 252],
  ['MAILB', 253], ['MAILA', 254], ['ANY', 255], ['URI', 256], ['CAA', 257], ['TA', 32768], ['DLV', 32769],
]);

const RCODES: ReadonlyMap<string, number> = new Map([
  ['NOERROR', 0], ['FORMERR', 1], ['SERVFAIL', 2], ['NXDOMAIN', 3], ['NOTIMP', 4], ['REFUSED', 5],
  ['YXDOMAIN', 6], ['YXRRSET', 7], ['NXRRSET', 8], ['NOTAUTH', 9], ['NOTZONE', 10], ['BADVERS', 16],
  ['BADSIG', 16], ['BADKEY', 17], ['BADTIME', 18], ['BADMODE', 19], ['BADNAME', 20], ['BADALG', 21],
  ['BADTRUNC', 22], ['BADCOOKIE', 23],
]);

function lookup(table: ReadonlyMap<string, number>, name: string, max: number): number | null {
  const n = table.get(name.toUpperCase());
  if (n !== undefined) return n;
  if (!/^\d{1,5}$/.test(name)) return null;
  const v = Number(name);
  return v <= max ? v : null;
}

/** Number of a DNS record type name ("AAAA" -> 28, "65" -> 65), or null when unknown. */
export function qtypeNumber(name: string): number | null {
  return lookup(QTYPES, name, 65535);
}

/** Number of a DNS response code name ("NXDOMAIN" -> 3, "12" -> 12), or null when unknown. */
export function rcodeNumber(name: string): number | null {
  return lookup(RCODES, name, 4095);
}
