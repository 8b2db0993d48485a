/**
 * Firepower Threat Defense connection and intrusion events, the messages FTD sends for every logged
 * connection and IPS hit (Cisco "Secure Firewall Threat Defense Syslog Messages", 430001 to 430003):
 * after the tag, a list of `Key: value` pairs joined by `, `.
 *
 *   430003 (end of connection)   one connections row: SrcIP/SrcPort initiated, InitiatorPackets/Bytes ->
 *                                orig_pkts/orig_ip_bytes, ResponderPackets/Bytes -> resp_*, duration =
 *                                ConnectionDuration, ts = FirstPacketSecond (else log time - duration),
 *                                end_ts = log time, service = ApplicationProtocol in lower case
 *   430001 (intrusion event)     one findings row (writeIntrusion)
 *   430002 (beginning)           of a blocked connection: one firewall row (no 430003 follows it);
 *                                of an allowed one: ignored as `ftd-430002-allowed`, since the 430003
 *                                of the same connection carries all of it
 *
 * action from AccessControlRuleAction: Allow, Trust, Monitor, Fastpath -> allow; Block, Interactive
 * Block -> deny; Block with reset, Interactive Block with reset -> reject. ICMP type and code are names
 * in these events (`Echo Request`, `No Code`); the common ones are turned into numbers for the key.
 * Every other pair goes to `extra` under its own name.
 */
import { CONNECTIONS, FINDINGS, FIREWALL, columnIndex } from '../../model/fields.js';
import type { DecodeContext } from '../decoder.js';
import { writeFlowKey, type FlowKey } from '../flow-key.js';
import { ASA_SOURCE } from './cisco-asa-rows.js';
import { parseIpInto } from '../../model/ip.js';

const C = columnIndex(CONNECTIONS);
const F = columnIndex(FIREWALL);
const G = columnIndex(FINDINGS);

/** Pairs of an intrusion event stored in findings columns. */
const IN_FINDING = new Set(['Message', 'SID', 'Revision', 'Classification', 'Priority', 'InlineResult', 'ApplicationProtocol']);

/** Pairs stored in columns (or read for the key), so `extra` does not repeat them. */
const IN_COLUMNS = new Set([
  'SrcIP', 'DstIP', 'SrcPort', 'DstPort', 'Protocol', 'ConnectionID', 'ConnectionDuration', 'FirstPacketSecond',
  'InitiatorPackets', 'ResponderPackets', 'InitiatorBytes', 'ResponderBytes', 'IngressInterface', 'EgressInterface',
  'IngressZone', 'EgressZone', 'AccessControlRuleName', 'AccessControlRuleAction',
]);

/** ICMP type names as FTD writes them, by family: the same name is another number in ICMPv6. */
const ICMP_TYPES: Record<string, number> = {
  'Echo Reply': 0, 'Destination Unreachable': 3, 'Source Quench': 4, Redirect: 5, 'Echo Request': 8, 'Time Exceeded': 11, 'Parameter Problem': 12,
};
const ICMP6_TYPES: Record<string, number> = {
  'Destination Unreachable': 1, 'Packet Too Big': 2, 'Time Exceeded': 3, 'Parameter Problem': 4, 'Echo Request': 128, 'Echo Reply': 129,
};

/** FirstPacketSecond in microseconds: a time written without a zone is UTC (never the reading machine's zone). */
function firstPacketMicros(text: string | undefined): number {
  if (text === undefined) return NaN;
  const t = text.trim();
  const zoned = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(t) || !t.includes('T');
  return Date.parse(zoned ? t : `${t}Z`) * 1000;
}

/** Pairs after an FTD connection event's tag; null when the text is not such a list. */
export function ftdPairs(msg: string): Map<string, string> | null {
  // Split only at `, ` followed by a key, so a value holding `, ` (a URL, a user agent) stays whole.
  const parts = msg.split(/, (?=[A-Za-z][A-Za-z0-9_ ]{0,40}: )/);
  const out = new Map<string, string>();
  for (const p of parts) {
    const c = p.indexOf(': ');
    if (c <= 0) return null;
    out.set(p.slice(0, c), p.slice(c + 2));
  }
  return out;
}

