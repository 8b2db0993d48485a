/**
 * Domain patterns as policies and blocklists write them: `example.com` is that name exactly,
 * `*.example.com` is any name below it (not the name itself). Matching walks the name's suffixes
 * through two hash sets, so a blocklist of a million entries costs one lookup per label.
 */

/** Normalises a domain name: lower case, no trailing dot. */
export function normaliseDomain(name: string): string {
  const t = name.trim().toLowerCase();
  return t.endsWith('.') ? t.slice(0, -1) : t;
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** True when the text is a plausible DNS name (letters, digits, `-`, `_`; labels of 1 to 63). */
export function isDomainName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((l) => LABEL.test(l));
}

/** A set of exact names and wildcard suffixes. */
export class DomainSet {
  private readonly exact = new Set<string>();
  private readonly below = new Set<string>();

  /** Adds `name` or `*.name`; returns false when the pattern is not a valid name. */
  add(pattern: string): boolean {
    const p = normaliseDomain(pattern);
    if (p.startsWith('*.')) {
      const base = p.slice(2);
      if (!isDomainName(base)) return false;
      this.below.add(base);
      return true;
    }
    if (!isDomainName(p)) return false;
    this.exact.add(p);
    return true;
  }

  /** Number of patterns held. */
  get size(): number {
    return this.exact.size + this.below.size;
  }

  /** The pattern that matches the name (`a.b.c` or `*.b.c`), or null. */
  match(name: string): string | null {
    const n = normaliseDomain(name);
    if (this.exact.has(n)) return n;
    if (this.below.size === 0) return null;
    let dot = n.indexOf('.');
    while (dot >= 0) {
      const suffix = n.slice(dot + 1);
      if (this.below.has(suffix)) return `*.${suffix}`;
      dot = n.indexOf('.', dot + 1);
    }
    return null;
  }
}
