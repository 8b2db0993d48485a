/**
 * Tests of the suricata-eve decoder as a whole: real fixtures against their published expectations,
 * routing by event_type, the shared key columns, sniffing, and bad input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suricataEve } from './eve.js';
import { decodeEve, decodeRecords, fixture, isoMicros, json, micros } from './eve-test-support.js';

/** Fields crowdsec extracted from line `i` of its input, from a parser.assert or scenario.assert file. */
function crowdsecParsed(text: string, stage: string): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>();
  const re = new RegExp(String.raw`^results\["${stage}"\]\["[^"]+"\]\[(\d+)\]\.Evt\.(?:Parsed|Meta)\["(\w+)"\] == (".*")$`);
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (m === null) continue;
    const rec = out.get(Number(m[1])) ?? {};
    rec[m[2]] = JSON.parse(m[3]) as string;
    out.set(Number(m[1]), rec);
  }
  return out;
}

describe('suricata-eve: crowdsec sample (alerts, flows, stats)', () => {
  const out = decodeEve(fixture('crowdsec_suricata_eve.json'));
  const asserts = fixture('crowdsec_suricata_eve.expected.parser.assert.txt').toString('utf8');

  it('routes every line: 4 alerts, 2 flows, 2 stats ignored, nothing skipped', () => {
    assert.equal(out.rows.findings.length, 4);
    assert.equal(out.rows.connections.length, 2);
    assert.equal(out.rows.metadata.length, 0);
    assert.equal(out.rows.dns.length, 0);
    assert.deepEqual(out.ignored, { stats: 2 });
    assert.deepEqual(out.skips, []);
  });

  it('matches the fields crowdsec parses from each alert', () => {
    const parsed = crowdsecParsed(asserts, 's01-parse');
    const alertLines = [0, 1, 4, 7];
    assert.deepEqual([...parsed.keys()].sort((a, b) => a - b), alertLines);
    alertLines.forEach((line, i) => {
      const want = parsed.get(line)!;
      const row = out.rows.findings[i];
      assert.equal(isoMicros(row.ts as number), want.time);
      assert.equal(row.orig_h, want.source_ip);
      assert.equal(row.resp_h, want.dest_ip);
      assert.equal(String(row.resp_p), want.dest_port);
      assert.equal((row.proto as string).toUpperCase(), want.proto);
      assert.equal(row.signature, want.suricata_alert_signature);
      assert.equal(String(row.signature_id), want.suricata_alert_signature_id);
      assert.equal(String(row.rev), want.suricata_alert_signature_rev);
      assert.equal(String(row.severity), want.suricata_rule_severity);
      assert.equal(row.uid, want.suricata_flow_id);
    });
    // The enrichment stage states the UTC instant of each alert.
    const enriched = crowdsecParsed(asserts, 's02-enrich');
    assert.equal(enriched.size, 4);
    for (const [i, want] of enriched) assert.equal(isoMicros(out.rows.findings[i].ts as number) + 'Z', want.timestamp);
  });

  it('keeps the alert fields without columns in extra and computes a Community ID for "xx"', () => {
    const first = out.rows.findings[0];
    assert.equal(first.category, 'Attempted User Privilege Gain');
    assert.equal(first.action, 'allowed');
    assert.equal(first.app_proto, 'http');
    assert.match(first.community_id as string, /^1:[A-Za-z0-9+/]{27}=$/);
    const extra = json(first.extra);
    assert.equal(extra.community_id, 'xx'); // the sanitized value is kept, not lost
    const alert = extra.alert as Record<string, unknown>;
    assert.equal(alert.gid, 1);
    assert.deepEqual((alert.metadata as Record<string, unknown>).affected_product, ['Apache_Struts2']);
    assert.match(alert.rule as string, /^alert http any any/);
    assert.deepEqual(extra.metadata, { flowbits: ['ET.formdata', 'http.dottedquadhost'] });
    assert.deepEqual(extra.files, [{ filename: '%{0b', sid: [], gaps: false, state: 'CLOSED', stored: false, size: 1, tx_id: 0 }]);
    for (const k of ['signature', 'signature_id', 'rev', 'category', 'severity', 'action']) assert.ok(!(k in alert), k);
    for (const k of ['timestamp', 'flow_id', 'src_ip', 'src_port', 'dest_ip', 'dest_port', 'proto', 'event_type', 'app_proto']) assert.ok(!(k in extra), k);
  });

  it('maps a flow: times, counters, state, derived conn_state, and the rest in extra', () => {
    const f = out.rows.connections[0];
    assert.equal(f.ts, micros('2022-07-11T05:48:21.714860+0000'));
    assert.equal(f.end_ts, micros('2022-07-11T05:48:21.733121+0000'));
    assert.equal(f.duration, 0.018261);
    assert.equal(f.uid, '883709815679084');
    assert.deepEqual([f.orig_h, f.orig_p, f.resp_h, f.resp_p, f.proto, f.ip_proto], ['1.2.3.6', 56814, '127.0.0.1', 2352, 'tcp', 6]);
    assert.deepEqual([f.orig_pkts, f.resp_pkts, f.orig_ip_bytes, f.resp_ip_bytes], [2, 1, 108, 54]);
    assert.equal(f.orig_bytes, null);
    assert.equal(f.resp_bytes, null);
    assert.equal(f.state_reason, 'closed/timeout');
    assert.equal(f.conn_state, 'REJ'); // SYN+RST from the client, RST+ACK from the server, no SYN-ACK
    assert.equal(f.history, null);
    assert.equal(f.service, null);
    assert.equal(f.source_type, 'suricata');
    assert.deepEqual(json(f.extra), {
      timestamp: '2022-07-11T05:52:18.378379+0000',
      in_iface: 'eth0',
      flow: { age: 0, alerted: false },
      tcp: { tcp_flags: '16', tcp_flags_ts: '06', tcp_flags_tc: '14', syn: true, rst: true, ack: true, state: 'closed' },
    });
  });

  it('reads a "-0000" offset and leaves duration null when the end precedes the start', () => {
    const f = out.rows.connections[1];
    assert.equal(f.ts, micros('2022-07-12T05:48:21.714860+0000'));
    assert.equal(f.end_ts, micros('2022-07-11T05:48:21.733121+0000'));
    assert.equal(f.duration, null);
    assert.equal(out.rows.findings[3].ts, micros('2022-07-12T06:09:52.602489+0000'));
  });

  it('decodes the same whatever the chunk size', () => {
    const bytes = fixture('crowdsec_suricata_eve.json');
    for (const chunkSize of [1, 7, 100]) assert.deepEqual(decodeEve(bytes, { chunkSize }), out);
  });
});

