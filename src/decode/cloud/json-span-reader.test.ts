import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../../flows/app-detect/app-detect-test-support.js';
import { JsonSpanReader, KeySet, copyCompact, MAX_DEPTH } from './json-span-reader.js';

const WS = [' ', '\t', '\n', '\r', '  '];
const STRINGS = ['', 'a', 'src_ip', 'é', '日本', '😀', 'q"uote', 'back\\slash', 'tab\tnl\n', '\u0000', '\u001f', '\ud800', 'x/y', '__proto__'];

/** Random JSON text of a random value, with random whitespace and escapes. */
function randomJson(rnd: () => number, depth: number): string {
  const ws = (): string => (rnd() < 0.2 ? WS[Math.floor(rnd() * WS.length)] : '');
  const str = (): string => {
    const s = STRINGS[Math.floor(rnd() * STRINGS.length)];
    let out = JSON.stringify(s);
    // Sometimes escape a plain character with \u, the way some writers do.
    if (rnd() < 0.2 && s.length > 0 && /^[a-z]/.test(s)) out = `"\\u${s.charCodeAt(0).toString(16).padStart(4, '0')}${out.slice(2)}`;
    if (rnd() < 0.1) out = out.replace('/', '\\/');
    return out;
  };
  const r = rnd();
  if (depth > 4 || r < 0.35) {
    const k = Math.floor(rnd() * 9);
    if (k === 0) return 'true';
    if (k === 1) return 'false';
    if (k === 2) return 'null';
    if (k === 3) return str();
    const nums = ['0', '-0', '12', '-7', '3.25', '1e3', '2E-2', '1.5e+10', '12345678901234567890', '0.0'];
    return nums[Math.floor(rnd() * nums.length)];
  }
  const n = Math.floor(rnd() * 4);
  const items: string[] = [];
  if (r < 0.65) {
    for (let i = 0; i < n; i++) items.push(ws() + randomJson(rnd, depth + 1) + ws());
    return `[${items.join(',')}${n === 0 ? ws() : ''}]`;
  }
  for (let i = 0; i < n; i++) items.push(`${ws()}${str()}${ws()}:${ws()}${randomJson(rnd, depth + 1)}${ws()}`);
  return `{${items.join(',')}${n === 0 ? ws() : ''}}`;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** What the reader says of a whole text: the index after its value (or -1). */
function readValue(text: string): { buf: Buffer; end: number } {
  const buf = Buffer.from(text, 'utf8');
  const r = new JsonSpanReader();
  r.reset(buf, buf.length);
  const i = r.value(r.ws(0));
  return { buf, end: i < 0 ? -1 : r.ws(i) };
}

test('valid JSON is read to its end, and its compact copy parses to the same value', () => {
  const rnd = prng(1);
  for (let n = 0; n < 3000; n++) {
    const text = WS[n % WS.length] + randomJson(rnd, 0) + WS[(n >> 2) % WS.length];
    const { buf, end } = readValue(text);
    assert.equal(end, buf.length, text);
    const out = Buffer.alloc(buf.length);
    const start = buf.indexOf(text.trim()[0]);
    const r = new JsonSpanReader();
    r.reset(buf, buf.length);
    const valEnd = r.value(start);
    const spaced = r.spaced;
    const len = copyCompact(buf, start, valEnd, out, 0);
    assert.deepEqual(JSON.parse(out.toString('utf8', 0, len)), JSON.parse(text), text);
    // Once the text is known valid, the quick skip finds the same end and the same whitespace.
    r.trusted = true;
    assert.equal(r.value(start), valEnd, text);
    assert.equal(r.spaced, spaced, text);
  }
});

test('mutated JSON: whatever the reader accepts, JSON.parse accepts too', () => {
  const rnd = prng(2);
  const bytes = ['{', '}', '[', ']', '"', '\\', ',', ':', ' ', '0', '-', '.', 'e', 'u', 't', 'n', '\u0001', '\n', 'x', '1'];
  let accepted = 0;
  let rejected = 0;
  for (let n = 0; n < 20000; n++) {
    let text = randomJson(rnd, 0);
    const edits = 1 + Math.floor(rnd() * 3);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rnd() * (text.length + 1));
      const k = rnd();
      const b = bytes[Math.floor(rnd() * bytes.length)];
      if (k < 0.4) text = text.slice(0, at) + text.slice(at + 1);
      else if (k < 0.7) text = text.slice(0, at) + b + text.slice(at);
      else text = text.slice(0, at) + b + text.slice(at + 1);
    }
    const { buf, end } = readValue(text);
    const ok = end === buf.length;
    if (ok) {
      accepted++;
      assert.ok(parses(text), `accepted invalid JSON: ${JSON.stringify(text)}`);
    } else rejected++;
    // The converse holds for everything but nesting deeper than MAX_DEPTH, which the generator never makes.
    if (!ok) assert.ok(!parses(text), `refused valid JSON: ${JSON.stringify(text)}`);
  }
  assert.ok(accepted > 1000 && rejected > 1000, `${accepted} accepted, ${rejected} rejected`);
});

