/**
 * Keeps the N largest items of a stream without holding the stream: sorts and trims whenever twice
 * N items have gathered, so memory stays bounded however many groups a big store yields.
 */

/** The N largest items by a score, plus how many were offered in all. */
export class TopList<T> {
  private items: T[] = [];
  /** Items offered, kept or not. */
  total = 0;

  constructor(
    private readonly limit: number,
    private readonly score: (t: T) => number,
    private readonly tie: (a: T, b: T) => number = () => 0,
  ) {}

  /** Offers an item. */
  add(item: T): void {
    this.total++;
    this.items.push(item);
    if (this.items.length >= 2 * Math.max(1, this.limit)) this.trim();
  }

  /** The kept items, largest first. */
  result(): T[] {
    this.trim();
    return this.items;
  }

  private trim(): void {
    this.items.sort((a, b) => this.score(b) - this.score(a) || this.tie(a, b));
    if (this.items.length > this.limit) this.items.length = this.limit;
  }
}

/** The filter that reproduces a (source, destination, port) group, in the filter language's simple form. */
export function evidenceFilter(source: string, destination: string, port: number | null): string {
  return `orig_h == ${source} and resp_h == ${destination}${port === null ? '' : ` and resp_p == ${port}`}`;
}
