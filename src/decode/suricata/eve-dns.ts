/**
 * Suricata `dns` events to DNS rows, in all three EVE formats:
 *
 * - v1 (Suricata up to 4.x, and `version: 1`): one event per query (`type: "query"`) and one event per
 *   resource record of a response (`type: "answer"`, or `"authority"`), each repeating the header.
 *   The consecutive records of one response (same flow_id, DNS id and timestamp) are grouped into one
 *   row; authority/additional records go to extra (`dns.records`), not to answers. A response with no
 *   records (NXDOMAIN...) is one `answer` event without rdata: a row with an empty answer list. Records
 *   of one response that another thread's line interrupts become two rows (Suricata writes them in a
 *   burst, so this is rare).
 * - v2 (`version: 2`): queries as in v1; one `type: "answer"` event per response, with the query at
 *   top level (rrname/rrtype), the header (`flags` hex, qr/aa/tc/rd/ra, rcode) and an `answers` array
 *   and/or a `grouped` object (which has no TTLs).
 * - v3 (`version: 3`, Suricata 8): `type: "request"` and `"response"` events with a `queries` array;
 *   responses also carry `answers` / `grouped`.
 *
 * Rows: one per request and one per response, as Suricata logs them; pairing them into Zeek-style
 * transactions needs a timeout policy and belongs in a later stage. Both rows carry trans_id and the
 * query. To fill what a response does not say, requests are remembered (bounded, by flow_id and DNS
 * id): a v1 response takes its query name and type from its request (else the owner name of its first
 * record, which is the query name in ordinary responses), and every response gets `rtt`.
 * Suricata logs a response in packet direction (server to client); its row is turned round so that
 * orig is the client, as in every DNS row, unless the record is evidently already client to server.
 * qclass is not in EVE and stays null; `rejected` needs the section counts, which EVE does not give.
 */
import { DNS, columnIndex } from '../../model/fields.js';
import type { ColumnBatch } from '../../store/column-batch.js';
import type { FlowKey } from '../flow-key.js';
import { addAnswer, addAnswerArray, addGrouped, answerList, resetAnswers, writeAnswers, writeFlags, writeRcode } from './eve-dns-answers.js';
import { qtypeNumber } from './eve-dns-codes.js';
import { decodeMetadata } from './eve-metadata.js';
import { turnKey, type EveSession } from './eve-session.js';
import { isObject, rest, str, type EveObject } from './eve-values.js';

const D = columnIndex(DNS);

/** DNS fields that have columns; `queries` too unless there is more than one. */
const DNS_MAPPED = new Set(['id', 'flags', 'qr', 'aa', 'tc', 'rd', 'ra', 'z', 'rcode', 'rrname', 'rrtype', 'answers', 'grouped', 'ttl', 'rdata', 'queries']);
const DNS_MAPPED_MULTI = new Set([...DNS_MAPPED].filter((k) => k !== 'queries'));
/** The header fields every v1 record repeats; left out of the authority records kept in extra. */
const V1_HEADER = new Set(['id', 'flags', 'qr', 'aa', 'tc', 'rd', 'ra', 'z', 'rcode', 'tx_id']);

/** Server ports of DNS and its variants (DNS over TLS, mDNS). */
const DNS_PORTS = new Set([53, 853, 5353]);

/**
 * Records gathered into one v1 row at most (a DNS message holds far fewer); a longer run of matching
 * records, which only a damaged or crafted file has, continues in a new row instead of growing memory.
 */
const MAX_V1_RECORDS = 4096;

/** Requests remembered for rtt and v1 query names; the oldest is forgotten past this many. */
const MAX_PENDING = 10_000;

interface PendingRequest {
  ts: number;
  query: string | null;
  qtype: string | null;
}

/** The records of one v1 response, gathered until a line that is not part of it. */
interface V1Group {
  key: FlowKey;
  sensor: string | null;
  /** First event of the group, which the next ones must match. */
  first: EveObject;
  firstDns: EveObject;
  parts: EveObject[];
  extra: EveObject | null;
}

/** Decodes DNS events for one input; holds the v1 group being gathered and the recent requests. */
export class EveDns {
  private group: V1Group | null = null;
  private readonly requests = new Map<string, PendingRequest>();
  private readonly answers = answerList();
  private readonly turned: FlowKey = { tsMicros: null, uid: null, origH: null, origP: null, respH: null, respP: null, proto: null, communityId: null };

  /** Writes the DNS row(s) of a `dns` event whose key the session has read. */
  decode(s: EveSession, rec: EveObject): void {
    const dns = rec.dns;
    const type = isObject(dns) ? dns.type : undefined;
    if (!isObject(dns) || typeof type !== 'string') {
      this.flush(s);
      return decodeMetadata(s, 'dns'); // not a shape we know: keep it whole rather than lose it
    }
    if (type === 'answer' && (dns.version === 2 || Array.isArray(dns.answers) || isObject(dns.grouped))) {
      this.flush(s);
      return this.response(s, rec, dns, str(dns.rrname), str(dns.rrtype), DNS_MAPPED);
    }
    if (type === 'answer' || type === 'authority' || type === 'additional') return this.v1Part(s, rec, dns);
    this.flush(s);
    if (type === 'query') return this.request(s, rec, dns, str(dns.rrname), str(dns.rrtype), DNS_MAPPED);
    const queries = dns.queries;
    const q = Array.isArray(queries) && isObject(queries[0]) ? queries[0] : null;
    const mapped = Array.isArray(queries) && queries.length > 1 ? DNS_MAPPED_MULTI : DNS_MAPPED;
    const qname = q === null ? null : str(q.rrname);
    const qtype = q === null ? null : str(q.rrtype);
    if (type === 'request') return this.request(s, rec, dns, qname, qtype, mapped);
    if (type === 'response') return this.response(s, rec, dns, qname, qtype, mapped);
    return decodeMetadata(s, 'dns');
  }

