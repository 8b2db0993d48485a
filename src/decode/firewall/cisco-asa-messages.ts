/**
 * Parsers for the text of the Cisco ASA / FTD messages Nightjar stores (the part after
 * `%ASA-n-nnnnnn: `). Each returns null when the text does not have the documented shape, so the
 * decoder can count it as a bad message instead of storing guesses. Formats, from Cisco's
 * "Cisco Secure Firewall ASA Series Syslog Messages":
 *
 *   302013/302015  Built {inbound|outbound} {TCP|UDP} connection ID for IF:ADDR/PORT (MAPPED/PORT)[(user)]
 *                  to IF:ADDR/PORT (MAPPED/PORT)[(user)]
 *   302014/302016  Teardown {TCP|UDP} connection ID for IF:ADDR/PORT[(user)] to IF:ADDR/PORT[(user)]
 *                  duration H:MM:SS bytes N [reason...]
 *   302020/302021  {Built {inbound|outbound}|Teardown} ICMP connection for faddr ADDR/ID[(user)]
 *                  gaddr ADDR/N laddr ADDR/N[(user)] [type T code C]
 *   106001  Inbound TCP connection denied from ADDR/PORT to ADDR/PORT flags FLAGS on interface IF
 *   106006  Deny inbound {UDP|...} from ADDR/PORT to ADDR/PORT on interface IF
 *   106007  Deny inbound UDP from ADDR/PORT to ADDR/PORT due to DNS {Query|Response}
 *   106014  Deny {inbound|outbound} icmp src IF:ADDR dst IF:ADDR (type T, code C)
 *   106010  Deny {inbound|outbound} PROTO src IF:ADDR/PORT dst IF:ADDR/PORT
 *   106015  Deny TCP (no connection) from ADDR/PORT to ADDR/PORT flags FLAGS on interface IF
 *   106021  Deny PROTO reverse path check from ADDR to ADDR on interface IF
 *   106023  Deny {PROTO|protocol N} src IF:ADDR[/PORT] dst IF:ADDR[/PORT] [(type T, code C)] by access-group "ACL" [...]
 *   106100  access-list ACL {permitted|denied|est-allowed} PROTO IF/ADDR(PORT) -> IF/ADDR(PORT) hit-cnt N ...
 *   106102/106103  the same with `for user USER` before the source (per-user ACLs)
 *   710003  {TCP|UDP} access denied by ACL from ADDR/PORT to IF:ADDR/PORT
 *
 * In Built and Teardown messages the `for` side is the one on the lower-security (outside) interface:
 * for an outbound connection the originator is the `to` side.
 */

/** One side of a connection as an ASA message names it. */
export interface AsaEndpoint {
  iface: string | null;
  addr: string;
  port: number | null;
  user: string | null;
}

/** A connection Built or Teardown message (302013-302016, 302020, 302021). */
export interface AsaConnMessage {
  kind: 'built' | 'teardown';
  /** Pairing key: the connection id, or for ICMP (which has none) the three addresses. */
  key: string;
  id: string | null;
  proto: string;
  direction: 'inbound' | 'outbound' | null;
  /** The `for` (foreign, faddr) side and the `to` (local, laddr) side. */
  forSide: AsaEndpoint;
  toSide: AsaEndpoint;
  forMapped: AsaEndpoint | null;
  toMapped: AsaEndpoint | null;
  durationS: number | null;
  bytes: number | null;
  reason: string | null;
  icmpType: number | null;
  icmpCode: number | null;
}

/** A decision message (the 106xxx family and 710003). */
export interface AsaDecision {
  action: 'allow' | 'deny';
  proto: string;
  src: AsaEndpoint;
  dst: AsaEndpoint;
  inIface: string | null;
  outIface: string | null;
  rule: string | null;
  /** ICMP type and code when the message gives them (stored as the ports). */
  icmpType: number | null;
  icmpCode: number | null;
  detail: Record<string, string | number>;
}

