/**
 * Test-only event sets whose right answers are known, shared by the validation tests and the CLI
 * test: an egress story (allowed web traffic, a deny-rule hit, default-deny violations, a silent
 * drop, firewall blocks, a too-broad rule, names from DNS including an expired answer, geo rules),
 * a DNS-filter story and a visibility story. Times are fixed, so golden reports are stable.
 */
import { sql } from '../store/sql.js';
import type { GeoSource } from './context.js';
import { conn, type TestData, type TestRow } from './testing.js';

/** The egress policy the egress story is checked against. */
export const EGRESS_POLICY = `# test policy
version: 1
zones:
  corp:
    default: deny
    deny:
      - name: no-known-bad
        to: [{ cidr: 198.51.100.66/32 }]
    allow:
      - name: web
        to: any
        ports: [80/tcp, 443/tcp]
      - name: ntp
        to: [{ cidr: 192.0.2.123 }]
        ports: [123/udp]
      - name: partner-api
        to: [{ domain: "*.partner.example" }]
        ports: [8443/tcp]
      - name: legacy-ssh
        to: any
        ports: [22/tcp]
      - name: mail-relay
        to: [{ cidr: 203.0.113.25/32 }]
        ports: [25/tcp]
  servers:
    allow:
      - name: updates
        to: [{ domain: updates.example.net }]
        ports: [443/tcp]
      - name: hosting-nl
        to: [{ country: NL }]
        ports: [443/tcp]
`;

const T0 = Date.parse('2024-05-01T10:00:00Z');

/** ISO time `s` seconds after the stories' start. */
export function at(s: number): string {
  return new Date(T0 + s * 1000).toISOString();
}

function dns(s: number, client: string, query: string, answers: string[], more: TestRow = {}): TestRow {
  return {
    ts: at(s),
    uid: `D${s}${client}`,
    orig_h: client,
    orig_p: 50000 + s,
    resp_h: '10.2.0.53',
    resp_p: 53,
    proto: 'udp',
    ip_proto: 17,
    source_type: 'zeek',
    query,
    qtype_name: 'A',
    rcode: 0,
    rcode_name: 'NOERROR',
    answers,
    ttls: answers.map(() => 300),
    ...more,
  };
}

function fwRow(s: number, orig: string, resp: string, port: number, action: string, rule: string): TestRow {
  return { ts: at(s), orig_h: orig, orig_p: 41000 + s, resp_h: resp, resp_p: port, proto: 'tcp', ip_proto: 6, source_type: 'netfilter', action, rule };
}

/** The egress story. */
export function egressData(): TestData {
  const connections: TestRow[] = [];
  for (let i = 0; i < 12; i++) connections.push(conn(at(i), '10.1.1.10', `203.0.113.${100 + i}`, 443));
  connections.push(
    conn(at(100), '10.1.1.10', '198.51.100.66', 443),
    conn(at(110), '10.1.2.20', '198.51.100.7', 6667),
    conn(at(111), '10.1.2.20', '198.51.100.7', 6667),
    conn(at(112), '10.1.2.20', '198.51.100.7', 6667, { conn_state: 'S1', history: 'Sh' }),
    conn(at(120), '10.1.2.20', '198.51.100.8', 4444, { conn_state: 'S0', history: 'S', resp_bytes: 0, resp_pkts: 0, orig_bytes: 0, orig_pkts: 3 }),
    conn(at(130), '10.1.1.10', '192.0.2.22', 22),
    conn(at(131), '10.1.1.10', '192.0.2.22', 22),
    conn(at(140), '10.1.1.10', '192.0.2.123', 123, { proto: 'udp', ip_proto: 17, history: 'Dd' }),
    conn(at(201), '10.1.1.11', '192.0.2.80', 8443),
    conn(at(202), '10.1.1.11', '192.0.2.81', 8443),
    conn(at(210 + 600), '10.1.1.11', '192.0.2.82', 8443),
    conn(at(300), '10.2.0.5', '192.0.2.200', 443),
    conn(at(301), '10.2.0.5', '192.0.2.201', 443),
    conn(at(302), '10.2.0.6', '192.0.2.50', 443),
    conn(at(400), '10.1.1.12', '198.51.100.10', 3389, {
      source_type: 'aws-vpc-flow', conn_state: null, history: null, action: 'reject', resp_bytes: null, resp_pkts: null,
    }),
    conn(at(500), '10.1.1.10', '10.2.0.53', 53, { proto: 'udp', ip_proto: 17 }),
    conn(at(501), '10.3.0.9', '198.51.100.1', 443),
  );
  return {
    connections,
    dns: [
      dns(200, '10.1.1.11', 'api.partner.example', ['192.0.2.80']),
      // Answered, but the connection comes ten minutes later, after the 300 s TTL.
      dns(210, '10.1.1.11', 'old.partner.example', ['192.0.2.82']),
      dns(299, '10.2.0.6', 'updates.example.net', ['192.0.2.50']),
    ],
    firewall: [
      fwRow(600, '10.1.2.20', '198.51.100.9', 25, 'deny', 'block-smtp'),
      fwRow(601, '10.1.2.20', '198.51.100.9', 25, 'deny', 'block-smtp'),
      fwRow(610, '10.1.1.10', '203.0.113.50', 443, 'drop', 'ips-drop'),
    ],
  };
}

/** Geo data for the egress story: 192.0.2.200 is in NL (AS64500), 192.0.2.201 in the US (AS64501). */
export const egressGeo: GeoSource = {
  relationSql: () => sql`(SELECT * FROM (VALUES (${'192.0.2.200'}, ${'NL'}, ${64500}), (${'192.0.2.201'}, ${'US'}, ${64501})) AS g(address, country, asn))`,
};

