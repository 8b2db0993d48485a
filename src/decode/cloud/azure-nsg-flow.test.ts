import assert from 'node:assert/strict';
import { test } from 'node:test';
import { communityId } from '../../model/community-id.js';
import { decodeAll, type Collected } from '../testing.js';
import { prng } from '../../flows/app-detect/app-detect-test-support.js';
import { CONNECTIONS } from '../../model/fields.js';
import { ColumnBatch } from '../../store/column-batch.js';
import type { DecodeContext, DecoderDef } from '../decoder.js';
import { AzureRecordReader } from './azure-record-reader.js';
import { AzureRowWriter } from './azure-rows.js';
import { azureNsgFlow, azureNsgFlowReference } from './azure-nsg-flow.js';
import { at, expectedDocs, extraOf, fixture, isoMicros } from './cloud-test-support.js';
import { JsonRecordScanner } from './json-record-scanner.js';

const SUB = '00000000-0000-0000-0000-000000000000';
const NSG_ID = `/SUBSCRIPTIONS/${SUB}/RESOURCEGROUPS/FABRIKAMRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/FABRIAKMVM1-NSG`;

test('NSG v2 record matches Elastic expected output', () => {
  const out = decodeAll(azureNsgFlow, fixture('azure_nsg_flowlog_v2.log'));
  assert.deepEqual(out.skips, []);
  const [doc] = expectedDocs('azure_nsg_flowlog_v2.expected.json');
  const tuples = at(doc, 'azure_network_watcher_nsg.log.properties.flows') as { rule: string; flows: { tuples: Record<string, unknown>[] }[] }[];
  const expected = tuples.flatMap((g) => g.flows.flatMap((f) => f.tuples.map((t) => ({ rule: g.rule, t }))));
  const rows = out.rows.connections;
  assert.equal(rows.length, expected.length);
  expected.forEach(({ rule, t }, i) => {
    const r = rows[i];
    assert.equal(r.ts, isoMicros(at(t, 'timestamp') as string));
    assert.equal(r.orig_h, at(t, 'source.ip'));
    assert.equal(r.orig_p, at(t, 'source.port'));
    assert.equal(r.resp_h, at(t, 'destination.ip'));
    assert.equal(r.resp_p, at(t, 'destination.port'));
    assert.equal(r.proto, (at(t, 'protocol') as string).toLowerCase());
    assert.equal(r.orig_pkts, at(t, 'packets.sent'));
    assert.equal(r.orig_ip_bytes, at(t, 'bytes.sent'));
    assert.equal(r.resp_pkts, at(t, 'packets.received'));
    assert.equal(r.resp_ip_bytes, at(t, 'bytes.received'));
    assert.equal(r.action, { Allowed: 'allow', Denied: 'deny' }[at(t, 'traffic.decision') as string]);
    const x = extraOf(r);
    // Not repeated in extra: the direction is local_orig / local_resp, the MAC cloud_instance.
    assert.equal(r[{ outbound: 'local_orig', inbound: 'local_resp' }[(at(t, 'traffic.flow') as string).toLowerCase()]!], true);
    assert.equal(x.flow_state, (at(t, 'flow_state') as string).toLowerCase());
    assert.equal(x.rule, rule);
    // Elastic rewrites the MAC as 00-0D-3A-F8-78-56; we keep Azure's spelling.
    assert.equal((r.cloud_instance as string).replace(/(..)(?!$)/g, '$1-'), (at(doc, 'source.mac') as string[])[0]);
    assert.equal(r.cloud_provider, 'azure');
    assert.equal(r.cloud_account, SUB);
    assert.equal(x.resource_group, 'FABRIKAMRG');
    assert.equal(x.nsg, 'FABRIAKMVM1-NSG');
    assert.equal(x.version, 2);
    assert.equal(r.local_orig, true);
    assert.equal(r.community_id, communityId(r.orig_h as string, r.resp_h as string, r.orig_p as number, r.resp_p as number, 6));
  });
});

