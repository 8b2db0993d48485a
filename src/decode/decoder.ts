/**
 * The decoder contract. A decoder is a pure function of the bytes it is given (plus its own state):
 * it never does I/O. It writes normalized rows into the batches the context hands it and reports every
 * record it cannot use with a bounded reason code and its position, so nothing is dropped silently.
 */
import type { EventTableName } from '../model/fields.js';
import type { ColumnBatch } from '../store/column-batch.js';

/**
 * Settings a user gives decoders that build connections from packets; every time in microseconds of
 * capture time. Absent settings keep the decoder's defaults (Zeek's timeouts).
 */
export interface FlowSettings {
  readonly tcpInactivityTimeout?: number;
  readonly udpInactivityTimeout?: number;
  readonly icmpInactivityTimeout?: number;
  /** For protocols other than TCP, UDP and ICMP. */
  readonly unknownIpInactivityTimeout?: number;
  /** Interim records of long-lived connections this often (0: never). */
  readonly interimInterval?: number;
  /** Most connections held at once before the one nearest its timeout is emitted early. */
  readonly maxFlows?: number;
  /** Seed of the Community IDs computed for records that carry none of their own (0-65535, default 0). */
  readonly communityIdSeed?: number;
}

/** What a decoder is given: where to write rows, how to report skips, and the ingest's identity. */
export interface DecodeContext {
  /** Ingest id every row must carry (column `ingest_id`). */
  readonly ingestId: number;
  /** Sensor name given by the user, or null to use what the records say. */
  readonly sensor: string | null;
  /** Name of the input (a file path or `-`); a hint only, never used to pick the format. */
  readonly inputName: string;
  /** True for a live source (a capture in progress): long-lived state should be reported as it goes. */
  readonly live?: boolean;
  /** Flow-table settings for decoders that build connections from packets. */
  readonly flow?: FlowSettings;
  /**
   * This decoder's share of a split input (see DecoderDef.shardable): every shard reads the whole
   * input and keeps only its own connections. Absent: the whole input.
   */
  readonly shard?: DecodeShard;
  /** The batch to add the next row of `table` to; it always has room for one more row. */
  batch(table: EventTableName): ColumnBatch;
  /** Counts one skipped record. `reason` is a short stable code such as `bad_json` or `column_count`. */
  skip(reason: string, position: number, detail?: string): void;
  /** Counts one record that was read but deliberately not stored (for example Suricata `stats`). */
  ignore(kind: string): void;
}

/** One of `count` decoders reading the same input in parallel, numbered from 0. */
export interface DecodeShard {
  readonly index: number;
  readonly count: number;
}

/** A running decoder for one input. */
export interface Decoder {
  /** Feeds the next chunk of the input. */
  push(chunk: Buffer): void;
  /** Signals the end of input; a decoder reports a truncated last record here. */
  finish(): void;
}

/** A registered format: how to recognise it and how to decode it. */
export interface DecoderDef {
  /** Name used by `--format` and in summaries, e.g. `zeek-tsv`. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** What a skip position means for this format: a line number, a byte offset, or a packet number. */
  readonly positionUnit: 'line' | 'offset' | 'packet';
  /** Confidence 0..1 that `head` (the first bytes of the input, decompressed) is this format. */
  sniff(head: Buffer): number;
  /**
   * True when the input may be decoded by several decoders at once, each given the whole input and a
   * DecodeContext.shard, whose rows together equal one decoder's (packet captures: split by flow).
   */
  readonly shardable?: boolean;
  /** Starts decoding one input. */
  create(ctx: DecodeContext): Decoder;
}