/** The blocklist of the DNS-filter story: plain, wildcard and hosts-file lines, and one bad line. */
export const BLOCKLIST = `# test blocklist
evil.example
*.tracker.example
0.0.0.0 ads.example malware.example   # hosts-file style
127.0.0.1 localhost
this line is not a domain
`;

/** The DNS-filter story. */
export function dnsFilterData(): TestData {
  const udp = { proto: 'udp', ip_proto: 17, history: 'Dd' };
  return {
    dns: [
      dns(10, '10.1.1.10', 'evil.example', ['198.51.100.20']),
      dns(20, '10.1.1.11', 'x.tracker.example', ['0.0.0.0']),
      dns(30, '10.1.1.12', 'ads.example', [], { rcode: 3, rcode_name: 'NXDOMAIN' }),
      dns(31, '10.1.1.15', 'ads.example', [], { rcode: 5, rcode_name: 'REFUSED' }),
      dns(40, '10.1.1.13', 'malware.example', ['203.0.113.99']),
      dns(50, '10.1.1.14', 'tracker.example', ['192.0.2.44']),
      dns(60, '10.1.1.10', 'good.example', ['192.0.2.10']),
      dns(70, '10.1.2.30', 'anything.example', ['192.0.2.30'], { resp_h: '8.8.4.4' }),
      dns(80, '10.1.2.32', 'cloudflare-dns.com', ['104.16.248.249']),
      dns(90, '10.2.0.53', 'evil.example', ['198.51.100.20'], { resp_h: '8.8.8.8' }),
    ],
    connections: [
      conn(at(12), '10.1.1.10', '198.51.100.20', 443),
      conn(at(13), '10.1.1.10', '198.51.100.20', 443, { conn_state: 'REJ', history: 'Sr', resp_bytes: 0, orig_bytes: 0 }),
      conn(at(51), '10.1.1.14', '192.0.2.44', 443),
      conn(at(61), '10.1.1.10', '192.0.2.10', 443),
      conn(at(70), '10.1.2.30', '8.8.4.4', 53, udp),
      conn(at(75), '10.1.2.31', '1.1.1.1', 853),
      conn(at(81), '10.1.2.32', '104.16.248.249', 443),
      conn(at(85), '10.1.2.33', '9.9.9.9', 443),
      conn(at(86), '10.1.2.34', '203.0.113.77', 443, { extra: JSON.stringify({ app: { sni: 'dns.nextdns.io' } }) }),
      conn(at(87), '10.1.2.35', '9.9.9.9', 53, { ...udp, conn_state: 'S0', history: 'D', resp_bytes: 0, resp_pkts: 0 }),
      conn(at(90), '10.2.0.53', '8.8.8.8', 53, udp),
      conn(at(95), '10.1.1.20', '10.2.0.53', 53, udp),
    ],
  };
}

/** The visibility story (times in minutes after 10:00; the newest record is at 14:00). */
export function visibilityData(): TestData {
  const m = (min: number): string => at(min * 60);
  const connections: TestRow[] = [];
  // tap-core sees corp-lan and the servers zone, with a two-hour pause (11:00 to 13:00).
  for (const min of [0, 10, 20, 30, 40, 50, 60, 180, 190, 200, 210, 220, 230, 240]) {
    connections.push(conn(m(min), '10.1.1.10', '10.2.0.80', 443, { sensor: 'tap-core' }));
  }
  // tap-wifi stopped at 10:30.
  for (const min of [0, 10, 20, 30]) connections.push(conn(m(min), '10.1.2.40', '203.0.113.5', 443, { sensor: 'tap-wifi' }));
  // tap-dmz sees only the originator's side of the DMZ's connections (acks and data: the replies exist).
  for (let i = 0; i < 5; i++) {
    connections.push(conn(m(210), `10.2.9.${5 + i}`, '198.51.100.5', 443, { sensor: 'tap-dmz', conn_state: 'S1', history: 'SAD', resp_pkts: 0, resp_bytes: 0 }));
  }
  // An unanswered SYN is not a sign of a missing tap.
  connections.push(conn(m(211), '10.2.9.20', '198.51.100.6', 443, { sensor: 'tap-dmz', conn_state: 'S0', history: 'S', orig_pkts: 3, resp_pkts: 0, resp_bytes: 0 }));
  // exporter-1: one flow with no reverse record, one pair with both directions.
  const flow = { sensor: 'exporter-1', source_type: 'netflow', conn_state: null, history: null, resp_pkts: null, resp_bytes: null, orig_pkts: 40 };
  connections.push(
    conn(m(200), '10.1.1.50', '203.0.113.9', 443, flow),
    conn(m(200), '10.1.1.51', '203.0.113.10', 443, { ...flow, orig_p: 50001 }),
    conn(m(200), '203.0.113.10', '10.1.1.51', 50001, { ...flow, orig_p: 443 }),
  );
  const dnsRows: TestRow[] = [];
  for (let min = 0; min <= 240; min += 20) dnsRows.push(dns(min * 60, '10.1.1.10', 'www.example.com', ['192.0.2.1'], { sensor: 'tap-core' }));
  const firewall: TestRow[] = [];
  for (let min = 0; min <= 240; min += 30) firewall.push({ ...fwRow(min * 60, '10.1.2.40', '198.51.100.9', 25, 'deny', 'block-smtp'), sensor: 'fw1' });
  return { connections, dns: dnsRows, firewall };
}
