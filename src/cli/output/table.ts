/**
 * The human table: a header, a separator line and aligned rows, fitted to the terminal without ever
 * wrapping a cell. Widths depend on every row, so rows are buffered up to `maxRows`; past that the
 * table prints what it has and a note says how many rows were left out.
 */
import { isNumeric, tableText } from './cells.js';
import type { OutputColumn, RowEncoder } from './format.js';
import { fitColumns } from './table-layout.js';
import { displayWidth, fit, sanitize, wrapWords } from './text-width.js';

/** Table settings, already defaulted by createWriter. */
export interface TableOptions {
  readonly termWidth: number;
  readonly color: boolean;
  readonly maxRows: number;
}

const GAP = '  ';
const bold = (s: string): string => `\x1b[1m${s}\x1b[22m`;
const dim = (s: string): string => `\x1b[2m${s}\x1b[22m`;

/** Per-column facts gathered while rows arrive. */
interface ColumnState {
  readonly spec: OutputColumn;
  readonly header: string;
  natural: number;
  sawValue: boolean;
  allNumeric: boolean;
}

/** A table encoder: buffers rows, then prints them fitted to `termWidth`. */
export function tableEncoder(columns: readonly OutputColumn[], opts: TableOptions): RowEncoder {
  const cols: ColumnState[] = columns.map((spec) => {
    const header = sanitize(spec.header ?? spec.name);
    return { spec, header, natural: displayWidth(header), sawValue: false, allNumeric: true };
  });
  const rows: string[][] = [];
  let printed = false;
  let extra = 0;

  function add(row: Record<string, unknown>): void {
    rows.push(
      cols.map((c) => {
        const v = row[c.spec.name];
        if (v !== null && v !== undefined) {
          c.sawValue = true;
          if (!isNumeric(v)) c.allNumeric = false;
        }
        const text = tableText(v, c.spec.kind);
        c.natural = Math.max(c.natural, displayWidth(text));
        return text;
      }),
    );
  }

  function note(text: string): string {
    const lines = Number.isFinite(opts.termWidth) ? wrapWords(text, opts.termWidth) : [text];
    return lines.map((l) => (opts.color ? dim(l) : l)).join('\n') + '\n';
  }

  function render(): string {
    const numeric = cols.map((c) => {
      const k = c.spec.kind;
      return k === 'number' || k === 'bytes' || k === 'duration' || (k === undefined && c.sawValue && c.allNumeric);
    });
    const align = cols.map((c, i) => c.spec.align ?? (numeric[i] ? 'right' : 'left'));
    const shrinkable = cols.map((c, i) => !numeric[i] && c.spec.kind !== 'time');
    const { widths } = fitColumns(
      cols.map((c, i) => ({ natural: c.natural, shrinkable: shrinkable[i] })),
      opts.termWidth,
      GAP.length,
    );
    const line = (cells: readonly string[]): string =>
      widths.map((w, i) => fit(cells[i], w, align[i])).join(GAP).trimEnd();
    const head = line(cols.map((c) => c.header));
    const sep = widths.map((w) => '─'.repeat(w)).join(GAP);
    let text = `${opts.color ? bold(head) : head}\n${opts.color ? dim(sep) : sep}\n`;
    for (const r of rows) text += `${line(r)}\n`;
    if (rows.length === 0) text += note('(no rows)');
    const hidden = cols.slice(widths.length).map((c) => c.header);
    if (hidden.length > 0) {
      const s = hidden.length === 1 ? '' : 's';
      text += note(`… ${hidden.length} column${s} not shown, too wide for the terminal: ${hidden.join(', ')}`);
    }
    return text;
  }

  return {
    row(row) {
      if (printed) {
        extra++;
        return '';
      }
      if (rows.length < opts.maxRows) {
        add(row);
        return '';
      }
      printed = true;
      extra = 1;
      return render();
    },
    end() {
      if (!printed) return render();
      return note(`… ${extra} more row${extra === 1 ? '' : 's'}; use --limit or --format ndjson`);
    },
  };
}
