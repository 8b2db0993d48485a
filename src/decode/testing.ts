/**
 * Test support for decoders: a DecodeContext that keeps every row in memory and reads rows back as
 * plain objects keyed by field name, plus the skip and ignore counts.
 */
import { EVENT_TABLES, type EventTableName } from '../model/fields.js';
import { ColumnBatch } from '../store/column-batch.js';
import type { DecodeContext, DecodeShard, DecoderDef } from './decoder.js';

/** A stored value as tests see it. */
export type TestValue = string | number | boolean | null | (string | number)[];

/** One skipped record as reported by a decoder. */
export interface TestSkip {
  reason: string;
  position: number;
  detail?: string;
}

/** Everything a decoder produced for one input. */
export interface Collected {
  rows: Record<EventTableName, Record<string, TestValue>[]>;
  skips: TestSkip[];
  ignored: Record<string, number>;
}

function rowObject(b: ColumnBatch, r: number): Record<string, TestValue> {
  const o: Record<string, TestValue> = {};
  b.table.fields.forEach((fd, ci) => {
    const c = b.columns[ci];
    if (c.kind === 'num') {
      o[fd.name] = c.valid[r] ? (fd.type === 'bool' ? c.values[r] === 1 : c.values[r]) : null;
    } else if (c.kind === 'str') {
      o[fd.name] = b.getStr(ci, r);
    } else if (c.first[r] < 0) {
      o[fd.name] = null;
    } else {
      const items: (string | number)[] = [];
      for (let i = c.first[r]; i < c.first[r] + c.count[r]; i++) {
        items.push(
          fd.type === 'f64[]'
            ? c.itemNum[i]
            : Buffer.from(b.arena.buffer, b.arena.byteOffset + c.itemStart[i], c.itemLen[i]).toString('utf8'),
        );
      }
      o[fd.name] = items;
    }
  });
  return o;
}

/** Runs `def` over `input` (fed in chunks of `chunkSize` bytes) and returns what it produced. */
export function decodeAll(
  def: DecoderDef,
  input: Buffer,
  opts: { chunkSize?: number; inputName?: string; sensor?: string; shard?: DecodeShard } = {},
): Collected {
  const batches = new Map<EventTableName, ColumnBatch>();
  const out: Collected = {
    rows: Object.fromEntries(EVENT_TABLES.map((t) => [t.name, []])) as unknown as Collected['rows'],
    skips: [],
    ignored: {},
  };
  const drain = (name: EventTableName, b: ColumnBatch): void => {
    for (let r = 0; r < b.length; r++) out.rows[name].push(rowObject(b, r));
    b.clear();
  };
  const ctx: DecodeContext = {
    ingestId: 1,
    sensor: opts.sensor ?? null,
    inputName: opts.inputName ?? 'test-input',
    shard: opts.shard,
    batch(name) {
      let b = batches.get(name);
      if (!b) {
        b = new ColumnBatch(EVENT_TABLES.find((t) => t.name === name)!, 64);
        batches.set(name, b);
      }
      if (b.full) drain(name, b);
      return b;
    },
    skip(reason, position, detail) {
      out.skips.push({ reason, position, detail });
    },
    ignore(kind) {
      out.ignored[kind] = (out.ignored[kind] ?? 0) + 1;
    },
  };
  const dec = def.create(ctx);
  const size = opts.chunkSize ?? 65536;
  for (let i = 0; i < input.length; i += size) dec.push(input.subarray(i, i + size));
  dec.finish();
  for (const [name, b] of batches) drain(name, b);
  return out;
}