describe('suricata-eve: crowdsec alerts sample against its scenario expectations', () => {
  it('has one finding per alert the scenarios saw, with the same id, flow, severity, source and time', () => {
    const out = decodeEve(fixture('crowdsec_suricata_eve_alerts.json'));
    assert.equal(out.rows.findings.length, 4);
    const text = fixture('crowdsec_suricata_eve_alerts.expected.scenario.assert.txt').toString('utf8');
    const events = new Map<string, Record<string, string>>();
    for (const m of text.matchAll(/^results\[(\d+)\]\.Overflow\.Alert\.Events\[(\d+)\]\.GetMeta\("(\w+)"\) == (".*")$/gm)) {
      const id = `${m[1]}/${m[2]}`;
      events.set(id, { ...events.get(id), [m[3]]: JSON.parse(m[4]) as string });
    }
    assert.equal(events.size, 4);
    for (const want of events.values()) {
      const row = out.rows.findings.find((r) => String(r.signature_id) === want.suricata_alert_signature_id);
      assert.ok(row, want.suricata_alert_signature_id);
      assert.equal(row.uid, want.suricata_flow_id);
      assert.equal(String(row.severity), want.suricata_rule_severity);
      assert.equal(row.orig_h, want.source_ip);
      assert.equal(isoMicros(row.ts as number) + 'Z', want.timestamp);
    }
  });
});

