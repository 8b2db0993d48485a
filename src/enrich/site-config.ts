/**
 * Loads `nightjar.yaml`: finds it (`--config`, `$NIGHTJAR_CONFIG`, `./nightjar.yaml`, else built-in
 * defaults), validates it against the schema, imports the asset CSV it names, and returns one frozen
 * `SiteConfig`. Every problem is reported at once with the file and line it is on, so a user fixes the
 * file in one pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { NightjarError } from '../model/errors.js';
import { parseCidr } from '../query/cidr-sql.js';
import { normalAddress } from './asset-address.js';
import { parseAssetsCsv, toAsset } from './assets-csv.js';
import { DEFAULT_ZONES, siteConfigSchema, type EnrichmentConfig, type SiteConfigInput } from './site-config-schema.js';
import type { Asset, Subnet, Zone } from './site-model.js';

/** A named sensor or flow exporter. */
export interface Sensor {
  readonly id: string;
  readonly name: string;
  readonly address: string | null;
}

/** The validated site configuration, frozen. */
export interface SiteConfig {
  /** The file it came from, or null when the built-in defaults are in use. */
  readonly source: string | null;
  readonly zones: readonly Zone[];
  readonly subnets: readonly Subnet[];
  readonly assets: readonly Asset[];
  readonly sanctionedResolvers: readonly string[];
  readonly sensors: readonly Sensor[];
  readonly enrichment: EnrichmentConfig;
}

/** A site config that failed validation: every problem, each naming its file and line. */
export class SiteConfigError extends NightjarError {
  readonly problems: readonly string[];
  constructor(file: string, problems: readonly string[]) {
    super('NJ_CONFIG', `${file} is invalid:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

/** The default config file name, looked for in the current directory. */
export const DEFAULT_CONFIG = 'nightjar.yaml';

/** Where the config comes from: an explicit path, `$NIGHTJAR_CONFIG`, `./nightjar.yaml`, or none (defaults). */
export function configLocation(explicit?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { path: string | null; required: boolean } {
  if (explicit) return { path: explicit, required: true };
  if (env.NIGHTJAR_CONFIG) return { path: env.NIGHTJAR_CONFIG, required: true };
  const local = path.join(cwd, DEFAULT_CONFIG);
  return fs.existsSync(local) ? { path: local, required: true } : { path: null, required: false };
}

/** Loads the site config a command should use (see configLocation). */
export function loadSiteConfig(explicit?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SiteConfig {
  const where = configLocation(explicit, env, cwd);
  if (where.path === null) return defaultSiteConfig();
  let text: string;
  try {
    text = fs.readFileSync(where.path, 'utf8');
  } catch (err) {
    throw new NightjarError('NJ_CONFIG', `cannot read the site config ${where.path}: ${(err as Error).message} (check --config or $NIGHTJAR_CONFIG)`, { cause: err });
  }
  return parseSiteConfig(text, where.path);
}

/** The configuration used when there is no file: default zones and nothing else. */
export function defaultSiteConfig(): SiteConfig {
  return finish(null, siteConfigSchema.parse({}), []);
}

/** Validates config text; `file` names it in messages and anchors a relative `assets_csv`. */
export function parseSiteConfig(text: string, file: string): SiteConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): string => (offset === undefined ? file : `${file}:${lines.linePos(offset).line}`);
  if (doc.errors.length > 0) throw new SiteConfigError(file, doc.errors.map((e) => `${at(e.pos[0])}: ${e.message.split('\n')[0]}`));
  const data: unknown = doc.toJS() ?? {};
  const parsed = siteConfigSchema.safeParse(data);
  if (!parsed.success) throw new SiteConfigError(file, parsed.error.issues.map((i) => describeIssue(i, doc, at)));
  const problems = crossCheck(parsed.data).map((p) => `${at(offsetOf(doc, p.path))}: ${pathText(p.path)}: ${p.message}`);
  let csvAssets: Asset[] = [];
  if (parsed.data.assets_csv !== undefined) {
    const csvPath = path.resolve(path.dirname(file), parsed.data.assets_csv);
    let csv: string;
    try {
      csv = fs.readFileSync(csvPath, 'utf8');
    } catch (err) {
      problems.push(`${at(offsetOf(doc, ['assets_csv']))}: assets_csv: cannot read ${csvPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      csv = '';
    }
    const result = parseAssetsCsv(csv);
    csvAssets = result.assets;
    problems.push(...result.problems.map((p) => `${csvPath}:${p.line}: ${p.message}`));
  }
  if (problems.length > 0) throw new SiteConfigError(file, problems);
  return finish(file, parsed.data, csvAssets);
}

type Path = readonly PropertyKey[];

function pathText(p: Path): string {
  let s = '';
  for (const k of p) s += typeof k === 'number' ? `[${k}]` : `${s ? '.' : ''}${String(k)}`;
  return s || '(top level)';
}

/** Start offset of the YAML node at a path (the nearest existing ancestor when it is missing). */
function offsetOf(doc: Document, p: Path): number | undefined {
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return node.range[0];
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, at: (o: number | undefined) => string): string {
  if (issue.code === 'unrecognized_keys') {
    const node = doc.getIn(issue.path as unknown[], true);
    const allowed = allowedKeys(issue.path);
    return issue.keys
      .map((k) => {
        let offset = offsetOf(doc, issue.path);
        if (isMap(node)) {
          const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === k);
          const r = (pair?.key as { range?: [number, number, number] } | null)?.range;
          if (r) offset = r[0];
        }
        const near = closest(k, allowed);
        return `${at(offset)}: ${pathText(issue.path)}: unknown key "${k}"${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${allowed.join(', ')}`;
      })
      .join('\n  ');
  }
  const node = doc.getIn(issue.path as unknown[], true);
  if (issue.code === 'invalid_type' && node === undefined) {
    const key = issue.path[issue.path.length - 1];
    return `${at(offsetOf(doc, issue.path))}: ${pathText(issue.path.slice(0, -1))}: missing required key "${String(key)}"`;
  }
  const shown = node !== undefined && !isMap(node) && !isSeq(node) ? ` (${JSON.stringify(doc.getIn(issue.path as unknown[]))})` : '';
  return `${at(offsetOf(doc, issue.path))}: ${pathText(issue.path)}: ${issue.message}${shown}`;
}