function action(text: string | undefined): string | null {
  if (text === undefined) return null;
  if (text === 'Allow' || text === 'Trust' || text === 'Monitor' || text === 'Fastpath') return 'allow';
  if (text.endsWith('with reset')) return 'reject';
  return text.endsWith('Block') ? 'deny' : null;
}

function uint(s: string | undefined): number | null {
  if (s === undefined || !/^\d{1,15}$/.test(s)) return null;
  return Number(s);
}

const key: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };

/** Why an event was not stored: a skip reason, or an ignore reason starting with `ftd-`. */
export type FtdOutcome = 'stored' | 'bad_message' | 'name_not_address' | 'ftd-430002-allowed';

const ipScratch = new Uint8Array(16);

/** Writes one 430001/430002/430003 event (`line` is the whole log line); returns what happened to it. */
export function writeFtdEvent(ctx: DecodeContext, id: 430001 | 430002 | 430003, msg: string, logMicros: number, sensor: string | null, line: string): FtdOutcome {
  const p = ftdPairs(msg);
  const src = p?.get('SrcIP');
  const dst = p?.get('DstIP');
  const protoText = p?.get('Protocol');
  if (p == null || src === undefined || dst === undefined || protoText === undefined) return 'bad_message';
  if (parseIpInto(src, ipScratch, 0) === 0 || parseIpInto(dst, ipScratch, 0) === 0) return 'name_not_address';
  const act = action(p.get('AccessControlRuleAction'));
  if (id === 430002 && act === 'allow') return 'ftd-430002-allowed';
  const proto = protoText.toLowerCase();
  const icmp = proto === 'icmp' || proto === 'icmp6' || proto === 'ipv6-icmp';
  const duration = uint(p.get('ConnectionDuration'));
  const first = firstPacketMicros(p.get('FirstPacketSecond'));
  // A start after the log line's own time is a misread: the line's time less the duration then.
  key.tsMicros = Number.isNaN(first) || first > logMicros + 1e6 ? logMicros - (duration ?? 0) * 1e6 : first;
  key.uid = p.get('ConnectionID') ?? null;
  key.origH = src;
  key.respH = dst;
  const v6 = proto !== 'icmp' || src.includes(':');
  key.origP = icmp ? ((v6 ? ICMP6_TYPES : ICMP_TYPES)[p.get('ICMPType') ?? ''] ?? null) : uint(p.get('SrcPort'));
  key.respP = icmp ? (p.get('ICMPCode') === 'No Code' ? 0 : uint(p.get('ICMPCode'))) : uint(p.get('DstPort'));
  key.proto = proto === 'ipv6-icmp' ? 'icmp6' : proto;
  if (!icmp && (key.origP === null || key.respP === null)) return 'bad_message';
  const extra: Record<string, string | number> = { asa_id: id };
  if (id === 430001) return writeIntrusion(ctx, p, logMicros, sensor, extra);
  for (const [k, v] of p) if (!IN_COLUMNS.has(k)) extra[k] = v;
  const oPk = uint(p.get('InitiatorPackets'));
  const rPk = uint(p.get('ResponderPackets'));
  const oBy = uint(p.get('InitiatorBytes'));
  const rBy = uint(p.get('ResponderBytes'));
  if (id === 430003) {
    const b = ctx.batch('connections');
    const row = b.addRow();
    writeFlowKey(b, row, key, ASA_SOURCE, ctx.sensor ?? sensor, ctx.ingestId);
    b.setStr(C.action, row, act);
    const app = p.get('ApplicationProtocol');
    if (app !== undefined) b.setStr(C.service, row, app.toLowerCase());
    if (duration !== null) b.setNum(C.duration, row, duration);
    b.setNum(C.end_ts, row, logMicros);
    if (oPk !== null) b.setNum(C.orig_pkts, row, oPk);
    if (rPk !== null) b.setNum(C.resp_pkts, row, rPk);
    if (oBy !== null) b.setNum(C.orig_ip_bytes, row, oBy);
    if (rBy !== null) b.setNum(C.resp_ip_bytes, row, rBy);
    for (const [k, name] of [['IngressInterface', 'orig_iface'], ['EgressInterface', 'resp_iface'], ['IngressZone', 'orig_zone'], ['EgressZone', 'resp_zone'], ['AccessControlRuleName', 'rule'], ['AccessControlRuleAction', 'rule_action']] as const) {
      const v = p.get(k);
      if (v !== undefined) extra[name] = v;
    }
    b.setStr(C.extra, row, JSON.stringify(extra));
    return 'stored';
  }
  const b = ctx.batch('firewall');
  const row = b.addRow();
  writeFlowKey(b, row, key, ASA_SOURCE, ctx.sensor ?? sensor, ctx.ingestId);
  b.setStr(F.action, row, act);
  b.setStr(F.rule, row, p.get('AccessControlRuleName') ?? null);
  b.setStr(F.in_iface, row, p.get('IngressInterface') ?? null);
  b.setStr(F.out_iface, row, p.get('EgressInterface') ?? null);
  b.setStr(F.in_zone, row, p.get('IngressZone') ?? null);
  b.setStr(F.out_zone, row, p.get('EgressZone') ?? null);
  if (oBy !== null || rBy !== null) b.setNum(F.bytes, row, (oBy ?? 0) + (rBy ?? 0));
  if (oPk !== null || rPk !== null) b.setNum(F.packets, row, (oPk ?? 0) + (rPk ?? 0));
  b.setStr(F.message, row, line);
  extra.rule_action = p.get('AccessControlRuleAction') ?? '';
  b.setStr(F.extra, row, JSON.stringify(extra));
  return 'stored';
}

