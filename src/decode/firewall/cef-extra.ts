/**
 * The `extra` object of a CEF line: its members in order, written as JSON bytes (see ExtraPairs).
 */
import type { ColumnBatch } from '../../store/column-batch.js';
import { ByteWriter } from '../zeek/byte-writer.js';
import type { ExtensionPairs } from './cef-extension.js';
import { closeExtra, jsonPairStrings, jsonStrValue, openExtra, openKey } from './json-extra.js';

/** Key flag (from the decoder's `kindAt`): the key might equal one `extra` is given by name. */
export const RESERVED = 128;
/** Key flag: a JS object would order or treat the key differently (integer-like, `__proto__`). */
export const ODD = 256;

/**
 * The `extra` members of one line, in order, written as JSON bytes; a value is a string or an
 * extension pair's index (copied from the line's bytes). A key given twice keeps its first place and
 * its last value, as an object would; lines with such keys (or keys a JS object orders or treats
 * differently: integer-like ones, `__proto__`) go through an object and JSON.stringify instead.
 */
export class ExtraPairs {
  // Members 0..n-1 of the line. The arrays are reused with a count: emptying one with `length = 0`
  // frees its storage, so every line would allocate it again.
  private readonly keys: string[] = [];
  private readonly values: (string | null)[] = [];
  private n = 0;
  private pair = new Int32Array(64);
  private plain = true;
  private readonly w = new ByteWriter(1024);
  // Repeated keys are found by id (an interned key's id stamped with the line's serial) instead of by
  // comparing strings with every key so far; `mixed` says a key without an id was added, so a
  // comparison is needed after all.
  private readonly stamp = new Int32Array(4096);
  private serial = 0;
  private mixed = false;

  constructor(private readonly ext: ExtensionPairs) {}

  /** Starts the next line's object. */
  clear(): void {
    this.n = 0;
    this.plain = true;
    this.mixed = false;
    this.serial++;
  }

  /** Whether key `k` is among the members so far. */
  private has(k: string): boolean {
    const keys = this.keys;
    for (let i = 0; i < this.n; i++) if (keys[i] === k) return true;
    return false;
  }

  private key(k: string): void {
    if (this.plain) {
      const c = k.charCodeAt(0);
      if ((c >= 48 && c <= 57) || k === '__proto__' || this.has(k)) this.plain = false;
    }
    this.keys[this.n] = k;
  }

  /** Adds a member with a string value. */
  put(k: string, v: string): void {
    this.key(k);
    this.values[this.n++] = v;
  }

  /** Adds a member whose value is extension pair `i`, under a key that is not the pair's interned key. */
  putPair(k: string, i: number): void {
    this.key(k);
    this.mixed = true;
    this.pairAt(i);
  }

  /**
   * Adds a member whose value is extension pair `i` under its own key `k`, interned as `id` (>= 0);
   * `facts` are the key's flags from `kindAt` (RESERVED: it might equal a key added by name; ODD: a JS
   * object would order or treat it differently).
   */
  putOwn(k: string, id: number, facts: number, i: number): void {
    if (this.plain) {
      if ((facts & ODD) !== 0 || this.stamp[id] === this.serial) this.plain = false;
      else if (((facts & RESERVED) !== 0 || this.mixed) && this.has(k)) this.plain = false;
    }
    this.stamp[id] = this.serial;
    this.keys[this.n] = k;
    this.pairAt(i);
  }

  /** Ends the member whose key was just set: its value is extension pair `i`. */
  private pairAt(i: number): void {
    const n = this.n;
    if (n >= this.pair.length) {
      const g = new Int32Array(this.pair.length * 2);
      g.set(this.pair);
      this.pair = g;
    }
    this.pair[n] = i;
    this.values[n] = null;
    this.n = n + 1;
  }

  /** Stores the object in `col` of `row` (through JSON.stringify when its keys need an object's rules). */
  write(b: ColumnBatch, col: number, row: number): void {
    const keys = this.keys;
    const values = this.values;
    if (!this.plain) {
      const o: Record<string, string> = {};
      for (let i = 0; i < this.n; i++) o[keys[i]] = values[i] ?? this.ext.value(this.pair[i]);
      b.setStr(col, row, JSON.stringify(o));
      return;
    }
    const w = this.w;
    openExtra(w);
    for (let i = 0; i < this.n; i++) {
      const v = values[i];
      if (v !== null) jsonPairStrings(w, keys[i], v);
      else {
        openKey(w);
        jsonStrValue(w, keys[i]);
        w.ascii(':"');
        this.ext.writeJson(w, this.pair[i]);
      }
    }
    closeExtra(w);
    b.setBytes(col, row, w.buf, 0, w.len);
  }
}
