// Real inputs, whole, damaged or cut, through the whole pipeline into a real DuckDB store: the regressions
// the corpus sweep found (a damaged line is stored or skipped with a reason; it never takes the run down;
// every source's addresses are stored in one text form).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingest } from '../src/pipeline/ingest.js';
import { openStore } from '../src/store/open.js';
import { sql } from '../src/store/sql.js';

const FIX = path.join(process.cwd(), 'test/fixtures');

function tmpDb(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nj-damaged-')), 'a.duckdb');
}

test('Zeek TSV: an address damaged into bytes that are not UTF-8 is stored as text, and the file after it too', async () => {
  const store = await openStore(tmpDb());
  try {
    const damaged = path.join(FIX, 'zeek/DERIVED_rita_tsv_conn_bad_utf8_addr.log');
    const after = path.join(FIX, 'zeek/rita_tsv_dns.log');
    const report = await ingest(store, [damaged, after]);
    assert.deepEqual(report.files.map((f) => [f.status, f.totalRecords]), [['ingested', 4], ['ingested', 942]]);
    const rows = await store.all(sql`SELECT uid, orig_h, resp_h, community_id FROM connections ORDER BY ts`);
    assert.deepEqual(rows.map((r) => [r.uid, r.orig_h, r.resp_h, r.community_id === null]), [
      ['CXHB1X22027MRWU6D', '10.136.0.18', '10.136.0.16', false],
      ['CpUSUugm0UhJd4Opj', '10.136.0.18', '10.136\ufffd0.16', true],
      ['CffdOR3N4bsj8V5BL4', '10.\ufffd36.0.18', '10.136.0.16', true],
      ['Cr4U3w2E9iSU8zBzkk', 'fe80::7809:d6ff:fee3:ff67', 'ff02::2', false],
    ]);
  } finally {
    await store.close();
  }
});

test('an EVE file that starts inside a record (cut with split -b) is recognised; the partial line is skipped with its reason', async () => {
  const store = await openStore(tmpDb());
  try {
    const whole = fs.readFileSync(path.join(FIX, 'suricata/crowdsec_suricata_eve.json'));
    const cut = path.join(path.dirname(tmpDb()), 'eve.json.part2');
    fs.writeFileSync(cut, whole.subarray(whole.indexOf(10) >> 1));
    const [f] = (await ingest(store, [cut])).files;
    assert.equal(f.status, 'ingested');
    assert.equal(f.format, 'suricata-eve');
    // The whole file holds 4 alerts, 2 flows and 2 stats events; the first alert is the cut line.
    assert.deepEqual(f.records, { findings: 3, connections: 2 });
    assert.deepEqual(Object.keys(f.skipped), ['bad_json']);
    assert.deepEqual(f.skipped.bad_json.first, [1]);
  } finally {
    await store.close();
  }
});

test('ip6tables: addresses logged in full are stored in RFC 5952 form, so a host query finds them', async () => {
  const store = await openStore(tmpDb());
  try {
    const [f] = (await ingest(store, [path.join(FIX, 'firewall/iptables_kernel_log_variants.log')])).files;
    assert.equal(f.status, 'ingested');
    const rows = await store.all(sql`SELECT orig_h, resp_h, proto FROM firewall WHERE orig_h = ${'fe80::84:88ff:feae:790a'}`);
    assert.deepEqual(rows, [{ orig_h: 'fe80::84:88ff:feae:790a', resp_h: 'ff02::16', proto: 'icmp6' }]);
    const full = await store.all(sql`SELECT count(*) AS n FROM firewall WHERE orig_h LIKE ${'%:0000:%'} OR resp_h LIKE ${'%:0000:%'}`);
    assert.equal(Number(full[0].n), 0);
  } finally {
    await store.close();
  }
});

test('a UTF-8 byte order mark before the first line (Windows tools write one) does not hide the format or the first record', async () => {
  const store = await openStore(tmpDb());
  try {
    const dir = path.dirname(tmpDb());
    const inputs: [string, string, Record<string, number>][] = [
      ['zeek/rita_tsv_conn.log', 'zeek-tsv', { connections: 463 }],
      ['zeek/rita_json_dns.log', 'zeek-json', { dns: 34 }],
      ['firewall/windows_pfirewall_azure_stack_edge_doc.log', 'windows-firewall', { firewall: 13 }],
      ['firewall/crowdsec_pfsense_filterlog.log', 'pf-filterlog', { firewall: 9 }],
      ['cloud/aws_vpcflow_v5_all_fields.log', 'aws-vpc-flow', { connections: 1 }],
    ];
    const files = inputs.map(([name]) => {
      const out = path.join(dir, 'bom-' + path.basename(name));
      fs.writeFileSync(out, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(path.join(FIX, name))]));
      return out;
    });
    const report = await ingest(store, files);
    assert.deepEqual(
      report.files.map((f) => [f.format, f.records, Object.keys(f.skipped).filter((k) => k !== 'truncated')]),
      inputs.map(([, format, records]) => [format, records, []]),
    );
  } finally {
    await store.close();
  }
});
