// Format recognition of real inputs that start inside a record (split -b, a rotated log copied mid-write).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sniffFormat } from './registry.js';

/** Fixtures sit in test/fixtures at the repo root, three levels above this file once compiled to dist/. */
function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));
}

/** The input from the middle of its first record on, as a file cut at an arbitrary byte would start. */
function cutInFirstLine(buf: Buffer): Buffer {
  const nl = buf.indexOf(10);
  return buf.subarray(Math.floor(nl / 2));
}

const LINE_FORMATS: [string, string][] = [
  ['suricata/crowdsec_suricata_eve.json', 'suricata-eve'],
  ['suricata/elastic_suricata_eve_dns_4_1_4.json', 'suricata-eve'],
  ['zeek/rita_json_conn.log', 'zeek-json'],
  ['cloud/gcp_vpcflow_logentries_first7.ndjson', 'gcp-vpc-flow'],
  ['cloud/aws_vpcflow_v2_extra_samples.log', 'aws-vpc-flow'],
];

test('line formats are recognised whole, and when the input starts inside its first line', () => {
  for (const [file, format] of LINE_FORMATS) {
    const whole = fixture(file);
    assert.equal(sniffFormat(whole)?.name, format, file);
    assert.equal(sniffFormat(cutInFirstLine(whole))?.name, format, `${file} cut in its first line`);
  }
});

test('the second look does not make text that is no log into one', () => {
  assert.equal(sniffFormat(fixture('zeek/rita_not_a_log_conn.log')), null);
  assert.equal(sniffFormat(cutInFirstLine(fixture('zeek/rita_not_a_log_conn.log'))), null);
  // Zeek TSV rows without their header cannot be decoded, whichever line the input starts on.
  assert.equal(sniffFormat(fixture('zeek/rita_tsv_truncated_conn_noheader.log')), null);
  assert.equal(sniffFormat(Buffer.from('{"timestamp": "2024-01-01T00:00:00Z", "ev')), null);
});
