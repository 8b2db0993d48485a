// One golden case per language construct: filter text in, SQL text and parameters out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventTableName } from '../../model/fields.js';
import { duckdbDialect } from '../../store/duckdb/dialect.js';
import { baseCatalog } from '../base-catalog.js';
import { compileRecordFilter } from './filter.js';

function sqlOf(text: string, table: EventTableName = 'connections'): [string, unknown[]] {
  const r = duckdbDialect.render(compileRecordFilter({ text }, baseCatalog(table), duckdbDialect, Date.UTC(2024, 2, 2)).where);
  return [r.text, [...r.params]];
}

const CASES: [string, EventTableName, string, unknown[]][] = [
  // Field comparisons under our, Zeek and ECS names.
  ['resp_p == 443', 'connections', '(t."resp_p" = $1)', [443]],
  ['id.resp_p == 443', 'connections', '(t."resp_p" = $1)', [443]],
  ['destination.port: 443', 'connections', '(t."resp_p" = $1)', [443]],
  ['resp_p >= 1024', 'connections', '(t."resp_p" >= $1)', [1024]],
  ['orig_bytes > 1e6 and duration <= 1.5', 'connections', '((t."orig_bytes" > $1) AND (t."duration" <= $2))', [1e6, 1.5]],
  ['resp_p < 10 or resp_p != 80', 'connections', '((t."resp_p" < $1) OR ((t."resp_p" = $2) IS NOT TRUE))', [10, 80]],
  ['resp_p = 22', 'connections', '(t."resp_p" = $1)', [22]],
  // Text: exact and case-sensitive with ==, case-insensitive with :, wildcards only when unquoted.
  ['conn_state == "SF"', 'connections', '(t."conn_state" = $1)', ['SF']],
  ['query: Example.COM', 'dns', '(lower(t."query") = $1)', ['example.com']],
  ['query: *.Example.com', 'dns', `(lower(t."query") LIKE $1 ESCAPE '\\')`, ['%.example.com']],
  ['query: ?ww.ex*', 'dns', `(lower(t."query") LIKE $1 ESCAPE '\\')`, ['_ww.ex%']],
  ['query: 100%_off*', 'dns', `(lower(t."query") LIKE $1 ESCAPE '\\')`, ['100\\%\\_off%']],
  ['query: "*.example.com"', 'dns', '(lower(t."query") = $1)', ['*.example.com']],
  ['query == "a\\"b\\\\c\\u00e9"', 'dns', '(t."query" = $1)', ['a"b\\cé']],
  ["qtype_name == 'AAAA'", 'dns', '(t."qtype_name" = $1)', ['AAAA']],
  // Addresses: CIDR, equality, lists of both.
  ['resp_h: 10.0.0.0/8', 'connections', '((starts_with(t."resp_h", $1)))', ['10.']],
  ['destination.ip == 192.0.2.7', 'connections', '(t."resp_h" = $1)', ['192.0.2.7']],
  ['resp_h == 2001:DB8:0:0::1', 'connections', '(t."resp_h" = $1)', ['2001:db8::1']],
  ['orig_h in [10.0.0.0/8, 192.168.1.5]', 'connections', '(((starts_with(t."orig_h", $1))) OR (t."orig_h" = $2))', ['10.', '192.168.1.5']],
  ['orig_h: 10.1.2*', 'connections', `(lower(t."orig_h") LIKE $1 ESCAPE '\\')`, ['10.1.2%']],
  // in lists, not in.
  ['resp_p in [80, 443]', 'connections', '(t."resp_p" IN ($1, $2))', [80, 443]],
  ['resp_p not in [80,443]', 'connections', '((t."resp_p" IN ($1, $2)) IS NOT TRUE)', [80, 443]],
  // List fields: any element.
  ['answers: 1.2.3.4', 'dns', '(len(list_filter(t."answers", nj_el -> lower(nj_el) = $1)) > 0)', ['1.2.3.4']],
  ['answers == "1.2.3.4"', 'dns', '(list_contains(t."answers", $1))', ['1.2.3.4']],
  ['ttls > 300', 'dns', '(len(list_filter(t."ttls", nj_el -> nj_el > $1)) > 0)', [300]],
  ['answers: *', 'dns', '(len(t."answers") > 0)', []],
  ['service: *', 'connections', '(t."service" IS NOT NULL)', []],
  // Booleans and times.
  ['rd: true and not aa == F', 'dns', '((t."rd" = $1) AND ((t."aa" = $2) IS NOT TRUE))', [true, false]],
  // A yes/no field alone is true; under not, it is false or unknown.
  ['rd and not AA', 'dns', '((t."rd" = $1) AND ((t."aa" = $2) IS NOT TRUE))', [true, true]],
  ['(local_orig)', 'connections', '(t."local_orig" = $1)', [true]],
  [
    'ts >= 2024-03-01T00:00:00Z and @timestamp < "2024-03-01 12:30:00.5"',
    'connections',
    '((t."ts" >= make_timestamp($1::BIGINT)) AND (t."ts" < make_timestamp($2::BIGINT)))',
    [1709251200000000, 1709296200500000],
  ],
  ['ts > 24h', 'connections', '(t."ts" > make_timestamp($1::BIGINT))', [(Date.UTC(2024, 2, 2) - 86400_000) * 1000]],
  // Boolean logic, symbols, parentheses, negation pushed down.
  [
    '!(resp_p == 1 || resp_p == 2) && orig_p == 3',
    'connections',
    '((((t."resp_p" = $1) IS NOT TRUE) AND ((t."resp_p" = $2) IS NOT TRUE)) AND (t."orig_p" = $3))',
    [1, 2, 3],
  ],
  ['NOT (resp_p == 1 AND orig_p == 2)', 'connections', '(((t."resp_p" = $1) IS NOT TRUE) OR ((t."orig_p" = $2) IS NOT TRUE))', [1, 2]],
  // BPF forms.
  [
    'host 10.0.0.5 and port 53',
    'connections',
    '(((t."orig_h" = $1) OR (t."resp_h" = $2)) AND (((t."ip_proto" IN ($3, $4, $5))) AND ((t."orig_p" = $6) OR (t."resp_p" = $7))))',
    ['10.0.0.5', '10.0.0.5', 6, 17, 132, 53, 53],
  ],
  ['src 10.0.0.5', 'connections', '(t."orig_h" = $1)', ['10.0.0.5']],
  ['10.0.0.5', 'connections', '((t."orig_h" = $1) OR (t."resp_h" = $2))', ['10.0.0.5', '10.0.0.5']],
  ['dst net 10.0.0.0/8', 'connections', '((starts_with(t."resp_h", $1)))', ['10.']],
  ['src host 192.168.0.0/23', 'connections', `((starts_with(t."orig_h", $1) AND TRY_CAST(split_part(t."orig_h", '.', $2) AS INTEGER) BETWEEN $3 AND $4))`, ['192.168.', 3, 0, 1]],
  ['src port 53', 'dns', '(((t."ip_proto" IN ($1, $2, $3))) AND (t."orig_p" = $4))', [6, 17, 132, 53]],
  ['dst port domain', 'connections', '(((t."ip_proto" IN ($1, $2, $3))) AND (t."resp_p" = $4))', [6, 17, 132, 53]],
  [
    'portrange 6000-6010',
    'connections',
    '(((t."ip_proto" IN ($1, $2, $3))) AND ((t."orig_p" BETWEEN $4 AND $5) OR (t."resp_p" BETWEEN $6 AND $7)))',
    [6, 17, 132, 6000, 6010, 6000, 6010],
  ],
  ['proto tcp', 'connections', '((t."ip_proto" = $1))', [6]],
  ['proto 47', 'connections', '((t."ip_proto" = $1))', [47]],
  ['udp', 'connections', '((t."ip_proto" = $1))', [17]],
  ['not proto icmp', 'connections', '(((t."ip_proto" = $1) IS NOT TRUE))', [1]],
  ['icmp6 or sctp', 'connections', '(((t."ip_proto" = $1)) OR ((t."ip_proto" = $2)))', [58, 132]],
  [
    'tcp dst port 443',
    'connections',
    '(((t."ip_proto" = $1)) AND (((t."ip_proto" IN ($2, $3, $4))) AND (t."resp_p" = $5)))',
    [6, 6, 17, 132, 443],
  ],
  ['src or dst 10.0.0.1', 'connections', '((t."orig_h" = $1) OR (t."resp_h" = $2))', ['10.0.0.1', '10.0.0.1']],
  ['src and dst net 10.0.0.0/8', 'connections', '(((starts_with(t."orig_h", $1))) AND ((starts_with(t."resp_h", $2))))', ['10.', '10.']],
  ['host 10.0.0.5 or 10.0.0.6', 'connections', '(((t."orig_h" = $1) OR (t."resp_h" = $2)) OR ((t."orig_h" = $3) OR (t."resp_h" = $4)))', ['10.0.0.5', '10.0.0.5', '10.0.0.6', '10.0.0.6']],
  // BPF: a bare value after and/or inherits the qualifiers of the port primitive before it.
  [
    'udp dst port 53 or 5353',
    'connections',
    '((((t."ip_proto" = $1)) AND (((t."ip_proto" IN ($2, $3, $4))) AND (t."resp_p" = $5))) OR (((t."ip_proto" = $6)) AND (((t."ip_proto" IN ($7, $8, $9))) AND (t."resp_p" = $10))))',
    [17, 6, 17, 132, 53, 17, 6, 17, 132, 5353],
  ],
  // Keywords are case-insensitive; a keyword followed by an operator is a field name.
  ['PROTO: TCP', 'connections', '(lower(t."proto") = $1)', ['tcp']],
  ['Host 10.0.0.5 AND Proto udp', 'connections', '(((t."orig_h" = $1) OR (t."resp_h" = $2)) AND ((t."ip_proto" = $3)))', ['10.0.0.5', '10.0.0.5', 17]],
];

