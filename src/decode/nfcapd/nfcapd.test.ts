// The nfcapd decoder against nfdump's own reading of committed fixture files (one per compression,
// made by nfcapd and `nfdump -r -w`, see test/fixtures/nfcapd/README.md): every flow field by field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeAll } from '../testing.js';
import { nfcapd } from './nfcapd.js';
import { NFCAPD_FIXTURES, fromNfdump, fromRow } from './test-support.js';

const read = (name: string): Buffer => fs.readFileSync(path.join(NFCAPD_FIXTURES, name));
const expected = (name: string): Record<string, unknown>[] => JSON.parse(read(name).toString('utf8')) as Record<string, unknown>[];

for (const [file, compression] of [
  ['nfcapd.ipfix', 'none'],
  ['nfcapd.ipfix.lzo', 'LZO'],
  ['nfcapd.ipfix.lz4', 'LZ4'],
  ['nfcapd.ipfix.bz2', 'BZ2'],
  ['nfcapd.ipfix.zstd', 'ZSTD'],
]) {
  test(`nfcapd ${compression}: every flow equals nfdump's (5-tuple, times, counts, flags, exporter)`, () => {
    const want = expected('nfcapd.ipfix.expected.json').map(fromNfdump);
    for (const chunkSize of [65536, 7]) {
      const out = decodeAll(nfcapd, read(file), { chunkSize, inputName: file });
      assert.deepEqual(out.skips, []);
      assert.deepEqual(out.rows.connections.map(fromRow), want, `chunks of ${chunkSize}`);
    }
  });
}

test('nfcapd: rows carry the exporter as sensor, IPFIX as source, and one file row with ident and totals', () => {
  const out = decodeAll(nfcapd, read('nfcapd.ipfix.lz4'));
  const c = out.rows.connections;
  assert.equal(c.length, 44);
  assert.ok(c.every((r) => r.sensor === '127.0.0.1' && r.source_type === 'ipfix' && typeof r.community_id === 'string'));
  assert.ok(c.some((r) => String(r.orig_h).includes(':')), 'IPv6 flows');
  assert.equal(out.rows.metadata.length, 1);
  const file = JSON.parse(String(out.rows.metadata[0].data)) as Record<string, unknown>;
  assert.equal(out.rows.metadata[0].log, 'nfcapd_file');
  assert.equal(file.compression, 'LZ4');
  assert.equal(file.nfdump_version, '1.7.1');
  assert.equal(file.flows, 44);
  assert.equal(file.stat_flows, 44);
  assert.deepEqual(file.exporters, [{ sysid: 1, ip: '127.0.0.1', version: 10, domain: 0 }]);
  assert.equal(decodeAll(nfcapd, read('nfcapd.ipfix'), { sensor: 'edge-1' }).rows.connections[0].sensor, 'edge-1');
});

test('nfcapd: sampled counts (nfcapd -s 100) are stored scaled, with the exported counts and the rate in extra', () => {
  const want = expected('nfcapd.v9-sampled.expected.json');
  const out = decodeAll(nfcapd, read('nfcapd.v9-sampled'));
  assert.deepEqual(out.rows.connections.map(fromRow), want.map(fromNfdump));
  const x = JSON.parse(String(out.rows.connections[0].extra)) as Record<string, unknown>;
  assert.equal(x.sampling_rate, 100);
  assert.equal(x.packets_scaled, want[0].in_packets);
  assert.equal(x.packets_raw, Number(want[0].in_packets) / 100);
  assert.equal(x.bytes_raw, Number(want[0].in_bytes) / 100);
  assert.equal(x.source_id, 0);
});

test('nfcapd sniffing: the magic and layout, not the name', () => {
  const f = read('nfcapd.ipfix');
  assert.equal(nfcapd.sniff(f.subarray(0, 64)), 1);
  const v1 = Buffer.from(f.subarray(0, 64));
  v1[2] = 1;
  assert.equal(nfcapd.sniff(v1), 1);
  assert.equal(nfcapd.sniff(Buffer.from('#separator \\x09\n')), 0);
  assert.equal(nfcapd.sniff(Buffer.from([0xa5, 0x0c, 2, 0])), 0);
});
