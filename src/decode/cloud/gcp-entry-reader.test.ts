import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../../flows/app-detect/app-detect-test-support.js';
import { CONNECTIONS } from '../../model/fields.js';
import { ColumnBatch } from '../../store/column-batch.js';
import type { DecodeContext, DecoderDef } from '../decoder.js';
import { decodeAll, type Collected } from '../testing.js';
import { fixture } from './cloud-test-support.js';
import { GcpEntryReader } from './gcp-entry-reader.js';
import { gcpVpcFlow, gcpVpcFlowReference } from './gcp-vpc-flow.js';

const reference: DecoderDef = { ...gcpVpcFlow, create: gcpVpcFlowReference };
const LINES = fixture('gcp_vpcflow_logentries_first7.ndjson').toString('utf8').split('\n').filter((l) => l !== '');

/** Asserts the fast decoder and the JSON.parse reference produce the same rows and skips. */
function assertSame(input: Buffer, label: string): Collected {
  const fast = decodeAll(gcpVpcFlow, input, { chunkSize: 4096 });
  const ref = decodeAll(reference, input, { chunkSize: 4096 });
  assert.deepEqual(fast.skips, ref.skips, label);
  assert.equal(fast.rows.connections.length, ref.rows.connections.length, label);
  fast.rows.connections.forEach((row, i) => {
    const want = ref.rows.connections[i];
    const { extra: got, ...rest } = row;
    const { extra: exp, ...wantRest } = want;
    assert.deepEqual(rest, wantRest, `${label} row ${i}`);
    // extra is the same JSON, not necessarily the same text (the fast path keeps the input's bytes).
    assert.deepEqual(JSON.parse(got as string), JSON.parse(exp as string), `${label} row ${i} extra`);
  });
  return fast;
}

/** How many lines of `input` the fast path decodes itself. */
function fastCount(lines: string[]): number {
  const b = new ColumnBatch(CONNECTIONS, 64);
  const ctx: DecodeContext = {
    ingestId: 1,
    sensor: null,
    inputName: 't',
    batch: () => (b.full ? (b.clear(), b) : b),
    skip: () => undefined,
    ignore: () => undefined,
  };
  const reader = new GcpEntryReader(ctx);
  return lines.filter((l) => {
    const buf = Buffer.from(l);
    return reader.line(buf, 0, buf.length);
  }).length;
}

test('the fast path decodes the real entries itself, exactly as JSON.parse does', () => {
  assert.equal(fastCount(LINES), LINES.length);
  const out = assertSame(fixture('gcp_vpcflow_logentries_first7.ndjson'), 'fixture');
  assert.equal(out.rows.connections.length, 7);
  // Whitespace between tokens and a different key order do not send it to JSON.parse.
  const pretty = LINES.map((l) => JSON.stringify(shuffle(JSON.parse(l) as unknown, prng(3)), null, 1).replace(/\n/g, ' '));
  assert.equal(fastCount(pretty), pretty.length);
  assertSame(Buffer.from(pretty.join('\n') + '\n'), 'reordered, spaced');
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function shuffle(v: unknown, rnd: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffle(x, rnd));
  if (v === null || typeof v !== 'object') return v;
  const entries = Object.entries(v).map(([k, x]) => [k, shuffle(x, rnd)] as const);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [entries[i], entries[j]] = [entries[j], entries[i]];
  }
  return Object.fromEntries(entries);
}

const ODD_VALUES: Json[] = [null, '', 0, -1, 1.5, 65536, '80', '007', '12345678901234567890', 1e20, 'x', true, [], {}, 'é', '\\', '10.0.0.1', '2001:db8::1', 'SRC', 'DEST'];
const ODD_TIMES: Json[] = ['2019-06-14T03:45:37Z', '2019-06-14T03:45:37.5+02:00', '2019-06-14t03:45:37Z', '2019-02-30T00:00:00Z', '2019-06-14T24:00:00Z', '1969-12-31T23:59:59Z', '2019-06-14T03:45:37.1234567891Z', '2019-06-14 03:45:37', '2019-06-14T03:45:37-23:59', '2019-06-14T03:45:37+24:00'];
const PATHS = [
  'jsonPayload.connection.src_ip',
  'jsonPayload.connection.dest_ip',
  'jsonPayload.connection.src_port',
  'jsonPayload.connection.dest_port',
  'jsonPayload.connection.protocol',
  'jsonPayload.bytes_sent',
  'jsonPayload.packets_sent',
  'jsonPayload.rtt_msec',
  'jsonPayload.reporter',
  'jsonPayload.src_instance',
  'jsonPayload.src_instance.region',
  'jsonPayload.src_instance.zone',
  'jsonPayload.src_instance.vm_name',
  'jsonPayload.dest_instance.project_id',
  'jsonPayload.src_vpc.subnetwork_name',
  'jsonPayload.dest_vpc',
  'jsonPayload.connection',
  'jsonPayload.__proto__',
  'jsonPayload.insert_id',
  'resource.labels.location',
  'resource.labels',
  'resource',
  'insertId',
  'jsonPayload',
];

