/**
 * Connections for reads outside any transaction, opened on first use up to a bound and reused:
 * statements issued together run at once instead of queueing on one connection. They see what is
 * committed, which is all a read outside a transaction may see anyway.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** A bounded pool of reader connections. */
export class ReaderPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly all: DuckDBConnection[] = [];
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];
  private opening = 0;

  constructor(
    private readonly open: () => Promise<DuckDBConnection>,
    private readonly max: number,
  ) {}

  /** A connection to read with; give it back with `release`. */
  async acquire(): Promise<DuckDBConnection> {
    const c = this.idle.pop();
    if (c !== undefined) return c;
    if (this.all.length + this.opening < this.max) {
      this.opening++;
      try {
        const fresh = await this.open();
        this.all.push(fresh);
        return fresh;
      } finally {
        this.opening--;
      }
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives a connection back: to the longest waiter, else to the idle list. */
  release(c: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(c);
    else this.idle.push(c);
  }

  /** Closes every connection (the store is closing). */
  close(): void {
    for (const c of this.all) c.closeSync();
    this.all.length = 0;
    this.idle.length = 0;
  }
}
