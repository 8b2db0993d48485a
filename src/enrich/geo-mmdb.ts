/**
 * A MaxMind-format database (`.mmdb`) the user loads with `nightjar geo load`: GeoLite2/GeoIP2
 * Country, City or ASN, DB-IP, IPinfo and ip-location-db builds all share the format; read with the
 * `maxmind` package. Kept beside the store (`<db>.geo/`), one file per kind, where it takes precedence
 * over the built-in data for the answers it holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Reader } from 'maxmind';
import { NightjarError } from '../model/errors.js';
import type { GeoAnswer, GeoSource } from './geo-answer.js';

/** What a database answers: country, ASN, or both. */
export type MmdbKind = 'country' | 'asn' | 'both';

type Rec = Record<string, unknown>;

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The answer a record holds, whichever of the common layouts it uses. */
export function answerOf(rec: Rec | null): GeoAnswer {
  if (!rec) return { country: null, asn: null, as_org: null };
  const iso = (k: string) => str((rec[k] as Rec | undefined)?.iso_code);
  const country = iso('country') ?? iso('registered_country') ?? str(rec.country_code) ?? str(rec.country);
  const rawAsn = rec.autonomous_system_number ?? rec.asn;
  const asn = typeof rawAsn === 'number' ? rawAsn : typeof rawAsn === 'string' && /^(AS)?\d+$/i.test(rawAsn) ? Number(rawAsn.replace(/^AS/i, '')) : null;
  const org = str(rec.autonomous_system_organization) ?? str(rec.as_name) ?? str(rec.as_organization);
  return { country: country === null ? null : country.toUpperCase(), asn, as_org: org };
}

/** An opened MMDB: what it answers and its description. */
export class MmdbSource implements GeoSource {
  readonly name: string;
  readonly kind: MmdbKind;
  constructor(
    private readonly reader: Reader<Rec>,
    file: string,
  ) {
    const m = reader.metadata;
    this.name = `${m.databaseType} built ${m.buildEpoch.toISOString().slice(0, 10)} (${file})`;
    this.kind = kindOf(reader);
  }

  lookup(address: string): GeoAnswer {
    try {
      return answerOf(this.reader.get(address.trim()));
    } catch {
      // An IPv6 address in an IPv4-only database, or text that is no address: no answer.
      return { country: null, asn: null, as_org: null };
    }
  }
}

function kindOf(reader: Reader<Rec>): MmdbKind {
  const type = reader.metadata.databaseType.toLowerCase();
  if (type.includes('asn')) return 'asn';
  if (type.includes('country') || type.includes('city')) return 'country';
  // Unknown type names: look at what a well-known address's record holds.
  let hasCountry = false;
  let hasAsn = false;
  for (const probe of ['8.8.8.8', '1.1.1.1', '9.9.9.9', '2001:4860:4860::8888', '2606:4700:4700::1111']) {
    let a: GeoAnswer;
    try {
      a = answerOf(reader.get(probe));
    } catch {
      continue;
    }
    hasCountry ||= a.country !== null;
    hasAsn ||= a.asn !== null;
  }
  return hasCountry && hasAsn ? 'both' : hasAsn ? 'asn' : 'country';
}

/** Reads and checks an MMDB file; throws a NightjarError naming the file when it is not one. */
export function readMmdb(file: string): MmdbSource {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw new NightjarError('NJ_INPUT_UNREADABLE', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  try {
    return new MmdbSource(new Reader<Rec>(buf), file);
  } catch (err) {
    throw new NightjarError('NJ_INPUT_UNRECOGNISED', `${file} is not a MaxMind-format database (.mmdb): ${(err as Error).message}`, { cause: err });
  }
}

/** The directory loaded databases live in, beside the store (null for an in-memory store). */
export function geoDataDir(storeLocation: string): string | null {
  return storeLocation === ':memory:' ? null : `${path.resolve(storeLocation)}.geo`;
}

/** Copies a checked database into the data directory as the one of its kind; returns where it went. */
export function installMmdb(file: string, storeLocation: string): { source: MmdbSource; path: string } {
  const source = readMmdb(file);
  const dir = geoDataDir(storeLocation);
  if (dir === null) throw new NightjarError('NJ_USAGE', 'an in-memory store has no place to keep a database; give --db PATH');
  fs.mkdirSync(dir, { recursive: true });
  const dest = path.join(dir, `${source.kind}.mmdb`);
  const tmp = `${dest}.${process.pid}.tmp`;
  fs.copyFileSync(file, tmp);
  fs.renameSync(tmp, dest);
  // A combined database replaces single-kind ones loaded before it (and they would shadow it).
  if (source.kind === 'both') for (const k of ['country', 'asn']) fs.rmSync(path.join(dir, `${k}.mmdb`), { force: true });
  return { source, path: dest };
}

/** The loaded databases, by the kind of answer they give (each may be missing). */
export function loadedMmdbs(storeLocation: string): { country: MmdbSource | null; asn: MmdbSource | null } {
  const dir = geoDataDir(storeLocation);
  const open = (k: MmdbKind): MmdbSource | null => {
    const f = dir === null ? null : path.join(dir, `${k}.mmdb`);
    return f !== null && fs.existsSync(f) ? readMmdb(f) : null;
  };
  const both = open('both');
  return { country: open('country') ?? both, asn: open('asn') ?? both };
}
