/**
 * Turns pcapng timestamps (a 64-bit tick count split in two 32-bit halves, in the unit an interface's
 * if_tsresol option sets, shifted by its if_tsoffset) into microseconds since the epoch, exactly:
 * the common units take integer arithmetic on doubles that stays below 2^53, and only exotic units
 * (powers of two, resolutions finer than a picosecond) take the BigInt path.
 */

const TWO_32 = 4294967296;
/** Largest divisor for which (remainder * 2^32 + low) stays an exact double. */
const MAX_EXACT_DIVISOR = 2 ** 21;

const enum Kind {
  Micro = 0,
  Divide = 1,
  Multiply = 2,
  General = 3,
}

/** The time unit of one pcapng interface, with the conversion of its ticks to microseconds. */
export class TimestampUnit {
  private readonly kind: Kind;
  private readonly factor: number;
  private readonly num: bigint;
  private readonly den: bigint;
  private readonly offsetMicros: number;

  /**
   * Builds the unit from the if_tsresol byte (10^-n seconds, or 2^-n with the high bit set; 6 when
   * the option is absent) and the if_tsoffset in seconds (0 when absent).
   */
  constructor(tsresol: number, offsetSeconds: number) {
    const n = tsresol & 0x7f;
    this.offsetMicros = offsetSeconds * 1e6;
    this.factor = 1;
    this.num = 1n;
    this.den = 1n;
    if ((tsresol & 0x80) !== 0) {
      this.kind = Kind.General;
      this.num = 1000000n;
      this.den = 1n << BigInt(n);
    } else if (n === 6) {
      this.kind = Kind.Micro;
    } else if (n > 6) {
      this.factor = 10 ** (n - 6);
      this.kind = this.factor <= MAX_EXACT_DIVISOR ? Kind.Divide : Kind.General;
      this.den = 10n ** BigInt(n - 6);
    } else {
      this.kind = Kind.Multiply;
      this.factor = 10 ** (6 - n);
      this.num = BigInt(this.factor);
    }
  }

  /** Microseconds since the epoch of the tick count `hi * 2^32 + lo` (rounded down). */
  toMicros(hi: number, lo: number): number {
    switch (this.kind) {
      case Kind.Micro:
        return hi * TWO_32 + lo + this.offsetMicros;
      case Kind.Divide: {
        // floor((hi * 2^32 + lo) / d) without ever forming the 64-bit value in a double.
        const d = this.factor;
        const q = Math.floor(hi / d);
        const r = hi - q * d;
        return q * TWO_32 + Math.floor((r * TWO_32 + lo) / d) + this.offsetMicros;
      }
      case Kind.Multiply: {
        const v = (hi * TWO_32 + lo) * this.factor;
        if (v <= Number.MAX_SAFE_INTEGER) return v + this.offsetMicros;
        return this.general(hi, lo);
      }
      default:
        return this.general(hi, lo);
    }
  }

  /** The exact conversion through BigInt, for units the fast paths cannot do exactly. */
  private general(hi: number, lo: number): number {
    const ticks = (BigInt(hi) << 32n) | BigInt(lo);
    return Number((ticks * this.num) / this.den) + this.offsetMicros;
  }
}

/** The default unit of an interface without if_tsresol or if_tsoffset: microseconds. */
export const MICROSECONDS = new TimestampUnit(6, 0);
