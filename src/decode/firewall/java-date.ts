/**
 * Times written with a Java SimpleDateFormat pattern, as LEEF's `devTimeFormat` names them
 * (`MMM dd yyyy HH:mm:ss`, `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, ...). The letters devices use are supported:
 * y, M (number or month name), d, H, h with a, m, s, S (fraction), Z / X / XXX (offsets), z (UTC or GMT
 * names and offsets), and quoted literals. A pattern is compiled once into a regular expression.
 */
import { daysFromCivil } from './cisco-asa-envelope.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

type Part = 'y' | 'M' | 'MMM' | 'd' | 'H' | 'h' | 'a' | 'm' | 's' | 'S' | 'Z' | 'E';

/** A compiled pattern: its expression and what each group holds. */
export interface JavaDatePattern {
  readonly re: RegExp;
  readonly parts: readonly Part[];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a SimpleDateFormat pattern; null when it uses letters this reader does not know. */
export function compileJavaDate(pattern: string): JavaDatePattern | null {
  let re = '^';
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      const close = pattern.indexOf("'", i + 1);
      if (close < 0) return null;
      re += close === i + 1 ? "'" : escapeRe(pattern.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    switch (c) {
      case 'y':
        re += n === 2 ? '(\\d{2})' : '(\\d{4})';
        parts.push('y');
        break;
      case 'M':
        re += n >= 3 ? '([A-Za-z]{3,9})' : '(\\d{1,2})';
        parts.push(n >= 3 ? 'MMM' : 'M');
        break;
      case 'd':
      case 'H':
      case 'h':
      case 'm':
      case 's':
        re += '(\\d{1,2})';
        parts.push(c);
        break;
      case 'S':
        re += '(\\d{1,9})';
        parts.push('S');
        break;
      case 'a':
        re += '([AaPp][Mm])';
        parts.push('a');
        break;
      case 'E':
        re += '([A-Za-z]{3,9})';
        parts.push('E');
        break;
      case 'Z':
      case 'X':
      case 'z':
        re += '(Z|[+-]\\d{2}:?\\d{2}|[+-]\\d{2}|UTC|GMT(?:[+-]\\d{2}:?\\d{2})?)';
        parts.push('Z');
        break;
      default:
        if (/[A-Za-z]/.test(c)) return null;
        re += escapeRe(c.repeat(n));
    }
  }
  return { re: new RegExp(re + '$'), parts };
}

function offsetMinutes(z: string): number {
  if (z === 'Z' || z === 'UTC' || z === 'GMT') return 0;
  const m = /([+-])(\d{2}):?(\d{2})?$/.exec(z);
  if (m === null) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * Microseconds since the epoch of `text` read with `p`; a time without a zone is read at
 * `defaultOffsetMinutes` from UTC. Null when the text does not match or names an impossible time.
 */
export function parseJavaDate(p: JavaDatePattern, text: string, defaultOffsetMinutes = 0): number | null {
  const m = p.re.exec(text.trim());
  if (m === null) return null;
  let y = 1970;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let frac = 0;
  let pm = -1;
  let offset = defaultOffsetMinutes;
  for (let i = 0; i < p.parts.length; i++) {
    const v = m[i + 1];
    switch (p.parts[i]) {
      case 'y':
        y = v.length === 2 ? 2000 + Number(v) : Number(v);
        break;
      case 'M':
        mo = Number(v);
        break;
      case 'MMM':
        mo = MONTHS.indexOf(v.slice(0, 3).toLowerCase()) + 1;
        break;
      case 'd':
        d = Number(v);
        break;
      case 'H':
      case 'h':
        h = Number(v);
        break;
      case 'a':
        pm = v.toLowerCase() === 'pm' ? 1 : 0;
        break;
      case 'm':
        mi = Number(v);
        break;
      case 's':
        s = Number(v);
        break;
      case 'S':
        frac = Math.round(Number(`0.${v}`) * 1e6);
        break;
      case 'Z':
        offset = offsetMinutes(v);
        break;
      case 'E':
        break;
    }
  }
  if (pm === 1 && h < 12) h += 12;
  if (pm === 0 && h === 12) h = 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  return (daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset * 60) * 1e6 + frac;
}
