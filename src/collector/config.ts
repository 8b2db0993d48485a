/**
 * The collector's configuration: every listener, queue bound, flush trigger and file location, with
 * defaults, validated once with zod (unknown keys rejected) and frozen. Servers bind 127.0.0.1 unless
 * told otherwise; a port of 0 turns that listener off.
 */
import { z } from 'zod';
import { NightjarError } from '../model/errors.js';

const port = z.number().int().min(0).max(65535);
const address = z.union([z.ipv4(), z.ipv6()], { error: 'give an IPv4 or IPv6 address such as 127.0.0.1 or ::1' });

/** Schema of the collector configuration. */
export const collectorConfigSchema = z.strictObject({
  /** Address every UDP/TCP listener binds. */
  bind: address.default('127.0.0.1'),
  netflowPort: port.default(2055),
  ipfixPort: port.default(4739),
  sflowPort: port.default(6343),
  /** Syslog listeners, off (0) unless asked for. */
  syslogUdpPort: port.default(0),
  syslogTcpPort: port.default(0),
  /** Metrics and health HTTP listener, or null for none. */
  metrics: z.strictObject({ address, port }).nullable().default({ address: '127.0.0.1', port: 9464 }),
  /**
   * Datagrams waiting between receive and decode, and the bytes they may hold. Everything queued is
   * decoded and committed on SIGTERM, so the bound is also what a stop may have to work through.
   */
  queueDatagrams: z.number().int().min(1).max(10_000_000).default(16_384),
  queueBytes: z.number().int().min(65_536).max(4 * 2 ** 30).default(32 * 2 ** 20),
  /** Commit when this many rows are waiting, or when the oldest waiting row is this old. */
  flushRows: z.number().int().min(1).max(10_000_000).default(200_000),
  flushEveryMs: z.number().int().min(10).max(3_600_000).default(2_000),
  /** Rows per column batch handed to the store. */
  batchRows: z.number().int().min(16).max(1_000_000).default(8_192),
  /** Kernel receive buffer requested per UDP socket. */
  receiveBufferBytes: z.number().int().min(0).max(2 ** 31 - 1).default(32 * 2 ** 20),
  /** Where template state is persisted, or null to keep it in memory only. */
  templateFile: z.string().min(1).nullable().default(null),
  /** Sensor name for every row, or null to name rows after their exporter. */
  sensor: z.string().min(1).max(256).nullable().default(null),
  /** Seed of the Community IDs of flows (as Zeek's CommunityID::seed and Suricata's community-id-seed). */
  communityIdSeed: z.number().int().min(0).max(65535).default(0),
});

/** A validated, frozen collector configuration. */
export type CollectorConfig = Readonly<z.infer<typeof collectorConfigSchema>>;

/** Validates `input` (defaults filled in) and freezes it; bad values become one NJ_USAGE error. */
export function collectorConfig(input: unknown): CollectorConfig {
  const r = collectorConfigSchema.safeParse(input);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw new NightjarError('NJ_USAGE', `collector configuration: ${issues}`);
  }
  return Object.freeze(r.data);
}