/** A pretty-printed blob with a v1 and a v2 record, as Azure writes them to storage. */
const NSG_BLOB = JSON.stringify(
  {
    records: [
      {
        time: '2017-02-16T22:00:32.8950000Z',
        systemId: 'sys-1',
        category: 'NetworkSecurityGroupFlowEvent',
        resourceId: NSG_ID,
        operationName: 'NetworkSecurityGroupFlowEvents',
        properties: {
          Version: 1,
          flows: [
            { rule: 'DefaultRule_DenyAllInBound', flows: [{ mac: '000D3AF8801A', flowTuples: ['1487282421,42.119.146.95,10.1.0.4,51529,5358,T,I,D'] }] },
            { rule: 'UserRule_default-allow-rdp', flows: [{ mac: '000D3AF8801A', flowTuples: ['1487282370,163.28.66.17,10.1.0.4,61771,3389,T,I,A', '1487282393,5.39.218.34,10.1.0.4,58596,3389,U,I,A'] }] },
          ],
        },
      },
      {
        time: '2018-11-13T12:00:35.3899262Z',
        systemId: 'sys-2',
        category: 'NetworkSecurityGroupFlowEvent',
        resourceId: NSG_ID,
        operationName: 'NetworkSecurityGroupFlowEvents',
        properties: {
          Version: 2,
          flows: [
            {
              rule: 'DefaultRule_AllowInternetOutBound',
              flows: [{ mac: '000D3AF87856', flowTuples: ['1542110377,10.0.0.4,13.67.143.118,44931,443,T,O,A,B,,,,', '1542110379,10.0.0.4,13.67.143.117,44932,443,T,O,A,C,30,16978,24,14008', '1542110380,10.0.0.4,13.67.143.117,44932,443,T,O,A,E,1,66,1,66'] }],
            },
          ],
        },
      },
    ],
  },
  null,
  2,
);

test('NSG v1 and v2 tuples from a pretty-printed blob, in any chunking', () => {
  for (const chunkSize of [65536, 13, 1]) {
    const out = decodeAll(azureNsgFlow, Buffer.from(NSG_BLOB), { chunkSize });
    assert.deepEqual(out.skips, []);
    const rows = out.rows.connections;
    assert.equal(rows.length, 6);
    const [deny, rdp, udp, begin, cont, end] = rows;
    assert.equal(deny.action, 'deny');
    assert.equal(deny.ts, 1487282421e6);
    assert.equal(deny.local_resp, true);
    assert.equal(deny.orig_pkts, null);
    assert.deepEqual(extraOf(deny), { version: 1, resource_group: 'FABRIKAMRG', nsg: 'FABRIAKMVM1-NSG', system_id: 'sys-1', rule: 'DefaultRule_DenyAllInBound' });
    assert.equal(deny.cloud_instance, '000D3AF8801A');
    assert.equal(rdp.action, 'allow');
    assert.equal(rdp.resp_p, 3389);
    assert.equal(udp.proto, 'udp');
    assert.equal(udp.ip_proto, 17);
    assert.equal(extraOf(begin).flow_state, 'begin');
    assert.equal(begin.orig_pkts, null);
    assert.equal(begin.resp_ip_bytes, null);
    assert.equal(extraOf(cont).flow_state, 'continuing');
    assert.equal(cont.orig_pkts, 30);
    assert.equal(cont.orig_ip_bytes, 16978);
    assert.equal(cont.resp_pkts, 24);
    assert.equal(cont.resp_ip_bytes, 14008);
    assert.equal(extraOf(end).flow_state, 'end');
    assert.equal(end.cloud_instance, '000D3AF87856');
    assert.equal(end.local_orig, true);
  }
});

