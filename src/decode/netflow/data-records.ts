/**
 * Decoding the data sets of NetFlow v9 and IPFIX with a compiled template: flow records into the
 * shared FlowRecord (times made absolute, counts scaled by the exporter's sampling rate), options
 * records into the exporter's state. Shared by both protocols; no closures, one switch per field.
 */
import { addrText, readUint, ntpMicros, u16, valueOf } from './values.js';
import { IeType } from './elements.js';
import { Slot } from './slots.js';
import type { FlowHandler, FlowRecord } from './flow-record.js';
import type { NetflowStats } from './netflow-stats.js';
import type { DomainState, Template } from './template-cache.js';

/** What a data record needs from its message header. */
export interface ExportHeader {
  version: number;
  exporter: string;
  domain: number;
  /** Export time, Unix seconds (v9 unix_secs, IPFIX Export Time). */
  exportSecs: number;
  /** v9 sysUptime in milliseconds at export; -1 for IPFIX. */
  sysUptimeMs: number;
}

/** The reusable output side of a decoder. */
export interface RecordSink {
  readonly rec: FlowRecord;
  readonly onFlow: FlowHandler;
  readonly stats: NetflowStats;
}

/** Finds the value of the field at `p` (resolving IPFIX variable length) into out = [offset, length]; false when it overruns. */
function fieldLen(tplLen: number, buf: Uint8Array, p: number, end: number, out: Int32Array): boolean {
  if (tplLen >= 0) {
    out[0] = p;
    out[1] = tplLen;
    return p + tplLen <= end;
  }
  if (p >= end) return false;
  let len = buf[p++];
  if (len === 255) {
    if (p + 2 > end) return false;
    len = u16(buf, p);
    p += 2;
  }
  out[0] = p;
  out[1] = len;
  return p + len <= end;
}

const POS = new Int32Array(2);

/**
 * Decodes the flow records of one data set, buf[start, end), handing each to the sink; returns the
 * number of records, or -1 when a record overran the set (those before it were delivered).
 */
