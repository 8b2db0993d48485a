/**
 * NetFlow v9 (RFC 3954): the 20-byte header, template and options template FlowSets, and data
 * FlowSets decoded with the templates of (exporter, source id). Sequence numbers count export
 * packets. Malformed input is counted by reason and skipped; nothing here throws on bad bytes.
 */
import { decodeDataSet } from './data-records.js';
import { holdSet, expireHeld } from './held-sets.js';
import { trackSequence } from './sequence.js';
import { Template, type DomainState } from './template-cache.js';
import { installTemplate, type DecoderCore } from './templates.js';
import { u16, u32 } from './values.js';

/** Bytes in a NetFlow v9 header. */
export const V9_HEADER_LEN = 20;
/** Most fields a template may declare; more is taken as corruption. */
export const MAX_TEMPLATE_FIELDS = 512;

/** Decodes one NetFlow v9 datagram buf[off, off + len) from `exporter`. */
export function decodeV9(core: DecoderCore, buf: Uint8Array, off: number, len: number, exporter: string, nowMicros: number): void {
  const stats = core.sink.stats;
  if (len < V9_HEADER_LEN) return stats.bad('truncated_header');
  const h = core.hdr;
  h.version = 9;
  h.exporter = exporter;
  h.sysUptimeMs = u32(buf, off + 4);
  h.exportSecs = u32(buf, off + 8);
  const seq = u32(buf, off + 12);
  h.domain = u32(buf, off + 16);
  const dom = core.cache.domain(9, exporter, h.domain, nowMicros);
  expireHeld(core.cache, core.sink, dom, nowMicros);
  trackSequence(stats, dom, seq, 1);
  const end = off + len;
  let p = off + V9_HEADER_LEN;
  while (end - p >= 4) {
    const setId = u16(buf, p);
    const setLen = u16(buf, p + 2);
    if (setLen < 4 || p + setLen > end) {
      // Padding after the last set is legal only as zeros shorter than a set header.
      stats.bad('bad_set_length');
      return;
    }
    const body = p + 4;
    const setEnd = p + setLen;
    if (setId === 0) parseTemplates(core, dom, buf, body, setEnd);
    else if (setId === 1) parseOptionsTemplates(core, dom, buf, body, setEnd);
    else if (setId < 256) stats.bad('bad_set_id');
    else {
      const tpl = dom.templates.get(setId);
      if (tpl === undefined) holdSet(core.cache, core.sink, dom, setId, h, buf, body, setEnd, nowMicros);
      else if (decodeDataSet(core.sink, dom, tpl, h, buf, body, setEnd) < 0) stats.bad('truncated_record');
    }
    p = setEnd;
  }
}

function parseTemplates(core: DecoderCore, dom: DomainState, buf: Uint8Array, p: number, end: number): void {
  const stats = core.sink.stats;
  while (end - p >= 4) {
    const id = u16(buf, p);
    const count = u16(buf, p + 2);
    p += 4;
    if (id < 256 || count === 0 || count > MAX_TEMPLATE_FIELDS || p + count * 4 > end) {
      stats.bad('bad_template');
      return;
    }
    const tpl = readFields(buf, p, count, 0, id);
    p += count * 4;
    if (tpl === null) stats.bad('zero_length_field');
    else installTemplate(core, dom, tpl);
  }
}

function parseOptionsTemplates(core: DecoderCore, dom: DomainState, buf: Uint8Array, p: number, end: number): void {
  const stats = core.sink.stats;
  while (end - p >= 6) {
    const id = u16(buf, p);
    const scopeLen = u16(buf, p + 2);
    const optLen = u16(buf, p + 4);
    p += 6;
    const count = (scopeLen + optLen) / 4;
    if (id < 256 || scopeLen % 4 !== 0 || optLen % 4 !== 0 || scopeLen === 0 || count > MAX_TEMPLATE_FIELDS || p + count * 4 > end) {
      stats.bad('bad_template');
      return;
    }
    const tpl = readFields(buf, p, count, scopeLen / 4, id);
    p += count * 4;
    if (tpl === null) stats.bad('zero_length_field');
    else installTemplate(core, dom, tpl);
    // Options template records are padded to a 4-byte boundary only at the end of the set.
  }
}

function readFields(buf: Uint8Array, p: number, count: number, scopeCount: number, id: number): Template | null {
  const ids: number[] = [];
  const lens: number[] = [];
  const pens: number[] = [];
  for (let i = 0; i < count; i++, p += 4) {
    const l = u16(buf, p + 2);
    if (l === 0) return null;
    ids.push(u16(buf, p));
    lens.push(l);
    pens.push(0);
  }
  return new Template(id, scopeCount, ids, pens, lens);
}
