/**
 * The generated site: internal clients on RFC 1918 space (some dual-stack, some subnets on 802.1Q
 * trunks), internal servers and resolvers, external servers known by DNS names with fixed A/AAAA
 * answers (so DNS answers match the addresses clients then connect to), NTP servers and a scanner.
 * The capture point is the internal core switch: external peers sit behind the gateway's MAC.
 * External addresses look public but only ever exist inside the generated file.
 */

/** One host as seen on the wire at the capture point. */
export interface Host {
  /** IPv4 address as an unsigned 32-bit number. */
  ip4: number;
  /** IPv6 address as four 32-bit words, or null when the host has none. */
  ip6: Uint32Array | null;
  /** MAC seen for this host (the gateway's for external hosts), high 16 and low 32 bits. */
  macHi: number;
  macLo: number;
  /** TTL of its packets at the capture point. */
  ttl: number;
  /** 802.1Q tag control field of its subnet (VLAN id, priority 0), 0 when untagged. */
  vlan: number;
  /** Next ephemeral port to use when it is a client. */
  port: number;
}

/** The two ends of one flow with everything the IP layer needs, shared by all session kinds. */
export interface Endpoints {
  v6: boolean;
  vlan: number;
  cMacHi: number;
  cMacLo: number;
  sMacHi: number;
  sMacLo: number;
  c4: number;
  s4: number;
  c6: Uint32Array;
  s6: Uint32Array;
  ttlC: number;
  ttlS: number;
  idC: number;
  idS: number;
  labelC: number;
  labelS: number;
  /** Sum of the 16-bit words of both addresses (IPv4 header and pseudo-header checksums). */
  addrSum: number;
}

/** A DNS name with the answers every resolver gives for it. */
export interface NameEntry {
  /** Wire-format name, uncompressed, with its terminating zero. */
  wire: Uint8Array;
  /** Dotted form, for HTTP Host headers and TLS SNI. */
  text: string;
  /** CNAME target in wire format, compressed against the question name at offset 12, or null. */
  cname: Uint8Array | null;
  /** Servers the name resolves to (A answers from ip4, AAAA answers from those with ip6). */
  servers: Host[];
  /** Answer TTL in seconds. */
  ttl: number;
  /** True when the name does not exist (NXDOMAIN with an SOA of its zone). */
  nx: boolean;
  /** Offset, within `wire`, of the zone the SOA of an NXDOMAIN answer names. */
  zoneAt: number;
}

const NO_V6 = new Uint32Array(4);

/** The gateway router's MAC: every external peer appears behind it. */
const GATEWAY_MAC = [0x0019, 0xe25f3a01] as const;
const CLIENT_OUIS = [0x3c22fb, 0xf875a4, 0x005056, 0xa4bb6d, 0x8c8590, 0xdca632];

/** Builds the flow endpoints between `c` and `s`; `r` draws flow labels and initial IP ids. */
export function endpoints(c: Host, s: Host, v6: boolean, r: () => number): Endpoints {
  const c6 = v6 && c.ip6 ? c.ip6 : NO_V6;
  const s6 = v6 && s.ip6 ? s.ip6 : NO_V6;
  let addrSum = 0;
  if (v6) for (let i = 0; i < 4; i++) addrSum += (c6[i] >>> 16) + (c6[i] & 0xffff) + (s6[i] >>> 16) + (s6[i] & 0xffff);
  else addrSum = (c.ip4 >>> 16) + (c.ip4 & 0xffff) + (s.ip4 >>> 16) + (s.ip4 & 0xffff);
  return {
    v6,
    vlan: c.vlan || s.vlan,
    cMacHi: c.macHi,
    cMacLo: c.macLo,
    sMacHi: s.macHi,
    sMacLo: s.macLo,
    c4: c.ip4,
    s4: s.ip4,
    c6,
    s6,
    ttlC: c.ttl,
    ttlS: s.ttl,
    idC: (r() * 65536) | 0,
    idS: (r() * 65536) | 0,
    labelC: (r() * 0x100000) | 0,
    labelS: (r() * 0x100000) | 0,
    addrSum,
  };
}