export function decodeDataSet(sink: RecordSink, dom: DomainState, tpl: Template, h: ExportHeader, buf: Uint8Array, start: number, end: number): number {
  if (tpl.options) return applyOptionsSet(sink, dom, tpl, h, buf, start, end);
  const rec = sink.rec;
  const lens = tpl.lens;
  const slots = tpl.slots;
  const n = lens.length;
  const info = dom.info;
  let count = 0;
  let p = start;
  while (end - p >= tpl.minLen && tpl.minLen > 0) {
    rec.reset();
    rec.version = h.version;
    rec.exporter = h.exporter;
    rec.domain = h.domain;
    rec.extraBuf = buf;
    let startUp = -1, endUp = -1, startUpAt = 0, endUpAt = 0, startUpLen = 0, endUpLen = 0, startAbs = -1, endAbs = -1, startDelta = -1, endDelta = -1;
    let durUs = -1, sysInit = dom.sysInitMs, rate = 0, pktInterval = 0, pktSpace = 0, size = 0, population = 0;
    let bytesTotal = -1, pktsTotal = -1, respBytesTotal = -1, respPktsTotal = -1, inVrf = -1, outVrf = -1;
    for (let i = 0; i < n; i++) {
      if (!fieldLen(lens[i], buf, p, end, POS)) return -1;
      const off = POS[0];
      const len = POS[1];
      p = off + len;
      switch (slots[i]) {
        case Slot.Bytes: rec.bytes = readUint(buf, off, len); break;
        case Slot.Packets: rec.packets = readUint(buf, off, len); break;
        case Slot.BytesTotal: bytesTotal = readUint(buf, off, len); break;
        case Slot.PacketsTotal: pktsTotal = readUint(buf, off, len); break;
        case Slot.RespBytes: rec.respBytes = readUint(buf, off, len); break;
        case Slot.RespPackets: rec.respPackets = readUint(buf, off, len); break;
        case Slot.RespBytesTotal: respBytesTotal = readUint(buf, off, len); break;
        case Slot.RespPacketsTotal: respPktsTotal = readUint(buf, off, len); break;
        case Slot.Proto: rec.proto = readUint(buf, off, len); break;
        case Slot.Tos: rec.tos = readUint(buf, off, len); break;
        case Slot.TcpFlags: rec.tcpFlags = readUint(buf, off, len); break;
        case Slot.SrcPort: rec.srcPort = readUint(buf, off, len); break;
        case Slot.DstPort: rec.dstPort = readUint(buf, off, len); break;
        case Slot.Src4: case Slot.Src6: rec.srcAt = off; rec.srcLen = len; break;
        case Slot.Dst4: case Slot.Dst6: rec.dstAt = off; rec.dstLen = len; break;
        case Slot.NextHop4: case Slot.NextHop6: rec.nextHop = addrText(buf, off, len); break;
        case Slot.InIf: rec.inIf = readUint(buf, off, len); break;
        case Slot.OutIf: rec.outIf = readUint(buf, off, len); break;
        case Slot.SrcAs: rec.srcAs = readUint(buf, off, len); break;
        case Slot.DstAs: rec.dstAs = readUint(buf, off, len); break;
        case Slot.SrcMask: rec.srcMask = readUint(buf, off, len); break;
        case Slot.DstMask: rec.dstMask = readUint(buf, off, len); break;
        case Slot.Vlan: rec.vlan = readUint(buf, off, len); break;
        case Slot.Direction: rec.direction = readUint(buf, off, len); break;
        case Slot.IcmpTypeCode: rec.icmpTypeCode = readUint(buf, off, len); break;
        case Slot.StartUp: startUp = readUint(buf, off, len); startUpAt = off; startUpLen = len; break;
        case Slot.EndUp: endUp = readUint(buf, off, len); endUpAt = off; endUpLen = len; break;
        case Slot.StartSec: startAbs = readUint(buf, off, len) * 1_000_000; break;
        case Slot.EndSec: endAbs = readUint(buf, off, len) * 1_000_000; break;
        case Slot.StartMs: startAbs = readUint(buf, off, len) * 1000; break;
        case Slot.EndMs: endAbs = readUint(buf, off, len) * 1000; break;
        case Slot.StartUs: startAbs = ntpMicros(buf, off, false); break;
        case Slot.EndUs: endAbs = ntpMicros(buf, off, false); break;
        case Slot.StartNs: startAbs = ntpMicros(buf, off, true); break;
        case Slot.EndNs: endAbs = ntpMicros(buf, off, true); break;
        case Slot.StartDelta: startDelta = readUint(buf, off, len); break;
        case Slot.EndDelta: endDelta = readUint(buf, off, len); break;
        case Slot.SysInit: sysInit = readUint(buf, off, len); break;
        case Slot.DurMs: durUs = readUint(buf, off, len) * 1000; break;
        case Slot.DurUs: durUs = readUint(buf, off, len); break;
        case Slot.SamplingInterval: rate = readUint(buf, off, len); break;
        case Slot.SamplerId: rec.samplerId = readUint(buf, off, len); break;
        case Slot.SamplingPktInterval: pktInterval = readUint(buf, off, len); break;
        case Slot.SamplingPktSpace: pktSpace = readUint(buf, off, len); break;
        case Slot.SamplingSize: size = readUint(buf, off, len); break;
        case Slot.SamplingPopulation: population = readUint(buf, off, len); break;
        case Slot.NatSrc4: case Slot.NatSrc6: rec.natSrcAddr = addrText(buf, off, len); break;
        case Slot.NatDst4: case Slot.NatDst6: rec.natDstAddr = addrText(buf, off, len); break;
        case Slot.NatSrcPort: rec.natSrcPort = readUint(buf, off, len); break;
        case Slot.NatDstPort: rec.natDstPort = readUint(buf, off, len); break;
        case Slot.NatEvent: rec.natEvent = readUint(buf, off, len); break;
        case Slot.FwEvent: rec.firewallEvent = readUint(buf, off, len); break;
        case Slot.VrfId: inVrf = readUint(buf, off, len); rec.addExtra(tpl.pens[i], tpl.ids[i], off, len); break;
        case Slot.EgressVrfId: outVrf = readUint(buf, off, len); rec.addExtra(tpl.pens[i], tpl.ids[i], off, len); break;
        default: rec.addExtra(tpl.pens[i], tpl.ids[i], off, len);
      }
    }
    // Total counts stand in for delta counts only when the template has no delta counts.
    if (rec.bytes === null && bytesTotal >= 0) rec.bytes = bytesTotal;
    if (rec.packets === null && pktsTotal >= 0) rec.packets = pktsTotal;
    if (rec.respBytes === null && respBytesTotal >= 0) rec.respBytes = respBytesTotal;
    if (rec.respPackets === null && respPktsTotal >= 0) rec.respPackets = respPktsTotal;
    // Times: absolute first, then sysUptime-relative, then deltas from the export time.
    if (startAbs < 0 && startUp >= 0) startAbs = upToAbs(h, sysInit, startUp);
    if (endAbs < 0 && endUp >= 0) endAbs = upToAbs(h, sysInit, endUp);
    // IPFIX uptimes with no systemInitTimeMilliseconds cannot be placed in time: keep them raw.
    if (startAbs < 0 && startUp >= 0) rec.addExtra(0, 22, startUpAt, startUpLen);
    if (endAbs < 0 && endUp >= 0) rec.addExtra(0, 21, endUpAt, endUpLen);
    if (startAbs < 0 && startDelta >= 0) startAbs = h.exportSecs * 1_000_000 - startDelta;
    if (endAbs < 0 && endDelta >= 0) endAbs = h.exportSecs * 1_000_000 - endDelta;
    if (durUs >= 0) {
      if (startAbs < 0 && endAbs >= 0) startAbs = endAbs - durUs;
      else if (endAbs < 0 && startAbs >= 0) endAbs = startAbs + durUs;
    }
    if (startAbs >= 0) rec.ts = startAbs;
    if (endAbs >= 0) rec.end = endAbs;
    // Sampling: the record's own interval, then its sampler id, its interface, the exporter default.
    if (rate === 0) rate = psampRate(pktInterval, pktSpace, size, population);
    if (rate === 0 && rec.samplerId !== null) rate = info.samplers.get(rec.samplerId) ?? 0;
    if (rate === 0 && rec.inIf !== null && info.ifaceRates.size > 0) rate = info.ifaceRates.get(rec.inIf) ?? 0;
    if (rate === 0) rate = info.defaultRate;
    applyRate(rec, rate);
    if (info.ifaceNames.size > 0 || info.vrfNames.size > 0) addNames(rec, info, inVrf, outVrf);
    count++;
    sink.stats.flows++;
    sink.onFlow(rec);
  }
  return count;
}

