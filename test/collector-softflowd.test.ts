// A real exporter end to end: Debian's softflowd reads corpus captures and exports their flows as
// NetFlow v5, v9 and IPFIX over loopback, once to `nightjar collect` and once to `nfcapd`; the flows
// in Nightjar's store must equal what `nfdump` reads back from nfcapd's files (count, 5-tuples, bytes,
// packets). Skips when softflowd, softflowctl, nfcapd or nfdump is missing (CI installs them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePorts, outputMatch } from '../src/collector/collector-test-support.js';
import { openDuckDBStore } from '../src/store/duckdb/duckdb-store.js';
import { sql } from '../src/store/sql.js';
import { exited, missingTools, sleep, softflowd } from './softflowd-support.js';

const BIN = path.join(process.cwd(), 'bin/nightjar.js');
const FIX = path.join(process.cwd(), 'test/fixtures/collector');
const tools = missingTools(['softflowd', 'softflowctl', 'nfcapd', 'nfdump']);
const CAPTURES = ['zeek_smtp.pcap', 'sv_ethernet_eve_dns_flow_netflow.pcap', 'sv_community_id_ipv6.pcap'];

/** One flow as `src|sport|dst|dport|proto|bytes|packets`, ICMP type and code as nfdump writes them. */
function flowKey(sa: string, sp: number, da: string, dp: number, proto: string, bytes: number, pkts: number): string {
  return [sa, sp, da, dp, proto.toLowerCase(), bytes, pkts].join('|');
}

function nfdumpFlows(dir: string): string[] {
  const r = spawnSync('nfdump', ['-R', dir, '-o', 'csv'], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const head = lines[0].split(',');
  const at = (n: string): number => head.indexOf(n);
  const out: string[] = [];
  for (const line of lines.slice(1)) {
    if (line === '' || line.startsWith('Summary') || line.startsWith('No matching')) break;
    const c = line.split(',');
    out.push(flowKey(c[at('sa')], Number(c[at('sp')]), c[at('da')], Number(c[at('dp')]), c[at('pr')], Number(c[at('ibyt')]), Number(c[at('ipkt')])));
  }
  return out.sort();
}

async function nightjarFlows(db: string): Promise<string[]> {
  const store = await openDuckDBStore({ path: db });
  try {
    const rows = await store.all(sql`SELECT orig_h, orig_p, resp_h, resp_p, proto, orig_ip_bytes, orig_pkts FROM connections`);
    return rows
      .map((r) => {
        const icmp = r.proto === 'icmp' || r.proto === 'icmp6';
        const sp = icmp ? 0 : Number(r.orig_p);
        const dp = icmp ? Number(r.orig_p) * 256 + Number(r.resp_p) : Number(r.resp_p);
        return flowKey(String(r.orig_h), sp, String(r.resp_h), dp, icmp ? 'icmp' : String(r.proto), Number(r.orig_ip_bytes), Number(r.orig_pkts));
      })
      .sort();
  } finally {
    await store.close();
  }
}

for (const version of [5, 9, 10]) {
  test(`softflowd NetFlow ${version === 10 ? 'IPFIX' : `v${version}`} export: Nightjar's stored flows equal nfdump's`, { skip: tools.length ? `needs ${tools.join(', ')}` : false, timeout: 90_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nj-softflowd-'));
    const nfdir = path.join(dir, 'nfcapd');
    fs.mkdirSync(nfdir);
    const db = path.join(dir, 'collect.duckdb');
    const [njPort, nfPort] = await freePorts(2);
    const nj = spawn(process.execPath, [BIN, 'collect', '--db', db, '--netflow-port', String(njPort), '--ipfix-port', '0', '--sflow-port', '0', '--metrics', 'off', '--flush-every', '0.2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const nf = spawn('nfcapd', ['-w', nfdir, '-p', String(nfPort), '-b', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let njOut = '';
    nj.stdout!.on('data', (c: Buffer) => (njOut += c.toString()));
    nj.stderr!.on('data', (c: Buffer) => (njOut += c.toString()));
    try {
      await Promise.all([outputMatch(nj, /collecting on/, 15_000), outputMatch(nf, /Startup/, 10_000)]);
      for (const cap of CAPTURES) {
        if (version === 5 && cap.includes('ipv6')) continue;
        await softflowd(dir, path.join(FIX, cap), njPort, version);
        await softflowd(dir, path.join(FIX, cap), nfPort, version);
      }
      await sleep(300);
      nj.kill('SIGTERM');
      nf.kill('SIGTERM');
      assert.equal(await exited(nj, 20_000), 0, njOut);
      await exited(nf, 10_000);
      assert.match(njOut, / 0 dropped/);
      const expected = nfdumpFlows(nfdir);
      assert.ok(expected.length >= (version === 5 ? 39 : 43), `nfdump read ${expected.length} flows`);
      assert.deepEqual(await nightjarFlows(db), expected);
    } finally {
      for (const c of [nj, nf]) if (c.exitCode === null) c.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
