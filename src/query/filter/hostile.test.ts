// Mistakes and hostile filters: clean NJ_QUERY errors pointing at the fault, or literal matching; never
// executed SQL, a stack overflow or a hang.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { CONNECTIONS, DNS } from '../../model/fields.js';
import { duckdbDialect } from '../../store/duckdb/dialect.js';
import { sql } from '../../store/sql.js';
import { baseCatalog } from '../base-catalog.js';
import { FilterError } from './filter-error.js';
import { compileRecordFilter } from './filter.js';
import { MAX_FILTER_LENGTH } from './lexer.js';
import { parseFilter } from './parser.js';

function fails(text: string, table: 'connections' | 'dns' = 'connections'): FilterError {
  try {
    compileRecordFilter({ text }, baseCatalog(table), duckdbDialect);
  } catch (err) {
    assert.ok(err instanceof FilterError, `expected a FilterError for ${text.slice(0, 50)}, got ${String(err)}`);
    assert.equal(err.code, 'NJ_QUERY');
    assert.equal(err.exitCode, 2);
    return err;
  }
  assert.fail(`accepted: ${text.slice(0, 80)}`);
}

/** The caret line drawn under the fault, without its indentation. */
function carets(e: FilterError): string {
  return e.message.split('\n').pop()!.trim();
}

test('a misspelt qualifier gets a caret under the word and a suggestion', () => {
  const e = fails('dst porrt 53');
  assert.equal(e.pos, 4);
  assert.equal(e.end, 9);
  assert.match(e.reason, /did you mean port\?/);
  assert.equal(e.message.split('\n')[1], '  dst porrt 53');
  assert.equal(e.message.split('\n')[2], '      ^^^^^');
});

test('unknown fields suggest the nearest names from the catalog', () => {
  assert.match(fails('reps_h == 10.0.0.1').reason, /no field "reps_h"; did you mean resp_h\?/);
  assert.match(fails('id.resp_pp == 1').reason, /did you mean id\.resp_p/);
  assert.match(fails('qurey: example.com', 'dns').reason, /did you mean query\?/);
  assert.match(fails('query: example.com').reason, /connections has no field "query"/);
});

test('values of the wrong type say what was expected', () => {
  assert.match(fails('resp_p: https').reason, /resp_p holds numbers; "https" is not a number/);
  assert.match(fails('resp_h: example.com').reason, /not an address or a CIDR/);
  assert.match(fails('ts > yesterday').reason, /ts holds times/);
  assert.match(fails('rd: maybe', 'dns').reason, /true or false/);
  assert.match(fails('query > "a"', 'dns').reason, /> compares numbers and times; query holds text/);
  assert.match(fails('resp_p: 44*').reason, /wildcards match text/);
  assert.match(fails('port 70000').reason, /not a port/);
  assert.match(fails('portrange 10-5').reason, /runs backwards/);
  assert.match(fails('proto tcpp').reason, /not a protocol/);
  assert.match(fails('net 10.0.0.0/33').reason, /not an address or a CIDR/);
  assert.match(fails('host foo').reason, /"foo" is not an address/);
  assert.match(fails('port 53 or host 10.0.0.1 or 80').reason, /"80" is not a field comparison/);
  // A lone word is a yes/no field only when it names one.
  assert.match(fails('orig_bytes').reason, /orig_bytes holds numbers?, not yes\/no/);
  assert.match(fails('not local_orgi').reason, /"local_orgi" is not a field comparison, a yes\/no field or a BPF primitive; did you mean local_orig/);
  assert.match(fails('hots 10.0.0.1').reason, /did you mean host/);
  assert.match(fails('hots').reason, /did you mean host/);
});

