/**
 * Runs the established tools that turn a capture into flows (nfpcapd, softflowd, argus) or at least read
 * every packet (tshark's conversation table, tcpdump), so Nightjar's own numbers have yardsticks measured
 * on the same file and machine. Each runner returns null when its tool is not installed; otherwise the
 * wall-clock seconds of one run and the flow count when the tool reports one. See bench/README.md for what
 * each tool does and how to read the comparison. The only network use is softflowd's NetFlow export, to a
 * port on 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One timed run of a peer tool. */
export interface PeerResult {
  tool: string;
  /** The command line that was timed. */
  command: string;
  /** Wall-clock seconds of the run. */
  seconds: number;
  /** Flows the tool reported, or null when it reports none. */
  flows: number | null;
  /** What `flows` counts (one-way records, bidirectional flows, IP pairs). */
  flowKind: string;
}

/** Where a runner may find its tool beyond PATH (Debian puts softflowd and argus in sbin). */
const EXTRA_DIRS = ['/usr/sbin', '/sbin', '/usr/local/sbin'];

/** The absolute path of `tool` on PATH or in an sbin directory, or null when it is not installed. */
export function findTool(tool: string): string | null {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).concat(EXTRA_DIRS);
  for (const d of dirs) {
    const p = path.join(d, tool);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // Not in this directory.
    }
  }
  return null;
}

interface Timed {
  seconds: number;
  out: string;
}

