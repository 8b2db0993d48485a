/**
 * The streaming encoders: json (one array, written as rows arrive, so it is valid JSON even with no
 * rows), ndjson (one object per line) and csv (a header record, then one record per row).
 */
import { plainText, toJson, type JsonValue } from './cells.js';
import { csvRecord } from './csv.js';
import type { OutputColumn, RowEncoder } from './format.js';

const C1_AND_DEL = /[\u007f-\u009f]/g;

/** One row as compact JSON text, with DEL and C1 controls escaped so they cannot act on a terminal. */
function jsonText(row: Record<string, unknown>, columns: readonly OutputColumn[]): string {
  const o: { [key: string]: JsonValue } = {};
  for (const c of columns) o[c.name] = toJson(row[c.name], c.kind);
  return JSON.stringify(o).replace(C1_AND_DEL, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`);
}

/** A JSON array of row objects, one per line, opened on the first row and closed at the end. */
export function jsonEncoder(columns: readonly OutputColumn[]): RowEncoder {
  let rows = 0;
  return {
    row(row) {
      return `${rows++ === 0 ? '[\n' : ',\n'}  ${jsonText(row, columns)}`;
    },
    end() {
      return rows === 0 ? '[]\n' : '\n]\n';
    },
  };
}

/** One JSON object per line (newline-delimited JSON). */
export function ndjsonEncoder(columns: readonly OutputColumn[]): RowEncoder {
  return {
    row(row) {
      return `${jsonText(row, columns)}\n`;
    },
    end() {
      return '';
    },
  };
}

/** RFC 4180 CSV with a header record of column names, written before the first row (or at the end). */
export function csvEncoder(columns: readonly OutputColumn[]): RowEncoder {
  let headerDone = false;
  const header = (): string => {
    if (headerDone) return '';
    headerDone = true;
    return csvRecord(columns.map((c) => c.name));
  };
  return {
    row(row) {
      return header() + csvRecord(columns.map((c) => plainText(row[c.name], c.kind)));
    },
    end() {
      return header();
    },
  };
}
