/**
 * Reads crowdsec hub `parser.assert` files (the oracles shipped with the firewall fixtures): the
 * fields crowdsec's parser extracts from each line, for one stage and parser. For tests.
 */
import { readFileSync } from 'node:fs';

/** Parsed (and `meta_`-prefixed Meta) fields per line index, for one stage and parser. */
export function crowdsecExpectations(file: string, stage: string, parser: string): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>();
  const re = /^results\["([^"]+)"\]\["([^"]+)"\]\[(\d+)\]\.Evt\.(Parsed|Meta)\["([^"]+)"\] == (".*")$/;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = re.exec(line);
    if (m === null || m[1] !== stage || m[2] !== parser) continue;
    const i = Number(m[3]);
    const o = out.get(i) ?? {};
    o[(m[4] === 'Meta' ? 'meta_' : '') + m[5]] = JSON.parse(m[6]) as string;
    out.set(i, o);
  }
  return out;
}
