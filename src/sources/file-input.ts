/**
 * Opens one input for reading: a quick fingerprint before reading (size plus SHA-256 of the first and
 * last MiB, so a re-ingest is refused without reading the whole file), transparent gunzip by magic
 * bytes, and a SHA-256 of everything read from streams. Sources do no parsing.
 *
 * Plain files are read with fs.read into a pool of 1 MiB buffers that consumers hand back when done
 * (or transfer to a worker and back): a stream would allocate a fresh buffer per chunk, and on a
 * multi-gigabyte capture that garbage cost more than decoding the packets.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { NightjarError } from '../model/errors.js';
import { GzipMemberReader, type GzipProblem } from './gzip-members.js';
import type { InputRef } from './expand-inputs.js';

const EDGE = 1024 * 1024;
/** Size of pooled read buffers. */
export const CHUNK_BYTES = 1024 * 1024;

/** An opened input, read chunk by chunk. */
export interface OpenedInput {
  readonly name: string;
  /** Size in bytes when known (files), for progress. */
  readonly size: number | null;
  /** Quick fingerprint for files; null for streams (known only from the full hash at the end). */
  readonly fingerprint: string | null;
  readonly gzip: boolean;
  /**
   * True when chunks are views on pooled buffers: a chunk starts at offset 0 of its ArrayBuffer, which
   * the consumer owns until it gives it back with recycle() (it may transfer it to a worker first).
   */
  readonly pooled: boolean;
  /** The next chunk of (decompressed) bytes, or null at the end; rejects on a read error. */
  next(): Promise<Buffer | null>;
  /** Gives a pooled chunk's buffer back for reuse. */
  recycle(buf: ArrayBufferLike): void;
  /** Stops reading and releases the file. */
  close(): void;
  /** Raw (compressed, as read) bytes so far. */
  bytesRead(): number;
  /**
   * SHA-256 of the raw bytes read (call after the end), for streams, whose only identity is their
   * content; null for files, which the fingerprint identifies without hashing every byte (hashing a
   * multi-gigabyte capture cost the reading thread more than all the rest of its work).
   */
  sha256(): string | null;
  /**
   * For gzip input, after the end: null when every member was complete and nothing but zero padding
   * followed, else the damage or junk and its compressed offset. Output up to it is always delivered
   * (a cut gzip keeps what it held), so this is how truncation and trailing garbage are seen.
   */
  gzipProblem(): GzipProblem | null;
}

function unreadable(name: string, err: unknown): NightjarError {
  const e = err as NodeJS.ErrnoException;
  const why =
    e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.message;
  return new NightjarError('NJ_INPUT_UNREADABLE', `${name}: cannot read: ${why}`, { cause: err });
}

/** Computes the quick fingerprint of a file. */
export function quickFingerprint(fd: number, size: number): string {
  const h = crypto.createHash('sha256');
  const head = Buffer.alloc(Math.min(EDGE, size));
  fs.readSync(fd, head, 0, head.length, 0);
  h.update(head);
  if (size > EDGE) {
    const tailLen = Math.min(EDGE, size - EDGE);
    const tail = Buffer.alloc(tailLen);
    fs.readSync(fd, tail, 0, tailLen, size - tailLen);
    h.update(tail);
  }
  return `q1:${size}:${h.digest('hex')}`;
}

function readAsync(fd: number, buf: Uint8Array, position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n))));
}

/** Raw bytes of a source, counted (and hashed, for streams). */
class RawTally {
  readonly hash: crypto.Hash | null;
  bytes = 0;

  constructor(hashed: boolean) {
    this.hash = hashed ? crypto.createHash('sha256') : null;
  }

  add(c: Uint8Array): void {
    this.bytes += c.length;
    this.hash?.update(c);
  }
}

/** What one read gave: the bytes read into `ab`, or the error. */
type ReadResult = { ab: ArrayBuffer; n: number; err: null } | { ab: ArrayBuffer; n: 0; err: unknown };

/**
 * Reads a plain file into pooled buffers, one read ahead: the read of the next chunk is issued as a
 * chunk is handed out, so it runs on libuv's pool while the caller decodes (waiting for each read in
 * turn left a capture's inline decode idle a third of the time, 0.5 s of 1.5 per GB from the page cache).
 * A file that grows while it is read ends where the read ahead found its end, a chunk earlier than a
 * reader that waits would see: what is appended after that is for the next ingest.
 */
