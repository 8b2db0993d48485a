/**
 * Decode-only micro benchmark of the Zeek decoders: generates a conn.log (TSV, and optionally JSON) in
 * memory and times decoding it into reused column batches, with no store behind them.
 * Run: `node dist/bench/zeek-decode.js [lines] [tsv|json]` (defaults: 1,000,000 lines, tsv).
 */
import { zeekJson } from '../src/decode/zeek/zeek-json.js';
import { zeekTsv } from '../src/decode/zeek/zeek-tsv.js';
import { decodeCpu } from './log-decode.js';

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2024-01-01-00-00-00',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
].join('\n');

/** A deterministic pseudo-random source, so runs are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s;
  };
}

const UID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const STATES = ['SF', 'S0', 'REJ', 'RSTO', 'SH', 'OTH'];
const SERVICES = ['-', 'http', 'ssl', 'dns', 'http,ssl'];
const HISTORIES = ['ShADadFf', 'S', 'Sr', 'Dd', 'ShADadR', '-'];

interface Conn {
  ts: string;
  uid: string;
  oh: string;
  op: number;
  rh: string;
  rp: number;
  proto: string;
  service: string;
  duration: string;
  ob: number;
  rb: number;
  state: string;
  history: string;
  n: number;
}

function makeConn(r: () => number, i: number): Conn {
  let uid = 'C';
  for (let k = 0; k < 17; k++) uid += UID_CHARS[r() % UID_CHARS.length];
  const udp = r() % 4 === 0;
  return {
    ts: (1700000000 + i / 1000).toFixed(6),
    uid,
    oh: `10.${r() % 4}.${r() % 256}.${r() % 256}`,
    op: 1024 + (r() % 64000),
    rh: r() % 10 === 0 ? `2001:db8::${(r() % 65536).toString(16)}` : `${r() % 224}.${r() % 256}.${r() % 256}.${r() % 256}`,
    rp: udp ? 53 : [80, 443, 22, 8080][r() % 4],
    proto: udp ? 'udp' : 'tcp',
    service: SERVICES[r() % SERVICES.length],
    duration: ((r() % 100000) / 1000).toFixed(6),
    ob: r() % 100000,
    rb: r() % 1000000,
    state: STATES[r() % STATES.length],
    history: HISTORIES[r() % HISTORIES.length],
    n: r() % 100,
  };
}

function tsvLine(c: Conn): string {
  return `${c.ts}\t${c.uid}\t${c.oh}\t${c.op}\t${c.rh}\t${c.rp}\t${c.proto}\t${c.service}\t${c.duration}\t${c.ob}\t${c.rb}\t${c.state}\tT\tF\t0\t${c.history}\t${c.n}\t${c.ob + 40 * c.n}\t${c.n}\t${c.rb + 40 * c.n}\t-`;
}

function jsonLine(c: Conn): string {
  return JSON.stringify({
    ts: Number(c.ts), uid: c.uid, 'id.orig_h': c.oh, 'id.orig_p': c.op, 'id.resp_h': c.rh, 'id.resp_p': c.rp,
    proto: c.proto, service: c.service === '-' ? undefined : c.service, duration: Number(c.duration),
    orig_bytes: c.ob, resp_bytes: c.rb, conn_state: c.state, local_orig: true, local_resp: false, missed_bytes: 0,
    history: c.history, orig_pkts: c.n, orig_ip_bytes: c.ob + 40 * c.n, resp_pkts: c.n, resp_ip_bytes: c.rb + 40 * c.n,
    _path: 'conn',
  });
}

function generate(lines: number, json: boolean): Buffer {
  const r = rng(42);
  const parts: string[] = json ? [] : [HEADER];
  for (let i = 0; i < lines; i++) parts.push(json ? jsonLine(makeConn(r, i)) : tsvLine(makeConn(r, i)));
  parts.push(json ? '' : '#close\t2024-01-01-01-00-00\n');
  return Buffer.from(parts.join('\n'));
}

const lines = Number(process.argv[2] ?? 1_000_000);
const json = process.argv[3] === 'json';
const input = generate(lines, json);
const def = json ? zeekJson : zeekTsv;
console.log(`${def.name}: ${lines} lines, ${(input.length / 1e6).toFixed(1)} MB`);
const rounds = Number(process.argv[4] ?? 3);
for (let round = 1; round <= rounds; round++) {
  const { rows, skips, seconds: secs } = decodeCpu(def.create, input);
  console.log(
    `round ${round}: ${rows} rows, ${skips} skips, ${secs.toFixed(3)} s, ` +
      `${Math.round(rows / secs).toLocaleString('en-US')} lines/s, ${(input.length / 1e6 / secs).toFixed(0)} MB/s`,
  );
}
