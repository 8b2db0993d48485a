import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Utf16ToUtf8, utf16ByteOrder } from './utf16-text.js';

/** UTF-16 bytes of `text` with a byte order mark, as PowerShell 5 (LE) or a big-endian tool writes them. */
function utf16(text: string, order: 'utf-16le' | 'utf-16be'): Buffer {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  return order === 'utf-16le' ? le : le.swap16();
}

function transcode(bytes: Buffer, cuts: number[]): string {
  const t = new Utf16ToUtf8(utf16ByteOrder(bytes)!);
  const parts: Buffer[] = [];
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    parts.push(t.push(bytes.subarray(from, at)));
    from = at;
  }
  parts.push(t.end());
  return Buffer.concat(parts).toString('utf8');
}

const TEXT = 'ts\tquery\r\n1.0\texample.com\n2.0\tüñí😀.example\n3.0\t\u{10FFFF}x\n';

test('a code unit or a surrogate pair split across chunks at any byte comes out whole, in both byte orders', () => {
  for (const order of ['utf-16le', 'utf-16be'] as const) {
    const bytes = utf16(TEXT, order);
    assert.equal(utf16ByteOrder(bytes), order);
    for (let cut = 0; cut <= bytes.length; cut++) assert.equal(transcode(bytes, [cut]), TEXT, `${order} cut at ${cut}`);
    assert.equal(transcode(bytes, Array.from({ length: bytes.length }, (_, i) => i)), TEXT, `${order} byte by byte`);
  }
});

test('unpaired surrogates and an odd last byte become U+FFFD and the rest is kept', () => {
  const units = (...u: number[]) => Buffer.from(Uint16Array.from([0xfeff, ...u]).buffer);
  // a, lone high surrogate, b, lone low surrogate, c, high surrogate at the very end
  const le = units(0x61, 0xd83d, 0x62, 0xde00, 0x63, 0xd83d);
  for (let cut = 0; cut <= le.length; cut++) assert.equal(transcode(le, [cut]), 'a\ufffdb\ufffdc\ufffd');
  const odd = Buffer.concat([units(0x61), Buffer.from([0x62])]);
  assert.equal(transcode(odd, []), 'a\ufffd');
  assert.equal(transcode(Buffer.from(units(0x61)).swap16(), [3]), 'a');
});

test('only a byte order mark makes an input UTF-16', () => {
  assert.equal(utf16ByteOrder(Buffer.from('a\0b\0', 'latin1')), null);
  assert.equal(utf16ByteOrder(Buffer.from('\ufeffx', 'utf8')), null);
  assert.equal(utf16ByteOrder(Buffer.from([0xff])), null);
  assert.equal(utf16ByteOrder(Buffer.from([0xfe, 0xff, 0, 0x61])), 'utf-16be');
});
