import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeAll } from '../testing.js';
import { awsVpcFlow } from './aws-vpc-flow.js';
import { isoPrefixEnd } from './cloudwatch-prefix.js';
import { extraOf, fixture } from './cloud-test-support.js';

const PLAIN = ['aws_vpcflow_v2_extra_samples.log', 'aws_vpcflow_custom_ecs_fields.log', 'aws_vpcflow_v5_all_fields.log'];
// The same records as the three plain samples, each after the ISO time CloudWatch Logs' S3 export writes.
const EXPORT = 'DERIVED_aws_vpcflow_cloudwatch_export.log';

test('records exported from CloudWatch Logs give the plain records\' rows, with the CloudWatch time in extra', () => {
  const plain = decodeAll(awsVpcFlow, Buffer.concat(PLAIN.flatMap((f) => [fixture(f), Buffer.from('\n')])));
  for (const chunkSize of [65536, 7, 1]) {
    const cw = decodeAll(awsVpcFlow, fixture(EXPORT), { chunkSize });
    assert.deepEqual(cw.skips, []);
    // NODATA and SKIPDATA records with the prefix are still counted.
    assert.deepEqual(cw.ignored, { nodata: 5, skipdata: 3 });
    assert.deepEqual(cw.ignored, plain.ignored);
    const rows = cw.rows.connections;
    assert.equal(rows.length, 10);
    assert.equal(rows.length, plain.rows.connections.length);
    // The flow records' lines in the export (NODATA/SKIPDATA lines give no row).
    const flowLines = fixture(EXPORT).toString('utf8').split('\n').filter((l) => l && !/ (NODATA|SKIPDATA)( |$)/.test(l));
    rows.forEach((r, i) => {
      const want = plain.rows.connections[i];
      const { cloudwatch_timestamp: time, ...rest } = extraOf(r);
      assert.deepEqual({ ...r, extra: null }, { ...want, extra: null }, `row ${i}`);
      assert.deepEqual(rest, extraOf(want), `row ${i} extra`);
      assert.equal(time, flowLines[i].slice(0, flowLines[i].indexOf(' ')), `row ${i} time`);
    });
  }
});

test('a custom format without its header is not guessed; with the header put before the records it decodes', () => {
  const record = '2023-05-12T10:15:03.000Z i-0abc 10.0.1.5 10.0.2.7 443 49152 6 840 1683886500 1683886560 ACCEPT OK';
  const alone = decodeAll(awsVpcFlow, Buffer.from(`${record}\n`));
  assert.deepEqual(alone.skips.map((s) => s.reason), ['unknown_layout']);
  const header = 'instance-id srcaddr dstaddr srcport dstport protocol bytes start end action log-status';
  const out = decodeAll(awsVpcFlow, Buffer.from(`${header}\n${record}\n`));
  assert.deepEqual(out.skips, []);
  const [r] = out.rows.connections;
  assert.equal(r.orig_h, '10.0.1.5');
  assert.equal(r.resp_p, 49152);
  assert.equal(r.cloud_instance, 'i-0abc');
  assert.deepEqual(extraOf(r), { cloudwatch_timestamp: '2023-05-12T10:15:03.000Z' });
});

test('the brief\'s example line: default format after the CloudWatch time', () => {
  const line = '2023-05-12T10:15:03.000Z 2 123456789012 eni-0a1b2c3d 10.0.1.5 10.0.2.7 443 49152 6 10 840 1683886500 1683886560 ACCEPT OK';
  assert.equal(awsVpcFlow.sniff(Buffer.from(`${line}\n${line}\n`)), 0.9);
  const [r] = decodeAll(awsVpcFlow, Buffer.from(line)).rows.connections;
  assert.equal(r.ts, 1683886500e6);
  assert.equal(r.orig_pkts, 10);
  assert.equal(r.orig_ip_bytes, 840);
  assert.equal(r.cloud_account, '123456789012');
  assert.deepEqual(extraOf(r), { version: 2, cloudwatch_timestamp: '2023-05-12T10:15:03.000Z' });
});

test('sniff: the export claimed, other timestamped lines not', () => {
  assert.equal(awsVpcFlow.sniff(fixture(EXPORT)), 0.9);
  for (const other of [
    '2023-05-12T10:15:03.000Z START RequestId: 69594c41 Version: $LATEST\n',
    '2023-05-12T10:15:03.000Z fw kernel: IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 PROTO=TCP\n',
  ]) {
    assert.equal(awsVpcFlow.sniff(Buffer.from(other)), 0, other);
  }
});

test('the timestamp prefix: forms CloudWatch and ISO-8601 write, and near misses', () => {
  const end = (s: string) => isoPrefixEnd(Buffer.from(s), 0, s.length);
  assert.equal(end('2023-05-12T10:15:03.000Z 2 x'), 24);
  assert.equal(end('2023-05-12T10:15:03Z\t2'), 20);
  assert.equal(end('2023-05-12T10:15:03.123456+02:00 2'), 32);
  for (const miss of ['2023-05-12T10:15:03.000Z', '2016-13-45T99:35:08.000Z 2 x', '2023-05-12 10:15:03.000Z 2', '2023-05-12T10:15:03. 2', '2023-05-12T10:15:03 2 x y z', '2 123456789012 eni-1 a b c d']) {
    assert.equal(end(miss), -1, miss);
  }
});