/**
 * The 1-in-N rate of PSAMP selector parameters (RFC 5476): interval and space for systematic count-based
 * sampling, size out of population for n-out-of-N. Cisco sends samplingPacketInterval 1 beside size and
 * population, so an interval alone counts only when it is above 1 (the vendors' "1 in N" usage).
 */
function psampRate(interval: number, space: number, size: number, population: number): number {
  if (interval > 0 && space > 0) return (interval + space) / interval;
  if (size > 0 && population > 0) return population / size;
  return interval > 1 ? interval : 0;
}

function upToAbs(h: ExportHeader, sysInitMs: number, up: number): number {
  if (h.sysUptimeMs >= 0) return h.exportSecs * 1_000_000 - ((h.sysUptimeMs - up) | 0) * 1000;
  return sysInitMs >= 0 ? (sysInitMs + up) * 1000 : -1;
}

/** Sets the sampling rate and scaled counts of a record (rate 0 or 1: unsampled or unknown). */
export function applyRate(rec: FlowRecord, rate: number): void {
  if (rate > 1) {
    rec.samplingRate = rate;
    if (rec.bytes !== null) rec.scaledBytes = Math.round(rec.bytes * rate);
    if (rec.packets !== null) rec.scaledPackets = Math.round(rec.packets * rate);
  } else {
    if (rate === 1) rec.samplingRate = 1;
    rec.scaledBytes = rec.bytes;
    rec.scaledPackets = rec.packets;
  }
}

