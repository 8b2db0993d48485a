/**
 * Decompresses gzip input member by member, as `gzip -d` does: every complete member's bytes are
 * delivered, concatenated members follow one another, zero padding after the last member is accepted,
 * and anything else after a complete member (junk appended by a copy tool or a bad transfer) is
 * reported once with the compressed offset where it starts, instead of refusing the whole input.
 *
 * Written here rather than using zlib.createGunzip: Node's gunzip resets itself at a member's end and,
 * when the next bytes are not a gzip header, fails inside the same write, discarding that write's
 * output, so the data of a complete member was lost with the junk. Here the gzip framing (RFC 1952
 * header, CRC32 and ISIZE trailer) is read in JavaScript, and each member's deflate data goes through
 * zlib.createInflateRaw, which stops at the member's end and says (bytesWritten) how much it used.
 * Memory stays bounded: one raw chunk at a time, the inflater's own backpressure on the output.
 */
import zlib from 'node:zlib';

/** Damage or trailing junk found in gzip input, after the data before it was delivered. */
export interface GzipProblem {
  /** Skip reason: `gzip_trailing_garbage` for junk after a complete member, `read_error` for damage. */
  readonly reason: 'gzip_trailing_garbage' | 'read_error';
  /** What was wrong, for the user (without the input's name). */
  readonly message: string;
  /** Compressed byte offset where the problem starts. */
  readonly offset: number;
}

const EMPTY = Buffer.alloc(0);
/** Longest header (file name, comment, extra field) accepted: real ones are a few hundred bytes. */
const MAX_HEADER = 1024 * 1024;
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/** Reads gzip members from raw chunks; `next()` yields decompressed chunks, `problem` says what stopped it. */
export class GzipMemberReader {
  /** Set when the input ended with damage or junk rather than cleanly after a member. */
  problem: GzipProblem | null = null;
  private buf: Buffer = EMPTY;
  /** Compressed offset of buf[0]. */
  private bufOff = 0;
  private readonly gen: AsyncGenerator<Buffer>;
  /** The current member's inflater, so that close() can release it. */
  private inflater: zlib.InflateRaw | null = null;

  /**
   * `raw` gives the compressed chunks; with `drainJunk` the bytes after junk are still read (to the
   * end, discarded), so that a hash over the raw input covers all of it.
   */
  constructor(
    private readonly raw: AsyncIterator<Buffer>,
    private readonly drainJunk: boolean,
  ) {
    this.gen = this.members();
  }

  /** The next decompressed chunk, or null at the end; rejects on damage before any member was complete. */
  async next(): Promise<Buffer | null> {
    const r = await this.gen.next();
    return r.done ? null : r.value;
  }

  /** Stops decompressing (the caller closes the raw source). */
  close(): void {
    this.inflater?.destroy();
    this.inflater = null;
  }

  private async *members(): AsyncGenerator<Buffer> {
    const first = await this.header();
    if (first !== null) throw new Error(`damaged gzip data: ${first}`);
    while (true) {
      const start = this.bufOff;
      let crc = 0;
      let size = 0;
      const inflated = this.inflateMember();
      let r = await inflated.next();
      while (r.done !== true) {
        crc = zlib.crc32(r.value, crc);
        size += r.value.length;
        yield r.value;
        r = await inflated.next();
      }
      if (!r.value || !(await this.fill(8))) {
        this.problem = { reason: 'read_error', offset: this.bufOff + this.buf.length, message: `damaged gzip data: unexpected end of file (inside the gzip member starting at byte ${start})` };
        return;
      }
      if (this.buf.readUInt32LE(0) !== crc >>> 0 || this.buf.readUInt32LE(4) !== size % 2 ** 32) {
        this.problem = { reason: 'read_error', offset: this.bufOff, message: `damaged gzip data: CRC or length check failed for the gzip member starting at byte ${start}` };
        return;
      }
      this.take(8);
      if (!(await this.skipPadding())) return;
      const junkAt = this.bufOff;
      if (this.buf[0] === 0x1f && (await this.header()) === null) continue;
      this.problem = {
        reason: 'gzip_trailing_garbage',
        offset: junkAt,
        message: `trailing garbage after the last complete gzip member ignored, from compressed byte offset ${junkAt} (the data before it was kept)`,
      };
      if (this.drainJunk) while (!(await this.raw.next()).done);
      return;
    }
  }