  /** Writes the pending v1 group, if any; called before any line that does not continue it. */
  flush(s: EveSession): void {
    const g = this.group;
    if (g === null) return;
    this.group = null;
    const l = this.answers;
    resetAnswers(l);
    let others: unknown[] | null = null;
    let owner: string | null = null;
    for (const p of g.parts) {
      if (p.type === 'answer') {
        addAnswer(l, p);
        owner ??= str(p.rrname);
      } else (others ??= []).push(rest(p, V1_HEADER));
    }
    const req = this.takeRequest(g.key.uid, g.firstDns.id);
    let extra = g.extra;
    if (others !== null) {
      // Authority and additional records of the response, each with its `type`.
      extra ??= {};
      extra.dns = { ...(isObject(extra.dns) ? extra.dns : {}), records: others };
    }
    const b = s.beginRow('dns', this.clientFirst(g.key), g.sensor);
    const r = b.length - 1;
    this.writeHeader(b, r, g.firstDns, req?.query ?? owner ?? str(g.firstDns.rrname), req?.qtype ?? null);
    writeRcode(b, r, g.firstDns.rcode, writeFlags(b, r, g.firstDns));
    writeAnswers(b, r, l);
    if (req && g.key.tsMicros !== null && g.key.tsMicros >= req.ts) b.setNum(D.rtt, r, (g.key.tsMicros - req.ts) / 1e6);
    b.setStr(D.extra, r, extra === null ? null : JSON.stringify(extra));
    s.endRow();
  }

  private request(s: EveSession, rec: EveObject, dns: EveObject, query: string | null, qtype: string | null, mapped: ReadonlySet<string>): void {
    const b = s.beginRow('dns');
    const r = b.length - 1;
    this.writeHeader(b, r, dns, query, qtype);
    writeFlags(b, r, dns);
    b.setStr(D.extra, r, s.extra(rec, 'dns', mapped));
    s.endRow();
    const uid = s.key.uid;
    if (uid === null || typeof dns.id !== 'number' || s.key.tsMicros === null) return;
    if (this.requests.size >= MAX_PENDING) this.requests.delete(this.requests.keys().next().value as string);
    this.requests.set(`${uid}:${dns.id}`, { ts: s.key.tsMicros, query, qtype });
  }

  private response(s: EveSession, rec: EveObject, dns: EveObject, query: string | null, qtype: string | null, mapped: ReadonlySet<string>): void {
    const l = this.answers;
    resetAnswers(l);
    if (Array.isArray(dns.answers)) addAnswerArray(l, dns.answers);
    else if (isObject(dns.grouped)) addGrouped(l, dns.grouped);
    const req = this.takeRequest(s.key.uid, dns.id);
    const ts = s.key.tsMicros;
    const b = s.beginRow('dns', this.clientFirst(s.key));
    const r = b.length - 1;
    this.writeHeader(b, r, dns, query ?? req?.query ?? null, qtype ?? req?.qtype ?? null);
    writeRcode(b, r, dns.rcode, writeFlags(b, r, dns));
    writeAnswers(b, r, l);
    if (req && ts !== null && ts >= req.ts) b.setNum(D.rtt, r, (ts - req.ts) / 1e6);
    b.setStr(D.extra, r, s.extra(rec, 'dns', mapped));
    s.endRow();
  }

  /** Adds a v1 answer/authority record to the group it continues, or starts a new group. */
  private v1Part(s: EveSession, rec: EveObject, dns: EveObject): void {
    const g = this.group;
    if (
      g !== null && g.parts.length < MAX_V1_RECORDS &&
      rec.flow_id === g.first.flow_id && dns.id === g.firstDns.id && rec.timestamp === g.first.timestamp
    ) {
      g.parts.push(dns);
      return;
    }
    this.flush(s);
    this.group = {
      key: { ...s.key },
      sensor: s.sensor,
      first: rec,
      firstDns: dns,
      parts: [dns],
      // The header and the first record go to columns; what else the first event says stays.
      extra: s.extraObject(rec, 'dns', DNS_MAPPED),
    };
  }

  private writeHeader(b: ColumnBatch, r: number, dns: EveObject, query: string | null, qtype: string | null): void {
    if (typeof dns.id === 'number' && Number.isInteger(dns.id) && dns.id >= 0 && dns.id <= 65535) b.setNum(D.trans_id, r, dns.id);
    b.setStr(D.query, r, query);
    if (qtype !== null) {
      b.setStr(D.qtype_name, r, /^\d+$/.test(qtype) ? null : qtype);
      const n = qtypeNumber(qtype);
      if (n !== null) b.setNum(D.qtype, r, n);
    }
  }

  /** The key of a response with the client as orig (a reused object when it must be turned round). */
  private clientFirst(k: FlowKey): FlowKey {
    if (k.respP !== null && DNS_PORTS.has(k.respP) && !(k.origP !== null && DNS_PORTS.has(k.origP))) return k;
    return turnKey(k, this.turned);
  }

  private takeRequest(uid: string | null, id: unknown): PendingRequest | undefined {
    if (uid === null || typeof id !== 'number') return undefined;
    const k = `${uid}:${id}`;
    const req = this.requests.get(k);
    if (req !== undefined) this.requests.delete(k);
    return req;
  }
}
