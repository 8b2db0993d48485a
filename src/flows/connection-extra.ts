/**
 * The `extra` JSON of a connection row (VLANs, tunnel, application attributes), written as text
 * directly: the same string JSON.stringify would give for the object, without building the object
 * or walking it generically for each of the thousands of connections a capture emits per second.
 */
import type { ConnectionRecord } from './connection-record.js';

/** The connection's `extra` column, or null when it has nothing to say. */
export function connectionExtra(c: ConnectionRecord, app: Readonly<Record<string, string>> | null): string | null {
  if (c.vlan === null && c.tunnel === null && app === null) return null;
  let s = '{';
  if (c.vlan !== null) s += `"vlan":${c.vlan}`;
  if (c.inner_vlan !== null) s += `${s.length > 1 ? ',' : ''}"inner_vlan":${c.inner_vlan}`;
  if (c.tunnel !== null) {
    const t = c.tunnel;
    s += `${s.length > 1 ? ',' : ''}"tunnel":{"kind":${jsonString(t.kind)},"src_h":${jsonString(t.src_h)},"dst_h":${jsonString(t.dst_h)}}`;
  }
  if (app !== null) {
    s += `${s.length > 1 ? ',' : ''}"app":{`;
    let first = true;
    for (const k in app) {
      s += `${first ? '' : ','}${jsonString(k)}:${jsonString(app[k])}`;
      first = false;
    }
    s += '}';
  }
  return s + '}';
}

/** A JSON string literal: the text itself in quotes when nothing in it needs escaping. */
export function jsonString(v: string): string {
  for (let i = 0; i < v.length; i++) {
    const ch = v.charCodeAt(i);
    // Control characters, quote, backslash, and surrogates (a lone one is escaped by JSON.stringify).
    if (ch < 0x20 || ch === 0x22 || ch === 0x5c || (ch >= 0xd800 && ch <= 0xdfff)) return JSON.stringify(v);
  }
  return `"${v}"`;
}
