/**
 * Byte-level reading of one FortiGate `key=value` line: keys are matched against the few the decoder
 * needs by a hash of their bytes (no string per key), values may be double-quoted. Every pair's
 * boundaries are kept so the rest can be copied into `extra` afterwards.
 */

/** Keys the decoder reads; the index in this list is the key's slot. */
export const FG_KEYS = [
  'date', 'time', 'tz', 'eventtime', 'devname', 'devid', 'type', 'subtype', 'srcip', 'srcport', 'srcintf', 'dstip',
  'dstport', 'dstintf', 'sessionid', 'proto', 'action', 'policyid', 'policyname', 'trandisp', 'transip', 'transport',
  'tranip', 'tranport', 'duration', 'sentbyte', 'rcvdbyte', 'sentpkt', 'rcvdpkt', 'srcintfrole', 'dstintfrole',
] as const;

/** Slot of each key by name. */
export const S = Object.fromEntries(FG_KEYS.map((k, i) => [k, i])) as { readonly [K in (typeof FG_KEYS)[number]]: number };

const KEY_BYTES = FG_KEYS.map((k) => Buffer.from(k, 'latin1'));

function hash(buf: Uint8Array, s: number, e: number): number {
  let h = 0;
  for (let i = s; i < e; i++) h = (Math.imul(h, 31) + buf[i]) | 0;
  return h;
}

/** Slot by the low bits of the key hash: an array lookup instead of a map (no two known keys share bits). */
const TABLE_BITS = 4095;
const TABLE = new Int16Array(TABLE_BITS + 1).fill(-1);
KEY_BYTES.forEach((b, i) => {
  const at = hash(b, 0, b.length) & TABLE_BITS;
  if (TABLE[at] >= 0) throw new Error(`FortiGate key table collision: ${FG_KEYS[i]}`);
  TABLE[at] = i;
});

/** Why a line could not be split into pairs. */
export type KvError = 'bad_kv' | 'unterminated_quote';

/** The pairs of the current line. */
export class KvPairs {
  keyStart = new Int32Array(128);
  keyEnd = new Int32Array(128);
  valStart = new Int32Array(128);
  valEnd = new Int32Array(128);
  /** Slot of each pair's key, or -1 for keys the decoder does not read. */
  slotOf = new Int32Array(128);
  count = 0;
  /** True when some value holds a byte JSON must escape (a backslash or a control byte). */
  escapes = false;
  /** Pair index of each slot, or -1 when the key is absent. */
  readonly pair = new Int32Array(FG_KEYS.length);

  /**
   * Splits `buf[from .. to)`; returns an error code, or null when the line is well formed. A quoted value
   * may hold a quote written `\"`; a line that only parses with a backslash as a plain byte (a value
   * ending in one: `user="CORP\"`) is read that way.
   */
  split(buf: Uint8Array, from: number, to: number): KvError | null {
    const err = this.splitWith(buf, from, to, true);
    if (err === null) return null;
    return this.splitWith(buf, from, to, false) === null ? null : err;
  }

  private splitWith(buf: Uint8Array, from: number, to: number, quoteEscapes: boolean): KvError | null {
    this.pair.fill(-1);
    let n = 0;
    let i = from;
    let esc = false;
    while (true) {
      while (i < to && buf[i] === 32) i++;
      if (i >= to) break;
      const ks = i;
      let h = 0;
      for (; i < to; i++) {
        const c = buf[i];
        if (c === 61 || c === 32) break;
        h = (Math.imul(h, 31) + c) | 0;
      }
      if (i >= to || buf[i] !== 61 || i === ks) return 'bad_kv';
      const ke = i++;
      let vs = i;
      let ve: number;
      if (i < to && buf[i] === 34) {
        vs = ++i;
        for (; i < to; i++) {
          const c = buf[i];
          if (c === 34) break;
          if (c < 32 || c === 92) esc = true;
          // FortiOS writes a quote inside a quoted value as \" (kept as logged, backslash included).
          if (c === 92 && quoteEscapes && i + 1 < to) i++;
        }
        if (i >= to) return 'unterminated_quote';
        ve = i++;
      } else {
        for (; i < to; i++) {
          const c = buf[i];
          if (c === 32) break;
          if (c < 32 || c === 92) esc = true;
        }
        ve = i;
      }
      if (n === this.keyStart.length) this.grow();
      this.keyStart[n] = ks;
      this.keyEnd[n] = ke;
      this.valStart[n] = vs;
      this.valEnd[n] = ve;
      let slot: number = TABLE[h & TABLE_BITS];
      if (slot >= 0 && !same(buf, ks, ke, KEY_BYTES[slot])) slot = -1;
      this.slotOf[n] = slot;
      if (slot >= 0 && this.pair[slot] < 0) this.pair[slot] = n;
      n++;
    }
    this.count = n;
    this.escapes = esc;
    return n === 0 ? 'bad_kv' : null;
  }

  /** True when the slot's key is present with a non-empty value. */
  has(slot: number): boolean {
    const p = this.pair[slot];
    return p >= 0 && this.valEnd[p] > this.valStart[p];
  }

  private grow(): void {
    const n = this.keyStart.length * 2;
    const g = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.keyStart = g(this.keyStart);
    this.keyEnd = g(this.keyEnd);
    this.valStart = g(this.valStart);
    this.valEnd = g(this.valEnd);
    this.slotOf = g(this.slotOf);
  }
}

function same(buf: Uint8Array, s: number, e: number, key: Uint8Array): boolean {
  if (e - s !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (buf[s + i] !== key[i]) return false;
  return true;
}

/**
 * Where the pairs start in `buf[from .. to)`: the start of the token holding the first `=`, so a
 * syslog envelope in front (`<189>`, `Jan  1 00:00:00 host`) is left out. -1 when there is no `=`.
 */
export function kvStart(buf: Uint8Array, from: number, to: number): number {
  let c = from;
  while (c < to && buf[c] !== 61) c++;
  if (c >= to) return -1;
  let s = c;
  while (s > from && buf[s - 1] !== 32 && buf[s - 1] !== 62) s--;
  return s;
}
