/**
 * Application detection on real captures (test/fixtures/app-detect, made by extract.sh): every
 * connection's service against tshark's protocol identification and, where the capture ships one,
 * Zeek's conn.log; the attributes against tshark's own decoding and against Zeek's ssl, http, quic and
 * smtp logs and suricata-verify's checks.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type Connection, fixturePath, readSuricataChecks, readZeekLog, replay, tsharkService } from './app-detect-test-support.js';

const FIXTURES = readdirSync(fixturePath('.'))
  .filter((f) => f.endsWith('.packets.tsv'))
  .map((f) => f.slice(0, -'.packets.tsv'.length))
  .sort();

/** Captures whose snap length cut payloads short, so some attributes cannot be read. */
const SNAPLEN_CUT = new Set(['zeek_communityid_tcp', 'pcapng_gen_le_test006']);

/** Expected attribute values by the oracle's hex names (independent of the code's own tables). */
const TLS_VERSIONS: Record<string, string> = { '0x0300': 'SSLv3', '0x0301': 'TLSv10', '0x0302': 'TLSv11', '0x0303': 'TLSv12', '0x0304': 'TLSv13' };
const QUIC_VERSIONS: Record<string, string> = { '0x00000001': '1', '0x6b3343cf': 'quicv2' };

function where(name: string, c: Connection): string {
  return `${name} ${c.key} (${c.origPort} -> ${c.respPort})`;
}

/** The connection whose ports are these. */
function byPorts(conns: Connection[], orig: string, resp: string): Connection {
  const c = conns.find((x) => String(x.origPort) === orig && String(x.respPort) === resp);
  assert.ok(c, `no connection ${orig} -> ${resp}`);
  return c;
}

/** What tshark decoded from a connection's packets, as the attributes the detector should report. */
function tsharkAttrs(c: Connection): Record<string, string> {
  const want: Record<string, string> = {};
  const hello = c.rows.find((r) => r.tlsHandshakeTypes.split(',').includes('1'));
  if (hello !== undefined) {
    if (hello.sni !== '') want.sni = hello.sni;
    if (hello.alpn !== '') want.alpn = hello.alpn;
  }
  const serverHello = c.rows.find((r) => r.tlsHandshakeTypes.split(',').includes('2'));
  if (serverHello !== undefined && c.transport === 'tcp') {
    const v = serverHello.tlsSupportedVersion || serverHello.tlsHandshakeVersion.split(',')[0];
    want.version = TLS_VERSIONS[v] ?? v;
  }
  const request = c.rows.find((r) => r.httpMethod !== '');
  if (request !== undefined) {
    want.method = request.httpMethod;
    want.uri = request.httpUri;
    if (request.httpHost !== '') want.host = request.httpHost;
    if (request.httpUserAgent !== '') want.user_agent = request.httpUserAgent;
  }
  const response = c.rows.find((r) => r.httpCode !== '');
  if (response !== undefined) want.status = response.httpCode;
  const quic = c.rows.find((r) => r.quicVersion !== '');
  if (quic !== undefined) want.version = QUIC_VERSIONS[quic.quicVersion.split(',')[0]] ?? quic.quicVersion;
  return want;
}

/** The attributes tshark's fields above decode ('version' is TLS's or QUIC's; NTP and SMB have their own). */
function compared(service: string | null): string[] {
  const keys = ['sni', 'alpn', 'method', 'uri', 'host', 'user_agent', 'status'];
  return service === 'ssl' || service === 'quic' ? [...keys, 'version'] : keys;
}

describe('AppDetector on real captures: service', () => {
  for (const name of FIXTURES) {
    it(`${name}: each connection's service is the one tshark identifies`, () => {
      const conns = replay(name);
      assert.ok(conns.length > 0);
      for (const c of conns) assert.equal(c.state.service, tsharkService(c), where(name, c));
    });
  }

  it('finds every service of the corpus at least once (the comparison above is not vacuous)', () => {
    const seen = new Set(FIXTURES.flatMap((n) => replay(n).map((c) => c.state.service)));
    for (const s of ['dns', 'http', 'ssl', 'quic', 'smb', 'ntp', 'dhcp', 'smtp', null]) assert.ok(seen.has(s), `never saw ${s}`);
  });

  it("agrees with Zeek's conn.log service column", () => {
    let compared = 0;
    for (const name of ['zeek_http_get', 'zeek_tcp_missing_syn', 'zeek_pcapng_multi_interface', 'zeek_q_in_q']) {
      const conns = replay(name);
      for (const z of readZeekLog(`${name}.expected.conn.log`)) {
        const c = byPorts(conns, z['id.orig_p'], z['id.resp_p']);
        assert.equal(c.state.service, z.service === '-' ? null : z.service, where(name, c));
        compared++;
      }
    }
    assert.equal(compared, 7);
  });

  it("reports 'quic' for Zeek's 'quic,ssl' (the QUIC connection whose handshake is TLS)", () => {
    const [z] = readZeekLog('zeek_quicv2_http3.expected.conn.log.cut');
    const [c] = replay('zeek_quicv2_http3');
    assert.deepEqual(z.service.split(','), ['quic', 'ssl']);
    assert.equal(c.state.service, 'quic');
  });

  it("leaves Zeek's syslog_tcp connection unknown (no syslog detector)", () => {
    const [z] = readZeekLog('zeek_rawip4_tcp_syslog.expected.conn.log');
    const [c] = replay('zeek_rawip4_tcp_syslog');
    assert.equal(z.service, 'syslog_tcp');
    assert.ok(c.state.service === null || c.state.service === 'syslog', String(c.state.service));
    assert.equal(c.state.attrs, null);
  });
});

