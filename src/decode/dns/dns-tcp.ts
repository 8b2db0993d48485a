/**
 * DNS over TCP framing for one direction of one connection: each message is preceded by its length in
 * two bytes. A segment may carry several messages, and a message may span segments; whole messages in
 * a segment are handed on in place (no copy), and only a message split across segments is copied, into
 * a buffer of exactly its size (at most 64 KiB, the most the prefix can announce).
 *
 * The caller delivers payload in sequence order (retransmissions and overlaps removed) and calls gap()
 * when bytes are missing; the stream then drops the message in progress and, like Suricata, looks for
 * a plausible message at the start of the next segment before framing again.
 */

/** Receives each framed message; `partial` is true for the incomplete tail delivered by end(). */
export type DnsTcpMessageHandler = (buf: Uint8Array, offset: number, length: number, partial: boolean) => void;

const enum State {
  LenHi = 0,
  LenLo = 1,
  Body = 2,
}

/** Largest reassembly buffer kept between messages. */
const KEEP_BUFFER = 4096;
/** Smallest length a real DNS message can have (its header). */
const MIN_MESSAGE = 12;

/** Length-prefix framing of one direction of a DNS-over-TCP connection. */
export class DnsTcpStream {
  /** Messages delivered, gaps reported, bytes thrown away (gaps, resync, partial at end). */
  messages = 0;
  gaps = 0;
  droppedBytes = 0;
  /** Segments skipped while looking for a message start after a gap. */
  resyncSkips = 0;

  private state = State.LenHi;
  private need = 0;
  private have = 0;
  private buf: Uint8Array | null = null;
  private resync = false;

  constructor(private readonly onMessage: DnsTcpMessageHandler) {}

  /** Bytes of a message held while waiting for the rest of it. */
  get pending(): number {
    return this.state === State.LenHi ? 0 : this.state === State.LenLo ? 1 : this.have + 2;
  }

  /** Feeds the next in-order payload bytes of this direction. */
  push(data: Uint8Array, offset = 0, length = data.length - offset): void {
    let p = offset;
    const end = Math.min(offset + length, data.length);
    if (this.resync) {
      if (end - p < 2 || !plausible(data, p, end)) {
        this.resyncSkips++;
        this.droppedBytes += end - p;
        return;
      }
      this.resync = false;
    }
    while (p < end) {
      if (this.state === State.LenHi) {
        if (end - p >= 2) {
          const n = (data[p] << 8) | data[p + 1];
          if (end - p - 2 >= n) {
            // Fast path: the whole message is in this segment.
            this.messages++;
            this.onMessage(data, p + 2, n, false);
            p += 2 + n;
            continue;
          }
          this.startBody(n);
          p += 2;
          continue;
        }
        this.need = data[p++] << 8;
        this.state = State.LenLo;
        continue;
      }
      if (this.state === State.LenLo) {
        this.startBody(this.need | data[p++]);
        if (this.need === 0) this.finishBody();
        continue;
      }
      const take = Math.min(this.need - this.have, end - p);
      this.buf!.set(data.subarray(p, p + take), this.have);
      this.have += take;
      p += take;
      if (this.have === this.need) this.finishBody();
    }
  }

  /** Bytes are missing before the next push: drops the message in progress and resynchronises. */
  gap(): void {
    this.gaps++;
    this.droppedBytes += this.pending;
    this.state = State.LenHi;
    this.have = 0;
    this.need = 0;
    this.resync = true;
  }

  /** End of the stream: delivers an incomplete last message as Zeek does (flagged `partial`). */
  end(): void {
    const partial = this.state === State.Body && this.have > 0;
    const have = this.have;
    if (!partial) this.droppedBytes += this.pending;
    this.state = State.LenHi;
    this.have = 0;
    this.need = 0;
    if (partial) {
      this.messages++;
      this.onMessage(this.buf!, 0, have, true);
    }
  }

  private startBody(n: number): void {
    this.need = n;
    this.have = 0;
    this.state = State.Body;
    if (this.buf === null || this.buf.length < n) this.buf = new Uint8Array(n);
  }

  private finishBody(): void {
    this.messages++;
    this.state = State.LenHi;
    const n = this.need;
    this.need = 0;
    this.have = 0;
    const buf = this.buf!;
    // Keep a small buffer for the next split message; give a large one back rather than hold up to
    // 64 KiB per idle connection.
    if (buf.length > KEEP_BUFFER) this.buf = null;
    this.onMessage(buf, 0, n, false);
  }
}

// After a gap the next segment is taken as a message start only when its length prefix and header
// look like DNS: at least a header long, and at most 25 questions (Zeek's dns_max_queries).
function plausible(data: Uint8Array, p: number, end: number): boolean {
  const n = (data[p] << 8) | data[p + 1];
  if (n < MIN_MESSAGE) return false;
  if (end - p >= 8) {
    const qd = (data[p + 6] << 8) | data[p + 7];
    if (qd > 25) return false;
  }
  return true;
}
