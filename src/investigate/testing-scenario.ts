/**
 * Test-only: a small, realistic site over eight days. Sixty desktops and two laptops browse a few
 * common sites, resolve through the sanctioned resolver, poll an update server hourly and use the file
 * server. On the investigated day (2024-03-08) the finance laptop 10.1.0.5 is compromised: it resolves
 * and beacons to a command-and-control server every five minutes (also an intel match and an IDS
 * alert), uploads 250 MB to a drop server over a long connection, sweeps the server subnet on SMB,
 * logs into two servers over RDP and SSH, bursts NXDOMAIN queries for generated names, asks an
 * outside resolver, and is blocked by the firewall on port 4444. The HR laptop 10.1.0.6 stays clean.
 */
import type { SiteModel } from '../enrich/site-model.js';
import type { GeoLookup } from './context.js';
import { testGeo, testSite, type TestEvents, type TestRecord } from './testing.js';

const HOUR = 3_600_000_000;
const DAY = 24 * HOUR;

/** Start of the investigated day, in microseconds. */
export const DAY0 = Date.parse('2024-03-08T00:00:00Z') * 1000;

/** The compromised and the clean host. */
export const BAD = '10.1.0.5';
export const GOOD = '10.1.0.6';
export const C2 = '198.51.100.77';
export const DROP = '203.0.113.50';
export const BLOCKED = '192.0.2.66';
export const RESOLVER = '10.2.0.53';
export const OUTSIDE_RESOLVER = '8.8.8.8';

const COMMON: [string, string, number][] = [
  ['93.184.216.34', 'www.example.com', 443],
  ['151.101.1.69', 'news.example.net', 443],
  ['140.82.112.3', 'code.example.org', 443],
  ['13.107.42.14', 'mail.example.com', 443],
];
const UPDATES: [string, string] = ['23.45.67.89', 'updates.vendor.example'];
const FILESERVER = '10.2.0.10';

/** The site model of the scenario. */
export function scenarioSite(): SiteModel {
  return testSite({
    zones: [
      { name: 'corp', networks: ['10.1.0.0/16'] },
      { name: 'servers', networks: ['10.2.0.0/16'] },
    ],
    subnets: [{ name: 'corp-lan', cidr: '10.1.0.0/24', zone: 'corp' }],
    assets: [
      { address: BAD, hostname: 'fin-laptop-05', role: 'finance laptop', criticality: 'high' },
      { address: GOOD, hostname: 'hr-laptop-06', role: 'hr laptop', criticality: 'medium' },
      { address: FILESERVER, hostname: 'files01', role: 'file server', criticality: 'high' },
    ],
    resolvers: [RESOLVER],
  });
}

/** Geo data for the scenario's external addresses. */
export function scenarioGeo(): GeoLookup {
  return testGeo({
    [C2]: { country: 'RU', asn: 64511, asOrg: 'Bulletproof Hosting' },
    [DROP]: { country: 'NL', asn: 64512, asOrg: 'Cheap VPS' },
    [COMMON[0][0]]: { country: 'US', asn: 15133, asOrg: 'Edgecast' },
    [COMMON[1][0]]: { country: 'US', asn: 54113, asOrg: 'Fastly' },
    [COMMON[2][0]]: { country: 'US', asn: 36459, asOrg: 'GitHub' },
    [COMMON[3][0]]: { country: 'US', asn: 8075, asOrg: 'Microsoft' },
    [UPDATES[0]]: { country: 'DE', asn: 20940, asOrg: 'Akamai' },
  });
}

function conn(ts: number, orig: string, resp: string, port: number, more: Partial<TestRecord> = {}): TestRecord {
  return {
    ts,
    uid: `C${Math.round(ts).toString(36)}${orig.split('.').pop()}`,
    orig_h: orig,
    orig_p: 40000 + (Math.round(ts / 1000) % 20000),
    resp_h: resp,
    resp_p: port,
    proto: 'tcp',
    service: port === 443 ? 'ssl' : port === 445 ? 'smb' : null,
    duration: 2.5,
    orig_bytes: 900,
    resp_bytes: 24_000,
    conn_state: 'SF',
    ...more,
  };
}

function dnsq(ts: number, orig: string, name: string, answers: string[], more: Partial<TestRecord> = {}): TestRecord {
  return {
    ts,
    orig_h: orig,
    orig_p: 50000 + (Math.round(ts / 1000) % 10000),
    resp_h: RESOLVER,
    resp_p: 53,
    proto: 'udp',
    query: name,
    qtype_name: 'A',
    rcode_name: answers.length ? 'NOERROR' : 'NXDOMAIN',
    answers,
    ttls: answers.map(() => 300),
    ...more,
  };
}

/** A normal day of one desktop: browsing, hourly update polls, the file server. */
function normalDay(host: string, day: number, salt: number, out: TestEvents): void {
  const start = DAY0 + day * DAY;
  COMMON.forEach(([addr, name, port], k) => {
    for (let i = 0; i < 3; i++) {
      const ts = start + (8 + k + i * 2) * HOUR + salt * 7_000_000;
      out.dns!.push(dnsq(ts - 40_000, host, name, [addr]));
      out.connections!.push(conn(ts, host, addr, port, { resp_bytes: 20_000 + salt * 100 + i }));
    }
  });
  for (let h = 0; h < 24; h++) {
    out.connections!.push(conn(start + h * HOUR + salt * 1_000_000, host, UPDATES[0], 443, { orig_bytes: 400, resp_bytes: 1200 }));
  }
  out.dns!.push(dnsq(start + 60_000_000, host, UPDATES[1], [UPDATES[0]]));
  out.connections!.push(conn(start + 9 * HOUR + salt * 3_000_000, host, FILESERVER, 445, { resp_bytes: 80_000 }));
}