function pooledFile(name: string, fd: number, size: number, fingerprint: string): OpenedInput {
  const tally = new RawTally(false);
  const pool: ArrayBuffer[] = [];
  let pos = 0;
  let closed = false;
  let fdOpen = true;
  let ahead: Promise<ReadResult> | null = null;
  const closeFd = (): void => {
    if (fdOpen) fs.closeSync(fd);
    fdOpen = false;
  };
  const readAt = (at: number): Promise<ReadResult> => {
    const ab = pool.pop() ?? new ArrayBuffer(CHUNK_BYTES);
    return readAsync(fd, new Uint8Array(ab), at).then(
      (n): ReadResult => ({ ab, n, err: null }),
      (err: unknown): ReadResult => ({ ab, n: 0, err }),
    );
  };
  const close = (): void => {
    closed = true;
    // A read still in flight keeps the descriptor until it settles (closing it under the read could
    // hand its number to another file).
    if (ahead === null) closeFd();
    else void ahead.then(closeFd);
  };
  return {
    name,
    size,
    fingerprint,
    gzip: false,
    pooled: true,
    async next(): Promise<Buffer | null> {
      if (closed) return null;
      // Every read goes through `ahead`, so a close() while it runs waits for it before closing.
      ahead ??= readAt(pos);
      const r = await ahead;
      ahead = null;
      if (r.err !== null) {
        close();
        throw unreadable(name, r.err);
      }
      if (r.n === 0) {
        pool.push(r.ab);
        close();
        return null;
      }
      pos += r.n;
      if (!closed) ahead = readAt(pos);
      const chunk = Buffer.from(r.ab, 0, r.n);
      tally.add(chunk);
      return chunk;
    },
    recycle(buf: ArrayBufferLike): void {
      if (buf.byteLength === CHUNK_BYTES && pool.length < 8) pool.push(buf as ArrayBuffer);
    },
    close,
    bytesRead: () => tally.bytes,
    sha256: () => null,
    gzipProblem: () => null,
  };
}

/** Reads a stream (a gzip file, stdin, a capture tool's output), gunzipping when it starts with gzip's magic. */
function streamed(
  name: string,
  source: Readable,
  size: number | null,
  fingerprint: string | null,
  gzip: boolean,
): OpenedInput {
  const tally = new RawTally(fingerprint === null);
  const rawIt = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  async function* raw(): AsyncGenerator<Buffer> {
    while (true) {
      let r: IteratorResult<Buffer>;
      try {
        r = await rawIt.next();
      } catch (err) {
        throw unreadable(name, err);
      }
      if (r.done) return;
      tally.add(r.value);
      yield r.value;
    }
  }
  // Streams are hashed, so junk after the last gzip member is still read to the end.
  const members = gzip ? new GzipMemberReader(raw(), tally.hash !== null) : null;
  const plain = members === null ? raw() : null;
  return {
    name,
    size,
    fingerprint,
    gzip,
    pooled: false,
    async next(): Promise<Buffer | null> {
      if (members !== null) return members.next();
      const r = await plain!.next();
      return r.done ? null : r.value;
    },
    recycle: () => undefined,
    close: () => {
      members?.close();
      source.destroy();
    },
    bytesRead: () => tally.bytes,
    sha256: () => tally.hash?.copy().digest('hex') ?? null,
    gzipProblem: () => members?.problem ?? null,
  };
}

async function firstChunk(source: Readable, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer): void => {
      cleanup();
      source.pause();
      source.unshift(c);
      resolve(Buffer.from(c.subarray(0, Math.min(2, c.length))));
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.alloc(0));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(unreadable(name, err));
    };
    const cleanup = (): void => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', onError);
    };
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('error', onError);
  });
}

function isGzip(magic: Uint8Array): boolean {
  return magic.length >= 2 && magic[0] === 0x1f && magic[1] === 0x8b;
}

/** Wraps a live stream (a capture tool's output) as an input: no fingerprint, counted and hashed. */
export async function openLiveStream(name: string, stream: Readable): Promise<OpenedInput> {
  const magic = await firstChunk(stream, name);
  return streamed(name, stream, null, null, isGzip(magic));
}

/** Opens an input; throws NightjarError(NJ_INPUT_UNREADABLE) naming the file and the cause. */
export async function openInput(ref: InputRef): Promise<OpenedInput> {
  if (ref.kind === 'stdin') {
    const magic = await firstChunk(process.stdin, '-');
    return streamed('-', process.stdin, null, null, isGzip(magic));
  }
  const name = ref.path;
  let fd: number;
  let size: number;
  let fingerprint: string;
  const magic = Buffer.alloc(2);
  try {
    fd = fs.openSync(ref.path, 'r');
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = st.size;
    fingerprint = quickFingerprint(fd, st.size);
    if (size >= 2) fs.readSync(fd, magic, 0, 2, 0);
  } catch (err) {
    throw unreadable(name, err);
  }
  if (size >= 2 && isGzip(magic)) {
    return streamed(name, fs.createReadStream('', { fd, highWaterMark: CHUNK_BYTES, start: 0 }), size, fingerprint, true);
  }
  return pooledFile(name, fd, size, fingerprint);
}