function tokens(msg: string): string[] {
  // Identity firewall and TrustSec write `(LOCAL\user, 123)`: one token, as the other endpoints.
  if (msg.indexOf(', ') >= 0 && msg.indexOf('(') >= 0) msg = msg.replace(/\(([^() ]*), ([^() ]*)\)/g, '($1,$2)');
  // Some versions write `dst IF:ADDR(type 8, code 0)` without the space before the parenthesis.
  if (msg.indexOf('(type ') > 0) msg = msg.replace(/(\S)\(type /g, '$1 (type ');
  const t = msg.split(' ');
  for (let i = 0; i < t.length; i++) if (t[i] === '') return t.filter((x) => x !== '');
  return t;
}

/** The text without one trailing full stop (some messages end a sentence). */
function noDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function uint(s: string | undefined): number {
  if (s === undefined || s.length === 0 || s.length > 15) return NaN;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** `ADDR/PORT[(user)]`, `ADDR[(user)]` (port null), or with `IF:` in front when `withIface`. */
function endpoint(tok: string | undefined, withIface: boolean): AsaEndpoint | null {
  if (tok === undefined) return null;
  let user: string | null = null;
  const paren = tok.indexOf('(');
  if (paren >= 0) {
    const close = tok.indexOf(')', paren);
    user = tok.slice(paren + 1, close < 0 ? tok.length : close);
    tok = tok.slice(0, paren);
  }
  let iface: string | null = null;
  if (withIface) {
    const colon = tok.indexOf(':');
    if (colon <= 0) return null;
    iface = tok.slice(0, colon);
    tok = tok.slice(colon + 1);
  }
  const slash = tok.lastIndexOf('/');
  let port: number | null = null;
  if (slash >= 0) {
    port = uint(tok.slice(slash + 1));
    if (Number.isNaN(port) || port > 65535) return null;
    tok = tok.slice(0, slash);
  }
  if (tok.length === 0) return null;
  return { iface, addr: tok, port, user };
}

/** `(ADDR/PORT)` after an endpoint in Built messages; null when absent or malformed. */
function mapped(tok: string | undefined, iface: string | null): AsaEndpoint | null {
  if (tok === undefined || tok.charCodeAt(0) !== 40) return null;
  const close = tok.indexOf(')');
  const e = endpoint(tok.slice(1, close < 0 ? tok.length : close), false);
  if (e !== null) e.iface = iface;
  return e;
}

/** `H:MM:SS` (hours may exceed 23) in seconds, NaN when malformed. */
export function asaDuration(s: string | undefined): number {
  if (s === undefined) return NaN;
  const a = s.indexOf(':');
  const b = s.indexOf(':', a + 1);
  if (a < 0 || b < 0) return NaN;
  return uint(s.slice(0, a)) * 3600 + uint(s.slice(a + 1, b)) * 60 + uint(s.slice(b + 1));
}

/** Parses 302013-302016 (TCP/UDP Built and Teardown). */
export function parseConnMessage(msg: string): AsaConnMessage | null {
  const t = tokens(msg);
  const built = t[0] === 'Built';
  if (!built && t[0] !== 'Teardown') return null;
  let i = 1;
  let direction: AsaConnMessage['direction'] = null;
  if (built) {
    if (t[1] !== 'inbound' && t[1] !== 'outbound') return null;
    direction = t[1];
    i = 2;
  }
  const proto = t[i]?.toLowerCase();
  if (proto === undefined || t[i + 1] !== 'connection' || t[i + 3] !== 'for') return null;
  const id = t[i + 2];
  if (Number.isNaN(uint(id))) return null;
  i += 4;
  const forSide = endpoint(t[i++], true);
  const forMapped = built ? mapped(t[i], forSide?.iface ?? null) : null;
  if (forMapped !== null) i++;
  if (t[i++] !== 'to') return null;
  const toSide = endpoint(t[i++], true);
  const toMapped = built ? mapped(t[i], toSide?.iface ?? null) : null;
  if (toMapped !== null) i++;
  if (forSide === null || toSide === null || forSide.port === null || toSide.port === null) return null;
  let durationS: number | null = null;
  let bytes: number | null = null;
  let reason: string | null = null;
  if (!built) {
    while (i < t.length && t[i] !== 'duration') i++;
    if (t[i] !== 'duration' || t[i + 2] !== 'bytes') return null;
    durationS = asaDuration(t[i + 1]);
    bytes = uint(t[i + 3]);
    if (Number.isNaN(durationS) || Number.isNaN(bytes)) return null;
    if (t.length > i + 4) reason = t.slice(i + 4).join(' ');
  }
  return { kind: built ? 'built' : 'teardown', key: id, id, proto, direction, forSide, toSide, forMapped, toMapped, durationS, bytes, reason, icmpType: null, icmpCode: null };
}

/** Parses 302020/302021 (ICMP Built and Teardown). */
export function parseIcmpMessage(msg: string): AsaConnMessage | null {
  const t = tokens(msg);
  const built = t[0] === 'Built';
  if (!built && t[0] !== 'Teardown') return null;
  let direction: AsaConnMessage['direction'] = null;
  if (built) {
    if (t[1] !== 'inbound' && t[1] !== 'outbound') return null;
    direction = t[1];
  }
  const at = (word: string): number => t.indexOf(word);
  const f = at('faddr');
  const g = at('gaddr');
  const l = at('laddr');
  if (f < 0 || g < 0 || l < 0) return null;
  const forSide = endpoint(t[f + 1], false);
  const global = endpoint(t[g + 1], false);
  const toSide = endpoint(t[l + 1], false);
  if (forSide === null || global === null || toSide === null) return null;
  const ty = at('type');
  const co = at('code');
  const icmpType = ty >= 0 ? uint(t[ty + 1]) : NaN;
  const icmpCode = co >= 0 ? uint(t[co + 1]) : NaN;
  const proto = (t[built ? 2 : 1] ?? '').toLowerCase() === 'icmpv6' ? 'icmp6' : 'icmp';
  // The number after faddr's slash is the ICMP identifier (or sequence number): part of the key.
  const key = `${proto} ${t[f + 1]} ${t[g + 1]} ${t[l + 1]}`;
  return {
    kind: built ? 'built' : 'teardown',
    key,
    id: null,
    proto,
    direction,
    forSide: { ...forSide, port: null },
    toSide: { ...toSide, port: null },
    forMapped: null,
    toMapped: { ...global, port: null },
    durationS: null,
    bytes: null,
    reason: null,
    icmpType: Number.isNaN(icmpType) ? null : icmpType,
    icmpCode: Number.isNaN(icmpCode) ? null : icmpCode,
  };
}

/** `(type T, code C)` spread over tokens starting at `i` (the token `(type`). */
function typeCode(t: string[], i: number): [number | null, number | null] {
  if (t[i] !== '(type') return [null, null];
  const ty = uint(t[i + 1]?.replace(',', ''));
  const co = uint(t[i + 3]?.replace(')', ''));
  return [Number.isNaN(ty) ? null : ty, Number.isNaN(co) ? null : co];
}

function decision(
  action: AsaDecision['action'],
  proto: string,
  src: AsaEndpoint | null,
  dst: AsaEndpoint | null,
  rest: Partial<AsaDecision> = {},
): AsaDecision | null {
  if (src === null || dst === null) return null;
  return { action, proto: proto.toLowerCase(), src, dst, inIface: src.iface, outIface: dst.iface, rule: null, icmpType: null, icmpCode: null, detail: {}, ...rest };
}

/** Parses a decision message by its id; null when the text does not match. */
export function parseDecision(id: number, msg: string): AsaDecision | null {
  const t = tokens(msg);
  switch (id) {
    case 106001: {
      // Inbound TCP connection denied from A/P to B/P flags F... on interface IF
      if (t[0] !== 'Inbound' || t[3] !== 'denied' || t[4] !== 'from' || t[6] !== 'to') return null;
      const onIf = t.lastIndexOf('interface');
      const flags = t.indexOf('flags');
      const iface = onIf > 0 ? (t[onIf + 1] ?? null) : null;
      const detail: Record<string, string> = {};
      if (flags > 0) detail.tcp_flags = t.slice(flags + 1, onIf > 0 ? onIf - 1 : t.length).join(' ');
      return decision('deny', t[1], endpoint(t[5], false), endpoint(t[7], false), { inIface: iface, outIface: null, detail });
    }
    case 106006:
    case 106007: {
      // Deny inbound PROTO from A/P to B/P {on interface IF | due to DNS Query}
      if (t[0] !== 'Deny' || t[3] !== 'from' || t[5] !== 'to') return null;
      const detail: Record<string, string> = { direction: t[1] };
      let iface: string | null = null;
      if (t[7] === 'on' && t[8] === 'interface') iface = noDot(t[9] ?? '') || null;
      else if (t[7] === 'due' && t[8] === 'to') detail.reason = noDot(t.slice(9).join(' '));
      return decision('deny', t[2], endpoint(t[4], false), endpoint(noDot(t[6] ?? ''), false), { inIface: iface, outIface: null, detail });
    }
    case 106010:
    case 106014: {
      // Deny {inbound|outbound} icmp src IF:A dst IF:B (type T, code C); 106010: any protocol, IF:A/P
      if (t[0] !== 'Deny' || t[3] !== 'src' || t[5] !== 'dst') return null;
      const [icmpType, icmpCode] = typeCode(t, 7);
      return decision('deny', t[2], endpoint(t[4], true), endpoint(t[6], true), { icmpType, icmpCode, detail: { direction: t[1] } });
    }
    case 106015: {
      // Deny TCP (no connection) from A/P to B/P flags F on interface IF
      if (t[0] !== 'Deny' || t[2] !== '(no' || t[4] !== 'from' || t[6] !== 'to') return null;
      const onIf = t.lastIndexOf('interface');
      const flags = t.indexOf('flags');
      const detail: Record<string, string> = { reason: 'no connection' };
      if (flags > 0) detail.tcp_flags = t.slice(flags + 1, onIf > 0 ? onIf - 1 : t.length).join(' ');
      const iface = onIf > 0 ? (noDot(t[onIf + 1] ?? '') || null) : null;
      return decision('deny', t[1], endpoint(t[5], false), endpoint(t[7], false), { inIface: iface, outIface: null, detail });
    }
    case 106021: {
      // Deny PROTO reverse path check from A to B on interface IF (anti-spoofing)
      if (t[0] !== 'Deny' || t[2] !== 'reverse' || t[5] !== 'from' || t[7] !== 'to') return null;
      const iface = t[9] === 'on' && t[10] === 'interface' ? noDot(t[11] ?? '') || null : null;
      return decision('deny', t[1], endpoint(t[6], false), endpoint(t[8], false), { inIface: iface, outIface: null, detail: { reason: 'reverse path check' } });
    }
    case 106023: {
      // Deny PROTO src IF:A[/P] dst IF:B[/P] [(type T, code C)] by access-group "ACL" [...]
      if (t[0] !== 'Deny') return null;
      let proto = t[1];
      let i = 2;
      if (proto === 'protocol') {
        proto = t[2];
        i = 3;
      }
      if (t[i] !== 'src') return null;
      const src = endpoint(t[i + 1], true);
      const d = t.indexOf('dst', i + 2);
      if (d < 0) return null;
      const dst = endpoint(t[d + 1], true);
      const tc = t.indexOf('(type', d + 2);
      const [icmpType, icmpCode] = tc > 0 ? typeCode(t, tc) : [null, null];
      const by = t.indexOf('access-group', d + 2);
      const rule = by > 0 && t[by + 1] !== undefined ? unquote(t[by + 1]) : null;
      return decision('deny', proto, src, dst, { rule, icmpType, icmpCode });
    }
    case 106100:
    case 106102:
    case 106103: {
      // access-list ACL {permitted|denied|est-allowed} PROTO [for user USER] IF/A(P) -> IF/B(P) hit-cnt N ...
      if (t[0] !== 'access-list') return null;
      const verdict = t[2];
      if (verdict !== 'permitted' && verdict !== 'denied' && verdict !== 'est-allowed') return null;
      const arrow = t.indexOf('->', 5);
      if (arrow < 0) return null;
      const forUser = t[4] === 'for' && t[5] === 'user';
      if (forUser !== (id !== 106100) || (forUser && arrow < 8)) return null;
      const src = slashEndpoint(t[arrow - 1]);
      const dst = slashEndpoint(t[arrow + 1]);
      const detail: Record<string, string | number> = { verdict };
      if (forUser) detail.user = unquote(t.slice(6, arrow - 1).join(' ').replace(/^'(.*)'$/, '$1'));
      const hit = t.indexOf('hit-cnt', arrow);
      if (hit > 0 && !Number.isNaN(uint(t[hit + 1]))) detail.hit_count = uint(t[hit + 1]);
      const proto = t[3];
      const icmp = proto === 'icmp' || proto === 'icmp6';
      const res = decision(verdict === 'denied' ? 'deny' : 'allow', proto, src, dst, {
        rule: t[1],
        detail,
        icmpType: icmp ? (src?.port ?? null) : null,
        icmpCode: icmp ? (dst?.port ?? null) : null,
      });
      if (res !== null && icmp) res.src.port = res.dst.port = null;
      return res;
    }
    case 710003: {
      // PROTO access denied by ACL from A/P to IF:B/P
      if (t[1] !== 'access' || t[2] !== 'denied' || t[5] !== 'from' || t[7] !== 'to') return null;
      const dst = endpoint(t[8], true);
      return decision('deny', t[0], endpoint(t[6], false), dst, { inIface: dst?.iface ?? null, outIface: null, detail: { target: 'device' } });
    }
    default:
      return null;
  }
}

/** `IF/ADDR(PORT)[(user, sg)]` as 106100 writes it. */
function slashEndpoint(tok: string | undefined): AsaEndpoint | null {
  if (tok === undefined) return null;
  const slash = tok.indexOf('/');
  const open = tok.indexOf('(', slash);
  const close = tok.indexOf(')', open);
  if (slash <= 0 || open < 0 || close < 0) return null;
  const port = uint(tok.slice(open + 1, close));
  if (Number.isNaN(port)) return null;
  return { iface: tok.slice(0, slash), addr: tok.slice(slash + 1, open), port, user: null };
}