describe('suricata-eve: Suricata 6.0 alert and flows (elastic sample)', () => {
  const out = decodeEve(fixture('elastic_suricata_eve_alert_flow_6_0.json'));

  it('maps the alert, with its +0100 timestamp, to UTC microseconds', () => {
    assert.equal(out.rows.findings.length, 1);
    const a = out.rows.findings[0];
    assert.equal(a.ts, Date.UTC(2021, 0, 27, 0, 28, 11) * 1000 + 488362);
    assert.deepEqual([a.orig_h, a.orig_p, a.resp_h, a.resp_p], ['175.16.199.1', 80, '10.31.64.240', 47592]);
    assert.deepEqual([a.signature, a.signature_id, a.rev, a.category, a.severity, a.action, a.app_proto], [
      'GPL ATTACK_RESPONSE id check returned root', 2100498, 7, 'Potentially Bad Traffic', 2, 'allowed', 'http',
    ]);
    const extra = json(a.extra);
    assert.deepEqual(extra.ether, { src_mac: '00:03:2d:3f:e5:63', dest_mac: '00:1b:17:00:01:18' });
    assert.equal((extra.flow as Record<string, unknown>).bytes_toclient, 876);
    assert.equal((extra.http as Record<string, unknown>).hostname, 'testmynids.org');
  });

  it('maps both flows with their counters and Zeek states', () => {
    assert.equal(out.rows.connections.length, 2);
    const [a, b] = out.rows.connections;
    assert.equal(a.ts, micros('2024-07-30T16:48:20.399198+0000'));
    assert.equal(a.end_ts, micros('2024-07-30T16:52:20.399556+0000'));
    assert.equal(a.duration, 240.000358);
    assert.deepEqual([a.orig_pkts, a.resp_pkts, a.orig_ip_bytes, a.resp_ip_bytes, a.service], [74, 56, 7626, 10780, 'tls']);
    // Both sides sent FIN; the client's RST after the FIN exchange does not make it a reset (as in Zeek).
    assert.equal(a.conn_state, 'SF');
    assert.deepEqual([b.orig_h, b.orig_p, b.resp_h, b.resp_p, b.uid], ['10.0.0.72', 14612, '81.2.69.192', 443, '1357088669212417']);
    assert.deepEqual([b.orig_pkts, b.resp_pkts, b.orig_ip_bytes, b.resp_ip_bytes], [15, 10, 4269, 1091]);
    assert.equal(b.duration, 45.096215);
    assert.equal(b.conn_state, 'SF');
    assert.equal(b.state_reason, 'closed/timeout');
  });
});

describe('suricata-eve: other event types go to metadata', () => {
  it('keeps a fileinfo record whole, byte for byte, joined by flow_id and 5-tuple', () => {
    const bytes = fixture('sv_fileinfo_eicar.expected.eve.json');
    const out = decodeEve(bytes);
    assert.equal(out.rows.metadata.length, 1);
    const m = out.rows.metadata[0];
    assert.equal(m.log, 'fileinfo');
    assert.equal(m.data, bytes.toString('utf8').trimEnd());
    assert.equal(m.uid, '841252990914572');
    assert.equal(m.ts, micros('2016-06-08T20:01:52.875791+0000'));
    assert.deepEqual([m.orig_h, m.orig_p, m.resp_h, m.resp_p, m.proto], ['188.40.238.250', 80, '10.16.1.11', 59908, 'tcp']);
    assert.match(m.community_id as string, /^1:/);
  });

  it('stores unknown event types as metadata too, and ignores stats', () => {
    const out = decodeRecords([
      { timestamp: '2024-01-01T00:00:00.000001+0000', event_type: 'frobnicate', src_ip: '10.0.0.1', src_port: 1, dest_ip: '10.0.0.2', dest_port: 2, proto: 'UDP', flow_id: 7 },
      { timestamp: '2024-01-01T00:00:00.000002+0000', event_type: 'stats', stats: { uptime: 1 } },
      { timestamp: '2024-01-01T00:00:00.000003+0000', event_type: 'tls', tls: { sni: 'example.org' } },
    ]);
    assert.deepEqual(out.rows.metadata.map((r) => [r.log, r.uid, r.ts]), [
      ['frobnicate', '7', 1704067200000001],
      ['tls', null, 1704067200000003],
    ]);
    assert.deepEqual(json(out.rows.metadata[1].data), { timestamp: '2024-01-01T00:00:00.000003+0000', event_type: 'tls', tls: { sni: 'example.org' } });
    assert.deepEqual(out.ignored, { stats: 1 });
    assert.deepEqual(out.skips, []);
  });
});

