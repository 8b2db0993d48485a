import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createCaptureReader, sniffCapture } from './capture-reader.js';
import {
  ENCAPSULATION_LINKTYPE,
  digest,
  fixture,
  pcapHeader,
  pcapRecord,
  payload,
  readCapture,
  shb,
  tsharkMicros,
  tsharkOracle,
  type ReadResult,
  type TsharkFrame,
} from './capture-test-support.js';

/** Every capture in test/fixtures/pcap, including those other components added. */
const ALL_CAPTURES = readdirSync(path.join(process.cwd(), 'test/fixtures/pcap'))
  .filter((n) => /\.(pcap|pcapng|cap)$/.test(n))
  .sort();

/** Files with more than one pcapng section: tshark numbers interfaces per section, the reader per file. */
const MULTI_SECTION = new Set(['pcapng_gen_le_test202.pcapng', 'pcapng_gen_be_test202.pcapng']);
/** tshark prints nanosecond fields >= 1e9 wrongly; the pcap reader test asserts this file by hand. */
const BAD_TSHARK_TIME = new Set(['tcpdump_timestamp_invalid_nano.pcap']);
/** Files the corpus cut short on purpose, with the file offset of the cut record. */
const TRUNCATED: Record<string, number> = {
  'DERIVED_truncated_midblock_multi_interface.pcapng': 828,
  'DERIVED_truncated_midpacket_http_get.pcap': 2120,
};

/** Compares what the reader delivered for `name` with tshark's frames. */
function assertMatchesTshark(name: string, got: ReadResult, frames: TsharkFrame[], encapsulation: string): void {
  assert.equal(got.packets.length, frames.length, `${name}: packet count`);
  const linkType = ENCAPSULATION_LINKTYPE[encapsulation];
  let lastTs = 0;
  got.packets.forEach((p, i) => {
    const [epoch, len, capLen, ifId] = frames[i];
    const where = `${name} packet ${i + 1}`;
    assert.equal(p.wireLen, len, `${where} wire length`);
    assert.equal(p.capLen, capLen, `${where} captured length`);
    if (!BAD_TSHARK_TIME.has(name)) assert.equal(p.ts, epoch === '' ? lastTs : tsharkMicros(epoch), `${where} time`);
    if (!MULTI_SECTION.has(name)) assert.equal(p.interfaceId, ifId, `${where} interface`);
    if (linkType !== null && linkType !== undefined) assert.equal(p.linkType, linkType, `${where} link type`);
    lastTs = p.ts;
  });
}

describe('sniffCapture', () => {
  it('is sure of every pcap and pcapng magic in either byte order', () => {
    for (const hex of ['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d', '34cdb2a1', 'a1b2cd34', '0a0d0d0a']) {
      assert.equal(sniffCapture(Buffer.from(hex + '00000000', 'hex')), 1, hex);
    }
    assert.equal(sniffCapture(fixture('zeek_pcapng_multi_interface.pcapng')), 1);
  });

  it('rejects other formats and short heads', () => {
    assert.equal(sniffCapture(Buffer.from('#separator \\x09\n')), 0);
    assert.equal(sniffCapture(Buffer.from('{"ts":1}\n')), 0);
    assert.equal(sniffCapture(Buffer.from('d4c3b2', 'hex')), 0);
    assert.equal(sniffCapture(Buffer.alloc(0)), 0);
  });
});

describe('createCaptureReader against tshark', () => {
  const oracle = tsharkOracle();
  const FIXTURES = Object.keys(oracle).sort();

  it('has a recorded oracle for 43 captures, all present', () => {
    assert.equal(FIXTURES.length, 43);
    for (const name of FIXTURES) assert.ok(ALL_CAPTURES.includes(name), name);
  });

  for (const name of FIXTURES) {
    it(`${name}: matches the recorded tshark frames, and one problem only where the file is cut`, () => {
      const want = oracle[name];
      const got = readCapture(fixture(name));
      assert.equal(want.packets, want.frames.length);
      assertMatchesTshark(name, got, want.frames, want.encapsulation);
      const cut = TRUNCATED[name];
      assert.deepEqual(got.problems.map((p) => [p.code, p.offset]), cut === undefined ? [] : [['truncated_record', cut]]);
    });
  }
});

