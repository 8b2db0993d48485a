/**
 * Firewall and cloud log formats end to end into DuckDB: for each format, a log of at least a million
 * lines is generated from the real sample lines in test/fixtures (header lines kept once, data lines
 * repeated with the source port varied so rows differ), then ingested in its own process. Prints
 * lines/s, records stored/s, MB/s and peak RSS per format. Size: NJ_BENCH_LOG_LINES (default 1 M).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { storeFloor } from './store-floor.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const target = Number(process.env.NJ_BENCH_LOG_LINES ?? 1_000_000);
const dir = process.env.NJ_BENCH_DIR ?? path.join(os.tmpdir(), 'nightjar-bench');

/** Format name and the fixture its lines come from. */
export const LOG_SAMPLES: readonly [string, string][] = [
  ['netfilter', 'test/fixtures/firewall/iptables_kernel_log_variants.log'],
  ['pf-filterlog', 'test/fixtures/firewall/crowdsec_pfsense_filterlog.log'],
  ['panos', 'test/fixtures/firewall/panos_traffic_csv_first27.log'],
  ['cisco-asa', 'test/fixtures/firewall/cisco_asa_syslog_first_lines.log'],
  ['fortigate', 'test/fixtures/firewall/fortigate_kv_first25.log'],
  ['windows-firewall', 'test/fixtures/firewall/windows_pfirewall_azure_stack_edge_doc.log'],
  ['cef', 'test/fixtures/firewall/crowdsec_cef_unifi.log'],
  ['aws-vpc-flow', 'test/fixtures/cloud/aws_vpcflow_v2_extra_samples.log'],
  ['gcp-vpc-flow', 'test/fixtures/cloud/gcp_vpcflow_logentries_first7.ndjson'],
  ['azure-nsg-flow', 'test/fixtures/cloud/azure_nsg_flowlog_v2.log'],
];

/** Tuples per record in the generated Azure blob: Azure groups a minute's flows of one rule and MAC. */
export const AZURE_TUPLES_PER_RECORD = 50;

/**
 * An Azure NSG flow log blob as Azure stores it (one `{"records":[...]}` document), in pieces of about
 * 1 MB: `n` flow tuples in all, `perRecord` in each record, from the fixture's record with the source
 * port varied.
 */
export function* azureBlobPieces(sample: string, n: number, perRecord = AZURE_TUPLES_PER_RECORD): Generator<string> {
  const rec = JSON.parse(fs.readFileSync(sample, 'utf8').split('\n')[0]) as {
    properties: { flows: { flows: { flowTuples: string[] }[] }[] };
  };
  const inner = rec.properties.flows[0].flows[0];
  const tuple = inner.flowTuples[0];
  let buf = '{"records":[';
  for (let k = 0; k < n; k += perRecord) {
    const count = Math.min(perRecord, n - k);
    inner.flowTuples = Array.from({ length: count }, (_, i) => tuple.replace(/,\d+,443,/, `,${1024 + (((k + i) * 7919) % 64000)},443,`));
    buf += (k === 0 ? '' : ',') + JSON.stringify(rec);
    if (buf.length > 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  yield buf + ']}\n';
}

/** Writes azureBlobPieces' blob of `n` tuples to `out`; returns the tuples written. */
export function writeAzureBlob(sample: string, out: string, n: number): number {
  const fd = fs.openSync(out, 'w');
  for (const piece of azureBlobPieces(sample, n)) fs.writeSync(fd, piece);
  fs.closeSync(fd);
  return n;
}

/** Generator version in the names of generated logs: a cached file from an older generator is not reused. */
const GENERATION = 'g2';

/** Writes a log of at least `lines` lines built from `sample`; returns the data lines written. */
export function writeLogFrom(sample: string, out: string, lines: number): number {
  const all = fs.readFileSync(sample, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = all.filter((l) => l.startsWith('#'));
  const data = all.filter((l) => !l.startsWith('#'));
  const fd = fs.openSync(out, 'w');
  let buf = header.length ? header.join('\n') + '\n' : '';
  let n = 0;
  for (let i = 0; n < lines; i++) {
    for (const l of data) {
      // Vary a port-like number so rows are not identical (1024..65535, stays a valid port). A group
      // of an IPv6 address (digits after a hex digit and ':') is not a port: made five digits long, the
      // address was invalid and 3.6% of netfilter lines were skipped.
      buf += (i === 0 ? l : l.replace(/([=\s,/]|(?<![0-9a-fA-F]):)(\d{4,5})([\s,]|$)/, (_m, a: string, _p: string, b: string) => `${a}${1024 + ((i * 7919 + n) % 64000)}${b}`)) + '\n';
      n++;
    }
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return n;
}

/**
 * Generates and ingests every format; returns the printed rows. Besides the rates: the ingest's CPU
 * per line (every thread), and DuckDB's own CPU per row storing the same rows (store-floor.ts), the
 * part no decoder work can remove.
 */
export async function benchLogFormats(): Promise<string[][]> {
  fs.mkdirSync(dir, { recursive: true });
  const rows: string[][] = [['format', 'lines', 'MB', 'lines/s', 'records/s', 'MB/s', 'CPU us/line', 'DuckDB us/row', 'peak RSS']];
  for (const [format, sample] of LOG_SAMPLES) {
    const azure = format === 'azure-nsg-flow';
    // Azure's unit is the flow tuple (a blob is one JSON document): `target` tuples, as Azure groups them.
    const file = path.join(dir, azure ? `${format}-${target}-blob.json` : `${format}-${target}-${GENERATION}.log`);
    const lines = fs.existsSync(file)
      ? fs.readFileSync(`${file}.lines`, 'utf8').trim()
      : String(azure ? writeAzureBlob(path.join(root, sample), file, target) : writeLogFrom(path.join(root, sample), file, target));
    fs.writeFileSync(`${file}.lines`, lines);
    const db = path.join(dir, `bench-${format}.duckdb`);
    const r = spawnSync(process.execPath, [path.join(here, 'ingest-child.js'), db, file], { encoding: 'utf8' });
    const floors = r.status === 0 ? await storeFloor(db) : [];
    fs.rmSync(db, { force: true });
    fs.rmSync(`${db}.wal`, { force: true });
    if (r.status !== 0) {
      rows.push([format, lines, '-', `failed: ${r.stderr.trim().split('\n').pop() ?? ''}`, '-', '-', '-', '-', '-']);
      continue;
    }
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { records: number; bytes: number; seconds: number; cpuSeconds: number; maxRssBytes: number };
    const floorRows = floors.reduce((a, f) => a + f.rows, 0);
    const floorCpu = floors.reduce((a, f) => a + f.cpuSeconds, 0);
    const k = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(0)}k`);
    rows.push([
      format,
      azure ? `${lines} tuples` : lines,
      (m.bytes / 1e6).toFixed(0),
      k(Number(lines) / m.seconds),
      k(m.records / m.seconds),
      (m.bytes / 1e6 / m.seconds).toFixed(1),
      ((m.cpuSeconds * 1e6) / Number(lines)).toFixed(2),
      floorRows > 0 ? ((floorCpu * 1e6) / floorRows).toFixed(2) : '-',
      `${(m.maxRssBytes / 2 ** 20).toFixed(0)} MiB`,
    ]);
  }
  return rows;
}

// `node dist/bench/log-formats.js`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const rows = await benchLogFormats();
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) process.stdout.write(r.map((c, i) => c.padEnd(widths[i])).join('  ') + '\n');
}