describe('suricata-eve: bad input is counted, never fatal', () => {
  const ok = '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"http","src_ip":"10.0.0.1","src_port":1,"dest_ip":"10.0.0.2","dest_port":80,"proto":"TCP"}';
  const input = [
    ok,
    '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"flow",',
    '',
    '   ',
    '[1,2,3]',
    '"text"',
    '{"timestamp":"2024-01-01T00:00:00.000000+0000","src_ip":"10.0.0.1"}',
    '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":5}',
    '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"flow","src_port":"80","flow":{}}',
    '{"timestamp":"yesterday","event_type":"alert","alert":{}}',
    '{"event_type":"http"}',
    '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"flow","src_ip":1}',
    '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"flow","flow":{"start":"soon"}}',
    '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"flow","flow":{"end":17}}',
    '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"alert"}',
    '{"timestamp":"2024-01-01T00:00:00.000000","event_type":"http"}',
    '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"flow","proto":"TCP","src_port":70000,"flow":{}}',
    '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"flow","flow_id":-3,"flow":{}}',
    ok,
    '{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"flow"', // cut short at end of input
  ].join('\n');
  const out = decodeEve(input);

  it('skips each bad line with a bounded reason and its line number', () => {
    assert.deepEqual(out.skips, [
      { reason: 'bad_json', position: 2, detail: undefined },
      { reason: 'not_object', position: 5, detail: undefined },
      { reason: 'not_object', position: 6, detail: undefined },
      { reason: 'no_event_type', position: 7, detail: undefined },
      { reason: 'bad_value', position: 8, detail: 'event_type' },
      { reason: 'bad_value', position: 9, detail: 'src_port' },
      { reason: 'bad_value', position: 10, detail: 'timestamp' },
      { reason: 'bad_value', position: 11, detail: 'timestamp' },
      { reason: 'bad_value', position: 12, detail: 'src_ip' },
      { reason: 'bad_value', position: 13, detail: 'flow.start' },
      { reason: 'bad_value', position: 14, detail: 'flow.end' },
      { reason: 'bad_value', position: 15, detail: 'alert' },
      { reason: 'bad_value', position: 16, detail: 'timestamp' },
      { reason: 'bad_value', position: 17, detail: 'src_port' },
      { reason: 'bad_value', position: 18, detail: 'flow_id' },
      { reason: 'bad_json', position: 20, detail: undefined },
    ]);
  });

  it('still decodes the good lines around them', () => {
    assert.equal(out.rows.metadata.length, 2);
    assert.equal(out.rows.connections.length, 0);
    assert.equal(out.rows.findings.length, 0);
  });
});

describe('suricata-eve: shared key details', () => {
  const base = { timestamp: '2024-01-01T00:00:00.123456+0000', event_type: 'http', src_ip: '10.0.0.1', src_port: 1234, dest_ip: '10.0.0.2', dest_port: 80, proto: 'TCP' };

  it('takes the sensor from the user, else host, else sensor_name', () => {
    const recs = [{ ...base, host: 'h1' }, { ...base, sensor_name: 's1' }, base];
    assert.deepEqual(decodeRecords(recs).rows.metadata.map((r) => r.sensor), ['h1', 's1', null]);
    assert.deepEqual(decodeRecords(recs, { sensor: 'mine' }).rows.metadata.map((r) => r.sensor), ['mine', 'mine', 'mine']);
  });

  it('keeps flow_id digits beyond 2^53 exactly', () => {
    const out = decodeEve('{"timestamp":"2024-01-01T00:00:00.000000+0000","flow_id":1234567890123456789,"event_type":"http"}\n');
    assert.equal(out.rows.metadata[0].uid, '1234567890123456789');
  });

  it('maps protocol names and numbers to the canonical name and IANA number', () => {
    const recs = ['UDP', 'IPv6-ICMP', 'SCTP', 'GRE', 'IGMP', 47, 'FOO'].map((proto) => ({ ...base, proto }));
    assert.deepEqual(decodeRecords(recs).rows.metadata.map((r) => [r.proto, r.ip_proto]), [
      ['udp', 17], ['icmp6', 58], ['sctp', 132], ['47', 47], ['2', 2], ['47', 47], ['foo', null],
    ]);
  });

  it('writes IPv6 addresses in their compressed form', () => {
    const out = decodeRecords([{ ...base, src_ip: '2001:0db8:0000:0000:0000:0000:0000:0001', dest_ip: '2001:0DB8:0001:0000:0000:0000:0000:0000' }]);
    assert.deepEqual([out.rows.metadata[0].orig_h, out.rows.metadata[0].resp_h], ['2001:db8::1', '2001:db8:1::']);
  });

  it('copies a line that is not valid UTF-8 as its decoded text, and rebuilds extra from the parsed record', () => {
    // A Latin-1 "é" (0xE9) where UTF-8 is expected.
    const line = (eventType: string): Buffer =>
      Buffer.concat([
        Buffer.from(`{"timestamp":"2024-01-01T00:00:00.000000+0000","event_type":"${eventType}","alert":{"signature":"caf`),
        Buffer.from([0xe9]),
        Buffer.from('","gid":1},"note":"x"}\n'),
      ]);
    const out = decodeEve(Buffer.concat([line('alert'), line('http')]));
    assert.equal(out.rows.findings[0].signature, 'caf\uFFFD');
    assert.deepEqual(json(out.rows.findings[0].extra), { alert: { gid: 1 }, note: 'x' });
    assert.equal(out.rows.metadata[0].data, line('http').toString('utf8').trimEnd());
    assert.ok((out.rows.metadata[0].data as string).includes('caf\uFFFD'));
  });
});

