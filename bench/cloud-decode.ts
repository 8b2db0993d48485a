/**
 * Decode-only A/B of the cloud flow log decoders in one process: each byte-level decoder against its
 * JSON.parse reference (the same decoder with the fast path off), on logs built in memory from the
 * real fixture lines (ports varied), alternating A and B three times and printing median CPU-seconds
 * (process.cpuUsage) and records per CPU-second. Rows go to a ColumnBatch that is cleared when full,
 * so the store is not measured: this is the decoder's share of "lines/s into the store on one core".
 * Size: NJ_BENCH_CLOUD_RECORDS (default 200,000 records or Azure flow tuples per input).
 *
 *   node dist/bench/cloud-decode.js
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DecodeContext, Decoder } from '../src/decode/decoder.js';
import { decodeCpu } from './log-decode.js';
import { azureBlobPieces } from './log-formats.js';
import { azureNsgFlow, azureNsgFlowReference } from '../src/decode/cloud/azure-nsg-flow.js';
import { gcpVpcFlow, gcpVpcFlowReference } from '../src/decode/cloud/gcp-vpc-flow.js';
import { awsVpcFlow } from '../src/decode/cloud/aws-vpc-flow.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../test/fixtures/cloud');
const target = Number(process.env.NJ_BENCH_CLOUD_RECORDS ?? 200_000);

type Create = (ctx: DecodeContext) => Decoder;

/** Lines of a fixture repeated to `n` lines, the first 4-5 digit port-like number varied. */
function repeatLines(file: string, n: number): Buffer {
  const lines = fs.readFileSync(path.join(fixtures, file), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) for (const l of lines) out.push(i === 0 ? l : l.replace(/([\s,:])(\d{4,5})([\s,]|$)/, (_m, a: string, _p: string, b: string) => `${a}${1024 + ((i * 7919 + out.length) % 64000)}${b}`));
  return Buffer.from(out.slice(0, n).join('\n') + '\n');
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** Runs every A/B pair three times; returns the printed rows. */
export function benchCloudDecode(): string[][] {
  const cases: [string, Buffer, Create, Create | null][] = [
    ['gcp-vpc-flow (1 KB JSON lines)', repeatLines('gcp_vpcflow_logentries_first7.ndjson', target), gcpVpcFlow.create, gcpVpcFlowReference],
    ['azure-nsg-flow (1 tuple per record)', repeatLines('azure_nsg_flowlog_v2.log', target), azureNsgFlow.create, azureNsgFlowReference],
    ['azure-nsg-flow (blob, 50 tuples per record)', Buffer.from([...azureBlobPieces(path.join(fixtures, 'azure_nsg_flowlog_v2.log'), target, 50)].join('')), azureNsgFlow.create, azureNsgFlowReference],
    ['aws-vpc-flow (default format)', repeatLines('aws_vpcflow_v2_extra_samples.log', target), awsVpcFlow.create, null],
  ];
  const out: string[][] = [['input', 'MB', 'rows', 'fast CPU-s', 'rows/CPU-s', 'JSON.parse CPU-s', 'rows/CPU-s', 'speed-up']];
  for (const [name, input, fast, ref] of cases) {
    const a: number[] = [];
    const b: number[] = [];
    let rows = 0;
    for (let k = 0; k < 3; k++) {
      const r = decodeCpu(fast, input);
      rows = r.rows;
      a.push(r.cpu);
      if (ref !== null) b.push(decodeCpu(ref, input).cpu);
    }
    const k = (x: number): string => `${(x / 1e3).toFixed(0)}k`;
    const ma = median(a);
    const mb = ref === null ? NaN : median(b);
    out.push([name, (input.length / 1e6).toFixed(0), String(rows), ma.toFixed(2), k(rows / ma), ref === null ? '-' : mb.toFixed(2), ref === null ? '-' : k(rows / mb), ref === null ? '-' : `${(mb / ma).toFixed(2)}x`]);
  }
  return out;
}

// `node dist/bench/cloud-decode.js`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const rows = benchCloudDecode();
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) process.stdout.write(r.map((c, i) => c.padEnd(widths[i])).join('  ') + '\n');
}