describe('AppDetector on real captures: attributes', () => {
  for (const name of FIXTURES) {
    it(`${name}: attributes match tshark's decoding`, () => {
      for (const c of replay(name)) {
        const want = tsharkAttrs(c);
        const got = c.state.attrs ?? {};
        for (const k of compared(c.state.service)) {
          // Every value reported is right; in captures not cut by their snap length, none is missing.
          if (k in got) assert.equal(got[k], want[k], `${where(name, c)} ${k}`);
          else if (!SNAPLEN_CUT.has(name)) assert.equal(want[k], undefined, `${where(name, c)} ${k} missing`);
        }
      }
    });
  }

  it("matches Zeek's ssl.log: server name and negotiated version", () => {
    const [z] = readZeekLog('zeek_tls_conn_with_extensions.expected.ssl.log');
    const [c] = replay('zeek_tls_conn_with_extensions');
    assert.equal(c.state.service, 'ssl');
    assert.deepEqual(c.state.attrs, { sni: z.server_name, version: z.version });
    assert.deepEqual([z.server_name, z.version], ['ssl.gstatic.com', 'TLSv10']);
  });

  it("matches Zeek's http.log: method, host, uri, user agent, status", () => {
    for (const name of ['zeek_http_get', 'zeek_nflog_http']) {
      const [z] = readZeekLog(`${name}.expected.http.log`);
      const c = byPorts(replay(name), z['id.orig_p'], z['id.resp_p']);
      assert.deepEqual(c.state.attrs, { method: z.method, uri: z.uri, host: z.host, user_agent: z.user_agent, status: z.status_code }, name);
    }
  });

  it("matches Zeek's smtp.log: the HELO name of each session", () => {
    const conns = replay('zeek_smtp');
    const rows = readZeekLog('zeek_smtp.expected.smtp.log');
    const sessions = new Map(rows.map((z) => [`${z['id.orig_p']}>${z['id.resp_p']}`, z.helo]));
    assert.equal(sessions.size, 2);
    for (const [ports, helo] of sessions) {
      const [o, r] = ports.split('>');
      const c = byPorts(conns, o, r);
      assert.equal(c.state.service, 'smtp');
      assert.equal(c.state.attrs?.helo, helo);
    }
  });

  it("matches Zeek's quic.log and ssl.log for QUIC v2: version, ALPN h3, no server name", () => {
    const [q] = readZeekLog('zeek_quicv2_http3.expected.quic.log');
    const [s] = readZeekLog('zeek_quicv2_http3.expected.ssl.log');
    const [c] = replay('zeek_quicv2_http3');
    assert.deepEqual([q.version, q.client_protocol, q.server_name, s.server_name], ['quicv2', 'h3', '-', '-']);
    assert.deepEqual(c.state.attrs, { version: q.version, alpn: q.client_protocol });
  });

  it("matches suricata-verify's TLS checks: SNI of each IPv6 connection", () => {
    const conns = replay('sv_community_id_ipv6');
    const checks = readSuricataChecks('sv_community_id_ipv6.expected.test.yaml').filter((f) => f['tls.sni'] !== undefined);
    assert.equal(checks.length, 2);
    for (const f of checks) {
      const c = byPorts(conns, f.src_port, f.dest_port);
      assert.equal(c.state.attrs?.sni, f['tls.sni']);
      assert.equal(f['tls.version'], 'TLS 1.3');
      assert.equal(c.state.attrs?.version, 'TLSv13');
    }
  });

  it('reads an EHLO typed one key per segment, after the greeting (Zeek community-id IPv6 trace)', () => {
    const [c] = replay('zeek_communityid_ipv6');
    const client = c.rows.filter((r) => r.payload.length > 0 && r.sport === c.origPort).map((r) => r.payload.toString());
    assert.deepEqual(client.slice(0, 4), ['e', 'h', 'l', 'o']);
    assert.equal(c.state.service, 'smtp');
  });

  it('tells HTTP from a response when the capture cut the request line short', () => {
    const [c] = replay('zeek_communityid_tcp');
    assert.equal(c.rows.find((r) => r.httpMethod !== '')?.payload.toString(), 'GET /images/sf.net_box.gif HTT');
    assert.deepEqual([c.state.service, c.state.attrs], ['http', { status: '200' }]);
  });

  it('tells DHCP between ports 67 and 68 when the capture cut it before the magic cookie', () => {
    const conns = replay('pcapng_gen_le_test006');
    const dhcp = conns.filter((c) => c.state.service === 'dhcp');
    assert.equal(dhcp.length, 2);
    for (const c of dhcp) assert.ok(c.rows.every((r) => r.payload.length < 240));
    assert.deepEqual(
      dhcp.map((c) => c.state.attrs?.mac),
      ['00:0b:82:01:fc:42', '00:0b:82:01:fc:42'],
    );
  });
});