test('syntax errors point at the token', () => {
  assert.throws(() => parseFilter('  '), /the filter is empty/);
  assert.match(fails('(resp_p == 1').reason, /never closed/);
  assert.match(fails('resp_p == 1)').reason, /closes nothing/);
  assert.match(fails('resp_p == 1 resp_p == 2').reason, /expected "and" or "or"/);
  assert.match(fails('resp_p ==').reason, /expected a value/);
  assert.match(fails('resp_p in [1, 2').reason, /never closed/);
  assert.match(fails('resp_p in 1').reason, /expected \[/);
  assert.match(fails('query: "abc', 'dns').reason, /never ends/);
  assert.match(fails('query: "a\\qb"', 'dns').reason, /unknown escape/);
  assert.match(fails('resp_p == 1 & orig_p == 2').reason, /single &/);
  assert.match(fails('"quoted"').reason, /needs a field/);
  const e = fails('resp_p == 1 and frobnicate');
  assert.equal(carets(e), '^^^^^^^^^^');
});

test('limits: length, nesting depth and list size end in clean errors', () => {
  const long = `query: "${'a'.repeat(1 << 20)}"`;
  const e = fails(long, 'dns');
  assert.match(e.reason, new RegExp(`longer than ${MAX_FILTER_LENGTH}`));
  assert.ok(e.message.length < 400, 'the error does not echo a megabyte');
  assert.match(fails(`${'('.repeat(10_000)}resp_p == 1${')'.repeat(10_000)}`).reason, /longer than|nests deeper/);
  assert.match(fails(`${'('.repeat(10_000)}resp_p == 1`).reason, /nests deeper than 64/);
  assert.match(fails(`${'('.repeat(5_000)}resp_p == 1${')'.repeat(5_000)}`).reason, /nests deeper than 64/);
  assert.match(fails(`${'not '.repeat(3000)}resp_p == 1`).reason, /nests deeper than 64/);
  assert.match(fails(`${'!'.repeat(3000)}resp_p == 1`).reason, /nests deeper than 64/);
  assert.match(fails(`resp_p in [${Array.from({ length: 1001 }, (_, i) => i).join(',')}]`).reason, /at most 1000/);
  // Within the limits, long flat filters compile.
  compileRecordFilter({ text: Array.from({ length: 800 }, (_, i) => `resp_p == ${i}`).join(' or ') }, baseCatalog('connections'), duckdbDialect);
});

test('SQL in a filter is a value (matched literally) or an error, and nothing runs', async () => {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  await con.run(duckdbDialect.createTable(CONNECTIONS));
  await con.run(duckdbDialect.createTable(DNS));
  const evil = [
    `x'; DROP TABLE dns; --`,
    `"; DROP TABLE dns; --`,
    `x') OR 1=1 --`,
    `/* comment */ a`,
    `%' OR '%'='`,
    `a\\'b`,
    `日本語.例え.jp`,
    `\u202e\u0000nul`,
    `$1`,
  ];
  await con.run(`INSERT INTO dns (ts, query) VALUES (now(), 'plain.example'), ${evil.map((_, i) => `(now(), $${i + 1})`).join(', ')}`, evil);
  for (const v of evil) {
    const text = `query == "${v.replace(/["\\]/g, '\\$&')}"`;
    const c = compileRecordFilter({ text }, baseCatalog('dns'), duckdbDialect);
    const r = duckdbDialect.render(sql`SELECT query FROM ${c.from} WHERE ${c.where}`);
    const rows = (await con.runAndReadAll(r.text, r.params as never)).getRowObjects();
    assert.deepEqual(rows.map((x) => x.query), [v], text);
    if (/['";]/.test(v)) assert.ok(!r.text.includes(v), 'the value is not in the SQL text');
  }
  // Bare words with SQL punctuation are values too (or errors), never SQL.
  for (const text of ["query: x';DROP", 'query: --', 'query: a;b', 'query: 1=1', 'resp_h; DROP TABLE dns']) {
    try {
      const c = compileRecordFilter({ text }, baseCatalog('dns'), duckdbDialect);
      const r = duckdbDialect.render(sql`SELECT count(*) AS n FROM ${c.from} WHERE ${c.where}`);
      await con.runAndReadAll(r.text, r.params as never);
    } catch (err) {
      assert.ok(err instanceof FilterError, `${text}: ${String(err)}`);
    }
  }
  const still = (await con.runAndReadAll('SELECT count(*) AS n FROM dns')).getRowObjects();
  assert.equal(Number(still[0].n), evil.length + 1);
  con.closeSync();
});

test('unicode: letters in values, odd spaces between tokens, carets count characters', () => {
  compileRecordFilter({ text: 'query:\u00a0*.bücher.example' }, baseCatalog('dns'), duckdbDialect);
  const e = fails('query: 例え and größe == 1', 'dns');
  assert.match(e.reason, /no field "größe"/);
  assert.equal(carets(e), '^^^^^');
});