const VNET_BLOB = `{"records":[{"time":"2022-09-14T09:00:52.5625085Z","flowLogVersion":4,"flowLogGUID":"guid-1","macAddress":"112233445566","category":"FlowLogFlowEvent","flowLogResourceID":"/SUBSCRIPTIONS/sub-1/RESOURCEGROUPS/NETWORKWATCHERRG/PROVIDERS/MICROSOFT.NETWORK/NETWORKWATCHERS/NETWORKWATCHER_EASTUS2EUAP/FLOWLOGS/VNETFLOWLOG","targetResourceID":"/subscriptions/sub-1/resourceGroups/myRG/providers/Microsoft.Network/virtualNetworks/myVNet/subnets/web","operationName":"FlowLogFlowEvent","flowRecords":{"flows":[{"aclID":"acl-1","flowGroups":[{"rule":"DefaultRule_AllowInternetOutBound","flowTuples":["1663146003599,10.0.0.6,192.0.2.180,23956,443,6,O,B,NX,0,0,0,0","1663146003606,10.0.0.6,192.0.2.180,23956,443,6,O,E,NX,3,767,2,1580"]}]},{"aclID":"acl-1","flowGroups":[{"rule":"BlockHighRiskTCPPortsFromInternet","flowTuples":["1663145998065,198.51.100.7,10.0.0.6,55188,22,6,I,D,NX_HW_NOT_SUPPORTED,0,0,0,0"]}]}]}}]}`;

test('VNet flow log (version 4) tuples', () => {
  const out = decodeAll(azureNsgFlow, Buffer.from(VNET_BLOB), { chunkSize: 5 });
  assert.deepEqual(out.skips, []);
  const [b, e, d] = out.rows.connections;
  assert.equal(out.rows.connections.length, 3);
  assert.equal(b.ts, 1663146003599000);
  assert.equal(b.action, 'allow');
  assert.equal(b.cloud_account, 'sub-1');
  assert.equal(b.cloud_vpc, 'myVNet');
  assert.equal(b.cloud_subnet, 'web');
  assert.equal(b.cloud_region, 'eastus2euap');
  assert.equal(b.cloud_instance, '112233445566');
  assert.equal(e.orig_pkts, 3);
  assert.equal(e.resp_ip_bytes, 1580);
  assert.equal(d.action, 'deny');
  assert.equal(d.local_resp, true);
  assert.equal(d.resp_p, 22);
  const x = extraOf(d);
  assert.equal(x.flow_state, 'deny');
  assert.equal(x.encryption, 'NX_HW_NOT_SUPPORTED');
  assert.equal(x.acl_id, 'acl-1');
  assert.equal(x.rule, 'BlockHighRiskTCPPortsFromInternet');
  assert.equal(x.resource_group, 'myRG');
  assert.equal(x.version, 4);
});

test('malformed records and tuples are skipped with their byte offset', () => {
  const good = '{"resourceId":"/SUBSCRIPTIONS/s/RESOURCEGROUPS/g","properties":{"Version":1,"flows":[{"rule":"r","flows":[{"mac":"m","flowTuples":["1,10.0.0.1,10.0.0.2,1,2,T,I,A","1,10.0.0.1,10.0.0.2,1,2,X,I,A","1,10.0.0.1,10.0.0.2,1,2,T,I,A,E,1,2,3","1,a b,10.0.0.2,1,2,T,I,A",7,"1,10.0.0.1,10.0.0.2,99999,2,T,I,A","1,10.0.0.1,10.0.0.2,1,2,T,I,A,D,1,1,1,1"]}]}]}}';
  const input = `{"records":[${good},{"time": },{"other":1},"str",[1]]}\nxyz {"time":"late"} {"properties":{"flows":[`;
  const out = decodeAll(azureNsgFlow, Buffer.from(input));
  const badRecord = input.indexOf('{"time": }');
  const other = input.indexOf('{"other":1}');
  assert.deepEqual(
    out.skips.map((s) => [s.reason, s.position]),
    [
      ['bad_tuple', 12],
      ['bad_tuple', 12],
      ['bad_tuple', 12],
      ['bad_tuple', 12],
      ['bad_tuple', 12],
      ['bad_tuple', 12],
      ['bad_json', badRecord],
      ['no_flows', other],
      ['garbage', input.indexOf('xyz')],
      ['no_flows', input.indexOf('{"time":"late"}')],
      ['truncated', input.lastIndexOf('{"properties"')],
    ],
  );
  assert.equal(out.rows.connections.length, 1);
  assert.equal(out.rows.connections[0].cloud_account, 's');
});