  /** Consumes zero bytes after a member; false at the end of input, true when other bytes follow. */
  private async skipPadding(): Promise<boolean> {
    while (await this.fill(1)) {
      let i = 0;
      while (i < this.buf.length && this.buf[i] === 0) i++;
      this.take(i);
      if (this.buf.length > 0) return true;
    }
    return false;
  }

  /**
   * Inflates one member's deflate data starting at buf, yielding its output; returns true when the
   * deflate stream ended (buf then holds what follows it), false when the input ended first.
   */
  private async *inflateMember(): AsyncGenerator<Buffer, boolean> {
    const inflater = zlib.createInflateRaw({ chunkSize: 256 * 1024, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    this.inflater = inflater;
    const startOff = this.bufOff;
    let written = 0;
    let ended = false;
    const write = (c: Buffer): Promise<void> =>
      new Promise((resolve, reject) => inflater.write(c, (err) => (err ? reject(err) : resolve())));
    // One raw chunk in flight at a time, so that when the deflate stream ends inside a chunk, what
    // follows it is known exactly (written minus what the inflater used).
    const pump = async (): Promise<void> => {
      let c: Buffer | null = this.buf.length > 0 ? this.buf : null;
      this.buf = EMPTY;
      while (true) {
        if (c === null) {
          const r = await this.raw.next();
          if (r.done) {
            inflater.end();
            return;
          }
          c = r.value;
        }
        written += c.length;
        await write(c);
        const unused = written - inflater.bytesWritten;
        if (unused > 0) {
          this.buf = c.subarray(c.length - unused);
          ended = true;
          return;
        }
        c = null;
      }
    };
    let readFailure: unknown = null;
    const pumping = pump().catch((err: unknown) => {
      readFailure = err;
      inflater.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    try {
      for await (const out of inflater) yield out as Buffer;
    } catch (err) {
      // A failure to read the raw input is not damage in the gzip data: it keeps its own message.
      if (readFailure !== null) throw readFailure;
      throw new Error(`damaged gzip data: ${err instanceof Error ? err.message : String(err)} (in the gzip member starting at byte ${startOff})`, { cause: err });
    }
    await pumping;
    inflater.close();
    this.inflater = null;
    this.bufOff = startOff + inflater.bytesWritten;
    return ended;
  }

  /** Reads and checks a member header at buf; null when valid (and consumed), else what is wrong. */
  private async header(): Promise<string | null> {
    if (!(await this.fill(10))) return 'the input ends inside a gzip header';
    const b = this.buf;
    if (b[0] !== 0x1f || b[1] !== 0x8b) return 'incorrect header check';
    if (b[2] !== 8) return 'unknown compression method';
    const flags = b[3];
    if ((flags & 0xe0) !== 0) return 'unknown header flags set';
    let p = 10;
    if (flags & FEXTRA) {
      if (!(await this.fill(p + 2))) return 'the input ends inside a gzip header';
      p += 2 + this.buf.readUInt16LE(p);
    }
    if (flags & FNAME) p = await this.zeroEnd(p);
    if (p >= 0 && flags & FCOMMENT) p = await this.zeroEnd(p);
    if (p >= 0 && flags & FHCRC) p += 2;
    if (p < 0 || !(await this.fill(p))) return 'the input ends inside a gzip header (or it is too long)';
    this.take(p);
    return null;
  }

  /** Position after the zero byte ending a header string that starts at p, or -1. */
  private async zeroEnd(p: number): Promise<number> {
    // The string may start past what is read so far (after a long FEXTRA field): read up to it first,
    // and never search before it.
    let from = p;
    while (true) {
      if (from > MAX_HEADER || !(await this.fill(from + 1))) return -1;
      const i = this.buf.indexOf(0, from);
      if (i >= 0) return i + 1;
      from = Math.max(from, this.buf.length);
    }
  }

  /** Makes buf hold at least n bytes; false when the input ends first. */
  private async fill(n: number): Promise<boolean> {
    while (this.buf.length < n) {
      const r = await this.raw.next();
      if (r.done) return false;
      this.buf = this.buf.length === 0 ? r.value : Buffer.concat([this.buf, r.value]);
    }
    return true;
  }

  private take(n: number): void {
    this.buf = this.buf.subarray(n);
    this.bufOff += n;
  }
}