/**
 * An intrusion event (430001) as a finding, at the time it was logged: Message -> signature (its quotes
 * taken off), SID, Revision, Classification -> category, Priority -> severity (1 most severe, as
 * Suricata's), InlineResult Blocked / Dropped / Partially Blocked -> blocked, any other result -> allowed.
 */
function writeIntrusion(ctx: DecodeContext, p: Map<string, string>, logMicros: number, sensor: string | null, extra: Record<string, string | number>): FtdOutcome {
  key.tsMicros = logMicros;
  const b = ctx.batch('findings');
  const row = b.addRow();
  writeFlowKey(b, row, key, ASA_SOURCE, ctx.sensor ?? sensor, ctx.ingestId);
  const message = p.get('Message');
  if (message !== undefined) b.setStr(G.signature, row, message.length >= 2 && message.startsWith('"') && message.endsWith('"') ? message.slice(1, -1) : message);
  const sid = uint(p.get('SID'));
  if (sid !== null) b.setNum(G.signature_id, row, sid);
  const rev = uint(p.get('Revision'));
  if (rev !== null) b.setNum(G.rev, row, rev);
  b.setStr(G.category, row, p.get('Classification') ?? null);
  const prio = uint(p.get('Priority'));
  if (prio !== null && prio <= 255) b.setNum(G.severity, row, prio);
  const result = p.get('InlineResult');
  if (result !== undefined) b.setStr(G.action, row, /^(Blocked|Dropped|Partially Blocked)$/i.test(result) ? 'blocked' : 'allowed');
  const app = p.get('ApplicationProtocol');
  if (app !== undefined) b.setStr(G.app_proto, row, app.toLowerCase());
  for (const [k, v] of p) if (!IN_COLUMNS.has(k) && !IN_FINDING.has(k)) extra[k] = v;
  if (result !== undefined) extra.InlineResult = result;
  b.setStr(G.extra, row, JSON.stringify(extra));
  return 'stored';
}
