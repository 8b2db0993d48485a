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

/**
 * What a directory entry is, following a symbolic link (log directories link to the current logs, and
 * collections are often assembled from links); null for anything else. A dangling link is a problem.
 */
function entryKind(dir: string, e: fs.Dirent, problems: InputProblem[]): 'file' | 'dir' | null {
  if (e.isFile()) return 'file';
  if (e.isDirectory()) return 'dir';
  if (!e.isSymbolicLink()) return null;
  const p = path.join(dir, e.name);
  try {
    const st = fs.statSync(p);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : null;
  } catch (err) {
    problems.push({ arg: p, message: `cannot follow symbolic link: ${(err as Error).message}` });
    return null;
  }
}

/** True the first time a directory (by its real path, plus `tag`) is entered, so that linked directories cannot loop. */
function firstVisit(dir: string, visited: Set<string>, tag = ''): boolean {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    real = path.resolve(dir);
  }
  real += tag;
  if (visited.has(real)) return false;
  visited.add(real);
  return true;
}

function walk(dir: string, problems: InputProblem[], visited = new Set<string>()): string[] {
  const out: string[] = [];
  if (!firstVisit(dir, visited)) return out;
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
    const kind = entryKind(dir, e, problems);
    if (kind === 'dir') out.push(...walk(p, problems, visited));
    else if (kind === 'file') out.push(p);
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
  const visited = new Set<string>();
  const visit = (dir: string, k: number): void => {
    if (k >= rest.length || !firstVisit(dir, visited, `\0${k}`)) return;
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
      for (const e of entries) if (!e.name.startsWith('.') && entryKind(dir, e, problems) === 'dir') visit(path.join(dir, e.name), k);
      return;
    }
    const re = globSegmentRegex(seg);
    for (const e of entries) {
      if (!re.test(e.name) || (e.name.startsWith('.') && !seg.startsWith('.'))) continue;
      if (e.isFile() && GLOB_CHARS.test(seg) && skippedInWalk(e.name)) continue;
      const p = path.join(dir, e.name);
      const kind = entryKind(dir, e, problems);
      if (k === rest.length - 1) {
        if (kind === 'file') out.push(p);
      } else if (kind === 'dir') visit(p, k + 1);
    }
  };
  visit(base, 0);
  return [...new Set(out)];
}