test('hostile inputs: truncation, bad escapes, control characters, literals, numbers, deep nesting', () => {
  const bad = ['', '{', '{"a"', '{"a":', '{"a":1', '{"a":1,}', '[1,]', '[,1]', '"\\x"', '"\\u12"', '"\\u12g4"', '"a\u0001"', '"a\nb"', 'tru', 'nul', 'falsy', '01', '-', '1.', '.5', '1e', '+1', '{"a" 1}', '{a:1}', "{'a':1}", '[1 2]', '{"a":1}}', 'NaN', '"abc'];
  for (const text of bad) {
    const { buf, end } = readValue(text);
    assert.notEqual(end, buf.length, JSON.stringify(text));
    assert.ok(!parses(text), text);
  }
  const deep = '['.repeat(MAX_DEPTH + 1) + '1' + ']'.repeat(MAX_DEPTH + 1);
  assert.equal(readValue(deep).end, -1, 'deeper than MAX_DEPTH is refused (the caller falls back)');
  const ok = '['.repeat(MAX_DEPTH) + '1' + ']'.repeat(MAX_DEPTH);
  assert.equal(readValue(ok).end, ok.length);
  assert.equal(readValue('-0.0e-0').end, 7);
  assert.equal(readValue('"\\ud83d\\ude00 é 😀"').end, Buffer.byteLength('"\\ud83d\\ude00 é 😀"'));
});

test('members are walked in order with their key and value spans; nested walks resume', () => {
  const buf = Buffer.from('{ "a" : [1, {"x":2}] , "b":{"c":"d"},"e\\"f":null }');
  const r = new JsonSpanReader();
  r.reset(buf, buf.length);
  assert.ok(r.open(0));
  const seen: string[] = [];
  for (let m = r.nextKey(); m !== 0; m = r.nextKey()) {
    assert.equal(m, 1);
    const key = buf.toString('utf8', r.keyStart, r.keyEnd);
    if (key === '"b"') {
      const at = r.valStart;
      assert.ok(r.open(at));
      assert.equal(r.next(), 1);
      seen.push(`${buf.toString('utf8', r.keyStart, r.keyEnd)}=${buf.toString('utf8', r.valStart, r.valEnd)}`);
      assert.equal(r.next(), 0);
      r.endValue(r.after);
      seen.push(`b=${buf.toString('utf8', at, r.valEnd)}`);
    } else {
      assert.ok(r.skipValue());
      seen.push(`${key}=${buf.toString('utf8', r.valStart, r.valEnd)}${r.keyEscaped ? ' (escaped)' : ''}`);
    }
  }
  assert.deepEqual(seen, ['"a"=[1, {"x":2}]', '"c"="d"', 'b={"c":"d"}', '"e\\"f"=null (escaped)']);
  assert.equal(r.after, buf.length);
});

test('KeySet finds names by their bytes, among names of the same length', () => {
  const keys = new KeySet(['src_ip', 'dst_ip', 'proto', 'a']);
  const find = (k: string): number => {
    const b = Buffer.from(JSON.stringify(k));
    return keys.find(b, 0, b.length);
  };
  assert.equal(find('src_ip'), 0);
  assert.equal(find('dst_ip'), 1);
  assert.equal(find('proto'), 2);
  assert.equal(find('a'), 3);
  assert.equal(find('src_iq'), -1);
  assert.equal(find(''), -1);
  assert.equal(find('x'.repeat(100)), -1);
});
