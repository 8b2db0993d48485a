/**
 * Imports an asset inventory from CSV: columns address-or-CIDR, hostname, owner, role, criticality,
 * tags (tags separated by `;` or `|`). A header row naming the columns may reorder them; without one
 * the columns are taken in that order. Every bad row is reported with its line number.
 */
import type { z } from 'zod';
import { CRITICALITIES, assetSchema } from './site-config-schema.js';
import { normalAssetAddress } from './asset-address.js';
import { parseCsvRows, type CsvProblem } from './csv-rows.js';
import type { Asset } from './site-model.js';

type Column = 'address' | 'hostname' | 'owner' | 'role' | 'criticality' | 'tags';

const ORDER: readonly Column[] = ['address', 'hostname', 'owner', 'role', 'criticality', 'tags'];

/** Header names accepted for each column (lower case). */
const HEADER_NAMES: Record<string, Column> = {
  address: 'address',
  ip: 'address',
  cidr: 'address',
  'address-or-cidr': 'address',
  network: 'address',
  hostname: 'hostname',
  host: 'hostname',
  name: 'hostname',
  owner: 'owner',
  role: 'role',
  criticality: 'criticality',
  tags: 'tags',
};

/** An asset from its validated input form, the address normalised as records store it. */
export function toAsset(a: z.output<typeof assetSchema>): Asset {
  return {
    address: normalAssetAddress(a.address),
    hostname: a.hostname ?? null,
    owner: a.owner ?? null,
    role: a.role ?? null,
    criticality: a.criticality ?? null,
    tags: a.tags,
  };
}

/** Parses the inventory; returns the valid assets and a problem per bad row. */
export function parseAssetsCsv(text: string): { assets: Asset[]; problems: CsvProblem[] } {
  const { rows, problems } = parseCsvRows(text);
  const assets: Asset[] = [];
  let columns: readonly (Column | null)[] = ORDER;
  let body = rows;
  const first = rows[0];
  if (first && first.cells.some((c) => HEADER_NAMES[c.toLowerCase()] !== undefined)) {
    columns = first.cells.map((c) => HEADER_NAMES[c.toLowerCase()] ?? null);
    const unknown = first.cells.filter((c) => HEADER_NAMES[c.toLowerCase()] === undefined);
    if (unknown.length > 0) {
      problems.push({ line: first.line, message: `unknown column ${unknown.map((u) => `"${u}"`).join(', ')} (columns: ${ORDER.join(', ')})` });
    }
    if (!columns.includes('address')) problems.push({ line: first.line, message: 'the header names no address column' });
    body = rows.slice(1);
  }
  for (const row of body) {
    if (row.cells.length > columns.length) {
      problems.push({ line: row.line, message: `${row.cells.length} columns, expected at most ${columns.length}` });
      continue;
    }
    const rec: Partial<Record<Column, string>> = {};
    row.cells.forEach((cell, i) => {
      const col = columns[i];
      if (col && cell !== '') rec[col] = cell;
    });
    const candidate = {
      address: rec.address ?? '',
      ...(rec.hostname ? { hostname: rec.hostname } : {}),
      ...(rec.owner ? { owner: rec.owner } : {}),
      ...(rec.role ? { role: rec.role } : {}),
      ...(rec.criticality ? { criticality: rec.criticality.toLowerCase() } : {}),
      tags: rec.tags ? rec.tags.split(/[;|]/).map((t) => t.trim()).filter((t) => t !== '') : [],
    };
    const parsed = assetSchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue.path[0] ?? 'row');
      const v = (candidate as Record<string, unknown>)[field];
      const value = v !== undefined && v !== '' ? ` "${String(v)}"` : '';
      const why = field === 'criticality' ? `must be one of ${CRITICALITIES.join(', ')}` : field === 'address' && candidate.address === '' ? 'missing' : issue.message;
      problems.push({ line: row.line, message: `${field}${value}: ${why}` });
      continue;
    }
    assets.push(toAsset(parsed.data));
  }
  problems.sort((a, b) => a.line - b.line);
  return { assets, problems };
}
