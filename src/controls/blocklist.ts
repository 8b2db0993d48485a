/**
 * DNS blocklists as filters ship them: one domain per line (`evil.example`), wildcards for everything
 * below a name (`*.evil.example`), `#` comments, and hosts-file lines (`0.0.0.0 evil.example
 * other.example`, any address first). Lines that are none of these are skipped and counted with their
 * line number; a file with no usable entry is an error, since validating against nothing proves nothing.
 */
import fs from 'node:fs';
import ipaddr from 'ipaddr.js';
import { NightjarError } from '../model/errors.js';
import { DomainSet } from './domain-match.js';

/** Names hosts files carry for the machine itself, never meant as blocks. */
const HOSTS_SELF = new Set(['localhost', 'localhost.localdomain', 'local', 'broadcasthost', 'ip6-localhost', 'ip6-loopback', 'ip6-localnet',
  'ip6-mcastprefix', 'ip6-allnodes', 'ip6-allrouters', 'ip6-allhosts', '0.0.0.0']);

/** A skipped line. */
export interface SkippedLine {
  readonly line: number;
  readonly reason: 'not-a-domain' | 'hosts-line-without-name';
  readonly text: string;
}

/** A loaded blocklist. */
export interface Blocklist {
  readonly source: string;
  readonly domains: DomainSet;
  /** Patterns loaded (duplicates counted once). */
  readonly entries: number;
  /** Lines skipped in all. */
  readonly skipped: number;
  /** The first skipped lines, for the report. */
  readonly skippedLines: readonly SkippedLine[];
}

const KEEP_SKIPPED = 20;

/** Parses blocklist text; `source` names it in messages. */
export function parseBlocklist(text: string, source: string): Blocklist {
  const domains = new DomainSet();
  const skippedLines: SkippedLine[] = [];
  let skipped = 0;
  const skip = (line: number, reason: SkippedLine['reason'], t: string): void => {
    skipped++;
    if (skippedLines.length < KEEP_SKIPPED) skippedLines.push({ line, reason, text: t.slice(0, 120) });
  };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    const t = (hash >= 0 ? lines[i].slice(0, hash) : lines[i]).trim();
    if (t === '') continue;
    const tokens = t.split(/\s+/);
    if (tokens.length > 1 || ipaddr.isValid(tokens[0])) {
      if (!ipaddr.isValid(tokens[0])) {
        skip(i + 1, 'not-a-domain', t);
        continue;
      }
      const names = tokens.slice(1).filter((n) => !HOSTS_SELF.has(n.toLowerCase()));
      if (names.length === 0) {
        // `127.0.0.1 localhost` is the file's own housekeeping, not a mistake.
        if (tokens.length === 1) skip(i + 1, 'hosts-line-without-name', t);
        continue;
      }
      for (const n of names) if (!domains.add(n)) skip(i + 1, 'not-a-domain', t);
      continue;
    }
    if (!domains.add(tokens[0])) skip(i + 1, 'not-a-domain', t);
  }
  if (domains.size === 0) {
    throw new NightjarError('NJ_USAGE', `${source}: no domain in the blocklist (one per line, *.domain wildcards, or hosts-file lines "0.0.0.0 name")`);
  }
  return { source, domains, entries: domains.size, skipped, skippedLines };
}

/** Reads and parses a blocklist file. */
export function loadBlocklist(file: string): Blocklist {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new NightjarError('NJ_USAGE', `cannot read the blocklist ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseBlocklist(text, file);
}
