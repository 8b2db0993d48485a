/**
 * CSV fields per RFC 4180 (CRLF line ends, quotes doubled, a field quoted when it holds a comma,
 * quote, CR or LF), made safe to open in a spreadsheet: captured data is attacker-controlled, so a text
 * cell that starts with =, +, -, @, tab or CR and is not a number gets a leading single quote, which stops
 * Excel, LibreOffice and Sheets from evaluating it as a formula (CSV injection, per OWASP). This changes
 * such cells, so use ndjson when the exact text matters.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Line end between CSV records, as RFC 4180 specifies. */
export const CSV_EOL = '\r\n';

/** Prefixes a single quote to text a spreadsheet would read as a formula; numbers such as -5 stay. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text;
}

/** One CSV field: formula-neutralised, then quoted with doubled quotes when RFC 4180 requires it. */
export function csvField(text: string): string {
  const safe = neutraliseFormula(text);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record, CRLF-terminated. */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + CSV_EOL;
}
