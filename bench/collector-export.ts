/**
 * Real NetFlow v9 export datagrams for the collector benchmark: softflowd reads a generated capture
 * and exports to a loopback port where this module records every datagram (templates included), with
 * the number of flow records each carries. Without softflowd, the pmacct fixture's Cisco ASR9k
 * NetFlow v9 datagrams are used instead. Datagrams are saved as `u32 length, u16 records, bytes`.
 */
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { NetflowDecoder } from '../src/decode/netflow/netflow-decoder.js';
import { datagramsOf } from '../src/decode/netflow/test-support.js';
import { findTool } from './peers.js';

/** One recorded export datagram and the flow records it carries. */
export interface ExportDatagram {
  bytes: Buffer;
  records: number;
}

/** Counts the flow records of each datagram by decoding them in order (templates come first). */
function withCounts(dgs: Buffer[]): ExportDatagram[] {
  let n = 0;
  const d = new NetflowDecoder(() => n++);
  return dgs.map((bytes) => {
    n = 0;
    d.decode(bytes, 0, bytes.length, '127.0.0.1', 0);
    return { bytes, records: n };
  });
}

/** Writes datagrams to `file` in the benchmark's framing. */
export function saveDatagrams(file: string, dgs: ExportDatagram[]): void {
  const parts: Buffer[] = [];
  for (const d of dgs) {
    const h = Buffer.alloc(6);
    h.writeUInt32LE(d.bytes.length, 0);
    h.writeUInt16LE(d.records, 4);
    parts.push(h, d.bytes);
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}

/** Reads datagrams saved by saveDatagrams. */
export function loadDatagrams(file: string): ExportDatagram[] {
  const b = fs.readFileSync(file);
  const out: ExportDatagram[] = [];
  for (let p = 0; p + 6 <= b.length; ) {
    const len = b.readUInt32LE(p);
    const records = b.readUInt16LE(p + 4);
    out.push({ bytes: b.subarray(p + 6, p + 6 + len), records });
    p += 6 + len;
  }
  return out;
}

/** Records softflowd's NetFlow v9 export of `pcap`; null when softflowd is not installed. */
export async function recordSoftflowd(pcap: string, workDir: string): Promise<{ source: string; datagrams: ExportDatagram[] } | null> {
  const sf = findTool('softflowd');
  const ctl = findTool('softflowctl');
  if (!sf || !ctl) return null;
  const sock = dgram.createSocket('udp4');
  const got: Buffer[] = [];
  sock.on('message', (m) => got.push(m));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  sock.setRecvBufferSize(64 << 20);
  const port = sock.address().port;
  const ctlPath = path.join(workDir, 'bench-sf.ctl');
  const child = spawn(sf, ['-r', pcap, '-n', `127.0.0.1:${port}`, '-v', '9', '-d', '-m', '1000000', '-c', ctlPath, '-p', path.join(workDir, 'bench-sf.pid')], { stdio: 'ignore' });
  // softflowd 1.1.0 reading a file waits on its control socket before the first read: nudge it.
  for (let i = 0; i < 1200 && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 100));
    spawnSync(ctl, ['-c', ctlPath, 'statistics'], { stdio: 'ignore', timeout: 2000 });
  }
  if (child.exitCode === null) child.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  sock.close();
  return { source: `softflowd -v 9 export of ${path.basename(pcap)}`, datagrams: withCounts(got) };
}

/** The pmacct fixture's NetFlow v9 datagrams (Cisco ASR9k), the fallback without softflowd. */
export function pmacctDatagrams(): { source: string; datagrams: ExportDatagram[] } {
  const dgs = datagramsOf('pmacct_nfv9_cisco_asr9k.pcap').map((d) => Buffer.from(d.bytes));
  return { source: 'pmacct fixture pmacct_nfv9_cisco_asr9k.pcap (NetFlow v9)', datagrams: withCounts(dgs) };
}
