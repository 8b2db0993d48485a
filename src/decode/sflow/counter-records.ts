/**
 * Reads the standard counter records of an sFlow v5 counter sample: generic interface counters
 * (format 1) and Ethernet counters (format 2). Counter samples are rare next to flow samples, so these
 * return fresh plain objects that the caller keeps as interface health records.
 */
import { u32, u64 } from './sflow-read.js';
import type { SflowEthernetCounters, SflowGenericCounters } from './sflow-types.js';

/** Bytes of a generic interface counters record. */
export const GENERIC_COUNTERS_LENGTH = 88;
/** Bytes of an Ethernet counters record. */
export const ETHERNET_COUNTERS_LENGTH = 52;

/** Generic interface counters at `p` (the caller checked that 88 bytes are there). */
export function readGenericCounters(b: Uint8Array, p: number): SflowGenericCounters {
  return {
    ifIndex: u32(b, p),
    ifType: u32(b, p + 4),
    ifSpeed: u64(b, p + 8),
    ifDirection: u32(b, p + 16),
    ifStatus: u32(b, p + 20),
    inOctets: u64(b, p + 24),
    inUcastPkts: u32(b, p + 32),
    inMulticastPkts: u32(b, p + 36),
    inBroadcastPkts: u32(b, p + 40),
    inDiscards: u32(b, p + 44),
    inErrors: u32(b, p + 48),
    inUnknownProtos: u32(b, p + 52),
    outOctets: u64(b, p + 56),
    outUcastPkts: u32(b, p + 64),
    outMulticastPkts: u32(b, p + 68),
    outBroadcastPkts: u32(b, p + 72),
    outDiscards: u32(b, p + 76),
    outErrors: u32(b, p + 80),
    promiscuousMode: u32(b, p + 84),
  };
}

/** Ethernet (dot3Stats) counters at `p` (the caller checked that 52 bytes are there). */
export function readEthernetCounters(b: Uint8Array, p: number): SflowEthernetCounters {
  return {
    alignmentErrors: u32(b, p),
    fcsErrors: u32(b, p + 4),
    singleCollisionFrames: u32(b, p + 8),
    multipleCollisionFrames: u32(b, p + 12),
    sqeTestErrors: u32(b, p + 16),
    deferredTransmissions: u32(b, p + 20),
    lateCollisions: u32(b, p + 24),
    excessiveCollisions: u32(b, p + 28),
    internalMacTransmitErrors: u32(b, p + 32),
    carrierSenseErrors: u32(b, p + 36),
    frameTooLongs: u32(b, p + 40),
    internalMacReceiveErrors: u32(b, p + 44),
    symbolErrors: u32(b, p + 48),
  };
}
