import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeAll } from '../testing.js';
import type { DecoderDef } from '../decoder.js';
import { ByteInterner } from './byte-intern.js';
import { cefDecoder } from './cef.js';
import { ExtensionPairs } from './cef-extension.js';
import { netfilterDecoder } from './netfilter.js';
import { panos } from './panos.js';
import { pfFilterlogDecoder } from './pf-filterlog.js';
import { windowsFirewall } from './windows-firewall.js';

const FIX = 'test/fixtures/firewall/';
const now = { now: () => Date.UTC(2026, 11, 31) };

test('byte interner: one id per distinct byte run, UTF-8 decoded, bounded', () => {
  const t = new ByteInterner(4, 8);
  const b = Buffer.from('src dst src héllo toolongkey');
  const a = t.intern(b, 0, 3);
  assert.equal(t.intern(b, 8, 11), a);
  assert.notEqual(t.intern(b, 4, 7), a);
  const h = t.intern(b, 12, 18);
  assert.equal(t.strings[h], 'héllo');
  assert.equal(t.intern(b, 19, 29), -1, 'longer than maxLen');
  const gen = t.generation;
  t.intern(Buffer.from('k4'), 0, 2);
  t.intern(Buffer.from('k5'), 0, 2);
  assert.equal(t.generation, gen + 1, 'starts over past max entries');
  assert.ok(t.size <= 4);
  assert.equal(t.strings[t.intern(b, 0, 3)], 'src');
});

function pairs(text: string): [string, string][] {
  const p = new ExtensionPairs();
  const b = Buffer.from(text);
  p.scan(b, 0, b.length);
  const out: [string, string][] = [];
  for (let i = 0; i < p.count; i++) out.push([p.key(i), p.value(i)]);
  return out;
}

test('CEF extension scanner: escapes, bare =, trailing blanks, UTF-8, long values, many keys', () => {
  assert.deepEqual(pairs(''), []);
  assert.deepEqual(pairs('   '), []);
  assert.deepEqual(pairs('no equals here'), []);
  assert.deepEqual(pairs('a='), [['a', '']]);
  assert.deepEqual(pairs('=x'), [['', 'x']]);
  assert.deepEqual(pairs('a=x\\'), [['a', 'x\\']]);
  assert.deepEqual(pairs('a=1+1=2 b=c\\=d\\\\ e=f\\ng'), [['a', '1+1=2'], ['b', 'c=d\\'], ['e', 'f\ng']]);
  assert.deepEqual(pairs('a=x "q" y=\t'), [['a', 'x "q"'], ['y', '']]);
  assert.deepEqual(pairs('msg=café\u00a0 b=日本'), [['msg', 'café'], ['b', '日本']]);
  const long = 'v'.repeat(100_000);
  assert.deepEqual(pairs(`a=${long} b=1`), [['a', long], ['b', '1']]);
  const many = Array.from({ length: 300 }, (_, i) => `k${i}=v${i}`).join(' ');
  const got = pairs(many);
  assert.equal(got.length, 300);
  assert.deepEqual(got[299], ['k299', 'v299']);
});

/** Deterministic hostile variants of a fixture's lines: cut, bytes inserted or deleted, invalid UTF-8. */
function hostile(file: string, count: number): Buffer {
  const all = readFileSync(FIX + file, 'latin1').split('\n');
  const lines = all.filter((l) => l.trim() !== '' && !l.startsWith('#'));
  // Header lines (Windows Firewall's #Fields) stay first and intact.
  const header = all.filter((l) => l.startsWith('#')).map((l) => l + '\n');
  const inserts = ['"', '\\', '=', ' ', ',', '|', '[', ']', '\t', '\x01', 'é', '日本', '""', '\\"', 'x'.repeat(5000), '65536', '-1', ':'];
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const parts: Buffer[] = [Buffer.from(header.join(''), 'latin1')];
  for (let k = 0; k < count; k++) {
    const l = lines[rnd(lines.length)];
    const at = rnd(l.length + 1);
    switch (rnd(4)) {
      case 0:
        parts.push(Buffer.from(l.slice(0, at), 'latin1'));
        break;
      case 1:
        parts.push(Buffer.from(l.slice(0, at)), Buffer.from(inserts[rnd(inserts.length)]), Buffer.from(l.slice(at)));
        break;
      case 2:
        parts.push(Buffer.from(l.slice(0, at) + l.slice(at + 1 + rnd(20)), 'latin1'));
        break;
      default:
        parts.push(Buffer.from(l.slice(0, at), 'latin1'), Buffer.from([0xff, 0xc3]), Buffer.from(l.slice(at), 'latin1'));
    }
    parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

const CASES: [string, DecoderDef, string][] = [
  ['netfilter', netfilterDecoder(now), 'iptables_kernel_log_variants.log'],
  ['netfilter (crowdsec)', netfilterDecoder(now), 'crowdsec_unifi_iptables.log'],
  ['pf-filterlog', pfFilterlogDecoder(now), 'crowdsec_pfsense_filterlog.log'],
  ['cef', cefDecoder(now), 'crowdsec_cef_unifi.log'],
  ['panos', panos, 'panos_traffic_csv_first27.log'],
  ['windows-firewall', windowsFirewall, 'windows_pfirewall_azure_stack_edge_doc.log'],
];

for (const [name, def, file] of CASES) {
  test(`${name}: hostile lines are kept with valid JSON in extra, or skipped and counted`, () => {
    const input = hostile(file, 1500);
    const lines = input.toString('latin1').split('\n');
    const nonBlank = lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
    const out = decodeAll(def, input, { chunkSize: 4096 });
    const rows = Object.values(out.rows).flat();
    const ignored = Object.values(out.ignored).reduce((a, n) => a + n, 0);
    assert.equal(rows.length + out.skips.length + ignored, nonBlank, 'every line is stored, skipped or ignored');
    assert.ok(rows.length > 50, `many hostile lines still decode (${rows.length}, skips ${JSON.stringify(out.skips.slice(0, 3))})`);
    assert.ok(out.skips.length > 0);
    assert.ok(!out.skips.some((s) => s.reason === 'decoder_error'), 'no decoder error');
    for (const r of rows) {
      assert.doesNotThrow(() => JSON.parse(r.extra as string), `extra of ${String(r.message).slice(0, 80)}`);
      assert.equal(typeof r.message, 'string');
    }
  });
}

test('netfilter: a quote or backslash in a key stays inside the JSON key', () => {
  const line = 'Mar  1 10:00:00 gw kernel: [DROP] IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=60 TT"L=64 W\\IN=1 PROTO=TCP SPT=1 DPT=2';
  const r = decodeAll(netfilterDecoder(now), Buffer.from(line)).rows.firewall[0];
  const x = JSON.parse(r.extra as string) as Record<string, string>;
  assert.equal(x['tt"l'], '64');
  assert.equal(x['w\\in'], '1');
});

test('PAN-OS: a stray quote inside an unquoted field is escaped in extra', () => {
  const line = readFileSync(FIX + 'panos_traffic_csv_first27.log', 'utf8').split('\n')[0].replace('012801096514', '0128010965"14');
  const r = decodeAll(panos, Buffer.from(line)).rows.firewall[0];
  assert.equal((JSON.parse(r.extra as string) as Record<string, string>).serial, '0128010965"14');
});
