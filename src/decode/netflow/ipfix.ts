/**
 * IPFIX (RFC 7011): the 16-byte message header, template and options template sets (with
 * enterprise elements, variable-length fields and template withdrawal), and data sets decoded with
 * the templates of (exporter, observation domain). Sequence numbers count data records. Malformed
 * input is counted by reason and skipped; nothing here throws on bad bytes.
 */
import { decodeDataSet } from './data-records.js';
import { expireHeld, holdSet } from './held-sets.js';
import { MAX_TEMPLATE_FIELDS } from './netflow-v9.js';
import { trackSequence } from './sequence.js';
import { Template, type DomainState } from './template-cache.js';
import { installTemplate, withdrawAll, withdrawTemplate, type DecoderCore } from './templates.js';
import { u16, u32 } from './values.js';

/** Bytes in an IPFIX message header. */
export const IPFIX_HEADER_LEN = 16;
const TEMPLATE_SET = 2;
const OPTIONS_SET = 3;
const VARIABLE = 0xffff;

/** Decodes one IPFIX message buf[off, off + len) from `exporter`. */
export function decodeIpfix(core: DecoderCore, buf: Uint8Array, off: number, len: number, exporter: string, nowMicros: number): void {
  const stats = core.sink.stats;
  if (len < IPFIX_HEADER_LEN) return stats.bad('truncated_header');
  const msgLen = u16(buf, off + 2);
  if (msgLen < IPFIX_HEADER_LEN || msgLen > len) return stats.bad('bad_length');
  const h = core.hdr;
  h.version = 10;
  h.exporter = exporter;
  h.sysUptimeMs = -1;
  h.exportSecs = u32(buf, off + 4);
  const seq = u32(buf, off + 8);
  h.domain = u32(buf, off + 12);
  const dom = core.cache.domain(10, exporter, h.domain, nowMicros);
  expireHeld(core.cache, core.sink, dom, nowMicros);
  const end = off + msgLen;
  let records = 0;
  let p = off + IPFIX_HEADER_LEN;
  while (end - p >= 4) {
    const setId = u16(buf, p);
    const setLen = u16(buf, p + 2);
    if (setLen < 4 || p + setLen > end) {
      stats.bad('bad_set_length');
      records = -1;
      break;
    }
    const body = p + 4;
    const setEnd = p + setLen;
    if (setId === TEMPLATE_SET || setId === OPTIONS_SET) parseTemplates(core, dom, buf, body, setEnd, setId === OPTIONS_SET);
    else if (setId < 256) stats.bad('bad_set_id');
    else {
      const tpl = dom.templates.get(setId);
      if (tpl === undefined) {
        holdSet(core.cache, core.sink, dom, setId, h, buf, body, setEnd, nowMicros);
        records = -1;
      } else {
        const n = decodeDataSet(core.sink, dom, tpl, h, buf, body, setEnd);
        if (n < 0) stats.bad('truncated_record');
        if (records >= 0) records = n < 0 ? -1 : records + n;
      }
    }
    p = setEnd;
  }
  trackSequence(stats, dom, seq, records);
}

function parseTemplates(core: DecoderCore, dom: DomainState, buf: Uint8Array, p: number, end: number, options: boolean): void {
  const stats = core.sink.stats;
  while (end - p >= 4) {
    const id = u16(buf, p);
    const count = u16(buf, p + 2);
    if (count === 0) {
      // Withdrawal: one template, or all of this set's kind when the id is the set id itself.
      if (id === (options ? OPTIONS_SET : TEMPLATE_SET)) withdrawAll(core, dom, options);
      else if (id >= 256) withdrawTemplate(core, dom, id);
      else stats.bad('bad_template');
      p += 4;
      continue;
    }
    let scopeCount = 0;
    let q = p + 4;
    if (options) {
      if (end - q < 2) return stats.bad('bad_template');
      scopeCount = u16(buf, q);
      q += 2;
      if (scopeCount === 0 || scopeCount > count) return stats.bad('bad_template');
    }
    if (id < 256 || count > MAX_TEMPLATE_FIELDS || q + count * 4 > end) return stats.bad('bad_template');
    const ids: number[] = [];
    const pens: number[] = [];
    const lens: number[] = [];
    let zero = false;
    for (let i = 0; i < count; i++) {
      if (q + 4 > end) return stats.bad('bad_template');
      const raw = u16(buf, q);
      const l = u16(buf, q + 2);
      q += 4;
      let pen = 0;
      if (raw & 0x8000) {
        if (q + 4 > end) return stats.bad('bad_template');
        pen = u32(buf, q);
        q += 4;
      }
      if (l === 0) zero = true;
      ids.push(raw & 0x7fff);
      pens.push(pen);
      lens.push(l === VARIABLE ? -1 : l);
    }
    p = q;
    if (zero) stats.bad('zero_length_field');
    else installTemplate(core, dom, new Template(id, scopeCount, ids, pens, lens));
  }
}
