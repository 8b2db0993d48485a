/**
 * Writes connection and DNS batches as Zeek logs: the ASCII TSV format with its header block (readable
 * by zeek-cut and by Nightjar's own Zeek reader) or Zeek's JSON lines. Column order, names and types
 * follow Zeek's conn.log and dns.log; values are rendered as Zeek's writer renders them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONNECTIONS, DNS } from '../model/fields.js';
import type { ColumnBatch, ListColumn, NumColumn, StrColumn } from '../store/column-batch.js';

/** Zeek log layout: one column, by its Zeek name and type and the registry field it comes from. */
interface ZeekColumn {
  readonly zeek: string;
  readonly type: string;
  readonly field: string;
}

const c = (zeek: string, type: string, field: string): ZeekColumn => ({ zeek, type, field });
const ID = [
  c('ts', 'time', 'ts'), c('uid', 'string', 'uid'), c('id.orig_h', 'addr', 'orig_h'), c('id.orig_p', 'port', 'orig_p'),
  c('id.resp_h', 'addr', 'resp_h'), c('id.resp_p', 'port', 'resp_p'), c('proto', 'enum', 'proto'),
];

/** The logs Nightjar can write, by table. */
export const ZEEK_LOGS: Record<string, { path: string; columns: readonly ZeekColumn[] }> = {
  [CONNECTIONS.name]: {
    path: 'conn',
    columns: [
      ...ID, c('service', 'string', 'service'), c('duration', 'interval', 'duration'), c('orig_bytes', 'count', 'orig_bytes'),
      c('resp_bytes', 'count', 'resp_bytes'), c('conn_state', 'string', 'conn_state'), c('local_orig', 'bool', 'local_orig'),
      c('local_resp', 'bool', 'local_resp'), c('missed_bytes', 'count', 'missed_bytes'), c('history', 'string', 'history'),
      c('orig_pkts', 'count', 'orig_pkts'), c('orig_ip_bytes', 'count', 'orig_ip_bytes'), c('resp_pkts', 'count', 'resp_pkts'),
      c('resp_ip_bytes', 'count', 'resp_ip_bytes'), c('tunnel_parents', 'set[string]', 'tunnel_parents'),
      c('community_id', 'string', 'community_id'),
    ],
  },
  [DNS.name]: {
    path: 'dns',
    columns: [
      ...ID, c('trans_id', 'count', 'trans_id'), c('rtt', 'interval', 'rtt'), c('query', 'string', 'query'),
      c('qclass', 'count', 'qclass'), c('qclass_name', 'string', 'qclass_name'), c('qtype', 'count', 'qtype'),
      c('qtype_name', 'string', 'qtype_name'), c('rcode', 'count', 'rcode'), c('rcode_name', 'string', 'rcode_name'),
      c('AA', 'bool', 'aa'), c('TC', 'bool', 'tc'), c('RD', 'bool', 'rd'), c('RA', 'bool', 'ra'), c('Z', 'count', 'z'),
      c('answers', 'vector[string]', 'answers'), c('TTLs', 'vector[interval]', 'ttls'), c('rejected', 'bool', 'rejected'),
    ],
  },
};

/** Output flavour. */
export type ZeekFlavour = 'tsv' | 'json';

function zeekTime(micros: number): string {
  const sec = Math.floor(micros / 1e6);
  return `${sec}.${String(micros - sec * 1e6).padStart(6, '0')}`;
}

