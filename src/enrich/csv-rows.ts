/**
 * Rows of a small CSV file (RFC 4180 quoting, one record per line) with their line numbers, for
 * inventories users export from a spreadsheet or a CMDB. Written here rather than taken from a
 * library because asset files are small and need exactly one thing a generic parser hides: the
 * line each row came from, for error messages.
 */

/** One parsed record and the 1-based line it starts on. */
export interface CsvRow {
  readonly line: number;
  readonly cells: readonly string[];
}

/** A line whose quoting is broken, with its line number. */
export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

/** Splits CSV text into rows (blank lines and lines starting with `#` are skipped). */
export function parseCsvRows(text: string): { rows: CsvRow[]; problems: CsvProblem[] } {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    let wasQuoted = false;
    for (let k = 0; k < raw.length; k++) {
      const c = raw[k];
      if (quoted) {
        if (c === '"' && raw[k + 1] === '"') {
          cur += '"';
          k++;
        } else if (c === '"') quoted = false;
        else cur += c;
      } else if (c === '"' && cur.trim() === '' && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        cur = '';
      } else if (c === ',') {
        cells.push(wasQuoted ? cur : cur.trim());
        cur = '';
        wasQuoted = false;
      } else cur += c;
    }
    if (quoted) {
      problems.push({ line, message: 'unterminated quoted field' });
      return;
    }
    cells.push(wasQuoted ? cur : cur.trim());
    rows.push({ line, cells });
  });
  return { rows, problems };
}