for (const [text, table, want, params] of CASES) {
  test(`golden: ${text}`, () => {
    const [got, gotParams] = sqlOf(text, table);
    assert.equal(got, want);
    assert.deepEqual(gotParams, params);
  });
}

test('golden: IPv6 networks bind the fixed-width hex bounds', () => {
  const [, params] = sqlOf('net 2001:db8::/32');
  assert.deepEqual(params, ['20010db8000000000000000000000000', '20010db8ffffffffffffffffffffffff', '20010db8000000000000000000000000', '20010db8ffffffffffffffffffffffff']);
});

test('golden: the simple options AND in, through the same compiler', () => {
  const r = duckdbDialect.render(
    compileRecordFilter({ text: 'resp_p == 53', hosts: ['10.0.0.0/8'], proto: 'udp', range: { since: 1, until: 2 } }, baseCatalog('connections'), duckdbDialect).where,
  );
  assert.equal(
    r.text,
    '((t."resp_p" = $1) AND ((((starts_with(t."orig_h", $2))) OR ((starts_with(t."resp_h", $3)))) AND ((t."ip_proto" = $4))) AND (t."ts" >= make_timestamp($5::BIGINT)) AND (t."ts" < make_timestamp($6::BIGINT)))',
  );
  assert.deepEqual(r.params, [53, '10.', '10.', 17, 1, 2]);
});
