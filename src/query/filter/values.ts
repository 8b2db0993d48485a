/**
 * Reading the values a filter names: strict addresses and CIDRs (dotted-quad IPv4 only, so `443` is
 * never taken for 0.0.1.187), ports by number or by their common service name, port ranges, and
 * addresses in the text form the store keeps (IPv4-mapped IPv6 as IPv4, IPv6 in RFC 5952 form).
 */
import ipaddr from 'ipaddr.js';

function strictAddress(text: string): boolean {
  if (text.includes(':')) return ipaddr.IPv6.isValid(text);
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** True for an address or CIDR written the way the language accepts them. */
export function looksLikeAddress(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return strictAddress(text);
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  const addr = text.slice(0, slash);
  return strictAddress(addr) && Number(bits) <= (addr.includes(':') ? 128 : 32);
}

/** An address in the store's text form, or undefined when `text` is not a strict address. */
export function canonicalAddress(text: string): string | undefined {
  if (!strictAddress(text)) return undefined;
  const a = ipaddr.parse(text);
  if (a.kind() === 'ipv6') {
    const v6 = a as ipaddr.IPv6;
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toRFC5952String();
  }
  return a.toString();
}

/** Service names BPF users type instead of numbers (tcpdump reads them from /etc/services). */
export const PORT_NAMES: Readonly<Record<string, number>> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, dns: 53, bootps: 67, bootpc: 68, tftp: 69, http: 80,
  kerberos: 88, pop3: 110, ntp: 123, netbios: 139, imap: 143, snmp: 161, ldap: 389, https: 443, smb: 445,
  syslog: 514, ldaps: 636, imaps: 993, pop3s: 995, mssql: 1433, mysql: 3306, rdp: 3389, postgres: 5432,
};

/** A port number or service name as the range [n, n], or an error reason. */
export function parsePortValue(text: string): [number, number] | string {
  const named = PORT_NAMES[text.toLowerCase()];
  if (named !== undefined) return [named, named];
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) return `"${text}" is not a port (0-65535, or a name such as domain, http, https)`;
  return [Number(text), Number(text)];
}

/** A port range `lo-hi`, or an error reason. */
export function parsePortRange(text: string): [number, number] | string {
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(text);
  if (!m || Number(m[1]) > 65535 || Number(m[2]) > 65535) return `"${text}" is not a port range such as 6000-6010`;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  if (lo > hi) return `the range ${text} runs backwards; write ${hi}-${lo}`;
  return [lo, hi];
}
