/**
 * Test support for the cloud decoders: fixture loading and reading `extra` back as an object.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestValue } from '../testing.js';

/** Reads a fixture of test/fixtures/cloud (tests run with the repository root as working directory). */
export function fixture(name: string): Buffer {
  return readFileSync(join(process.cwd(), 'test', 'fixtures', 'cloud', name));
}

/** A row's `extra` JSON parsed, or an empty object when it has none. */
export function extraOf(row: Record<string, TestValue>): Record<string, unknown> {
  return typeof row.extra === 'string' ? (JSON.parse(row.extra) as Record<string, unknown>) : {};
}

/** Microseconds since the epoch of an ISO-8601 time. */
export function isoMicros(iso: string): number {
  return Date.parse(iso) * 1000;
}

/** An Elastic expected-output file: its list of ECS documents. */
export function expectedDocs(name: string): Record<string, unknown>[] {
  return (JSON.parse(fixture(name).toString('utf8')) as { expected: Record<string, unknown>[] }).expected;
}

/** A value at a dotted path of a nested object. */
export function at(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const p of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}
