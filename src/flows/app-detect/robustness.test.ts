/**
 * Robustness: random bytes on the ports of every protocol are never taken for one, and damaged
 * versions of every real payload (bits flipped, cut, spliced) never make detection throw or report
 * anything but short strings. The random generator is seeded, so a failure replays.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fixturePath, prng, readPackets } from './app-detect-test-support.js';
import { AppDetector } from './app-detector.js';
import { newAppFlowState } from './app-flow-state.js';
import { MAX_ATTR_CHARS } from './bytes.js';

// UDP 123 is left out: there, as in Zeek, a version and mode are enough to say NTP.
const PORTS = [443, 8443, 993, 80, 8080, 3128, 53, 5353, 22, 25, 21, 445, 139, 3389, 88, 5060, 3306, 5432, 67, 68, 514, 4433, 12345];

function randomBytes(rand: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (rand() * 256) | 0;
  return b;
}

/** Attributes are strings no longer than an escaped MAX_ATTR_CHARS bytes. */
function attrsOk(attrs: Record<string, string> | null, where: string): void {
  for (const v of Object.values(attrs ?? {})) {
    assert.equal(typeof v, 'string', where);
    assert.ok(v.length <= MAX_ATTR_CHARS * 4, where);
  }
}

describe('robustness', () => {
  it('never detects a service in random bytes, over TCP or UDP, in one packet or four', () => {
    const rand = prng(0x5eed);
    const d = new AppDetector();
    let tried = 0;
    for (const port of PORTS) {
      for (let i = 0; i < 150; i++) {
        for (const proto of [6, 17]) {
          const st = newAppFlowState();
          const packets = i % 3 === 0 ? 4 : 1;
          for (let p = 0; p < packets; p++) {
            const n = 1 + ((rand() * (i % 2 ? 1500 : 64)) | 0);
            const b = randomBytes(rand, n);
            d.inspect(st, b, 0, b.length, proto, 40000 + i, port, p % 2 === 0);
          }
          assert.equal(st.service, null, `port ${port} proto ${proto} #${i}`);
          tried++;
        }
      }
    }
    assert.equal(tried, PORTS.length * 300);
  });

  it('survives damaged versions of every real payload, keeping attributes short strings', () => {
    const rand = prng(42);
    const names = readdirSync(fixturePath('.')).filter((f) => f.endsWith('.packets.tsv'));
    let fed = 0;
    for (const f of names) {
      const rows = readPackets(f.slice(0, -'.packets.tsv'.length)).filter((r) => r.payload.length > 0);
      for (let round = 0; round < 20; round++) {
        // All of a capture's packets go to one connection: more variety for the probes.
        const d = new AppDetector({ maxPacketsPerFlow: 8 });
        const st = newAppFlowState();
        for (const r of rows) {
          const b = Buffer.from(r.payload);
          const kind = (rand() * 4) | 0;
          let out: Buffer = b;
          if (kind === 0) for (let k = 0; k < 4; k++) b[(rand() * b.length) | 0] ^= 1 << ((rand() * 8) | 0);
          else if (kind === 1) out = b.subarray(0, (rand() * b.length) | 0);
          else if (kind === 2) out = Buffer.concat([b.subarray(0, (rand() * b.length) | 0), randomBytes(rand, 1 + ((rand() * 40) | 0))]);
          else if (b.length >= 2) for (let k = 0; k < 8; k++) b.writeUInt16BE((rand() * 65536) | 0, (rand() * (b.length - 1)) | 0);
          // Directions at random too: a flow table may get the orientation wrong.
          d.inspect(st, out, 0, out.length, r.ipProto, r.sport, r.dport, rand() < 0.5);
          // And alone, as the first packet of a connection, so that every probe sees it.
          const alone = newAppFlowState();
          d.inspect(alone, out, 0, out.length, r.ipProto, r.sport, r.dport, true);
          attrsOk(alone.attrs, f);
          fed++;
        }
        attrsOk(st.attrs, f);
      }
    }
    assert.ok(fed > 3000, String(fed));
  });
});
