// Flow exports inside captures: sFlow datagrams in a pcap become the flows they sample (one row per
// flow sample) and interface counters, as many as tcpdump's own decoding of the same files shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeAll } from '../src/decode/testing.js';
import { pcapFormat } from '../src/flows/capture-decoder.js';

const DIR = path.join(process.cwd(), 'test/fixtures/sflow');

test('sFlow in a capture: a row per flow sample and per counter sample, as tcpdump counts them', () => {
  for (const name of ['tcpdump_sflow_v6', 'tcpdump_sflow_expanded', 'tcpdump_sflow_multiple_counter_30_pdus']) {
    const oracle = fs.readFileSync(path.join(DIR, `${name}.expected.tcpdump.txt`), 'utf8');
    const flowSamples = (oracle.match(/flow sample \(/g) ?? []).length;
    const counterSamples = (oracle.match(/counter sample \(/g) ?? []).length;
    const out = decodeAll(pcapFormat, fs.readFileSync(path.join(DIR, `${name}.pcap`)));
    const sflow = out.rows.connections.filter((r) => r.source_type === 'sflow');
    assert.equal(sflow.length, flowSamples, name);
    assert.equal(out.rows.metadata.filter((r) => r.log === 'sflow_counters').length, counterSamples, name);
    // The export traffic itself is a connection to the collector port, named by its service.
    assert.ok(out.rows.connections.some((r) => r.source_type === 'pcap' && r.resp_p === 6343 && r.service === 'sflow'), name);
    for (const r of sflow) assert.ok(r.sensor && r.orig_h && r.resp_h && typeof r.orig_pkts === 'number', JSON.stringify(r));
  }
});

test('NetFlow v9 and IPFIX in captures on non-standard ports are found by their headers and decoded', () => {
  const dir = path.join(process.cwd(), 'test/fixtures/netflow');
  const v9 = decodeAll(pcapFormat, fs.readFileSync(path.join(dir, 'pmacct_nfv9_cisco_asr9k.pcap'))).rows.connections;
  const ipfix = decodeAll(pcapFormat, fs.readFileSync(path.join(dir, 'pmacct_ipfix_cisco.pcap'))).rows.connections;
  assert.ok(v9.filter((r) => r.source_type === 'netflow').length > 10);
  assert.ok(ipfix.filter((r) => r.source_type === 'ipfix').length > 0);
  // The export datagrams themselves went to port 9991: a connection named by its service.
  assert.ok(v9.some((r) => r.source_type === 'pcap' && r.resp_p === 9991 && r.service === 'netflow'));
  for (const r of v9.filter((x) => x.source_type === 'netflow')) {
    assert.ok(typeof r.orig_pkts === 'number' && typeof r.orig_ip_bytes === 'number', JSON.stringify(r));
    assert.ok(r.sensor, 'the exporter is the sensor');
  }
});
