/**
 * Plain-text feeds: one indicator per line (address, CIDR, domain, `*.domain`, URL). Blank lines and
 * comments (`#`, `;`, `//` at the start, or `#` after whitespace) are ignored. Hosts-file blocklists
 * (`0.0.0.0 bad.example`, `127.0.0.1 bad.example`) give their names. Anything else that is not an
 * indicator is skipped and counted with its line number.
 */
import { addIndicator, emptyFeed, skip, type ParsedFeed } from './feed.js';
import { NO_CONTEXT, parseIndicator } from './indicator.js';

/** Parses a plain-text feed; `subdomains` makes exact domains cover their subdomains. */
export function parseTextFeed(text: string, subdomains = false): ParsedFeed {
  const feed = emptyFeed('text');
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    // Hosts-file lines sink a name to a null address: the name is the indicator.
    const t = line.replace(/\s#.*$/, '').trim().replace(/^(0\.0\.0\.0|127\.0\.0\.1|::1?)\s+(?=\S+$)/, '');
    if (t === '' || t.startsWith('#') || t.startsWith(';') || t.startsWith('//')) return;
    const ind = parseIndicator(t, subdomains);
    if (ind === null) skip(feed, 'not-an-indicator', `line ${i + 1}`);
    else addIndicator(feed, seen, Object.assign(ind, NO_CONTEXT));
  });
  return feed;
}
