/**
 * CSV records (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes, CRLF) with the line
 * each starts on, for the small files users bring: asset inventories exported from a spreadsheet or a
 * CMDB, and threat-intel feeds. Written here rather than taken from a library because both need what a
 * generic parser hides: the line of every record, for error messages, and `#` comment lines kept (a
 * feed's header may sit in one). One tokenizer serves both.
 */

/** One record: its cells, which of them were quoted, and the 1-based line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly cells: string[];
  /** Per cell: it was quoted (so kept exactly, spaces included). */
  readonly quoted: boolean[];
  /** The last field's quote was never closed (the record runs to the end of the text). */
  readonly unterminated: boolean;
}

/** Splits CSV text into records; a quote opens a field only at the field's start. */
export function csvRows(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let cells: string[] = [];
  let quotedCells: boolean[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const end = (unterminated: boolean): void => {
    if (any || cell !== '' || cells.length > 0) out.push({ line: start, cells: [...cells, cell], quoted: [...quotedCells, wasQuoted], unterminated });
    cells = [];
    quotedCells = [];
    cell = '';
    wasQuoted = false;
    any = false;
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      cell = '';
      any = true;
    } else if (ch === ',') {
      cells.push(cell);
      quotedCells.push(wasQuoted);
      cell = '';
      wasQuoted = false;
      any = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      end(false);
      line++;
      start = line;
    } else {
      cell += ch;
      any = true;
    }
  }
  end(quoted);
  return out;
}

/** One data row of a small CSV file and the 1-based line it starts on. */
export interface CsvRow {
  readonly line: number;
  readonly cells: readonly string[];
}

/** A record whose quoting is broken, with its line number. */
export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

/**
 * Data rows of a CSV file: blank lines and lines starting with `#` are skipped, unquoted cells are
 * trimmed, and a record whose quote is never closed is reported and reading goes on at the next line,
 * so one stray quote costs one row, not the rest of the file.
 */
export function parseCsvRows(text: string): { rows: CsvRow[]; problems: CsvProblem[] } {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  let rest = text;
  let offset = 0; // lines of the text before `rest`
  while (true) {
    let resume: number | null = null;
    for (const r of csvRows(rest)) {
      const line = r.line + offset;
      if (r.unterminated) {
        // Only the last record can be unterminated: it ran to the end of the text.
        problems.push({ line, message: 'unterminated quoted field' });
        resume = r.line;
        break;
      }
      if (!r.quoted[0] && r.cells[0].trimStart().startsWith('#')) continue;
      const cells = r.cells.map((c, i) => (r.quoted[i] ? c : c.trim()));
      if (cells.length === 1 && cells[0] === '' && !r.quoted[0]) continue;
      rows.push({ line, cells });
    }
    if (resume === null) return { rows, problems };
    const lines = rest.split(/\r?\n/);
    rest = lines.slice(resume).join('\n');
    offset += resume;
  }
}
