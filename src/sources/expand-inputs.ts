/**
 * Turns the paths a user typed into the list of inputs to read: files as given, directories walked
 * recursively (hidden entries and files still being written or not telemetry skipped, see
 * `skippedInWalk`), glob patterns (`*`, `?`, `**`, `[...]`) matched here for shells
 * that did not expand them, and `-` for standard input. Node 20 has no fs.glob, hence the small matcher.
 */
import fs from 'node:fs';
import path from 'node:path';

/** One input to read: a file path, or standard input. */
export type InputRef = { kind: 'file'; path: string } | { kind: 'stdin' };

/** An argument that matched nothing or could not be listed. */
export interface InputProblem {
  arg: string;
  message: string;
}

const GLOB_CHARS = /[*?[]/;

/**
 * Files a directory walk or a glob leaves out (named on their own, they are read): nfcapd's file still
 * being written (`nfcapd.current.PID`, renamed to `nfcapd.YYYYMMDDhhmm` when it is complete: taking both
 * would store its flows twice), and DuckDB store files, e.g. when a store lives in the directory ingested.
 */
export function skippedInWalk(name: string): boolean {
  return name.startsWith('nfcapd.current.') || name.endsWith('.duckdb') || name.endsWith('.duckdb.wal');
}

/** Expands user arguments into inputs, in a stable order, with problems listed rather than thrown. */
export function expandInputs(args: readonly string[]): { inputs: InputRef[]; problems: InputProblem[] } {
  const inputs: InputRef[] = [];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const addFile = (p: string): void => {
    const abs = path.resolve(p);
    if (seen.has(abs)) return;
    seen.add(abs);
    inputs.push({ kind: 'file', path: p });
  };
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ kind: 'stdin' });
      continue;
    }
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(arg);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) {
      const files = walk(arg, problems);
      if (files.length === 0) problems.push({ arg, message: 'directory holds no files' });
      files.forEach(addFile);
    } else if (st) {
      addFile(arg);
    } else if (GLOB_CHARS.test(arg)) {
      const matches = globFiles(arg, problems);
      if (matches.length === 0) problems.push({ arg, message: 'pattern matched no files' });
      matches.forEach(addFile);
    } else {
      problems.push({ arg, message: 'no such file or directory' });
    }
  }
  return { inputs, problems };
}

function walk(dir: string, problems: InputProblem[]): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    problems.push({ arg: dir, message: `cannot list directory: ${(err as Error).message}` });
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || (e.isFile() && skippedInWalk(e.name))) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, problems));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Converts one glob path segment to a regular expression. */
export function globSegmentRegex(seg: string): RegExp {
  let re = '^';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        let body = seg.slice(i + 1, close);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

function globFiles(pattern: string, problems: InputProblem[]): string[] {
  const segs = pattern.split('/');
  let base = pattern.startsWith('/') ? '/' : '.';
  let i = pattern.startsWith('/') ? 1 : 0;
  while (i < segs.length - 1 && !GLOB_CHARS.test(segs[i])) base = path.join(base, segs[i++]);
  const rest = segs.slice(i);
  const out: string[] = [];
  const visit = (dir: string, k: number): void => {
    if (k >= rest.length) return;
    const seg = rest[k];
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if (k === 0) problems.push({ arg: pattern, message: `cannot list ${dir}: ${(err as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    if (seg === '**') {
      visit(dir, k + 1);
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) visit(path.join(dir, e.name), k);
      return;
    }
    const re = globSegmentRegex(seg);
    for (const e of entries) {
      if (!re.test(e.name) || (e.name.startsWith('.') && !seg.startsWith('.'))) continue;
      if (e.isFile() && GLOB_CHARS.test(seg) && skippedInWalk(e.name)) continue;
      const p = path.join(dir, e.name);
      if (k === rest.length - 1) {
        if (e.isFile()) out.push(p);
      } else if (e.isDirectory()) visit(p, k + 1);
    }
  };
  visit(base, 0);
  return [...new Set(out)];
}
