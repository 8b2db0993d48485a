/**
 * Micro benchmark of the Community ID path every record without one takes at ingest: the one-block
 * SHA-1 (`sha1Block`), `communityIdBytes` from address bytes, and `writeFlowKey` from address text
 * given as bytes of a line (the Zeek TSV, PAN-OS and cloud decoders' path), on a realistic mix of
 * tuples: 85% IPv4 TCP/UDP, 10% IPv6 TCP/UDP, 5% ICMP (v4 and v6). Prints the median of several
 * rounds in ns per call. Run the script of two builds back to back for an A/B (it imports only
 * modules both have):
 *
 *   node dist/bench/community-id.js [tuples] [rounds]     defaults: 200,000 tuples, 7 rounds
 */
import * as sha1 from '../src/model/sha1-block.js';
import { SHA1_BLOCK, sha1Block } from '../src/model/sha1-block.js';
import { communityIdBytes } from '../src/model/community-id.js';
import { parseIpInto } from '../src/model/ip.js';
import { resetFlowKey, writeFlowKey, type FlowKey } from '../src/decode/flow-key.js';
import { CONNECTIONS } from '../src/model/fields.js';
import { ColumnBatch } from '../src/store/column-batch.js';

/** One tuple of the mix, as text (for writeFlowKey) and as bytes (for communityIdBytes). */
interface Tuple {
  sa: string;
  da: string;
  sp: number;
  dp: number;
  proto: number;
}