/** Runs `bin args`, stdout to /dev/null unless `keepStdout`; throws when the tool fails. */
function timed(bin: string, args: string[], keepStdout = false): Timed {
  const devNull = fs.openSync('/dev/null', 'w');
  try {
    const t = performance.now();
    const res = spawnSync(bin, args, {
      stdio: ['ignore', keepStdout ? 'pipe' : devNull, 'pipe'],
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const seconds = (performance.now() - t) / 1000;
    if (res.error) throw res.error;
    if (res.status !== 0) throw new Error(`${path.basename(bin)} exited with ${res.status}: ${res.stderr.slice(-500)}`);
    return { seconds, out: `${res.stdout ?? ''}\n${res.stderr ?? ''}` };
  } finally {
    fs.closeSync(devNull);
  }
}

function match(text: string, re: RegExp): number | null {
  const m = re.exec(text);
  return m ? Number(m[1]) : null;
}

function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** nfdump's nfpcapd: pcap to nfcapd flow files in a scratch directory; counts one-way flow records. */
export function runNfpcapd(file: string): PeerResult | null {
  const bin = findTool('nfpcapd');
  if (!bin) return null;
  const dir = tmpDir('nj-nfpcapd-');
  try {
    const args = ['-r', file, '-w', dir];
    const r = timed(bin, args, true);
    return { tool: 'nfpcapd', command: `nfpcapd ${args.join(' ')}`, seconds: r.seconds, flows: match(r.out, /Flows: (\d+)/), flowKind: 'one-way records' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * softflowd: reads the file, tracks flows (IPv6 too), expires them all at the end and exports NetFlow v9 to
 * 127.0.0.1:`port`, where nothing needs to listen; counts the one-way records it exported.
 */
export function runSoftflowd(file: string, port = 39995): PeerResult | null {
  const bin = findTool('softflowd');
  if (!bin) return null;
  // -c none: no control socket (softflowd 1.1.0 otherwise blocks in accept() on it before reading the file).
  const args = ['-d', '-6', '-c', 'none', '-m', '1000000', '-v', '9', '-n', `127.0.0.1:${port}`, '-r', file];
  const r = timed(bin, args, true);
  return {
    tool: 'softflowd', command: `softflowd ${args.join(' ')}`, seconds: r.seconds,
    flows: match(r.out, /Flows exported: \d+ \((\d+) records\)/), flowKind: 'one-way records',
  };
}

/**
 * argus: bidirectional flow records (with a status record every 5 s of a long flow) into a scratch file;
 * with argus-client's `ra` installed, the distinct 5-tuples among them are counted after the timed run.
 */
export function runArgus(file: string): PeerResult | null {
  const bin = findTool('argus');
  if (!bin) return null;
  const dir = tmpDir('nj-argus-');
  try {
    const outFile = path.join(dir, 'out.argus');
    // -X: ignore /etc/argus.conf (which would also append to /var/log/argus).
    const args = ['-X', '-r', file, '-w', outFile];
    const r = timed(bin, args);
    let flows: number | null = null;
    const ra = findTool('ra');
    if (ra) {
      const list = spawnSync(ra, ['-n', '-r', outFile, '-s', 'proto', 'saddr', 'sport', 'daddr', 'dport'], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
      });
      if (list.status === 0) {
        const keys = new Set(list.stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('man')));
        flows = keys.size;
      }
    }
    return { tool: 'argus', command: `argus ${args.join(' ').replace(outFile, 'TMP')}`, seconds: r.seconds, flows, flowKind: 'bidirectional 5-tuples' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** tshark's conversation table by IP address pair: full dissection of every packet. */
export function runTshark(file: string): PeerResult | null {
  const bin = findTool('tshark');
  if (!bin) return null;
  const args = ['-n', '-r', file, '-q', '-z', 'conv,ip'];
  const r = timed(bin, args, true);
  const flows = r.out.split('\n').filter((l) => l.includes('<->')).length;
  return { tool: 'tshark', command: `tshark ${args.join(' ')}`, seconds: r.seconds, flows, flowKind: 'IP pairs' };
}

/** tcpdump printing every packet's one-line summary to /dev/null: the cost of reading and printing. */
export function runTcpdump(file: string): PeerResult | null {
  const bin = findTool('tcpdump');
  if (!bin) return null;
  const args = ['-nn', '-r', file];
  const r = timed(bin, args);
  return { tool: 'tcpdump', command: `tcpdump ${args.join(' ')} > /dev/null`, seconds: r.seconds, flows: null, flowKind: '' };
}

/** Every peer runner, in the order the CLI runs them. */
export const PEERS: ((file: string) => PeerResult | null)[] = [runNfpcapd, runSoftflowd, runArgus, runTshark, runTcpdump];

/** Packets in a classic pcap file (either byte order), by walking its record headers; null for other formats. */
export function countPackets(file: string): number | null {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8 << 20);
    if (fs.readSync(fd, buf, 0, 24, 0) < 24) return null;
    const magic = buf.readUInt32LE(0);
    const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    const be = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
    if (!le && !be) return null;
    let pos = 24;
    let count = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n < 16) return count;
      let o = 0;
      while (o + 16 <= n) {
        const incl = le ? buf.readUInt32LE(o + 8) : buf.readUInt32BE(o + 8);
        if (o + 16 + incl > n && o > 0) break;
        o += 16 + incl;
        count++;
      }
      pos += o;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return rows.map((r) => line(r).trimEnd()).join('\n');
}

// `node dist/bench/peers.js FILE`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const file = process.argv[2];
  if (!file || !fs.existsSync(file)) {
    process.stderr.write('usage: peers FILE   (a pcap, e.g. from gen-pcap.js)\n');
    process.exit(2);
  }
  const packets = countPackets(file);
  const rows = [['tool', 'seconds', 'packets/s', 'flows', 'counted as']];
  for (const peer of PEERS) {
    let res: PeerResult | null;
    try {
      res = peer(file);
    } catch (e) {
      process.stderr.write(`${peer.name}: ${(e as Error).message}\n`);
      continue;
    }
    if (!res) {
      rows.push([peer.name.replace(/^run/, '').toLowerCase(), '-', '-', '-', 'not installed']);
      continue;
    }
    const rate = packets === null ? '-' : `${(packets / res.seconds / 1e6).toFixed(2)}M`;
    rows.push([res.tool, res.seconds.toFixed(2), rate, res.flows === null ? '-' : String(res.flows), res.flowKind]);
  }
  process.stdout.write(`${file}: ${packets ?? '?'} packets, ${fs.statSync(file).size} bytes\n${table(rows)}\n`);
}
