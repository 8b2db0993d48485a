import assert from 'node:assert/strict';
import { test } from 'node:test';
import { communityId } from '../../model/community-id.js';
import { decodeAll } from '../testing.js';
import { awsVpcFlow } from './aws-vpc-flow.js';
import { at, expectedDocs, extraOf, fixture, isoMicros } from './cloud-test-support.js';

const ACTION: Record<string, string> = { ACCEPT: 'allow', REJECT: 'reject' };

/** Compares our rows with Elastic's expected ECS documents, field by field for every field we map. */
function compareWithElastic(log: string, expected: string): void {
  const out = decodeAll(awsVpcFlow, fixture(log));
  const docs = expectedDocs(expected);
  const flows = docs.filter((d) => at(d, 'aws.vpcflow.log_status') === 'OK');
  const rows = out.rows.connections;
  assert.equal(rows.length, flows.length);
  assert.deepEqual(out.skips, []);
  flows.forEach((doc, i) => {
    const r = rows[i];
    const m = `row ${i}`;
    assert.equal(r.orig_h, at(doc, 'source.ip'), m);
    assert.equal(r.orig_p, at(doc, 'source.port'), m);
    assert.equal(r.resp_h, at(doc, 'destination.ip'), m);
    assert.equal(r.resp_p, at(doc, 'destination.port'), m);
    assert.equal(String(r.ip_proto), at(doc, 'network.iana_number'), m);
    const transport = at(doc, 'network.transport');
    if (transport !== undefined) assert.equal(r.proto, transport, m);
    assert.equal(r.orig_ip_bytes, at(doc, 'source.bytes'), m);
    assert.equal(r.orig_pkts, at(doc, 'source.packets'), m);
    assert.equal(r.ts, isoMicros(at(doc, 'event.start') as string), m);
    assert.equal(r.end_ts, isoMicros(at(doc, 'event.end') as string), m);
    assert.equal(r.community_id, at(doc, 'network.community_id'), m);
    assert.equal(r.action, ACTION[at(doc, 'aws.vpcflow.action') as string], m);
    assert.equal(r.cloud_provider, 'aws', m);
    assert.equal(r.cloud_account, at(doc, 'cloud.account.id'), m);
    assert.equal(r.cloud_region, at(doc, 'cloud.region') ?? null, m);
    assert.equal(r.cloud_instance, at(doc, 'cloud.instance.id') ?? at(doc, 'aws.vpcflow.interface_id'), m);
    assert.equal(r.cloud_vpc, at(doc, 'aws.vpcflow.vpc_id') ?? null, m);
    assert.equal(r.cloud_subnet, at(doc, 'aws.vpcflow.subnet_id') ?? null, m);
    assert.equal(r.source_type, 'aws-vpc-flow', m);
    const x = extraOf(r);
    assert.equal(String(x.version), at(doc, 'aws.vpcflow.version'), m);
    // Left out of extra when a column holds them: a packet address equal to the record's (orig_h /
    // resp_h), and the direction egress / ingress (local_orig / local_resp).
    for (const [ours, theirs, column] of [
      ['pkt_srcaddr', 'aws.vpcflow.pkt_srcaddr', 'orig_h'],
      ['pkt_dstaddr', 'aws.vpcflow.pkt_dstaddr', 'resp_h'],
    ]) {
      const want = at(doc, theirs);
      if (x[ours] === undefined && want !== undefined) assert.equal(r[column], want, `${m} ${ours}`);
      else assert.equal(x[ours], want, `${m} ${ours}`);
    }
    const direction = at(doc, 'network.direction');
    assert.equal(x.flow_direction ?? (r.local_orig ? 'egress' : r.local_resp ? 'ingress' : undefined), direction, `${m} flow_direction`);
    for (const [ours, theirs] of [
      ['type', 'aws.vpcflow.type'],
      ['pkt_src_aws_service', 'aws.vpcflow.pkt_src_service'],
      ['pkt_dst_aws_service', 'aws.vpcflow.pkt_dst_service'],
      ['az_id', 'cloud.availability_zone'],
    ]) {
      assert.equal(x[ours], at(doc, theirs), `${m} ${ours}`);
    }
    const flags = at(doc, 'aws.vpcflow.tcp_flags');
    assert.equal(x.tcp_flags, flags === undefined ? undefined : Number(flags), m);
    const path = at(doc, 'aws.vpcflow.traffic_path');
    assert.equal(x.traffic_path, path === undefined ? undefined : Number(path), m);
  });
  const nodata = docs.filter((d) => at(d, 'aws.vpcflow.log_status') === 'NODATA').length;
  const skipdata = docs.filter((d) => at(d, 'aws.vpcflow.log_status') === 'SKIPDATA').length;
  assert.deepEqual(out.ignored, { ...(nodata ? { nodata } : {}), ...(skipdata ? { skipdata } : {}) });
}

