import assert from 'node:assert/strict';
import { test } from 'node:test';
import { communityId } from '../../model/community-id.js';
import { decodeAll } from '../testing.js';
import { extraOf, fixture } from './cloud-test-support.js';
import { gcpVpcFlow, rfc3339Micros } from './gcp-vpc-flow.js';

test('Cloud Logging entries of the Elastic sample: first entry field by field', () => {
  const out = decodeAll(gcpVpcFlow, fixture('gcp_vpcflow_logentries_first7.ndjson'));
  assert.deepEqual(out.skips, []);
  const rows = out.rows.connections;
  assert.equal(rows.length, 7);
  const r = rows[0];
  assert.equal(r.ts, Date.parse('2019-06-14T03:45:37Z') * 1000 + 186193);
  assert.equal(r.end_ts, Date.parse('2019-06-14T03:45:37Z') * 1000 + 301953);
  assert.equal(r.duration, 0.11576);
  assert.equal(r.orig_h, '10.87.40.76');
  assert.equal(r.orig_p, 5601);
  assert.equal(r.resp_h, '203.0.113.12');
  assert.equal(r.resp_p, 33478);
  assert.equal(r.proto, 'tcp');
  assert.equal(r.orig_ip_bytes, 1776);
  assert.equal(r.orig_pkts, 7);
  assert.equal(r.action, 'allow');
  assert.equal(r.cloud_provider, 'gcp');
  assert.equal(r.cloud_account, 'my-sample-project');
  assert.equal(r.cloud_region, 'us-east1');
  assert.equal(r.cloud_vpc, 'default');
  assert.equal(r.cloud_subnet, 'default');
  assert.equal(r.cloud_instance, 'kibana');
  assert.equal(r.local_orig, true);
  assert.equal(r.community_id, communityId('10.87.40.76', '203.0.113.12', 5601, 33478, 6));
  const x = extraOf(r);
  assert.equal(x.rtt_msec, 36);
  assert.equal(x.reporter, undefined, 'reporter SRC is local_orig (checked above)');
  // The reporter's instance and VPC keep what the cloud columns (checked above) do not hold.
  assert.deepEqual(x.src_instance, { zone: 'us-east1-b' });
  assert.deepEqual(x.src_vpc, { project_id: 'my-sample-project' }, 'the account is the instance project');
  assert.deepEqual(x.dest_location, { asn: 15169, continent: 'America', country: 'usa' });
  assert.equal(x.insert_id, 'ut8lbrffooxyw');
  assert.equal(x.connection, undefined);
});

test('the reporting end gives the cloud columns (DEST reporter)', () => {
  const rows = decodeAll(gcpVpcFlow, fixture('gcp_vpcflow_logentries_first7.ndjson')).rows.connections;
  const r = rows[1];
  assert.equal(r.orig_h, '198.51.100.248');
  assert.equal(r.cloud_instance, 'kibana');
  assert.equal(r.local_resp, true);
  assert.equal(r.local_orig, null);
  assert.equal(r.orig_ip_bytes, 173663);
  assert.equal(extraOf(r).src_instance !== undefined, true);
  // Entry 4 has no rtt_msec.
  assert.equal(extraOf(rows[3]).rtt_msec, undefined);
});

test('malformed entries are skipped per line with a reason', () => {
  const ok = '{"jsonPayload":{"connection":{"src_ip":"10.0.0.1","dest_ip":"10.0.0.2","src_port":1,"dest_port":2,"protocol":17},"start_time":"2020-01-01T00:00:00Z","reporter":"SRC"},"resource":{"labels":{"location":"europe-west1-b","project_id":"p"}}}';
  const input = [
    ok,
    '{"jsonPayload":{"connection":{"src_ip":"10.0.0.1","src_port":"1"}}}',
    '{"jsonPayload":{"connection":{"src_ip":"x y"}}}',
    '{"jsonPayload":{"connection":{},"start_time":"yesterday"}}',
    '{"jsonPayload":{"connection":{},"start_time":"2020-01-01T00:00:00Z","bytes_sent":"-5"}}',
    '{"jsonPayload":{}}',
    '[1]',
    '{not json',
    '',
  ].join('\n');
  const out = decodeAll(gcpVpcFlow, Buffer.from(input), { chunkSize: 9 });
  assert.deepEqual(
    out.skips.map((s) => [s.reason, s.position, s.detail]),
    [
      ['bad_value', 2, 'src_port'],
      ['bad_value', 3, 'src_ip'],
      ['bad_value', 4, 'start_time'],
      ['bad_value', 5, 'bytes_sent'],
      ['no_connection', 6, undefined],
      ['not_object', 7, undefined],
      ['bad_json', 8, undefined],
    ],
  );
  const [r] = out.rows.connections;
  assert.equal(out.rows.connections.length, 1);
  assert.equal(r.cloud_region, 'europe-west1');
  assert.equal(r.cloud_account, 'p');
  assert.equal(r.proto, 'udp');
});

test('RFC 3339 times keep microseconds and offsets', () => {
  assert.equal(rfc3339Micros('2019-06-14T03:45:37.186193305Z'), Date.parse('2019-06-14T03:45:37Z') * 1000 + 186193);
  assert.equal(rfc3339Micros('2019-06-14T05:45:37.5+02:00'), Date.parse('2019-06-14T03:45:37Z') * 1000 + 500000);
  assert.equal(rfc3339Micros('2019-06-14 03:45:37'), null);
});

test('sniff claims GCP flow log entries only', () => {
  assert.equal(gcpVpcFlow.sniff(fixture('gcp_vpcflow_logentries_first7.ndjson')), 0.95);
  for (const other of [
    fixture('azure_nsg_flowlog_v2.log'),
    fixture('aws_vpcflow_v2_extra_samples.log'),
    Buffer.from('{"timestamp":"2020-01-01T00:00:00.000000+0000","event_type":"flow"}\n'),
    Buffer.from('{"jsonPayload":{"message":"hello"},"logName":"projects/p/logs/syslog"}\n'),
  ]) {
    assert.equal(gcpVpcFlow.sniff(other), 0);
  }
});