/** Takes the host's next ephemeral port (Linux hands out even ports to connect(), in sequence). */
export function ephemeralPort(h: Host): number {
  const p = h.port;
  h.port = p >= 60998 ? 32768 : p + 2;
  return p;
}

function ip4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function ip6(w0: number, w1: number, w2: number, w3: number): Uint32Array {
  return Uint32Array.of(w0, w1, w2, w3);
}

function encodeName(text: string): Uint8Array {
  const parts = text.split('.');
  const out = new Uint8Array(text.length + 2);
  let o = 0;
  for (const p of parts) {
    out[o++] = p.length;
    for (let i = 0; i < p.length; i++) out[o++] = p.charCodeAt(i);
  }
  out[o] = 0;
  return out;
}

/** Offset within `wire` of the label sequence spelling `suffix`, or -1. */
function suffixAt(text: string, suffix: string): number {
  if (text === suffix) return 0;
  if (!text.endsWith('.' + suffix)) return -1;
  return text.length - suffix.length;
}

/** Encodes `target` with a pointer to the longest suffix it shares with `qname` (at message offset 12). */
function compressAgainst(qname: string, target: string): Uint8Array {
  const labels = target.split('.');
  for (let i = 0; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.');
    const at = suffixAt(qname, suffix);
    if (at >= 0 && labels.length - i >= 2) {
      const head = labels.slice(0, i).join('.');
      const headWire = head ? encodeName(head).subarray(0, head.length + 1) : new Uint8Array(0);
      const out = new Uint8Array(headWire.length + 2);
      out.set(headWire);
      out[headWire.length] = 0xc0 | ((12 + at) >> 8);
      out[headWire.length + 1] = (12 + at) & 0xff;
      return out;
    }
  }
  return encodeName(target);
}

const SITES = [
  'example.com', 'example.net', 'example.org', 'wikipedia.org', 'github.com', 'googleapis.com', 'gstatic.com',
  'microsoft.com', 'office.com', 'windowsupdate.com', 'apple.com', 'icloud.com', 'amazonaws.com', 'cloudfront.net',
  'akamaized.net', 'fastly.net', 'slack.com', 'zoom.us', 'salesforce.com', 'okta.com', 'debian.org', 'npmjs.org',
  'docker.io', 'ubuntu.com', 'mozilla.org', 'cloudflare.com', 'dropbox.com', 'atlassian.net', 'sentry.io', 'datadoghq.com',
];
const SUBS = ['www', 'api', 'cdn', 'static', 'login', 'mail', 'img', 'assets', 'update', 'telemetry', 'files', 'edge'];
const CDN_ZONES = ['edgekey.net', 'cdn.cloudflare.net', 'fastly-edge.net', 'azureedge.net', 'trafficmanager.net'];

/** Everything the sessions draw from. */
export interface Site {
  clients: Host[];
  /** Internal servers (file, SSH, intranet web) on the LAN: short RTTs, their own MACs. */
  internal: Host[];
  resolvers: Host[];
  ntp: Host[];
  scanner: Host;
  /** Resolvable names, most popular first; TCP and QUIC sessions pick servers through them. */
  names: NameEntry[];
  /** Names that do not exist. */
  nxNames: NameEntry[];
}