test('default v2 records match Elastic expected output', () => {
  compareWithElastic('aws_vpcflow_v2_extra_samples.log', 'aws_vpcflow_v2_extra_samples.expected.json');
});

test('v5 all-fields record matches Elastic expected output', () => {
  compareWithElastic('aws_vpcflow_v5_all_fields.log', 'aws_vpcflow_v5_all_fields.expected.json');
  const [r] = decodeAll(awsVpcFlow, fixture('aws_vpcflow_v5_all_fields.log')).rows.connections;
  // pkt-dstaddr 10.200.0.80 differs from dstaddr 10.200.0.0; flow-direction ingress marks the responder local.
  assert.equal(extraOf(r).pkt_addr_differs, true);
  assert.equal(r.local_resp, true);
  assert.equal(r.local_orig, null);
  assert.equal(r.duration, 1640000297 - 164000066);
  assert.equal(extraOf(r).interface_id, 'eni-069xxxxxb7a490');
});

test('39-field ECS layout without header is inferred as the v7 all-fields order', () => {
  const out = decodeAll(awsVpcFlow, fixture('aws_vpcflow_custom_ecs_fields.log'));
  assert.deepEqual(out.skips, []);
  assert.deepEqual(out.ignored, { nodata: 4, skipdata: 2 });
  const rows = out.rows.connections;
  assert.equal(rows.length, 4);
  const r = rows[0];
  assert.equal(r.orig_h, '1.128.0.0');
  assert.equal(r.resp_h, '2a02:cf40::');
  assert.equal(r.orig_p, 64072);
  assert.equal(r.resp_p, 22);
  assert.equal(r.proto, 'udp');
  assert.equal(r.action, 'reject');
  assert.equal(r.cloud_account, '000000000000');
  assert.equal(r.cloud_instance, null);
  assert.equal(r.local_resp, true);
  assert.equal(r.ts, 1755678619e6);
  // Mixed families: no Community ID.
  assert.equal(r.community_id, null);
  const x = extraOf(r);
  assert.equal(x.version, 3);
  assert.equal(x.flow_direction, undefined, 'ingress is local_resp');
  assert.equal(x.ecs_cluster_name, 'frontend-cluster');
  assert.equal(x.ecs_service_name, 'payments-service');
  assert.equal(x.ecs_task_id, '6adbd0d6-211');
  assert.equal(x.ecs_task_definition_arn, 'arn:aws:ecs:us-east-1:000000000000:task-definition/backend:3');
  assert.equal(x.traffic_path, undefined);
});

test('a header line sets a custom layout, and a later header replaces it', () => {
  const input = Buffer.from(
    [
      'instance-id srcaddr dstaddr srcport dstport protocol bytes start end action flow-direction reject-reason tcp-flags log-status',
      'i-0abc 10.0.0.5 93.184.216.34 40000 443 6 1200 1700000000 1700000060 ACCEPT egress - 19 OK',
      'i-0abc 10.0.0.5 93.184.216.34 40001 443 6 1200 1700000000 1700000060 REJECT egress bpa 2 OK extra-field',
      'i-0abc - - - - - - 1700000000 1700000060 - - - - NODATA',
      'vpc-id account-id srcaddr dstaddr start action some-future-field',
      'vpc-1 111122223333 fe80::1 fe80::2 1700000100 ACCEPT "q\\uote',
    ].join('\n'),
  );
  for (const chunkSize of [65536, 7, 1]) {
    const out = decodeAll(awsVpcFlow, input, { chunkSize });
    assert.deepEqual(out.skips, [{ reason: 'column_count', position: 3, detail: undefined }]);
    assert.deepEqual(out.ignored, { nodata: 1 });
    const [a, b] = out.rows.connections;
    assert.equal(out.rows.connections.length, 2);
    assert.equal(a.cloud_instance, 'i-0abc');
    assert.equal(a.orig_ip_bytes, 1200);
    assert.equal(a.orig_pkts, null);
    assert.equal(a.local_orig, true);
    assert.equal(a.duration, 60);
    assert.deepEqual(extraOf(a), { tcp_flags: 19 }, 'egress is local_orig');
    assert.equal(a.community_id, communityId('10.0.0.5', '93.184.216.34', 40000, 443, 6));
    assert.equal(b.cloud_vpc, 'vpc-1');
    assert.equal(b.cloud_account, '111122223333');
    assert.equal(b.orig_h, 'fe80::1');
    assert.equal(b.ts, 1700000100e6);
    assert.equal(b.end_ts, null);
    assert.equal(b.duration, null);
    assert.equal(b.proto, null);
    assert.deepEqual(extraOf(b), { some_future_field: '"q\\uote' });
  }
});

