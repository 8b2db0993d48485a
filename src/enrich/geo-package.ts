/**
 * The offline country and ASN database shipped as npm packages: `@ip-location-db/geo-whois-asn-country`
 * (country: RIR whois, geofeeds and ASN data, CC BY 4.0 by the NRO) and `@ip-location-db/asn`
 * (ASN and organisation: RouteViews, the RIRs and DB-IP, CC BY 4.0). Their numeric CSVs are streamed
 * line by line into range tables once, then kept as a compact binary cache (built in seconds, loaded
 * in milliseconds), keyed by the packages' versions so an upgrade rebuilds it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { buildRangeTable, lookupV4, lookupV6, type RangeInput, type RangeTable } from './range-table.js';
import { addressWords, type GeoAnswer, type GeoSource } from './geo-answer.js';

const require = createRequire(import.meta.url);

/** The npm packages the built-in database comes from. */
export const GEO_PACKAGES = { country: '@ip-location-db/geo-whois-asn-country', asn: '@ip-location-db/asn' } as const;

function packageDir(name: string): { dir: string; version: string } {
  const pj = require.resolve(`${name}/package.json`);
  return { dir: path.dirname(pj), version: (JSON.parse(fs.readFileSync(pj, 'utf8')) as { version: string }).version };
}

/** The tables of the built-in database. */
interface Tables {
  countries: string[];
  asNumbers: Uint32Array;
  asOrgs: string[];
  countryV4: RangeTable;
  countryV6: RangeTable;
  asnV4: RangeTable;
  asnV6: RangeTable;
}

/** Streams a numeric CSV (`start,end,rest...`) into ranges; `value` maps the rest to a value index. */
async function readRanges(file: string, value: (rest: string) => number): Promise<RangeInput[]> {
  const out: RangeInput[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    if (c1 < 0 || c2 < 0) continue;
    try {
      out.push({ start: BigInt(line.slice(0, c1)), end: BigInt(line.slice(c1 + 1, c2)), value: value(line.slice(c2 + 1)) });
    } catch {
      // A malformed line in the package's data: skip it (the rest of the table is still right).
    }
  }
  return out;
}

/** Builds the tables from the packages' CSV files. */
async function buildTables(): Promise<Tables> {
  const countries: string[] = [];
  const countryIdx = new Map<string, number>();
  const country = (rest: string): number => {
    const cc = rest.trim().toUpperCase();
    let i = countryIdx.get(cc);
    if (i === undefined) {
      i = countries.length;
      countries.push(cc);
      countryIdx.set(cc, i);
    }
    return i;
  };
  const asNumbers: number[] = [];
  const asOrgs: string[] = [];
  const asIdx = new Map<string, number>();
  const asn = (rest: string): number => {
    let i = asIdx.get(rest);
    if (i === undefined) {
      const c = rest.indexOf(',');
      const num = Number(c < 0 ? rest : rest.slice(0, c));
      let org = c < 0 ? '' : rest.slice(c + 1);
      if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replace(/""/g, '"');
      i = asNumbers.length;
      asNumbers.push(num);
      asOrgs.push(org);
      asIdx.set(rest, i);
    }
    return i;
  };
  const c = packageDir(GEO_PACKAGES.country).dir;
  const a = packageDir(GEO_PACKAGES.asn).dir;
  const countryV4 = buildRangeTable(32, await readRanges(path.join(c, 'geo-whois-asn-country-ipv4-num.csv'), country));
  const countryV6 = buildRangeTable(128, await readRanges(path.join(c, 'geo-whois-asn-country-ipv6-num.csv'), country));
  const asnV4 = buildRangeTable(32, await readRanges(path.join(a, 'asn-ipv4-num.csv'), asn));
  const asnV6 = buildRangeTable(128, await readRanges(path.join(a, 'asn-ipv6-num.csv'), asn));
  return { countries, asNumbers: Uint32Array.from(asNumbers), asOrgs, countryV4, countryV6, asnV4, asnV6 };
}

/** Marks the cache format; a change of layout changes it. */
const MAGIC = 'nightjar-geo-1';

const ARRAYS = ['countryV4', 'countryV6', 'asnV4', 'asnV6'] as const;