/** Builds the site deterministically from `r`. */
export function buildSite(r: () => number): Site {
  const clients: Host[] = [];
  for (let i = 0; i < 2400; i++) {
    const subnet = 1 + (i >> 8); // 10.<subnet>.<i&255>.x; subnets 3, 5 and 7 sit on tagged trunks.
    const vlan = subnet === 3 || subnet === 5 || subnet === 7 ? 100 + subnet * 10 : 0;
    const oui = CLIENT_OUIS[i % CLIENT_OUIS.length];
    const nic = (r() * 0x1000000) | 0;
    clients.push({
      ip4: ip4(10, subnet, i & 255, 10 + ((i * 37) % 240)),
      ip6: i % 3 === 0 ? ip6(0x20010db8, 0x0001_0000 | subnet, (r() * 2 ** 32) >>> 0, (r() * 2 ** 32) >>> 0) : null,
      macHi: oui >>> 8,
      macLo: (((oui & 0xff) << 24) | nic) >>> 0,
      ttl: i % 4 === 0 ? 128 : 64,
      vlan,
      port: 32768 + 2 * ((r() * 14000) | 0),
    });
  }
  const lan = (n: number, last: number, v6: boolean): Host => ({
    ip4: ip4(10, 0, n, last),
    ip6: v6 ? ip6(0x20010db8, 0, 0, (n << 8) | last) : null,
    macHi: 0x0050,
    macLo: (0x56000000 | (n << 8) | last) >>> 0,
    ttl: 64,
    vlan: 0,
    port: 40000,
  });
  const internal = Array.from({ length: 40 }, (_, i) => lan(10 + (i >> 4), 1 + (i & 15), i % 4 === 0));
  const resolvers = [lan(0, 53, true), lan(0, 54, true)];
  const wan = (a: number, b: number, c: number, d: number, v6: Uint32Array | null, ttl: number): Host => ({
    ip4: ip4(a, b, c, d),
    ip6: v6,
    macHi: GATEWAY_MAC[0],
    macLo: GATEWAY_MAC[1],
    ttl,
    vlan: 0,
    port: 40000,
  });
  const names: NameEntry[] = [];
  let serial = 0;
  for (const site of SITES) {
    for (const sub of SUBS) {
      if (r() < 0.45) continue;
      const text = `${sub}.${site}`;
      const wire = encodeName(text);
      const hops = 6 + ((r() * 14) | 0);
      const init = r() < 0.7 ? 64 : r() < 0.7 ? 128 : 255;
      const servers: Host[] = [];
      const count = 1 + ((r() * 4) | 0);
      const dual = r() < 0.5;
      for (let k = 0; k < count; k++) {
        serial++;
        // Spread over many /16s so flows do not all share a prefix.
        const a = [23, 34, 52, 104, 142, 151, 157, 172, 185, 199][serial % 10];
        servers.push(
          wan(a, (serial * 7) & 255, (serial * 13) & 255, 1 + (serial % 250),
            dual ? ip6(0x26064700, serial & 0xffff, 0, 0x1000 + k) : null, init - hops),
        );
      }
      const cdn = r() < 0.3 ? CDN_ZONES[(r() * CDN_ZONES.length) | 0] : null;
      // Half the CNAMEs stay inside the zone (compressed to a pointer), half go to a CDN.
      const cnameText = cdn ? `${text}.${cdn}` : r() < 0.15 ? `lb-${serial % 7}.${site}` : null;
      names.push({
        wire, text, cname: cnameText ? compressAgainst(text, cnameText) : null,
        servers, ttl: [60, 300, 3600, 20][serial % 4], nx: false, zoneAt: sub.length + 1,
      });
    }
  }
  const corp = ['intranet', 'wiki', 'git', 'jira', 'files', 'backup', 'build', 'vault'];
  for (let i = 0; i < corp.length; i++) {
    const text = `${corp[i]}.corp.example`;
    names.push({
      wire: encodeName(text), text, cname: null, servers: [internal[i], internal[i + 8]], ttl: 600, nx: false,
      zoneAt: corp[i].length + 1,
    });
  }
  // Interleave so popular (low index) names mix internal and external ones.
  for (let i = names.length - 1; i > 0; i--) {
    const j = (r() * (i + 1)) | 0;
    [names[i], names[j]] = [names[j], names[i]];
  }
  const nxNames: NameEntry[] = ['wpad.corp.example', 'printer7.corp.example', 'isatap.corp.example', 'tracker.example.net',
    'old-api.example.com', 'cdn-9.example.org'].map((text) => ({
    wire: encodeName(text), text, cname: null, servers: [], ttl: 900, nx: true,
    zoneAt: text.indexOf('.') + 1,
  }));
  const ntp = [
    lan(0, 123, true),
    wan(162, 159, 200, 1, ip6(0x26064700, 0xf1, 0, 0x123), 57),
    wan(129, 6, 15, 28, null, 50),
  ];
  const scanner = wan(198, 51, 100, 77, null, 49);
  return { clients, internal, resolvers, ntp, scanner, names, nxNames };
}