test('the scanner drops a record larger than its bound and goes on', () => {
  const got: string[] = [];
  const events: string[] = [];
  const scanner = new JsonRecordScanner((json, at) => got.push(`${at}:${json.toString()}`), {
    oversize: (at) => events.push(`oversize@${at}`),
    garbage: (at) => events.push(`garbage@${at}`),
    truncated: (at) => events.push(`truncated@${at}`),
  }, 32);
  const doc = Buffer.from(`{"records" : [ {"a":"${'x'.repeat(100)}"}, {"b":"}\\"{"} ], "tail": {"records": 1}}`);
  for (let i = 0; i < doc.length; i += 3) scanner.push(doc.subarray(i, i + 3));
  scanner.finish();
  assert.deepEqual(events, ['oversize@15']);
  assert.deepEqual(got, [`${doc.indexOf('{"b"')}:{"b":"}\\"{"}`]);
});

test('sniff claims Azure flow logs only', () => {
  assert.equal(azureNsgFlow.sniff(fixture('azure_nsg_flowlog_v2.log')), 0.95);
  assert.equal(azureNsgFlow.sniff(Buffer.from(NSG_BLOB)), 0.95);
  assert.equal(azureNsgFlow.sniff(Buffer.from(VNET_BLOB)), 0.95);
  for (const other of [
    fixture('gcp_vpcflow_logentries_first7.ndjson'),
    fixture('aws_vpcflow_v2_extra_samples.log'),
    Buffer.from('{"timestamp":"2020-01-01T00:00:00.000000+0000","event_type":"flow","flow_id":1}\n'),
    Buffer.from('{"ts":1.0,"uid":"C1","id.orig_h":"10.0.0.1"}\n'),
    Buffer.from('#separator \\x09\n'),
    Buffer.from('{"records":[{"category":"AuditEvent"}]}'),
  ]) {
    assert.equal(azureNsgFlow.sniff(other), 0);
  }
});

const reference: DecoderDef = { ...azureNsgFlow, create: azureNsgFlowReference };

/** Asserts the byte-level fast path and the JSON.parse reference give the same rows and skips. */
function assertSameAsReference(input: Buffer, label: string): Collected {
  const fast = decodeAll(azureNsgFlow, input, { chunkSize: 777 });
  const ref = decodeAll(reference, input, { chunkSize: 777 });
  assert.deepEqual(fast.skips, ref.skips, label);
  assert.equal(fast.rows.connections.length, ref.rows.connections.length, label);
  fast.rows.connections.forEach((row, i) => {
    const { extra: got, ...rest } = row;
    const { extra: exp, ...want } = ref.rows.connections[i];
    assert.deepEqual(rest, want, `${label} row ${i}`);
    assert.deepEqual(JSON.parse(got as string), JSON.parse(exp as string), `${label} row ${i} extra`);
  });
  return fast;
}

test('the fast path reads real NSG and VNet records as JSON.parse does', () => {
  for (const [name, input] of [
    ['fixture', fixture('azure_nsg_flowlog_v2.log')],
    ['nsg blob', Buffer.from(NSG_BLOB)],
    ['vnet blob', Buffer.from(VNET_BLOB)],
  ] as const) {
    assert.ok(assertSameAsReference(input, name).rows.connections.length > 0, name);
  }
});

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const ODD: Json[] = [null, '', 0, 2.5, 1e300, 'x', true, [], {}, 'é', 'a\\"b', [7], 'M\u00e9'];
const ODD_TUPLES = ['1542110377,10.0.0.4,13.67.143.118,44931,443,T,O,A,B,,,,', '1,10.0.0.1,10.0.0.2,1,2,T,I,A', '0001,10.0.0.1,10.0.0.2,00080,2,U,O,D', '1,10.0.0.1,10.0.0.2,1,2,T,I,A,E,1,2,3', '12345678901234567,::1,::2,1,2,T,I,A', '1663146003599,10.0.0.6,192.0.2.180,23956,443,6,O,B,NX,0,0,0,0', '1663146003606,10.0.0.6,192.0.2.180,23956,443,256,O,E,X,3,767,2,1580', '1,10.0.0.1,10.0.0.2,1,2,T,I,A,C,,1,,', '1,10.0.0.1,10.0.0.2,1,2,T,I,A,D,1,1,1,1', '1,10.0.0.1,10.0.0.2,1,2,T,I,A,,,,,', 'é,1,2', ''];

