/**
 * Syslog over TCP framing (RFC 6587): each connection's byte stream cut into messages, either by
 * octet counting (`LEN SP MSG`) or by a trailing newline (non-transparent framing), decided per
 * message by its first byte as RFC 6587 section 3.4 suggests (a digit starts octet counting). Framing
 * only: the message bytes are handed on untouched. Memory is bounded: a message longer than
 * `maxMessage` is cut at that length (counted) and the rest of it skipped.
 */

/** What the framer reports besides messages. */
export type FramingProblem = 'oversize';

/** Cuts one connection's stream into syslog messages. */
export class SyslogFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes of an oversize message still to skip (octet counting) or -1 to skip to the next newline. */
  private skipping = 0;

  constructor(
    private readonly maxMessage: number,
    private readonly onMessage: (msg: Buffer) => void,
    private readonly onProblem: (p: FramingProblem) => void,
  ) {}

  /** Feeds bytes as they arrive. */
  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let p = 0;
    const b = this.buf;
    while (p < b.length) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, b.length - p);
        this.skipping -= n;
        p += n;
        continue;
      }
      if (this.skipping < 0) {
        const nl = b.indexOf(10, p);
        if (nl < 0) {
          p = b.length;
          break;
        }
        this.skipping = 0;
        p = nl + 1;
        continue;
      }
      const c = b[p];
      if (c >= 0x31 && c <= 0x39) {
        // Octet counting: up to 10 digits, a space, then exactly that many bytes.
        let q = p;
        let len = 0;
        while (q < b.length && b[q] >= 0x30 && b[q] <= 0x39 && q - p < 10) len = len * 10 + (b[q++] - 0x30);
        if (q >= b.length) break;
        if (b[q] !== 0x20) {
          // Not a count after all but a message without a PRI that starts with a digit (a timestamp, as
          // when a log file is forwarded line by line): a newline-framed message, delivered whole, so
          // nothing to report (it used to be counted as dropped although it was stored).
          const next = this.newline(b, p);
          if (next < 0) break;
          p = next;
          continue;
        }
        const start = q + 1;
        if (len > this.maxMessage) {
          this.onProblem('oversize');
          this.onMessage(Buffer.from(b.subarray(start, Math.min(b.length, start + this.maxMessage))));
          this.skipping = len;
          p = start;
          continue;
        }
        if (b.length - start < len) break;
        this.onMessage(Buffer.from(b.subarray(start, start + len)));
        p = start + len;
        continue;
      }
      if (c === 10 || c === 13 || c === 0) {
        p++;
        continue;
      }
      const next = this.newline(b, p);
      if (next < 0) break;
      p = next;
    }
    this.buf = p >= b.length ? Buffer.alloc(0) : b.subarray(p);
    if (this.buf.length > this.maxMessage && this.skipping === 0) {
      // A newline-framed message longer than the limit: keep its head, skip to its newline.
      this.onProblem('oversize');
      this.onMessage(Buffer.from(this.buf.subarray(0, this.maxMessage)));
      this.buf = Buffer.alloc(0);
      this.skipping = -1;
    }
  }

  /** End of the connection: a last message without its newline still counts. */
  end(): void {
    if (this.buf.length > 0 && this.skipping === 0) this.onMessage(Buffer.from(this.buf));
    this.buf = Buffer.alloc(0);
  }

  /** Emits the newline-framed message at `p`; returns where the next one starts, or -1 if incomplete. */
  private newline(b: Buffer, p: number): number {
    const nl = b.indexOf(10, p);
    if (nl < 0) return -1;
    let end = nl;
    if (end > p && b[end - 1] === 13) end--;
    if (end - p > this.maxMessage) {
      this.onProblem('oversize');
      end = p + this.maxMessage;
    }
    this.onMessage(Buffer.from(b.subarray(p, end)));
    return nl + 1;
  }
}
