/**
 * UTF-16 text inputs (PowerShell 5's `>` and `Out-File` write UTF-16LE with a byte order mark; some
 * Windows tools write UTF-16BE) transcoded to UTF-8 chunk by chunk, so that every text decoder, all
 * of which read UTF-8 bytes, sees the same lines as from a UTF-8 copy of the file. Only an input that
 * starts with a UTF-16 byte order mark is transcoded: UTF-16 is never guessed.
 *
 * The platform's TextDecoder does the work: in streaming mode it keeps a code unit or a surrogate
 * pair split across chunks for the next chunk, turns unpaired surrogates into U+FFFD, and drops the
 * byte order mark.
 */

/** The UTF-16 byte order a text input's byte order mark declares, or null when it has none. */
export function utf16ByteOrder(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (head.length < 2) return null;
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

/** Transcodes one UTF-16 input to UTF-8, chunk by chunk, in the order the chunks are read. */
export class Utf16ToUtf8 {
  private readonly decoder: TextDecoder;

  constructor(byteOrder: 'utf-16le' | 'utf-16be') {
    this.decoder = new TextDecoder(byteOrder, { fatal: false, ignoreBOM: false });
  }

  /** UTF-8 bytes of everything complete so far; a trailing partial character waits for the next chunk. */
  push(chunk: Uint8Array): Buffer {
    return Buffer.from(this.decoder.decode(chunk, { stream: true }), 'utf8');
  }

  /** UTF-8 bytes of what was held back at the end of the input (an odd byte or a lone surrogate: U+FFFD). */
  end(): Buffer {
    return Buffer.from(this.decoder.decode(), 'utf8');
  }
}