function openStamp(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}`;
}

/** Escapes a string the way Zeek's ASCII writer does: non-printables (and separators) as \xHH. */
export function zeekEscape(s: string, inSet: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch < 0x20 || ch === 0x7f || ch === 0x5c || (inSet && ch === 0x2c)) out += '\\x' + ch.toString(16).padStart(2, '0');
    else out += s[i];
  }
  return out;
}

/** Writes one Zeek log file for one table. */
export class ZeekLogWriter {
  private readonly fd: number;
  private readonly layout: { path: string; columns: readonly ZeekColumn[] };
  private readonly index: number[];
  private buf = '';
  /** Rows written. */
  rows = 0;

  constructor(
    dir: string,
    table: string,
    private readonly flavour: ZeekFlavour,
  ) {
    this.layout = ZEEK_LOGS[table];
    const def = table === CONNECTIONS.name ? CONNECTIONS : DNS;
    this.index = this.layout.columns.map((col) => def.fields.findIndex((f) => f.name === col.field));
    this.fd = fs.openSync(path.join(dir, `${this.layout.path}.log`), 'w');
    if (flavour === 'tsv') {
      const cols = this.layout.columns;
      this.buf =
        [
          '#separator \\x09',
          '#set_separator\t,',
          '#empty_field\t(empty)',
          '#unset_field\t-',
          `#path\t${this.layout.path}`,
          `#open\t${openStamp(new Date())}`,
          `#fields\t${cols.map((x) => x.zeek).join('\t')}`,
          `#types\t${cols.map((x) => x.type).join('\t')}`,
        ].join('\n') + '\n';
    }
  }

  /** Appends every row of a batch. */
  write(b: ColumnBatch): void {
    for (let r = 0; r < b.length; r++) {
      this.buf += this.flavour === 'tsv' ? this.tsvRow(b, r) : this.jsonRow(b, r);
      if (this.buf.length > 1 << 20) this.flush();
    }
    this.rows += b.length;
  }

  private value(b: ColumnBatch, ci: number, r: number, type: string): string | number | boolean | (string | number)[] | null {
    const col = b.columns[ci];
    if (col.kind === 'num') {
      const n = col as NumColumn;
      if (!n.valid[r]) return null;
      return type === 'bool' ? n.values[r] === 1 : n.values[r];
    }
    if (col.kind === 'str') {
      const s = col as StrColumn;
      if (s.len[r] < 0) return null;
      return b.getStr(ci, r);
    }
    const l = col as ListColumn;
    if (l.first[r] < 0) return null;
    const items: (string | number)[] = [];
    for (let i = l.first[r]; i < l.first[r] + l.count[r]; i++) {
      items.push(
        l.type === 'f64[]' ? l.itemNum[i] : Buffer.from(b.arena.buffer, b.arena.byteOffset + l.itemStart[i], l.itemLen[i]).toString('utf8'),
      );
    }
    return items;
  }

  private tsvRow(b: ColumnBatch, r: number): string {
    const cols = this.layout.columns;
    const out: string[] = new Array(cols.length);
    for (let k = 0; k < cols.length; k++) {
      const col = cols[k];
      let v = this.value(b, this.index[k], r, col.type);
      if (col.field === 'proto' && v === 'icmp6') v = 'icmp'; // Zeek's enum has no icmp6
      if (v === null) out[k] = '-';
      else if (typeof v === 'boolean') out[k] = v ? 'T' : 'F';
      else if (Array.isArray(v)) out[k] = v.length === 0 ? '(empty)' : v.map((x) => (typeof x === 'number' ? x.toFixed(6) : zeekEscape(x, true))).join(',');
      else if (col.type === 'time') out[k] = zeekTime(v as number);
      else if (col.type === 'interval') out[k] = (v as number).toFixed(6);
      else if (typeof v === 'number') out[k] = String(v);
      else out[k] = v === '' ? '(empty)' : zeekEscape(v, false);
    }
    return out.join('\t') + '\n';
  }

  private jsonRow(b: ColumnBatch, r: number): string {
    const parts: string[] = [];
    for (let k = 0; k < this.layout.columns.length; k++) {
      const col = this.layout.columns[k];
      let v = this.value(b, this.index[k], r, col.type);
      if (v === null) continue;
      if (col.field === 'proto' && v === 'icmp6') v = 'icmp';
      const text = col.type === 'time' ? zeekTime(v as number) : JSON.stringify(v);
      parts.push(`${JSON.stringify(col.zeek)}:${text}`);
    }
    return `{${parts.join(',')}}\n`;
  }

  private flush(): void {
    if (this.buf.length > 0) fs.writeSync(this.fd, this.buf);
    this.buf = '';
  }

  /** Writes the closing line (TSV) and closes the file. */
  close(): void {
    if (this.flavour === 'tsv') this.buf += `#close\t${openStamp(new Date())}\n`;
    this.flush();
    fs.closeSync(this.fd);
  }
}
