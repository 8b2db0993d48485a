/**
 * SQL expressions over the connections relation `t` that several questions share, so every question
 * counts bytes and leaves out interim rows the same way.
 */
import { raw } from '../store/sql.js';

/** Bytes the originator sent (IP-level when known, else payload), over the catalog relation `t`. */
export const BYTES_ORIG = raw('coalesce(t.orig_ip_bytes, t.orig_bytes, 0)');
/** Bytes the responder sent. */
export const BYTES_RESP = raw('coalesce(t.resp_ip_bytes, t.resp_bytes, 0)');
/** Interim rows (progress reports of connections still open in a live capture) would count twice. */
export const FINAL_ROWS = raw(`t.state_reason IS DISTINCT FROM 'interim'`);