describe('suricata-eve: sniff', () => {
  it('is confident about every EVE fixture, even when the head ends mid-line', () => {
    for (const name of ['crowdsec_suricata_eve.json', 'elastic_suricata_eve_dns_4_1_4.json', 'sv_fileinfo_eicar.expected.eve.json']) {
      const bytes = fixture(name);
      assert.equal(suricataEve.sniff(bytes), 0.95, name);
      assert.equal(suricataEve.sniff(bytes.subarray(0, 140)), 0.95, name);
    }
    assert.equal(suricataEve.sniff(Buffer.from('\n\n  {"timestamp":"x","event_type":"dns"}\n')), 0.95);
    assert.equal(suricataEve.sniff(Buffer.from('\uFEFF{"event_type":"flow"}')), 0.95);
  });

  it('says 0 for other formats', () => {
    for (const head of [
      '{"ts":1591367999.305988,"uid":"CMdzit1AMNsmfAIiQc","id.orig_h":"192.168.4.76"}\n',
      '#separator \\x09\n#set_separator\t,\n',
      '[{"event_type":"flow"}]\n',
      'event_type: flow\n',
      '',
      '{"timestamp":"x"}\n{"event_type":"flow"}\n',
    ]) assert.equal(suricataEve.sniff(Buffer.from(head)), 0, head);
  });
});

describe('suricata-eve: records inside syslog lines (filetype: syslog, forwarded eve.json)', () => {
  const buf = fixture('eve_syslog_written.log');

  it('is recognised (it was not a format Nightjar recognised)', () => {
    assert.equal(suricataEve.sniff(buf), 0.9);
    assert.equal(suricataEve.sniff(Buffer.from('May  6 10:00:01 fw-1 kernel: IN=eth0 OUT= SRC=192.0.2.1\n')), 0);
    assert.equal(suricataEve.sniff(Buffer.from('May  6 10:00:01 host app[1]: {"a":1}\n')), 0);
  });

  it('reads each record as the JSON alone: alert, dns, flow, stats ignored, the cut line skipped', () => {
    const out = decodeEve(buf);
    assert.deepEqual(out.ignored, { stats: 1 });
    assert.deepEqual(out.skips.map((s) => [s.reason, s.position]), [['bad_json', 5]]);
    const a = out.rows.findings[0];
    assert.deepEqual([a.ts, a.orig_h, a.resp_p, a.signature_id, a.severity], [micros('2024-05-06T10:00:00.500000+0000'), '192.0.2.40', 80, 2100498, 2]);
    assert.deepEqual([out.rows.dns[0].query, out.rows.dns[0].trans_id], ['example.com', 321]);
    const c = out.rows.connections[0];
    assert.deepEqual([c.ts, c.uid, c.orig_pkts, c.resp_ip_bytes, c.conn_state], [micros('2024-05-06T10:00:00.400000+0000'), '1111111111111111', 6, 876, 'SF']);
  });
});

describe('suricata-eve: an RFC 5424 message starting with a UTF-8 byte order mark', () => {
  it('is read like the same line without it', () => {
    const line = fixture('eve_syslog_written.log').toString('utf8').split('\n')[2];
    const i = line.indexOf(' - - ') + 5;
    const bom = Buffer.concat([Buffer.from(line.slice(0, i)), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(line.slice(i) + '\n')]);
    assert.equal(suricataEve.sniff(bom), 0.9);
    const out = decodeEve(bom);
    assert.deepEqual(out.skips, []);
    assert.equal(out.rows.connections[0].uid, '1111111111111111');
  });
});

describe('suricata-eve: alerts are oriented like their flow (Suricata 7+ direction and flow.src_ip)', () => {
  const out = decodeEve(fixture('eve_alert_direction_written.json'));

  it('turns round alerts raised by a response; keeps the packet direction of older alerts', () => {
    assert.deepEqual(out.skips, []);
    assert.deepEqual(
      out.rows.findings.map((r) => [r.signature_id, r.orig_h, r.orig_p, r.resp_h, r.resp_p]),
      [
        [9000001, '192.0.2.50', 50600, '198.51.100.25', 25],
        [9000002, '192.0.2.50', 50600, '198.51.100.25', 25],
        [9000003, '192.0.2.50', 50600, '198.51.100.25', 25],
        [9000004, '198.51.100.80', 80, '192.0.2.51', 50700],
        [9000005, '192.0.2.52', 50800, '198.51.100.53', 53],
        [9000006, '192.0.2.53', 50900, '198.51.100.53', 53],
      ],
    );
    assert.equal(new Set(out.rows.findings.slice(0, 3).map((r) => r.community_id)).size, 1);
    assert.equal(json(out.rows.findings[1].extra).direction, 'to_client');
  });
});