test('malformed records are skipped with a reason and line number, never thrown', () => {
  const v2 = (s: string) => `2 123456789010 eni-1 ${s} ACCEPT OK`;
  const input = Buffer.from(
    [
      v2('10.0.0.1 10.0.0.2 70000 22 6 1 2 1418530010 1418530070'),
      v2('10.0.0.1 10.0.0.2 1 22 tcp 1 2 1418530010 1418530070'),
      v2('10.0.0.1 10.0.0.2 1 22 6 x 2 1418530010 1418530070'),
      v2('10.0.0.1 10.0.0.2 1 22 6 1 2 soon 1418530070'),
      v2('not-an-ip 10.0.0.2 1 22 6 1 2 1418530010 1418530070'),
      '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 2 1418530010 1418530070 MAYBE OK',
      'a b c d e f g h i j',
      '',
      '   ',
      Buffer.from([0x32, 0x20, 0xff, 0xfe]).toString('latin1'),
      v2('10.0.0.1 10.0.0.2 1 22 6 1 2 1418530010 1418530070'),
    ].join('\n'),
    'latin1',
  );
  const out = decodeAll(awsVpcFlow, input);
  assert.deepEqual(
    out.skips.map((s) => [s.reason, s.position, s.detail]),
    [
      ['bad_value', 1, 'srcport'],
      ['bad_value', 2, 'protocol'],
      ['bad_value', 3, 'packets'],
      ['bad_value', 4, 'start'],
      ['bad_value', 5, 'srcaddr'],
      ['unknown_layout', 6, undefined],
      ['unknown_layout', 7, undefined],
      ['bad_utf8', 10, undefined],
    ],
  );
  assert.equal(out.rows.connections.length, 1);
  assert.equal(out.rows.connections[0].ts, 1418530010e6);
});

test('sniff claims VPC flow logs and nothing else', () => {
  assert.equal(awsVpcFlow.sniff(fixture('aws_vpcflow_v2_extra_samples.log')), 0.9);
  assert.equal(awsVpcFlow.sniff(fixture('aws_vpcflow_custom_ecs_fields.log')), 0.9);
  assert.equal(awsVpcFlow.sniff(fixture('aws_vpcflow_v5_all_fields.log')), 0.9);
  assert.equal(awsVpcFlow.sniff(Buffer.from('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n')), 0.95);
  assert.equal(awsVpcFlow.sniff(Buffer.from('srcaddr dstaddr action\n10.0.0.1 10.0.0.2 ACCEPT\n')), 0.95);
  for (const other of [
    '#separator \\x09\n#set_separator\t,\n#fields\tts\tuid\n',
    '{"timestamp":"2020-01-01T00:00:00.000000+0000","event_type":"flow"}\n',
    'Jan  1 00:00:00 fw kernel: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP\n',
    fixture('azure_nsg_flowlog_v2.log').toString(),
    fixture('gcp_vpcflow_logentries_first7.ndjson').toString(),
    'hello world\n',
    '',
  ]) {
    assert.equal(awsVpcFlow.sniff(Buffer.from(other)), 0, other.slice(0, 30));
  }
  assert.equal(awsVpcFlow.sniff(Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0])), 0);
});

test('Transit Gateway flow logs: the 36-field default format is inferred, and a header naming its fields is recognised', () => {
  const body = fixture('aws_tgw_flowlog_written.log');
  assert.equal(awsVpcFlow.sniff(body), 0.9);
  const header = Buffer.from('version resource-type account-id tgw-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status\n' +
    '6 TransitGateway 111122223333 tgw-0aaaabbbbcccc0001 192.0.2.11 198.51.100.21 40000 22 6 5 600 1714989600 1714989660 OK\n');
  assert.equal(awsVpcFlow.sniff(header), 0.95);
  for (const input of [body, header]) {
    const out = decodeAll(awsVpcFlow, input);
    assert.deepEqual(out.skips, []);
    assert.ok(out.rows.connections.length > 0);
  }
  const out = decodeAll(awsVpcFlow, body);
  assert.deepEqual(out.ignored, { nodata: 1 });
  const [a, b] = out.rows.connections;
  assert.deepEqual([a.orig_h, a.orig_p, a.resp_h, a.resp_p, a.proto, a.orig_pkts, a.orig_ip_bytes, a.action, a.cloud_account, a.cloud_region, a.local_orig], ['192.0.2.10', 49152, '198.51.100.20', 443, 'tcp', 12, 3400, null, '111122223333', 'us-east-1', true]);
  assert.equal(a.ts, 1714989600e6);
  assert.deepEqual([b.orig_h, b.resp_h, b.proto, b.local_resp], ['2001:db8::10', '2001:db8:1::20', 'udp', true]);
  const x = extraOf(a);
  assert.deepEqual([x.tgw_id, x.tgw_attachment_id, x.tgw_src_vpc_id, x.packets_lost_no_route, x.tcp_flags], ['tgw-0aaaabbbbcccc0001', 'tgw-attach-0aaaabbbbcccc0002', 'vpc-0aaaabbbbcccc0003', 0, 19]);
});