/** A deterministic pseudo-random source, so runs and builds see the same tuples. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s >>> 8) % n;
  };
}

/** The mix: 85% IPv4 TCP/UDP, 10% IPv6 TCP/UDP, 5% ICMP (four in five of them IPv4). */
export function tupleMix(count: number, seed = 7): Tuple[] {
  const r = rng(seed);
  const v4 = (): string => `10.${r(4)}.${r(256)}.${r(256)}`;
  const v4out = (): string => `${1 + r(223)}.${r(256)}.${r(256)}.${r(256)}`;
  const v6 = (): string => `2001:db8:${r(65536).toString(16)}::${r(65536).toString(16)}:${r(65536).toString(16)}`;
  const out: Tuple[] = [];
  for (let i = 0; i < count; i++) {
    const k = r(100);
    if (k < 85) out.push({ sa: v4(), da: v4out(), sp: 1024 + r(64000), dp: [53, 80, 443, 123, 22][r(5)], proto: r(4) === 0 ? 17 : 6 });
    else if (k < 95) out.push({ sa: v6(), da: v6(), sp: 1024 + r(64000), dp: [53, 443][r(2)], proto: r(3) === 0 ? 17 : 6 });
    else if (k < 99) out.push({ sa: v4(), da: v4out(), sp: [8, 0, 3, 11][r(4)], dp: r(4), proto: 1 });
    else out.push({ sa: v6(), da: v6(), sp: [128, 129, 135, 136][r(4)], dp: 0, proto: 58 });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** ns per call of each measured function, medians over `rounds`. */
export function benchCommunityId(count: number, rounds: number): Array<[string, number]> {
  const tuples = tupleMix(count);
  const lens = new Uint8Array(count);
  const addrs = new Uint8Array(count * 32);
  // The SHA-1 input of each tuple as Community ID builds it (seed 0, ports when the protocol has them).
  const msgs = new Uint8Array(count * 64);
  const msgLen = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const t = tuples[i];
    const l = parseIpInto(t.sa, addrs, i * 32);
    parseIpInto(t.da, addrs, i * 32 + 16);
    lens[i] = l;
    const m = i * 64;
    let n = 2;
    msgs.set(addrs.subarray(i * 32, i * 32 + l), m + n);
    n += l;
    msgs.set(addrs.subarray(i * 32 + 16, i * 32 + 16 + l), m + n);
    n += l;
    msgs[m + n++] = t.proto;
    n++;
    msgs[m + n++] = t.sp >> 8;
    msgs[m + n++] = t.sp & 255;
    msgs[m + n++] = t.dp >> 8;
    msgs[m + n++] = t.dp & 255;
    msgLen[i] = n;
  }
  // Views made once: a subarray per call would be measured too.
  const msgViews = Array.from({ length: count }, (_, i) => msgs.subarray(i * 64, i * 64 + 56));
  const aViews = Array.from({ length: count }, (_, i) => addrs.subarray(i * 32, i * 32 + 16));
  const bViews = Array.from({ length: count }, (_, i) => addrs.subarray(i * 32 + 16, i * 32 + 32));
  // Address text as one buffer of line bytes, as text decoders hand it to writeFlowKey.
  const text = Buffer.from(tuples.map((t) => `${t.sa} ${t.da}`).join('\n'), 'latin1');
  const ranges = new Int32Array(count * 4);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const t = tuples[i];
    ranges[i * 4] = at;
    ranges[i * 4 + 1] = at + t.sa.length;
    ranges[i * 4 + 2] = at + t.sa.length + 1;
    ranges[i * 4 + 3] = at + t.sa.length + 1 + t.da.length;
    at += t.sa.length + t.da.length + 2;
  }
  const protoText = ['', 'icmp', '', '', '', '', 'tcp'];
  protoText[17] = 'udp';
  protoText[58] = 'icmp6';
  const batch = new ColumnBatch(CONNECTIONS, 8192);
  const key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };

  const runs: Record<string, () => void> = {
    sha1Block: () => {
      for (let i = 0; i < count; i++) {
        SHA1_BLOCK.set(msgViews[i]);
        sha1Block(msgLen[i]);
      }
    },
    'copy only (sha1Block baseline)': () => {
      for (let i = 0; i < count; i++) SHA1_BLOCK.set(msgViews[i]);
    },
    ...('sha1Words' in sha1
      ? {
          // The compression alone, on blocks written as words (builds before it had no such entry point).
          'sha1Words (16-byte message)': () => {
            const w = sha1.SHA1_WORDS;
            for (let i = 0; i < count; i++) {
              w[0] = i;
              w[1] = lens[i];
              w[2] = i * 7;
              w[3] = -i;
              w[4] = -0x80000000;
              w[5] = w[6] = w[7] = w[8] = w[9] = w[10] = w[11] = w[12] = w[13] = w[14] = 0;
              w[15] = 128;
              sha1.sha1Words();
            }
          },
        }
      : {}),
    communityIdBytes: () => {
      for (let i = 0; i < count; i++) {
        const t = tuples[i];
        communityIdBytes(aViews[i], bViews[i], lens[i], t.sp, t.dp, t.proto);
      }
    },
    'writeFlowKey (address bytes)': () => {
      for (let i = 0; i < count; i++) {
        if (batch.full) batch.clear();
        const row = batch.addRow();
        const t = tuples[i];
        resetFlowKey(key, text);
        key.origHStart = ranges[i * 4];
        key.origHEnd = ranges[i * 4 + 1];
        key.respHStart = ranges[i * 4 + 2];
        key.respHEnd = ranges[i * 4 + 3];
        key.origP = t.sp;
        key.respP = t.dp;
        key.proto = protoText[t.proto];
        key.tsMicros = 1_700_000_000_000_000 + i;
        writeFlowKey(batch, row, key, 'zeek', null, 1);
      }
    },
  };
  const times = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(runs)) {
      const t0 = process.hrtime.bigint();
      run();
      const ns = Number(process.hrtime.bigint() - t0) / count;
      times.set(name, [...(times.get(name) ?? []), ns]);
    }
  }
  return [...times].map(([name, xs]) => [name, median(xs.slice(1))]);
}

// `node dist/bench/community-id.js [tuples] [rounds]`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/.*\//, ''))) {
  const count = Number(process.argv[2] ?? 200_000);
  const rounds = Number(process.argv[3] ?? 7);
  for (const [name, ns] of benchCommunityId(count, rounds)) process.stdout.write(`${name.padEnd(32)} ${ns.toFixed(1)} ns\n`);
}
