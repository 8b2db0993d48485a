import assert from 'node:assert/strict';
import test from 'node:test';
import { ByteWriter } from './zeek/byte-writer.js';
import { RepeatString } from './firewall/byte-intern.js';
import { CsvFields } from './firewall/panos-csv.js';
import { ViewCache, copyEscaped, copyWords, findByte, findQuoteOrBackslash, isAsciiRange, plainRunEnd } from './word-copy.js';

/** Random bytes biased towards the ones the word tests look for. */
function randomBytes(n: number, seed: number): Buffer {
  let x = seed;
  const special = [0, 1, 9, 10, 13, 31, 32, 34, 44, 92, 127, 128, 0xc3, 0xa9, 0xff, 0x2c, 0x22];
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x % 3 === 0 ? special[(x >>> 8) % special.length] : 32 + ((x >>> 8) % 95);
  }
  return b;
}

test('copyEscaped writes what ByteWriter.jsonEscaped writes, at every offset and length', () => {
  const views = new ViewCache();
  const srcViews = new ViewCache();
  for (let seed = 1; seed < 60; seed++) {
    const src = randomBytes(97, seed);
    for (let s = 0; s < 9; s++) {
      for (let e = s; e <= src.length; e += 1 + (seed % 5)) {
        const ref = new ByteWriter(16);
        ref.jsonEscaped(src, s, e);
        const dst = new Uint8Array(7 + (e - s) * 6);
        const p = copyEscaped(dst, views.of(dst), 7, src, srcViews.of(src), s, e);
        assert.deepEqual(Buffer.from(dst.subarray(7, p)), Buffer.from(ref.buf.subarray(0, ref.len)), `seed ${seed} ${s}..${e}`);
      }
    }
  }
});

test('copyWords copies any range, from a Buffer that is a slice of a larger one', () => {
  const big = randomBytes(300, 7);
  const src = big.subarray(3, 250);
  const dst = new Uint8Array(300);
  for (let s = 0; s < 6; s++) {
    for (let e = s; e < src.length; e += 7) {
      dst.fill(0);
      const p = copyWords(dst, new DataView(dst.buffer), 5, src, new ViewCache().of(src), s, e);
      assert.equal(p, 5 + e - s);
      assert.deepEqual(Buffer.from(dst.subarray(5, p)), Buffer.from(src.subarray(s, e)));
      assert.equal(dst[p], 0, 'nothing written past the end');
    }
  }
});

test('the word-at-a-time CSV split finds the fields a byte loop finds', () => {
  const f = new CsvFields();
  for (let seed = 1; seed < 300; seed++) {
    const line = randomBytes(5 + (seed % 120), seed);
    for (let i = 0; i < line.length; i++) if (line[i] === 34) line[i] = 35; // quoting is tested elsewhere
    const buf = Buffer.concat([Buffer.from('xx'), line, Buffer.from('yy')]);
    assert.ok(f.split(buf, 2, 2 + line.length));
    const want = line.toString('latin1').split(',');
    const got = Array.from({ length: f.count }, (_, i) => buf.toString('latin1', f.start[i], f.end[i]));
    assert.deepEqual(got, want, `seed ${seed}`);
  }
  const q = Buffer.from('a,"b,""c""",d,"unclosed');
  assert.equal(f.split(q, 0, q.length), false);
  assert.ok(f.split(q, 0, 13));
  assert.equal(f.count, 3);
  assert.equal(f.quoted[1], 2);
});

test('RepeatString gives the string of the current bytes, made again only when they change', () => {
  let made = 0;
  const r = new RepeatString((b, s, e) => {
    made++;
    return b.toString('utf8', s, e);
  });
  const b = Buffer.from('PA-220 PA-220 PA-221 é PA-221 ' + 'x'.repeat(100) + ' ' + 'x'.repeat(100));
  assert.equal(r.get(b, 0, 6), 'PA-220');
  assert.equal(r.get(b, 7, 13), 'PA-220');
  assert.equal(made, 1);
  assert.equal(r.get(b, 14, 20), 'PA-221');
  assert.equal(r.get(b, 21, 23), 'é');
  assert.equal(r.get(b, 24, 30), 'PA-221');
  assert.equal(made, 4);
  assert.equal(r.get(b, 31, 131), 'x'.repeat(100));
  assert.equal(r.get(b, 132, 232), 'x'.repeat(100), 'too long to keep: made again, still right');
  assert.equal(made, 6);
});

test('plainRunEnd stops where a byte loop stops: control bytes, quote, backslash, non-ASCII', () => {
  for (let seed = 1; seed < 200; seed++) {
    const b = randomBytes(40 + (seed % 50), seed * 31);
    for (let i = 0; i < b.length; i += 3) {
      let want = i;
      while (want < b.length && b[want] >= 0x20 && b[want] < 0x80 && b[want] !== 0x22 && b[want] !== 0x5c) want++;
      assert.equal(plainRunEnd(b, new DataView(b.buffer, b.byteOffset, b.length), i, b.length), want, `seed ${seed} from ${i}`);
    }
  }
});

test('findByte finds the first occurrence a byte loop finds, or the end', () => {
  for (let seed = 1; seed < 200; seed++) {
    const b = randomBytes(30 + (seed % 70), seed * 17);
    const dv = new DataView(b.buffer, b.byteOffset, b.length);
    for (const c of [0x2c, 0x3d, 0x5c, 0x22]) {
      for (let i = 0; i < b.length; i += 5) {
        const j = b.indexOf(c, i);
        assert.equal(findByte(b, dv, i, b.length, c), j < 0 ? b.length : j, `seed ${seed} byte ${c} from ${i}`);
      }
    }
  }
});

test('isAsciiRange agrees with a byte loop on every range', () => {
  for (let seed = 1; seed < 100; seed++) {
    const b = randomBytes(40, seed * 13);
    for (let i = 0; i < b.length; i++) if (b[i] >= 0x80 && (seed + i) % 4 !== 0) b[i] = 0x41;
    const dv = new DataView(b.buffer, b.byteOffset, b.length);
    for (let s = 0; s < 10; s++) {
      for (let e = s; e <= b.length; e++) {
        let want = true;
        for (let i = s; i < e; i++) if (b[i] >= 0x80) want = false;
        assert.equal(isAsciiRange(b, dv, s, e), want, `seed ${seed} ${s}..${e}`);
      }
    }
  }
});

test('findQuoteOrBackslash stops at the first quote or backslash a byte loop finds', () => {
  for (let seed = 1; seed < 200; seed++) {
    const b = randomBytes(30 + (seed % 70), seed * 7);
    const dv = new DataView(b.buffer, b.byteOffset, b.length);
    for (let i = 0; i < b.length; i += 3) {
      let want = i;
      while (want < b.length && b[want] !== 0x22 && b[want] !== 0x5c) want++;
      assert.equal(findQuoteOrBackslash(b, dv, i, b.length), want, `seed ${seed} from ${i}`);
    }
  }
});
