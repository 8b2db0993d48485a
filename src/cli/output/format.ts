/**
 * The output layer every data-printing command uses: one writer interface over four formats. Rows go
 * in as plain objects; `columns` says which fields print, in what order and how. Machine formats
 * (json, ndjson, csv) stream each row as it comes and keep exact values; the table is for people,
 * humanises sizes and times, buffers rows to size its columns and always fits the terminal.
 */
import { NightjarError } from '../../model/errors.js';
import type { ColumnKind } from './cells.js';
import { csvEncoder, jsonEncoder, ndjsonEncoder } from './encoders.js';
import { OutputSink } from './sink.js';
import { tableEncoder } from './table.js';

export type { ColumnKind } from './cells.js';

/** The formats `--format` accepts. */
export type OutputFormat = 'table' | 'json' | 'ndjson' | 'csv';

/** Every output format, for flag validation and help text. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'ndjson', 'csv'];

/** One printed column: `name` is the row key (and the json/csv key), `header` the table heading. */
export interface OutputColumn {
  name: string;
  header?: string;
  align?: 'left' | 'right';
  kind?: ColumnKind;
}

/** Writer options; all are optional and only the table uses them. */
export interface WriterOptions {
  /** Terminal width to fit; defaults to the stream's width when it is a TTY, else unlimited. */
  termWidth?: number;
  /** Bold header and dim notes with ANSI codes; the caller decides (isTTY, NO_COLOR). */
  color?: boolean;
  /** Rows a table buffers to size its columns before it prints what it has; default 5000. */
  maxRows?: number;
}

/** Writes rows in one format. */
export interface RowWriter {
  /** Adds a row; returns a promise only when the output is full, and the caller should await it. */
  write(row: Record<string, unknown>): Promise<void> | undefined;
  /** Writes what remains (a table, the closing bracket) and resolves once the stream has taken it. */
  end(): Promise<void>;
  /** True once the reader has gone (EPIPE): stop producing rows, nothing more will print. */
  readonly closed: boolean;
}

/** Turns rows into text for one format; `row` may return '' while it buffers. */
export interface RowEncoder {
  /** Text for one row ('' while buffering). */
  row(row: Record<string, unknown>): string;
  /** Text that closes the output (the table itself, a closing bracket, a note). */
  end(): string;
}

/** Whether a string names an output format. */
export function isOutputFormat(s: string): s is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(s);
}

/** Parses a `--format` value, failing with a usage error that lists the choices. */
export function parseOutputFormat(s: string): OutputFormat {
  if (isOutputFormat(s)) return s;
  throw new NightjarError('NJ_USAGE', `unknown output format "${s}"; use one of: ${OUTPUT_FORMATS.join(', ')}`);
}

function ttyColumns(out: NodeJS.WritableStream): number | undefined {
  const tty = out as { isTTY?: boolean; columns?: number };
  return tty.isTTY === true && typeof tty.columns === 'number' && tty.columns > 0 ? tty.columns : undefined;
}

function encoderFor(format: OutputFormat, columns: readonly OutputColumn[], out: NodeJS.WritableStream, opts: WriterOptions): RowEncoder {
  switch (format) {
    case 'json':
      return jsonEncoder(columns);
    case 'ndjson':
      return ndjsonEncoder(columns);
    case 'csv':
      return csvEncoder(columns);
    case 'table':
      return tableEncoder(columns, {
        termWidth: opts.termWidth ?? ttyColumns(out) ?? Infinity,
        color: opts.color ?? false,
        maxRows: opts.maxRows ?? 5000,
      });
  }
}

/** Creates a writer printing rows to `out` (usually process.stdout, which it never ends) in `format`. */
export function createWriter(
  format: OutputFormat,
  columns: readonly OutputColumn[],
  out: NodeJS.WritableStream,
  opts: WriterOptions = {},
): RowWriter {
  const encoder = encoderFor(format, columns, out, opts);
  const sink = new OutputSink(out);
  let ended = false;
  return {
    write(row) {
      if (ended || sink.closed) return undefined;
      return sink.push(encoder.row(row));
    },
    async end() {
      if (ended) return;
      ended = true;
      if (!sink.closed) sink.push(encoder.end());
      await sink.finish();
    },
    get closed() {
      return sink.closed;
    },
  };
}
