/**
 * The log prefix of a netfilter line (the text before IN=): the rule it names and what it says about the
 * decision, zones and ruleset. EdgeOS `[RULESET-RULE-A|D|R]`, UniFi `[RULESET-A|D|R-NUMBER]` (a
 * `WAN_LOCAL` ruleset also gives the zones), pfSense-style `DESCR="..."`, and action words anywhere else
 * (`[UFW BLOCK]`, `IPTABLES-DROP:`). See netfilter.ts for the mapping as a whole.
 */

/** What a log prefix says, worked out once per distinct prefix. */
export interface PrefixInfo {
  rule: string | null;
  ruleId: string | null;
  action: string | null;
  ruleset: string | null;
  descr: string | null;
  inZone: string | null;
  outZone: string | null;
}

const EDGEOS = /^(.+)-([^-\s]+)-([ADR])$/;
const UNIFI = /^(.+)-([ADR])-(\d+)$/;
const UNIFI_ZONES = new Set(['WAN', 'LAN', 'LOCAL', 'GUEST', 'VPN', 'DMZ', 'IOT']);

function actionWord(w: string): string | null {
  switch (w.toUpperCase()) {
    case 'BLOCK':
    case 'BLOCKED':
    case 'DENY':
    case 'DENIED':
      return 'deny';
    case 'DROP':
    case 'DROPPED':
      return 'drop';
    case 'REJECT':
    case 'REJECTED':
      return 'reject';
    case 'ACCEPT':
    case 'ACCEPTED':
    case 'ALLOW':
    case 'ALLOWED':
      return 'allow';
    default:
      return null;
  }
}

/** Reads a log prefix such as `[UFW BLOCK] `, `IPTABLES-DROP: ` or `[WAN_LOCAL-D-2147483647] DESCR="x"`. */
export function readPrefix(raw: string): PrefixInfo {
  const p: PrefixInfo = { rule: null, ruleId: null, action: null, ruleset: null, descr: null, inZone: null, outZone: null };
  let text = raw.trim();
  const d = text.indexOf('DESCR="');
  if (d >= 0) {
    const close = text.indexOf('"', d + 7);
    p.descr = text.slice(d + 7, close < 0 ? text.length : close);
    text = (text.slice(0, d) + (close < 0 ? '' : text.slice(close + 1))).trim();
  }
  if (text.endsWith(':')) text = text.slice(0, -1).trim();
  let bracketed = false;
  if (text.startsWith('[') && text.endsWith(']')) {
    text = text.slice(1, -1).trim();
    bracketed = true;
  }
  if (text.length === 0) return p;
  p.rule = text;
  const u = bracketed ? UNIFI.exec(text) : null;
  const m = u !== null ? [u[0], u[1], u[3], u[2]] : bracketed ? EDGEOS.exec(text) : null;
  if (m !== null) {
    p.ruleset = m[1];
    p.ruleId = m[2];
    p.action = m[3] === 'A' ? 'allow' : m[3] === 'D' ? 'drop' : 'reject';
    const z = m[1].split('_');
    if (z.length === 2 && UNIFI_ZONES.has(z[0]) && UNIFI_ZONES.has(z[1])) {
      p.inZone = z[0];
      p.outZone = z[1];
    }
    return p;
  }
  for (const w of text.split(/[^A-Za-z]+/)) {
    const a = actionWord(w);
    if (a !== null) {
      p.action = a;
      break;
    }
  }
  return p;
}