/** The compromised host's day. */
function incident(out: TestEvents): void {
  const t0 = DAY0 + 10 * HOUR;
  out.dns!.push(dnsq(t0 - 1_000_000, BAD, 'cdn-sync.badcdn.example', [C2]));
  for (let i = 0; i < 48; i++) {
    const jitter = ((i * 7919) % 7) - 3; // -3..+3 seconds
    out.connections!.push(conn(t0 + i * 300_000_000 + jitter * 1_000_000, BAD, C2, 443, { orig_bytes: 310, resp_bytes: 620, duration: 0.4 }));
  }
  out.findings!.push({ ts: t0 + 5_000_000, orig_h: BAD, resp_h: C2, resp_p: 443, proto: 'tcp', source_type: 'intel', signature: `intel: ${C2} (c2-feed)` });
  out.findings!.push({
    ts: t0 + 300_000_000, orig_h: BAD, orig_p: 41000, resp_h: C2, resp_p: 443, proto: 'tcp', source_type: 'suricata',
    signature: 'ET MALWARE Generic C2 Beacon', signature_id: 2030001, severity: 1, category: 'A Network Trojan was detected',
  });
  const up = DAY0 + 14 * HOUR;
  out.dns!.push(dnsq(up - 2_000_000, BAD, 'files.exfil-drop.example', [DROP]));
  out.connections!.push(conn(up, BAD, DROP, 443, { orig_bytes: 250_000_000, resp_bytes: 40_000, duration: 4200 }));
  const scan = DAY0 + 12 * HOUR;
  for (let i = 1; i <= 40; i++) {
    out.connections!.push(conn(scan + i * 200_000, BAD, `10.2.0.${i}`, 445, {
      conn_state: i % 5 === 0 ? 'SF' : 'REJ', duration: 0.001, orig_bytes: 0, resp_bytes: 0, service: null,
    }));
  }
  out.connections!.push(conn(scan + 600_000_000, BAD, '10.2.0.20', 3389, { service: 'rdp', duration: 1800, orig_bytes: 200_000, resp_bytes: 3_000_000 }));
  out.connections!.push(conn(scan + 900_000_000, BAD, '10.2.0.21', 22, { service: 'ssh', duration: 600, orig_bytes: 40_000, resp_bytes: 90_000 }));
  const nx = DAY0 + 11 * HOUR;
  let seed = 12345;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 40; i++) {
    const label = Array.from({ length: 20 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(next() * 36)]).join('');
    out.dns!.push(dnsq(nx + i * 2_000_000, BAD, `${label}.dga-zone.example`, []));
  }
  for (let i = 0; i < 5; i++) {
    out.dns!.push(dnsq(nx + HOUR + i * 10_000_000, BAD, 'cdn-sync.badcdn.example', [C2], { resp_h: OUTSIDE_RESOLVER }));
    out.connections!.push(conn(nx + HOUR + i * 10_000_000, BAD, OUTSIDE_RESOLVER, 53, { proto: 'udp', service: 'dns', orig_bytes: 60, resp_bytes: 120, duration: 0.02 }));
  }
  const fw = DAY0 + 13 * HOUR;
  for (let i = 0; i < 12; i++) {
    out.firewall!.push({
      ts: fw + i * 30_000_000, orig_h: BAD, orig_p: 45000 + i, resp_h: BLOCKED, resp_p: 4444, proto: 'tcp',
      action: 'deny', rule: 'block-egress-high-ports', source_type: 'netfilter',
    });
  }
}

/** The whole scenario: `days` of baseline before the investigated day, then the day itself. */
export function scenarioEvents(opts: { baselineDays?: number; fleet?: number } = {}): TestEvents {
  const days = opts.baselineDays ?? 7;
  const fleet = opts.fleet ?? 60;
  const out: TestEvents = { connections: [], dns: [], firewall: [], findings: [] };
  const hosts = [BAD, GOOD, ...Array.from({ length: fleet }, (_, i) => `10.1.0.${10 + i}`)];
  for (let day = -days; day <= 0; day++) hosts.forEach((h, i) => normalDay(h, day, i, out));
  out.firewall!.push({
    ts: DAY0 + 9 * HOUR, orig_h: GOOD, orig_p: 50123, resp_h: COMMON[0][0], resp_p: 443, proto: 'tcp',
    action: 'allow', rule: 'allow-web', source_type: 'netfilter',
  });
  out.dns!.push(dnsq(DAY0 + 8 * HOUR, '10.1.0.10', 'fin-laptop-05.corp.example', [BAD]));
  incident(out);
  return out;
}

/** The investigated period: the whole of 2024-03-08. */
export const PERIOD = { since: DAY0, until: DAY0 + DAY };
