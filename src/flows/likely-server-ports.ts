/**
 * Zeek's `likely_server_ports`: the ports its base scripts add with `redef likely_server_ports += ...`
 * (protocol analyzers under scripts/base/protocols and the tunnel decapsulators under
 * scripts/base/packet-protocols). When a connection's first packet comes *from* one of these ports and
 * not *to* one, Zeek flips originator and responder (TCP only when the first packet is not a plain SYN).
 * Checked against Zeek's scripts for dns, http, ssl/dtls, ssh, snmp, ntp, krb, ldap, rdp, dce-rpc, dhcp,
 * syslog, teredo and smb; the rest are taken from the scripts' port constants as remembered (MySQL's
 * script registers ports without adding them, so 3306 is deliberately absent).
 */

/** TCP ports Zeek's default scripts consider likely server ports. */
export const ZEEK_LIKELY_SERVER_PORTS_TCP: readonly number[] = Object.freeze([
  21, 2811, // ftp (incl. gridftp)
  22, // ssh
  25, 587, // smtp
  80, 81, 631, 1080, 3128, 8000, 8080, 8888, // http
  88, // krb
  135, // dce-rpc
  139, 445, // smb
  143, // imap
  389, 3268, // ldap
  443, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223, // ssl
  502, // modbus
  1883, // mqtt
  3389, // rdp
  5222, 5269, // xmpp
  5432, // postgresql
  6379, // redis
  6666, 6667, 6668, 6669, // irc
  20000, // dnp3
  53, // dns
]);

/** UDP ports Zeek's default scripts consider likely server ports. */
export const ZEEK_LIKELY_SERVER_PORTS_UDP: readonly number[] = Object.freeze([
  53, 137, 5353, 5355, // dns, netbios-ns, mdns, llmnr
  67, // dhcp (server side only)
  88, // krb
  123, // ntp
  161, 162, // snmp
  389, // ldap
  443, // dtls, quic
  514, // syslog
  1812, // radius
  3389, // rdp (rdpeudp)
  5060, // sip
  20000, // dnp3
  2123, 2152, // gtpv1
  3544, // teredo
  4789, // vxlan
  5072, // ayiya
  6081, // geneve
]);

/** A set of ports as a 65,536-entry bitmap, so the per-connection lookup is one array read. */
export function portBitmap(ports: readonly number[]): Uint8Array {
  const m = new Uint8Array(65536);
  for (const p of ports) m[p] = 1;
  return m;
}
