/**
 * Well-known public DNS-over-HTTPS resolvers, so a client talking HTTPS to one of them can be named
 * as bypassing the site's resolvers. Taken from each operator's own documentation (retrieved 2024):
 * - Google Public DNS: https://developers.google.com/speed/public-dns/docs/doh
 * - Cloudflare 1.1.1.1 (and its malware/family variants): https://developers.cloudflare.com/1.1.1.1/ip-addresses/
 * - Quad9: https://www.quad9.net/service/service-addresses-and-features
 * - Cisco OpenDNS: as listed in AdGuard's "Known DNS providers" (next line)
 * - AdGuard DNS, and a cross-check of all the above: https://adguard-dns.io/kb/general/dns-providers/
 * - Names only (anycast addresses change): NextDNS, Mullvad, Control D, CleanBrowsing, DNS.SB, and
 *   Mozilla's Firefox endpoint, as listed on https://github.com/curl/curl/wiki/DNS-over-HTTPS.
 * The list is deliberately short and exact: an address here also serves plain DNS, which the
 * port-53 check catches anyway; a name catches DoH to a provider whose addresses move.
 */

/** One public DoH provider. */
export interface PublicResolver {
  readonly provider: string;
  readonly names: readonly string[];
  readonly addresses: readonly string[];
}

/** The shipped list. */
export const PUBLIC_DOH_RESOLVERS: readonly PublicResolver[] = [
  { provider: 'Google Public DNS', names: ['dns.google', 'dns.google.com'], addresses: ['8.8.8.8', '8.8.4.4', '2001:4860:4860::8888', '2001:4860:4860::8844'] },
  {
    provider: 'Cloudflare',
    names: ['cloudflare-dns.com', 'one.one.one.one', 'security.cloudflare-dns.com', 'family.cloudflare-dns.com', 'mozilla.cloudflare-dns.com'],
    addresses: ['1.1.1.1', '1.0.0.1', '1.1.1.2', '1.0.0.2', '1.1.1.3', '1.0.0.3', '2606:4700:4700::1111', '2606:4700:4700::1001'],
  },
  {
    provider: 'Quad9',
    names: ['dns.quad9.net', 'dns9.quad9.net', 'dns10.quad9.net', 'dns11.quad9.net'],
    addresses: ['9.9.9.9', '149.112.112.112', '9.9.9.10', '149.112.112.10', '9.9.9.11', '149.112.112.11', '2620:fe::fe', '2620:fe::9'],
  },
  { provider: 'Cisco OpenDNS', names: ['doh.opendns.com', 'doh.familyshield.opendns.com'], addresses: ['208.67.222.222', '208.67.220.220', '208.67.222.123', '208.67.220.123', '2620:119:35::35', '2620:119:53::53'] },
  { provider: 'AdGuard DNS', names: ['dns.adguard-dns.com', 'family.adguard-dns.com', 'unfiltered.adguard-dns.com', 'dns.adguard.com'], addresses: ['94.140.14.14', '94.140.15.15', '94.140.14.15', '94.140.15.16', '2a10:50c0::ad1:ff', '2a10:50c0::ad2:ff'] },
  { provider: 'NextDNS', names: ['dns.nextdns.io'], addresses: [] },
  { provider: 'Mullvad', names: ['doh.mullvad.net', 'dns.mullvad.net', 'adblock.dns.mullvad.net'], addresses: [] },
  { provider: 'Control D', names: ['freedns.controld.com'], addresses: [] },
  { provider: 'CleanBrowsing', names: ['doh.cleanbrowsing.org'], addresses: [] },
  { provider: 'DNS.SB', names: ['doh.dns.sb'], addresses: [] },
];

/** The provider of a DoH address or name, or null. */
export function publicResolverOf(addressOrName: string): string | null {
  const k = addressOrName.toLowerCase();
  for (const r of PUBLIC_DOH_RESOLVERS) if (r.addresses.includes(k) || r.names.includes(k)) return r.provider;
  return null;
}
