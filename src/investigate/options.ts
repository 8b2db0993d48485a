/**
 * The tunable thresholds of an investigation, validated once with their defaults. Every number that
 * decides a flag or a score lives here, so `docs/investigation.md` can name them and users can tune them.
 */
import { z } from 'zod';
import { NightjarError } from '../model/errors.js';

const schema = z
  .object({
    /** Days of history before the investigated period that define "normal" for the host. */
    baselineDays: z.number().positive().max(366).default(7),
    /** A destination or domain is rare when at most this share of active internal hosts reach it. */
    rareShare: z.number().min(0).max(1).default(0.02),
    /** Below this many active internal hosts, fleet prevalence says little and "rare" is not flagged. */
    minFleet: z.number().int().min(1).default(50),
    /** Connections needed before timing regularity is judged. */
    beaconMinConnections: z.number().int().min(3).default(8),
    /** Regular timing: coefficient of variation of inter-arrival times at most this... */
    beaconMaxCv: z.number().positive().default(0.25),
    /** ...or median absolute deviation at most this share of the median interval. */
    beaconMaxMadRatio: z.number().positive().default(0.1),
    /** Mean intervals shorter than this (seconds) are bursts, not beacons. */
    beaconMinIntervalSeconds: z.number().nonnegative().default(5),
    /** A connection lasting at least this long (seconds) is long-lived. */
    longLivedSeconds: z.number().positive().default(3600),
    /** Bytes sent to one external destination that count as an upload. */
    uploadBytes: z.number().positive().default(10_000_000),
    /** Distinct internal hosts on one port (or ports on one host) that look like a scan. */
    scanFanout: z.number().int().min(2).default(16),
    /** DNS names longer than this are flagged. */
    longNameLength: z.number().int().positive().default(60),
    /** Shannon entropy (bits per character) of the leftmost labels above which a name looks generated... */
    entropyBits: z.number().positive().default(3.6),
    /** ...when those labels are at least this long (short strings cannot reach a high entropy). */
    entropyMinLength: z.number().int().positive().default(12),
    /** NXDOMAIN share of the host's queries that counts as a burst (with at least nxMinQueries). */
    nxdomainRate: z.number().min(0).max(1).default(0.3),
    nxMinQueries: z.number().int().min(1).default(20),
    /** Score at or above which the verdict is contain, and monitor. */
    containScore: z.number().default(60),
    monitorScore: z.number().default(20),
    /** Rows kept per report section (the rest are counted). */
    sectionLimit: z.number().int().positive().default(50),
  })
  .strict();

/** Investigation thresholds (see `docs/investigation.md`). */
export type InvestigateOptions = z.output<typeof schema>;

/** Validates partial options and fills in the defaults. */
export function investigateOptions(partial: Partial<InvestigateOptions> = {}): Readonly<InvestigateOptions> {
  const r = schema.safeParse(partial);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new NightjarError('NJ_USAGE', `investigation option ${first.path.join('.')}: ${first.message}`);
  }
  return Object.freeze(r.data);
}
