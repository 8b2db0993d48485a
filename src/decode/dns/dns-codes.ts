/**
 * DNS code-to-name tables, spelled exactly as Zeek's `base/protocols/dns/consts.zeek` spells them
 * (`*` for ANY, `NXRRSet`, `C_INTERNET`, `query-N` for unknown types), so DNS transactions decoded from
 * packets read the same as a Zeek dns.log.
 */

/** RR and query types: code 1 is A, 255 is `*` (Zeek's name for ANY). */
const QTYPES: Readonly<Record<number, string>> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL',
  11: 'WKS', 12: 'PTR', 13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB',
  19: 'X25', 20: 'ISDN', 21: 'RT', 22: 'NSAP', 23: 'NSAP-PTR', 24: 'SIG', 25: 'KEY', 26: 'PX',
  27: 'GPOS', 28: 'AAAA', 29: 'LOC', 30: 'NXT', 31: 'EID', 32: 'NIMLOC', 33: 'SRV', 34: 'ATMA',
  35: 'NAPTR', 36: 'KX', 37: 'CERT', 38: 'A6', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL',
  43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID',
  50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP', 56: 'NINFO', 57: 'RKEY',
  58: 'TALINK', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD', 64: 'SVCB',
  65: 'HTTPS', 99: 'SPF', 100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 104: 'NID',
  105: 'L32', 106: 'L64', 107: 'LP', 108: 'EUI48', 109: 'EUI64', 249: 'TKEY', 250: 'TSIG',
  251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: '*', 256: 'URI', 257: 'CAA',
  32768: 'TA', 32769: 'DLV', 65281: 'WINS', 65282: 'WINS-R', 65422: 'XPF', 65521: 'INTEGRITY',
};

/** Response codes (4-bit header code, or 12-bit with the EDNS extension). */
const RCODES: Readonly<Record<number, string>> = {
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED',
  6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSet', 9: 'NOTAUTH', 10: 'NOTZONE', 11: 'unassigned-11',
  12: 'unassigned-12', 13: 'unassigned-13', 14: 'unassigned-14', 15: 'unassigned-15',
  16: 'BADVERS', 17: 'BADKEY', 18: 'BADTIME', 19: 'BADMODE', 20: 'BADNAME', 21: 'BADALG',
  22: 'BADTRUNC', 23: 'BADCOOKIE', 3842: 'BADSIG',
};

const CLASSES: Readonly<Record<number, string>> = {
  1: 'C_INTERNET', 2: 'C_CSNET', 3: 'C_CHAOS', 4: 'C_HESIOD', 254: 'C_NONE', 255: 'C_ANY',
};

const OPCODES: Readonly<Record<number, string>> = {
  0: 'query', 1: 'iquery', 2: 'server-status', 4: 'notify', 5: 'dynamic-update', 6: 'dso',
};

/** Opcodes Zeek's DNS script tracks as transactions: QUERY, NOTIFY and UPDATE. */
export const TRACKED_OPCODES: readonly number[] = [0, 4, 5];

/** Well-known type codes used by the decoder. */
export const T = {
  A: 1, NS: 2, MD: 3, MF: 4, CNAME: 5, SOA: 6, MB: 7, MG: 8, MR: 9, NULL: 10, WKS: 11, PTR: 12,
  HINFO: 13, MINFO: 14, MX: 15, TXT: 16, RP: 17, AFSDB: 18, AAAA: 28, LOC: 29, SRV: 33, NAPTR: 35,
  KX: 36, A6: 38, DNAME: 39, OPT: 41, DS: 43, SSHFP: 44, RRSIG: 46, NSEC: 47, DNSKEY: 48,
  NSEC3: 50, NSEC3PARAM: 51, SVCB: 64, HTTPS: 65, SPF: 99, TKEY: 249, TSIG: 250, ANY: 255,
  CAA: 257, BINDS: 65534,
} as const;

// Names for unknown codes are built once and kept, so a flood of odd codes allocates each name once.
const qtypeCache: (string | undefined)[] = [];
const rcodeCache: (string | undefined)[] = [];
const classCache: (string | undefined)[] = [];
const opcodeCache: (string | undefined)[] = [];

function named(table: Readonly<Record<number, string>>, cache: (string | undefined)[], n: number, prefix: string): string {
  const hit = cache[n];
  if (hit !== undefined) return hit;
  const s = table[n] ?? prefix + n;
  cache[n] = s;
  return s;
}

/** Zeek's name for a query or RR type (`A`, `*` for 255, `query-N` when unassigned). */
export function qtypeName(n: number): string {
  return named(QTYPES, qtypeCache, n, 'query-');
}

/** Zeek's name for a class (`C_INTERNET`, `qclass-N` when unknown). */
export function qclassName(n: number): string {
  return named(CLASSES, classCache, n, 'qclass-');
}

/** Zeek's name for a response code (`NOERROR`, `NXDOMAIN`, `rcode-N` when unassigned). */
export function rcodeName(n: number): string {
  return named(RCODES, rcodeCache, n, 'rcode-');
}

/** Zeek's name for an opcode (`query`, `notify`, `opcode-N` when unassigned). */
export function opcodeName(n: number): string {
  return named(OPCODES, opcodeCache, n, 'opcode-');
}
