/**
 * Opens one input for reading: a quick fingerprint before reading (size plus SHA-256 of the first and
 * last MiB, so a re-ingest is refused without reading the whole file), transparent gunzip by magic
 * bytes, and a SHA-256 of everything read. Sources do no parsing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { NightjarError } from '../model/errors.js';
import type { InputRef } from './expand-inputs.js';

const EDGE = 1024 * 1024;

/** An opened input. `stream` yields decompressed bytes; `bytesRead()` counts raw bytes. */
export interface OpenedInput {
  readonly name: string;
  /** Size in bytes when known (files), for progress. */
  readonly size: number | null;
  /** Quick fingerprint for files; null for stdin (known only from the full hash at the end). */
  readonly fingerprint: string | null;
  readonly gzip: boolean;
  readonly stream: Readable;
  bytesRead(): number;
  /** SHA-256 of the raw bytes read so far (call after the stream ended). */
  sha256(): string;
  /**
   * For gzip input, after the end, given how many bytes came out: null when the gzip trailer matches, else why not. Partial
   * output is always delivered (truncated gzip keeps what it held), so this is how truncation is seen.
   */
  gzipProblem(decompressedBytes: number): Promise<string | null>;
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

/** Wraps a live stream (a capture tool's output) as an input: no fingerprint, no gzip, counted and hashed. */
export function openLiveStream(name: string, stream: Readable): OpenedInput {
  const hash = crypto.createHash('sha256');
  let raw = 0;
  const counted = new PassThrough({ highWaterMark: 1024 * 1024 });
  stream.on('data', (c: Buffer) => {
    raw += c.length;
    hash.update(c);
    if (!counted.write(c)) stream.pause();
  });
  counted.on('drain', () => stream.resume());
  stream.on('end', () => counted.end());
  stream.on('error', (err) => counted.destroy(unreadable(name, err)));
  return {
    name,
    size: null,
    fingerprint: null,
    gzip: false,
    stream: counted,
    bytesRead: () => raw,
    sha256: () => hash.copy().digest('hex'),
    gzipProblem: async () => null,
  };
}

/** Opens an input; throws NightjarError(NJ_INPUT_UNREADABLE) naming the file and the cause. */
export async function openInput(ref: InputRef): Promise<OpenedInput> {
  const hash = crypto.createHash('sha256');
  let raw = 0;
  let source: Readable;
  let name: string;
  let size: number | null = null;
  let fingerprint: string | null = null;
  if (ref.kind === 'stdin') {
    name = '-';
    source = process.stdin;
  } else {
    name = ref.path;
    let fd: number;
    try {
      fd = fs.openSync(ref.path, 'r');
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      size = st.size;
      fingerprint = quickFingerprint(fd, st.size);
    } catch (err) {
      throw unreadable(name, err);
    }
    source = fs.createReadStream('', { fd, highWaterMark: 1024 * 1024 });
  }
  // Peek at the first bytes to detect gzip, then hand the stream on.
  const first = await readFirst(source, name);
  const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  const counted = new PassThrough({ highWaterMark: 1024 * 1024 });
  const feed = (c: Buffer): void => {
    raw += c.length;
    hash.update(c);
  };
  if (first.length > 0) {
    feed(first);
    counted.write(first);
  }
  source.on('data', (c: Buffer) => {
    feed(c);
    if (!counted.write(c)) source.pause();
  });
  counted.on('drain', () => source.resume());
  source.on('end', () => counted.end());
  source.on('error', (err) => counted.destroy(unreadable(name, err)));
  source.resume();
  let stream: Readable = counted;
  const tail = Buffer.alloc(8);
  let tailLen = 0;
  if (gzip) {
    // Z_SYNC_FLUSH at the end: a cut-off stream yields everything decodable instead of an error
    // that would discard zlib's buffered output; the trailer check below reports the damage.
    const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    gunzip.on('error', () => undefined); // errors reach the reader through its iterator
    counted.on('data', (c: Buffer) => {
      if (c.length >= 8) c.copy(tail, 0, c.length - 8);
      else {
        tail.copyWithin(0, c.length);
        c.copy(tail, 8 - c.length);
      }
      tailLen = Math.min(8, tailLen + c.length);
    });
    counted.on('error', (err) => gunzip.destroy(err));
    stream = counted.pipe(gunzip);
  }
  const gzipProblem = async (outBytes: number): Promise<string | null> => {
    if (!gzip) return null;
    if (tailLen === 8 && tail.readUInt32LE(4) === outBytes % 2 ** 32) return null;
    // The last member's size differs from the total: truncated, or several members. Files can be
    // checked again strictly; standard input cannot be re-read.
    if (ref.kind !== 'file') return 'gzip trailer does not match the data (truncated, or several gzip members)';
    return verifyGzip(ref.path);
  };
  return {
    name,
    size,
    fingerprint,
    gzip,
    stream,
    bytesRead: () => raw,
    sha256: () => hash.copy().digest('hex'),
    gzipProblem,
  };
}

/** Decompresses a file strictly (output discarded) to tell a truncated gzip from a multi-member one. */
function verifyGzip(file: string): Promise<string | null> {
  return new Promise((resolve) => {
    const g = zlib.createGunzip();
    g.on('data', () => undefined);
    g.on('end', () => resolve(null));
    g.on('error', (err) => resolve(`damaged gzip data: ${err.message}`));
    const rs = fs.createReadStream(file);
    rs.on('error', (err) => resolve(`cannot re-read: ${err.message}`));
    rs.pipe(g);
  });
}

function readFirst(source: Readable, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer): void => {
      cleanup();
      source.pause();
      resolve(c);
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