/** Sets (or with `undefined`, deletes) the value at a dotted path, creating objects on the way. */
function setPath(doc: Record<string, Json>, path: string, v: Json | undefined): void {
  const parts = path.split('.');
  let o: Record<string, Json> = doc;
  for (const p of parts.slice(0, -1)) {
    const next = o[p];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) return;
    o = next;
  }
  const last = parts[parts.length - 1];
  if (v === undefined) delete o[last];
  else Object.defineProperty(o, last, { value: v, enumerable: true, writable: true, configurable: true });
}

/** A random variant of a real entry: values changed, keys dropped, times odd, text mangled. */
function variant(rnd: () => number): string {
  const doc = JSON.parse(LINES[Math.floor(rnd() * LINES.length)]) as Record<string, Json>;
  const edits = Math.floor(rnd() * 3);
  for (let e = 0; e < edits; e++) {
    const path = PATHS[Math.floor(rnd() * PATHS.length)];
    const k = rnd();
    if (k < 0.25) setPath(doc, path, undefined);
    else if (k < 0.5 && /time/.test(path + 'time')) setPath(doc, `jsonPayload.${rnd() < 0.5 ? 'start_time' : 'end_time'}`, ODD_TIMES[Math.floor(rnd() * ODD_TIMES.length)]);
    else setPath(doc, path, ODD_VALUES[Math.floor(rnd() * ODD_VALUES.length)]);
  }
  let text = JSON.stringify(rnd() < 0.3 ? shuffle(doc, rnd) : doc, null, rnd() < 0.2 ? 1 : undefined).replace(/\n/g, rnd() < 0.5 ? ' ' : '\t');
  const t = rnd();
  if (t < 0.1) text = text.replace('"src_ip"', '"src\\u005fip"'); // an escaped key
  else if (t < 0.2) text = text.replace(/"vm_name":"([a-z])/, '"vm_name":"\\u0041$1'); // an escape in a mapped value
  else if (t < 0.3) text = text.replace('"reporter"', '"reporter":"SRC","reporter"'); // a duplicate mapped key
  else if (t < 0.33) text = text.replace('"rtt_msec":"', '"rtt_msec":"\\u0033'); // an escape that spells a digit
  else if (t < 0.36) text = text.replace(/"(vm_name|src_ip|location)":/, '"$1":"10.1.1.1","$1":'); // a duplicate in a nested object
  else if (t < 0.45) {
    // A hostile byte somewhere.
    const at = Math.floor(rnd() * text.length);
    const bytes = ['"', '\\', '{', '}', ',', ':', '\u0001', 'x', ' ', ']'];
    text = text.slice(0, at) + bytes[Math.floor(rnd() * bytes.length)] + text.slice(at + (rnd() < 0.5 ? 1 : 0));
  } else if (t < 0.5) text = text.slice(0, Math.floor(rnd() * text.length));
  return text;
}

test('random and hostile variants of real entries: the fast path and JSON.parse agree line by line', () => {
  const rnd = prng(11);
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) lines.push(variant(rnd));
  // Invalid UTF-8 in a string, and a value the reader must copy byte for byte.
  lines.push(LINES[0].replace('"kibana"', '"kib\u00ffna"'));
  const input = Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d, 0x0a])]);
  const out = assertSame(input, 'variants');
  assert.ok(out.rows.connections.length > 1000, `${out.rows.connections.length} rows`);
  assert.ok(out.skips.length > 200, `${out.skips.length} skips`);
  // Most variants are still plain enough for the fast path.
  const n = fastCount(lines);
  assert.ok(n > 1200, `${n} lines read by the fast path`);
});

test("the reporter's instance and VPC lose what the columns hold, on the fast path as with JSON.parse", () => {
  const doc = JSON.parse(LINES[0]) as { jsonPayload: Record<string, Json> };
  const p = doc.jsonPayload;
  p.src_instance = { managed_instance_group: { name: 'mig-1', zone: 'us-east1-b' }, project_id: 'proj', region: 'us-east1', vm_name: 'vm-1', zone: 'us-east1-b' };
  p.src_vpc = { subnetwork_name: 'sub', vpc_name: 'net' };
  const lines = [JSON.stringify(doc), JSON.stringify(doc, null, 1).replace(/\n/g, ' ')];
  p.src_instance = { region: '', vm_name: 'vm-1' };
  p.src_vpc = { project_id: 'host', vpc_name: 'net' };
  lines.push(JSON.stringify(doc));
  assert.equal(fastCount(lines), lines.length, 'all on the fast path');
  const out = assertSame(Buffer.from(lines.join('\n') + '\n'), 'trimmed');
  const x = out.rows.connections.map((r) => JSON.parse(r.extra as string) as Record<string, Json>);
  assert.deepEqual(x[0].src_instance, { managed_instance_group: { name: 'mig-1', zone: 'us-east1-b' }, zone: 'us-east1-b' });
  assert.equal(x[0].src_vpc, undefined, 'nothing left: left out');
  assert.deepEqual(x[1], x[0]);
  assert.deepEqual(x[2].src_instance, { region: '' }, 'an empty region gave no column: kept');
  assert.equal(x[2].src_vpc, undefined, 'the VPC project is the account when the instance has none');
  assert.deepEqual([out.rows.connections[2].cloud_account, out.rows.connections[0].cloud_instance], ['host', 'vm-1']);
});