describe('createCaptureReader on every capture fixture in any chunking', () => {
  for (const name of ALL_CAPTURES) {
    it(`${name}: 1-, 7- and 4096-byte chunks deliver exactly what one chunk does`, () => {
      const file = fixture(name);
      const whole = readCapture(file);
      const want = digest(whole.packets);
      for (const size of [1, 7, 4096]) {
        const got = readCapture(file, size);
        assert.equal(got.packets.length, whole.packets.length, `chunk ${size}`);
        assert.equal(digest(got.packets), want, `chunk ${size}`);
        assert.deepEqual(got.problems, whole.problems, `chunk ${size}`);
      }
    });
  }
});

describe('createCaptureReader against tshark run live', () => {
  const oracle = tsharkOracle();
  const FIXTURES = Object.keys(oracle).sort();

  it('matches tshark run live on every fixture (when tshark is installed)', async (t) => {
    if (spawnSync('which', ['tshark']).status !== 0) {
      t.skip('tshark is not installed; the recorded oracle above still runs');
      return;
    }
    const pending = [...FIXTURES];
    const worker = async (): Promise<void> => {
      for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
        const frames = await tsharkFrames(path.join(process.cwd(), 'test/fixtures/pcap', name));
        assertMatchesTshark(name, readCapture(fixture(name)), frames, oracle[name].encapsulation);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    assert.equal(pending.length, 0);
  });
});

/** The packets tshark lists for `file` (it also lists pcapng NRB, ISB and custom blocks, with no encapsulation). */
function tsharkFrames(file: string): Promise<TsharkFrame[]> {
  const fields = ['frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.interface_id', 'frame.encap_type'];
  const args = ['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
  return new Promise((resolve) => {
    // tshark exits non-zero on the files cut short, after printing their complete packets.
    execFile('tshark', args, { encoding: 'utf8' }, (_err, stdout) => {
      const frames: TsharkFrame[] = [];
      for (const line of stdout.split('\n')) {
        const [epoch, len, capLen, ifId, encap] = line.split('\t');
        if (encap === undefined || encap === '') continue;
        frames.push([epoch, Number(len), Number(capLen), ifId === '' ? 0 : Number(ifId)]);
      }
      resolve(frames);
    });
  });
}

describe('createCaptureReader on inputs that are not captures', () => {
  it('reports a zero-length file once', () => {
    assert.deepEqual(readCapture(Buffer.alloc(0)), {
      packets: [],
      problems: [{ code: 'truncated_record', offset: 0, detail: 'empty file' }],
    });
  });

  it('reports a file shorter than a magic number', () => {
    const got = readCapture(Buffer.from('d4c3', 'hex'), 1);
    assert.deepEqual(got.problems, [{ code: 'truncated_record', offset: 0, detail: 'file header: 2 of 4 bytes' }]);
  });

  it('reports a file that is neither pcap nor pcapng, whatever the chunking', () => {
    const text = Buffer.from('#separator \\x09\n#path\tconn\n');
    for (const size of [0, 1, 3]) {
      const got = readCapture(text, size);
      assert.deepEqual(got.packets, []);
      assert.deepEqual(got.problems.map((p) => [p.code, p.offset]), [['bad_magic', 0]]);
    }
  });

  it('reports a pcapng section header cut short', () => {
    const got = readCapture(shb().subarray(0, 20), 3);
    assert.deepEqual(got.problems, [{ code: 'truncated_record', offset: 0, detail: 'block: 20 of 28 bytes' }]);
  });

  it('passes the pushed chunk itself to onPacket when a packet lies inside it', () => {
    const file = Buffer.concat([pcapHeader({ linkType: 228 }), pcapRecord(5, 6, payload(30, 1)), pcapRecord(7, 8, payload(31, 2))]);
    const seen: [Uint8Array, number, number][] = [];
    const reader = createCaptureReader(
      (linkType, _ts, buf, offset, capLen) => {
        assert.equal(linkType, 228);
        seen.push([buf, offset, capLen]);
      },
      () => assert.fail('no problem expected'),
    );
    reader.push(file);
    reader.finish();
    assert.deepEqual(seen.map(([, o, c]) => [o, c]), [[40, 30], [86, 31]]);
    assert.ok(seen.every(([buf]) => buf === file));
  });
});
