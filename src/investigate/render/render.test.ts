import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'parse5';
import type { Store } from '../../store/store.js';
import { investigate } from '../investigate.js';
import type { InvestigationReport } from '../report.js';
import { BAD, PERIOD, scenarioEvents, scenarioGeo, scenarioSite } from '../testing-scenario.js';
import { storeWith } from '../testing.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTerminal } from './terminal.js';

const GOLDEN = path.join(process.cwd(), 'test/fixtures/investigate/report-shape.json');

let store: Store;
let bad: InvestigationReport;
let good: InvestigationReport;

before(async () => {
  store = await storeWith(scenarioEvents());
  const ctx = { store, site: scenarioSite(), geo: scenarioGeo(), now: Date.parse('2024-03-09T00:00:00Z') };
  bad = await investigate(ctx, BAD, PERIOD);
  good = await investigate(ctx, 'hr-laptop-06', PERIOD);
});
after(() => store.close());

type Shape = string | { [k: string]: Shape } | Shape[];

/** The JSON shape: object keys, array item shapes (merged over all items), and value types. */
function shapeOf(v: unknown): Shape {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? [] : [v.map(shapeOf).reduce(merge)];
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shapeOf(x)]));
  return typeof v;
}

function merge(a: Shape, b: Shape): Shape {
  if (typeof a === 'string' && typeof b === 'string') return [...new Set([...a.split('|'), ...b.split('|')])].sort().join('|');
  if (Array.isArray(a) && Array.isArray(b)) return a.length === 0 ? b : b.length === 0 ? a : [merge(a[0], b[0])];
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, Shape> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  // A value that is null in one place and an object in another.
  if (a === 'null') return b;
  if (b === 'null') return a;
  throw new Error(`incompatible shapes ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
}

test('the JSON report keeps its documented shape (golden)', () => {
  const parsed = JSON.parse(renderJson(bad)) as InvestigationReport;
  assert.equal(parsed.schema_version, 1);
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(bad)));
  const shape = merge(shapeOf(parsed), shapeOf(JSON.parse(renderJson(good))));
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(GOLDEN, `${JSON.stringify(shape, null, 2)}\n`);
  assert.deepEqual(shape, JSON.parse(fs.readFileSync(GOLDEN, 'utf8')), 'the report shape changed: bump schema_version or only add fields, then UPDATE_GOLDEN=1');
  assert.equal(Object.keys(parsed)[0], 'schema_version');
});

test('the terminal report fits 100 columns and uses colour only when asked', () => {
  for (const r of [bad, good]) {
    const plain = renderTerminal(r, { width: 100, color: false });
    assert.ok(!plain.includes('\x1b['), 'no escape codes without colour');
    for (const l of plain.split('\n')) assert.ok([...l].length <= 100, `${[...l].length}: ${l}`);
  }
  const plain = renderTerminal(bad, { width: 100, color: false });
  assert.match(plain, /^VERDICT: CONTAIN {2}score \d+/m);
  assert.match(plain, /orig_h == 10\.1\.0\.5 and resp_h == 198\.51\.100\.77 {2}\(48 records\)/);
  assert.match(plain, /198\.51\.100\.77 +cdn-sync\.badcdn\.example +RU AS64511 +48 /);
  assert.match(renderTerminal(good, { color: false }), /^VERDICT: NO ACTION {2}score 0/m);
  const coloured = renderTerminal(bad, { width: 100, color: true });
  assert.ok(coloured.includes('\x1b[1;31mVERDICT: CONTAIN\x1b[0m'));
});

test('names from traffic cannot inject escapes, markup or table breaks', () => {
  const evil = structuredClone(bad);
  evil.external.items[0].name = 'x\x1b[2J|<script>alert(1)</script>';
  const term = renderTerminal(evil, { color: false });
  assert.ok(!term.includes('\x1b[2J'));
  const md = renderMarkdown(evil);
  assert.ok(md.includes('x\\\\u001b\\[2J\\|\\<script\\>'), md.split('\n').find((l) => l.includes('script')));
  const html = renderHtml(evil);
  assert.ok(!html.includes('<script>'));
  assert.ok(html.includes('&lt;script&gt;'));
});

test('Markdown has the verdict, evidence and every section', () => {
  const md = renderMarkdown(bad);
  assert.match(md, /^# Investigation of fin-laptop-05 \(10\.1\.0\.5\)$/m);
  assert.match(md, /^## Verdict: CONTAIN \(score \d+\)$/m);
  for (const h of ['External destinations', 'Internal systems', 'DNS', 'Firewall', 'Findings', 'Timeline']) assert.match(md, new RegExp(`^## ${h}`, 'm'));
  const rows = md.split('\n').filter((l) => l.startsWith('| '));
  // Every table row has as many cells as its header.
  let cells = 0;
  for (const l of rows) {
    const n = l.split(/(?<!\\)\|/).length;
    if (l.startsWith('| ---')) assert.equal(n, cells);
    cells = n;
  }
});

test('HTML is one valid self-contained document with inline SVG charts and no external requests', () => {
  for (const r of [bad, good]) {
    const html = renderHtml(r);
    const errors: string[] = [];
    parse(html, { onParseError: (e) => errors.push(`${e.code} at ${e.startLine}:${e.startCol}`) });
    assert.deepEqual(errors, []);
    assert.ok(!/https?:|\/\/[a-z]|\bsrc=|\bhref=|url\(|<script|<link|@import/i.test(html), 'no external references');
    assert.equal((html.match(/<svg /g) ?? []).length, 2);
  }
  const html = renderHtml(bad);
  assert.ok(html.includes('class="verdict contain"'));
  assert.equal((html.match(/<rect /g) ?? []).length, 96 + 8, '96 activity buckets and 8 destinations');
});
