/**
 * Generates realistic Zeek conn.log files (TSV with Zeek's headers, or JSON lines) of any size, for
 * benchmarks and for tests that need big inputs. Seeded, so the same arguments give the same file.
 * The mix: a few hundred internal clients on RFC 1918 space talking to a few thousand servers, mostly
 * TCP with Zeek-like states and histories, DNS over UDP, some ICMP and IPv6, heavy-tailed byte counts.
 */
import fs from 'node:fs';

/** Output layout of the generated log. */
export type ConnLogFormat = 'tsv' | 'json';

/** A small fast seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TCP_SERVICES: [number, string, number][] = [
  [443, 'ssl', 40], [80, 'http', 15], [22, 'ssh', 3], [445, 'smb', 3], [3389, '-', 2], [8080, 'http', 3], [25, 'smtp', 1],
  [993, 'ssl', 2], [5432, '-', 1], [3306, '-', 1], [8443, 'ssl', 2],
];
const TCP_STATES: [string, string, number][] = [
  ['SF', 'ShADadFf', 60], ['SF', 'ShADadfF', 8], ['S0', 'S', 10], ['REJ', 'Sr', 6], ['RSTO', 'ShADadR', 5],
  ['RSTR', 'ShADadr', 4], ['S1', 'ShAD', 2], ['OTH', 'D', 2], ['SH', 'ShAF', 1], ['RSTOS0', 'R', 1],
];

function weighted<T extends unknown[]>(items: T[], r: number): T {
  const total = items.reduce((a, i) => a + (i[i.length - 1] as number), 0);
  let x = r * total;
  for (const i of items) {
    x -= i[i.length - 1] as number;
    if (x <= 0) return i;
  }
  return items[items.length - 1];
}

const HEADER = (open: string): string =>
  [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tconn',
    `#open\t${open}`,
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
    '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
  ].join('\n') + '\n';

/** Writes `lines` connection records to `file`; returns the bytes written. */
export function writeConnLog(file: string, lines: number, format: ConnLogFormat, seed = 1): number {
  const r = rng(seed);
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let buf = '';
  const out = (s: string): void => {
    buf += s;
    if (buf.length > 1 << 20) {
      bytes += fs.writeSync(fd, buf);
      buf = '';
    }
  };
  if (format === 'tsv') out(HEADER('2024-03-01-00-00-00'));
  const clients = Array.from({ length: 400 }, (_, i) => `10.${1 + (i >> 8)}.${i & 255}.${10 + (i % 200)}`);
  const servers = Array.from({ length: 3000 }, (_, i) =>
    i % 10 === 0 ? `10.0.${i & 255}.${(i >> 8) + 1}` : `${23 + (i % 180)}.${(i * 7) & 255}.${(i * 13) & 255}.${1 + (i % 250)}`,
  );
  const v6c = Array.from({ length: 40 }, (_, i) => `2001:db8:10::${(i + 1).toString(16)}`);
  const v6s = Array.from({ length: 200 }, (_, i) => `2606:4700:${(i * 3).toString(16)}::${(i + 10).toString(16)}`);
  let ts = 1709251200 + r();
  const uid = new Array<string>(18);
  for (let n = 0; n < lines; n++) {
    ts += r() * 0.004;
    uid[0] = 'C';
    for (let k = 1; k < 18; k++) uid[k] = UID_CHARS[(r() * 62) | 0];
    const kind = r();
    let op: number, rp: number, proto: string, service: string, state: string, hist: string;
    let dur: number | null, ob: number | null, rb: number | null, opk: number, rpk: number;
    const v6 = r() < 0.08;
    const oh = v6 ? v6c[(r() * v6c.length) | 0] : clients[(r() * clients.length) | 0];
    const rh = v6 ? v6s[(r() * v6s.length) | 0] : servers[Math.floor(r() ** 2 * servers.length)];
    op = 1024 + ((r() * 64000) | 0);
    if (kind < 0.72) {
      const [port, svc] = weighted(TCP_SERVICES, r());
      [state, hist] = weighted(TCP_STATES, r());
      rp = port;
      proto = 'tcp';
      service = state === 'SF' || state.startsWith('RST') ? svc : '-';
      const heavy = Math.floor(Math.exp(r() * 14));
      if (state === 'S0' || state === 'REJ' || state === 'RSTOS0') {
        dur = state === 'S0' ? r() * 3 : 0.0001 + r() * 0.01;
        ob = 0;
        rb = 0;
        opk = 1 + ((r() * 3) | 0);
        rpk = state === 'REJ' ? 1 : 0;
      } else {
        dur = r() * (r() < 0.05 ? 3600 : 30);
        ob = 50 + ((r() * 2000) | 0);
        rb = heavy;
        opk = 3 + Math.ceil(ob / 1400) + ((r() * 5) | 0);
        rpk = 2 + Math.ceil(rb / 1400);
      }
    } else if (kind < 0.95) {
      proto = 'udp';
      rp = r() < 0.85 ? 53 : r() < 0.5 ? 123 : 443;
      service = rp === 53 ? 'dns' : rp === 123 ? 'ntp' : r() < 0.5 ? 'quic' : '-';
      state = r() < 0.9 ? 'SF' : 'S0';
      hist = state === 'SF' ? 'Dd' : 'D';
      dur = r() * 0.2;
      ob = 30 + ((r() * 60) | 0);
      rb = state === 'SF' ? 60 + ((r() * 400) | 0) : 0;
      opk = 1;
      rpk = state === 'SF' ? 1 : 0;
    } else {
      proto = 'icmp';
      op = r() < 0.8 ? 8 : 3;
      rp = op === 8 ? 0 : (r() * 4) | 0;
      service = '-';
      state = 'OTH';
      hist = '-';
      dur = op === 8 ? r() * 5 : null;
      ob = op === 8 ? 64 * (1 + ((r() * 4) | 0)) : 0;
      rb = op === 8 ? ob : 0;
      opk = 1 + ((r() * 4) | 0);
      rpk = op === 8 ? opk : 0;
    }
    const hdr = v6 ? 40 : 20;
    const oib = (ob ?? 0) + opk * (hdr + (proto === 'tcp' ? 32 : 8));
    const rib = (rb ?? 0) + rpk * (hdr + (proto === 'tcp' ? 32 : 8));
    const localResp = rh.startsWith('10.');
    const tsText = ts.toFixed(6);
    const u = uid.join('');
    if (format === 'tsv') {
      out(
        `${tsText}\t${u}\t${oh}\t${op}\t${rh}\t${rp}\t${proto}\t${service}\t${dur === null ? '-' : dur.toFixed(6)}\t${ob ?? '-'}\t${rb ?? '-'}\t${state}\tT\t${localResp ? 'T' : 'F'}\t0\t${hist}\t${opk}\t${oib}\t${rpk}\t${rib}\t-\n`,
      );
    } else {
      out(
        `{"ts":${tsText},"uid":"${u}","id.orig_h":"${oh}","id.orig_p":${op},"id.resp_h":"${rh}","id.resp_p":${rp},"proto":"${proto}"` +
          (service !== '-' ? `,"service":"${service}"` : '') +
          (dur !== null ? `,"duration":${dur.toFixed(6)}` : '') +
          (ob !== null ? `,"orig_bytes":${ob},"resp_bytes":${rb}` : '') +
          `,"conn_state":"${state}","local_orig":true,"local_resp":${localResp},"missed_bytes":0` +
          (hist !== '-' ? `,"history":"${hist}"` : '') +
          `,"orig_pkts":${opk},"orig_ip_bytes":${oib},"resp_pkts":${rpk},"resp_ip_bytes":${rib}}\n`,
      );
    }
  }
  if (format === 'tsv') out('#close\t2024-03-02-00-00-00\n');
  if (buf.length) bytes += fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return bytes;
}

// `node dist/bench/gen-zeek-conn.js FILE LINES [tsv|json]`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const [file, lines, format] = process.argv.slice(2);
  if (!file || !lines) {
    process.stderr.write('usage: gen-zeek-conn FILE LINES [tsv|json]\n');
    process.exit(2);
  }
  const n = writeConnLog(file, Number(lines), (format ?? 'tsv') as ConnLogFormat);
  process.stdout.write(`${file}: ${lines} lines, ${n} bytes\n`);
}