/** The keys the schema allows at a path (for unknown-key messages). */
function allowedKeys(p: Path): string[] {
  let s: z.ZodType = siteConfigSchema;
  for (const k of p) {
    s = unwrap(s);
    const def = (s as unknown as { def: { type: string; element?: z.ZodType; shape?: Record<string, z.ZodType> } }).def;
    if (def.type === 'array' && typeof k === 'number' && def.element) s = def.element;
    else if (def.type === 'object' && def.shape && typeof k === 'string' && def.shape[k]) s = def.shape[k];
    else return [];
  }
  const def = (unwrap(s) as unknown as { def: { shape?: Record<string, unknown> } }).def;
  return def.shape ? Object.keys(def.shape) : [];
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s as unknown as { def: { type: string; innerType?: unknown } };
  while (['optional', 'default', 'prefault', 'nullable'].includes(cur.def.type) && cur.def.innerType) cur = cur.def.innerType as typeof cur;
  return cur as unknown as z.ZodType;
}

/** The allowed key nearest a misspelling (edit distance at most 2), if any. */
function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) [best, bestD] = [o, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** Checks that span entries: unique names, subnets naming zones that exist. */
function crossCheck(c: SiteConfigInput): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  const zoneNames = new Set<string>();
  (c.zones ?? []).forEach((z, i) => {
    if (zoneNames.has(z.name)) out.push({ path: ['zones', i, 'name'], message: `zone "${z.name}" is defined twice` });
    zoneNames.add(z.name);
  });
  const known = c.zones ? zoneNames : new Set(DEFAULT_ZONES.map((z) => z.name));
  c.subnets.forEach((s, i) => {
    if (s.zone !== undefined && !known.has(s.zone)) {
      out.push({ path: ['subnets', i, 'zone'], message: `no zone named "${s.zone}" (zones: ${[...known].join(', ')})` });
    }
  });
  const sensorIds = new Set<string>();
  c.sensors.forEach((s, i) => {
    if (sensorIds.has(s.id)) out.push({ path: ['sensors', i, 'id'], message: `sensor id "${s.id}" is defined twice` });
    sensorIds.add(s.id);
  });
  return out;
}

function finish(source: string | null, c: SiteConfigInput, csvAssets: readonly Asset[]): SiteConfig {
  const zones: Zone[] = (c.zones ?? DEFAULT_ZONES).map((z) => ({
    name: z.name,
    networks: z.networks.map((n) => parseCidr(n).text),
    internal: z.internal,
  }));
  const subnets: Subnet[] = c.subnets.map((s) => ({ name: s.name, cidr: parseCidr(s.cidr).text, zone: s.zone ?? null }));
  const assets: Asset[] = [
    ...c.assets.map(toAsset),
    ...csvAssets,
  ];
  return deepFreeze({
    source,
    zones,
    subnets,
    assets,
    sanctionedResolvers: c.sanctioned_resolvers.map(normalAddress),
    sensors: c.sensors.map((s) => ({ id: s.id, name: s.name, address: s.address === undefined ? null : normalAddress(s.address) })),
    enrichment: { ...c.enrichment },
  });
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