function mutate(v: Json, rnd: () => number, depth: number): Json {
  if (Array.isArray(v)) {
    const out = v.map((x) => mutate(x, rnd, depth + 1));
    if (rnd() < 0.1) out.push(ODD_TUPLES[Math.floor(rnd() * ODD_TUPLES.length)]);
    return out;
  }
  if (typeof v === 'string' && /^\d+,/.test(v) && rnd() < 0.3) return ODD_TUPLES[Math.floor(rnd() * ODD_TUPLES.length)];
  if (v === null || typeof v !== 'object') return rnd() < 0.04 ? ODD[Math.floor(rnd() * ODD.length)] : v;
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) {
    const r = rnd();
    if (r < 0.03) continue;
    if (r < 0.06) out[k] = ODD[Math.floor(rnd() * ODD.length)];
    else out[k] = mutate(x, rnd, depth + 1);
  }
  return out;
}

test('the fast path itself reads every clean record', () => {
  const b = new ColumnBatch(CONNECTIONS, 64);
  const ctx: DecodeContext = { ingestId: 1, sensor: null, inputName: 't', batch: () => b, skip: () => undefined, ignore: () => undefined };
  const reader = new AzureRecordReader(ctx, new AzureRowWriter(ctx));
  const records = [...(JSON.parse(NSG_BLOB) as { records: Json[] }).records, ...(JSON.parse(VNET_BLOB) as { records: Json[] }).records];
  for (const rec of records) assert.equal(reader.record(Buffer.from(JSON.stringify(rec, null, 2)), 0), true);
  assert.equal(reader.record(fixture('azure_nsg_flowlog_v2.log').subarray(0, fixture('azure_nsg_flowlog_v2.log').indexOf(10)), 0), true);
  assert.equal(b.length, 10);
});

test('random and hostile variants of NSG and VNet records: the fast path and JSON.parse agree', () => {
  const rnd = prng(5);
  const records = [
    ...(JSON.parse(NSG_BLOB) as { records: Json[] }).records,
    ...(JSON.parse(VNET_BLOB) as { records: Json[] }).records,
    JSON.parse(fixture('azure_nsg_flowlog_v2.log').toString('utf8')) as Json,
  ];
  const parts: string[] = [];
  for (let i = 0; i < 3000; i++) {
    let text = JSON.stringify(mutate(records[Math.floor(rnd() * records.length)], rnd, 0), null, rnd() < 0.3 ? 1 : undefined);
    const t = rnd();
    if (t < 0.05) text = text.replace('"rule"', '"r\\u0075le"');
    else if (t < 0.1) text = text.replace('"mac":', '"mac":"dup","mac":');
    else if (t < 0.15) text = text.replace(/"(\d+),/, '"\\u0031$1,');
    else if (t < 0.2) text = text.replace('"resourceId":"', '"resourceId":"\\/');
    else if (t < 0.3) {
      const at = Math.floor(rnd() * text.length);
      const bytes = ['"', '\\', '{', '}', ',', ':', '\u0001', 'x', ']', '['];
      text = text.slice(0, at) + bytes[Math.floor(rnd() * bytes.length)] + text.slice(at + 1);
    }
    parts.push(text);
  }
  // Blobs of ten records each, so a record mangled beyond its braces spoils only its own blob.
  let rows = 0;
  let skips = 0;
  for (let i = 0; i < parts.length; i += 10) {
    const out = assertSameAsReference(Buffer.from(`{"records":[${parts.slice(i, i + 10).join(',\n')}]}`), `variants ${i}`);
    rows += out.rows.connections.length;
    skips += out.skips.length;
  }
  assert.ok(rows > 3000, `${rows} rows`);
  assert.ok(skips > 100, `${skips} skips`);
});
