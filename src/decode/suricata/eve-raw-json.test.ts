/**
 * Tests of the byte-level `extra` filter against a reference built with JSON.parse: every line of every
 * EVE fixture, and hand-made lines with whitespace, escapes and brackets inside strings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyTable, RawFilter } from './eve-raw-json.js';
import { fixture } from './eve-test-support.js';

const TOP_NAMES = ['flow_id', 'event_type', 'src_ip', 'timestamp', 'app_proto', 'flow', 'alert'];
const SUB_NAMES = ['start', 'end', 'signature', 'state'];

/** What the filter must produce: top keys with drop set removed, `flow`'s SUB_NAMES removed. */
function reference(rec: Record<string, unknown>, drop: Set<string>, sub: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (drop.has(k)) continue;
    if (k === sub && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const rest = Object.fromEntries(Object.entries(v).filter(([sk]) => !SUB_NAMES.includes(sk)));
      if (Object.keys(rest).length > 0) out[k] = rest;
    } else out[k] = v;
  }
  return Object.keys(out).length === 0 ? null : out;
}

function check(line: string, sub: 'flow' | 'alert'): void {
  const buf = Buffer.from(`xx${line}yy`); // the object does not start at 0 nor end at the buffer's end
  const top = new KeyTable(TOP_NAMES);
  const drop = new Uint8Array(TOP_NAMES.length);
  const dropped = new Set(['flow_id', 'event_type', 'src_ip', 'timestamp']);
  TOP_NAMES.forEach((n, i) => (drop[i] = dropped.has(n) ? 1 : 0));
  const f = new RawFilter();
  const kept = f.filter(buf, 2, buf.length - 2, top, drop, TOP_NAMES.indexOf(sub), new KeyTable(SUB_NAMES));
  const want = reference(JSON.parse(line) as Record<string, unknown>, dropped, sub);
  if (want === null) return assert.equal(kept, false, line);
  assert.equal(kept, true, line);
  assert.deepEqual(JSON.parse(f.bytes.toString('utf8', 0, f.length)), want, line);
}

describe('RawFilter', () => {
  it('matches the JSON.parse reference on every fixture line', () => {
    let n = 0;
    for (const name of ['crowdsec_suricata_eve.json', 'crowdsec_suricata_eve_alerts.json', 'elastic_suricata_eve_alert_flow_6_0.json', 'elastic_suricata_eve_dns_4_1_4.json', 'sv_fileinfo_eicar.expected.eve.json']) {
      for (const line of fixture(name).toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        check(line, 'flow');
        check(line, 'alert');
        n++;
      }
    }
    assert.equal(n, 40);
  });

  it('copes with whitespace, escapes, brackets in strings, nesting and empty results', () => {
    for (const line of [
      '{ "timestamp" : "t" , "flow" : { "start" : 1 , "age" : [ 1 , { "x" : "}" } ] } , "note" : "a\\"b\\\\" }',
      '{"flow":{"start":"s","end":"e"},"event_type":"flow"}',
      '{"flow":[1,2],"alert":"not an object","k":null,"t":true,"n":-1.5e3}',
      '{"weird\\u0020key":"\\u00e9\\n","flow":{"state":"x","nested":{"start":"kept: not at the first level"}}}',
      '{"app_proto":"tls","payload":"{[\\"]}","flow_id":1}',
      '{}',
      '{"flow":{}}',
      '{"héllo":"wörld ✓","flow":{"start":"é"}}',
    ]) {
      check(line, 'flow');
      check(line, 'alert');
    }
  });
});