// The names of the last flow that had any: most flows of an exporter cross the same interfaces, so
// their records share one object instead of each making its own.
let lastNames: Readonly<Record<string, string>> | null = null;
let lastIn: string | undefined;
let lastOut: string | undefined;
let lastInV: string | undefined;
let lastOutV: string | undefined;

function addNames(rec: FlowRecord, info: DomainState['info'], inVrf: number, outVrf: number): void {
  const inName = rec.inIf !== null ? info.ifaceNames.get(rec.inIf) : undefined;
  const outName = rec.outIf !== null ? info.ifaceNames.get(rec.outIf) : undefined;
  const inV = inVrf >= 0 ? info.vrfNames.get(inVrf) : undefined;
  const outV = outVrf >= 0 ? info.vrfNames.get(outVrf) : undefined;
  if (lastNames === null || inName !== lastIn || outName !== lastOut || inV !== lastInV || outV !== lastOutV) {
    const d: Record<string, string> = {};
    if (inName !== undefined) d.inIfName = inName;
    if (outName !== undefined) d.outIfName = outName;
    if (inV !== undefined) d.ingressVRFname = inV;
    if (outV !== undefined) d.egressVRFname = outV;
    lastNames = Object.freeze(d);
    lastIn = inName;
    lastOut = outName;
    lastInV = inV;
    lastOutV = outV;
  }
  rec.derived = lastNames;
}

// NetFlow v9 options scope field types (RFC 3954 §6.1): they are not information elements.
const V9_SCOPE_INTERFACE = 2;

/** Applies every options record of a set to the exporter's state; returns the record count or -1. */
function applyOptionsSet(sink: RecordSink, dom: DomainState, tpl: Template, h: ExportHeader, buf: Uint8Array, start: number, end: number): number {
  const info = dom.info;
  let p = start;
  let count = 0;
  while (end - p >= tpl.minLen && tpl.minLen > 0) {
    let samplerId = -1, iface = -1, vrf = -1, rate = 0, pktInterval = 0, pktSpace = 0, size = 0, population = 0;
    let ifName: string | null = null;
    let vrfName: string | null = null;
    for (let i = 0; i < tpl.lens.length; i++) {
      if (!fieldLen(tpl.lens[i], buf, p, end, POS)) return -1;
      const off = POS[0];
      const len = POS[1];
      p = off + len;
      const id = tpl.ids[i];
      if (h.version === 9 && i < tpl.scopeCount) {
        // System scope (1) means exporter-wide; line card, cache and template scopes are ignored.
        if (id === V9_SCOPE_INTERFACE && len <= 8 && len > 0) iface = readUint(buf, off, len);
        continue;
      }
      if (tpl.pens[i] !== 0 || len < 1) continue;
      const v = len <= 8 ? readUint(buf, off, len) : -1;
      switch (id) {
        case 10: iface = v; break;
        case 48: case 302: samplerId = v; break;
        case 34: case 50: rate = v; break;
        case 305: pktInterval = v; break;
        case 306: pktSpace = v; break;
        case 309: size = v; break;
        case 310: population = v; break;
        case 160: if (v >= 0) dom.sysInitMs = v; break;
        case 234: vrf = v; break;
        case 82: ifName = valueOf(IeType.Str, buf, off, len) as string; break;
        case 236: vrfName = valueOf(IeType.Str, buf, off, len) as string; break;
      }
    }
    if (rate === 0) rate = psampRate(pktInterval, pktSpace, size, population);
    if (rate > 0) {
      if (samplerId >= 0) info.samplers.set(samplerId, rate);
      else if (iface >= 0) info.ifaceRates.set(iface, rate);
      else info.defaultRate = rate;
    }
    if (ifName !== null && iface >= 0) info.ifaceNames.set(iface, ifName);
    if (vrfName !== null && vrf >= 0) info.vrfNames.set(vrf, vrfName);
    if (info.ifaceNames.size > 65536) info.ifaceNames.clear();
    if (info.vrfNames.size > 65536) info.vrfNames.clear();
    if (info.samplers.size > 65536) info.samplers.clear();
    count++;
    sink.stats.optionsRecords++;
  }
  return count;
}