/** Serialises the tables: a JSON header (strings, array lengths) then the typed arrays, 8-byte aligned. */
function serialise(t: Tables): Buffer {
  const arrays: ArrayBufferView[] = [t.asNumbers];
  for (const k of ARRAYS) arrays.push(t[k].starts, t[k].ends, t[k].values);
  const header = Buffer.from(JSON.stringify({ magic: MAGIC, countries: t.countries, asOrgs: t.asOrgs, lengths: arrays.map((x) => x.byteLength) }));
  const pad = (n: number) => (8 - (n % 8)) % 8;
  const parts: Buffer[] = [Buffer.alloc(8), header, Buffer.alloc(pad(header.length))];
  parts[0].writeUInt32LE(header.length, 0);
  for (const x of arrays) parts.push(Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.alloc(pad(x.byteLength)));
  return Buffer.concat(parts);
}

function deserialise(buf: Buffer): Tables {
  const hlen = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(8, 8 + hlen).toString('utf8')) as { magic: string; countries: string[]; asOrgs: string[]; lengths: number[] };
  const total = header.lengths.reduce((n, len) => n + len + ((8 - (len % 8)) % 8), 8 + hlen + ((8 - (hlen % 8)) % 8));
  if (header.magic !== MAGIC || total !== buf.length) throw new Error('not a complete geo cache');
  let off = 8 + hlen + ((8 - (hlen % 8)) % 8);
  const take = (len: number): ArrayBuffer => {
    const ab = buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + len) as ArrayBuffer;
    off += len + ((8 - (len % 8)) % 8);
    return ab;
  };
  const L = header.lengths;
  const asNumbers = new Uint32Array(take(L[0]));
  const table = (i: number, bits: 32 | 128): RangeTable => {
    const s = take(L[i]);
    const e = take(L[i + 1]);
    const v = take(L[i + 2]);
    return bits === 32
      ? { bits, starts: new Uint32Array(s), ends: new Uint32Array(e), values: new Uint32Array(v) }
      : { bits, starts: new BigUint64Array(s), ends: new BigUint64Array(e), values: new Uint32Array(v) };
  };
  return { countries: header.countries, asOrgs: header.asOrgs, asNumbers, countryV4: table(1, 32), countryV6: table(4, 128), asnV4: table(7, 32), asnV6: table(10, 128) };
}

/** Where compiled caches live: `$NIGHTJAR_CACHE_DIR`, else `$XDG_CACHE_HOME/nightjar`, else `~/.cache/nightjar`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NIGHTJAR_CACHE_DIR) return env.NIGHTJAR_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'nightjar');
}

/** The built-in database: answers from the packages' tables. */
class PackageGeo implements GeoSource {
  readonly name: string;
  constructor(
    private readonly t: Tables,
    versions: string,
  ) {
    this.name = `built-in ip-location-db ${versions}`;
  }

  lookup(address: string): GeoAnswer {
    const w = addressWords(address);
    if (w === null) return { country: null, asn: null, as_org: null };
    const c = w.v4 !== undefined ? lookupV4(this.t.countryV4, w.v4) : lookupV6(this.t.countryV6, w.hi, w.lo);
    const a = w.v4 !== undefined ? lookupV4(this.t.asnV4, w.v4) : lookupV6(this.t.asnV6, w.hi, w.lo);
    return {
      country: c >= 0 ? this.t.countries[c] : null,
      asn: a >= 0 && this.t.asNumbers[a] > 0 ? this.t.asNumbers[a] : null,
      as_org: a >= 0 && this.t.asOrgs[a] !== '' ? this.t.asOrgs[a] : null,
    };
  }
}

let loaded: Promise<GeoSource> | undefined;

/** Opens the built-in database (once per process), from the cache when it is there. */
export function openPackageGeo(env: NodeJS.ProcessEnv = process.env): Promise<GeoSource> {
  loaded ??= (async () => {
    const versions = `${packageDir(GEO_PACKAGES.country).version}+${packageDir(GEO_PACKAGES.asn).version}`;
    const file = path.join(cacheDir(env), `geo-${versions}.bin`);
    try {
      return new PackageGeo(deserialise(fs.readFileSync(file)), versions);
    } catch {
      // No cache yet (or a damaged one): build it.
    }
    const tables = await buildTables();
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, serialise(tables));
      fs.renameSync(tmp, file);
    } catch {
      // An unwritable cache only costs the build again next time.
    }
    return new PackageGeo(tables, versions);
  })();
  return loaded;
}
