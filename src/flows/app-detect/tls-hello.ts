/**
 * Reads the attributes analysts want from TLS hello messages: the server name and offered ALPN
 * protocols from a ClientHello, the negotiated version from a ServerHello. Shared by TLS over TCP and
 * by QUIC, whose Initial packets carry the same ClientHello. Every length is checked against the
 * message's end; damage ends the parse, never throws.
 */
import type { AppFlowState } from './app-flow-state.js';
import { attrText, u16, u24 } from './bytes.js';

/** How a hello parse ended. */
export const enum HelloResult {
  /** Parsed; whatever attributes it carried are set. */
  Ok = 0,
  /** The message continues past the bytes given. */
  Truncated = 1,
  /** Not a well-formed hello of the expected type. */
  Malformed = 2,
}

const EXT_SERVER_NAME = 0;
const EXT_ALPN = 16;
const EXT_SUPPORTED_VERSIONS = 43;

/** TLS version as Zeek's ssl.log writes it (TLSv12, TLSv13, SSLv3, ...). */
export function tlsVersionName(v: number): string {
  switch (v) {
    case 0x0002:
      return 'SSLv2';
    case 0x0300:
      return 'SSLv3';
    case 0x0301:
      return 'TLSv10';
    case 0x0302:
      return 'TLSv11';
    case 0x0303:
      return 'TLSv12';
    case 0x0304:
      return 'TLSv13';
    case 0xfeff:
      return 'DTLSv10';
    case 0xfefd:
      return 'DTLSv12';
    case 0xfefc:
      return 'DTLSv13';
  }
  if (v >> 8 === 0x7f) return `TLSv13-draft${v & 0xff}`;
  return `unknown-${v}`;
}

/**
 * Skips the fields ClientHello and ServerHello share (version, random, session id) from the body's
 * start; returns the offset after them, or -1 when they do not fit in [p, end).
 */
function skipHelloStart(b: Uint8Array, p: number, end: number): number {
  if (end - p < 35) return -1;
  p += 34;
  const sid = b[p];
  if (sid > 32 || end - p < 1 + sid) return -1;
  return p + 1 + sid;
}

/**
 * Parses a ClientHello handshake message at b[off] (its 4-byte header first) within [off, end) and
 * sets `sni` and `alpn` (comma-separated, in the client's order) on the flow.
 */
export function parseClientHello(st: AppFlowState, b: Uint8Array, off: number, end: number): HelloResult {
  if (end - off < 4) return HelloResult.Truncated;
  if (b[off] !== 1) return HelloResult.Malformed;
  const msgEnd = off + 4 + u24(b, off + 1);
  if (msgEnd > end) return HelloResult.Truncated;
  let p = skipHelloStart(b, off + 4, msgEnd);
  if (p < 0 || msgEnd - p < 2) return HelloResult.Malformed;
  const suites = u16(b, p);
  if (suites < 2 || suites & 1 || msgEnd - p < 2 + suites + 1) return HelloResult.Malformed;
  p += 2 + suites;
  const comp = b[p];
  if (comp < 1 || msgEnd - p < 1 + comp) return HelloResult.Malformed;
  p += 1 + comp;
  if (p === msgEnd) return HelloResult.Ok; // no extensions
  if (msgEnd - p < 2) return HelloResult.Malformed;
  const extEnd = p + 2 + u16(b, p);
  if (extEnd > msgEnd) return HelloResult.Malformed;
  p += 2;
  while (extEnd - p >= 4) {
    const type = u16(b, p);
    const dataEnd = p + 4 + u16(b, p + 2);
    if (dataEnd > extEnd) return HelloResult.Malformed;
    if (type === EXT_SERVER_NAME) readServerName(st, b, p + 4, dataEnd);
    else if (type === EXT_ALPN) readAlpn(st, b, p + 4, dataEnd);
    p = dataEnd;
  }
  return p === extEnd ? HelloResult.Ok : HelloResult.Malformed;
}

/** server_name: a list of (type, name); the host_name entry (type 0) is the SNI. */
function readServerName(st: AppFlowState, b: Uint8Array, p: number, end: number): void {
  if (end - p < 2) return;
  const listEnd = p + 2 + u16(b, p);
  if (listEnd > end) return;
  p += 2;
  while (listEnd - p >= 3) {
    const nameEnd = p + 3 + u16(b, p + 1);
    if (nameEnd > listEnd) return;
    if (b[p] === 0 && nameEnd > p + 3) {
      st.setAttr('sni', attrText(b, p + 3, nameEnd));
      return;
    }
    p = nameEnd;
  }
}

/** application_layer_protocol_negotiation: a list of length-prefixed protocol names. */
function readAlpn(st: AppFlowState, b: Uint8Array, p: number, end: number): void {
  if (st.hasAttr('alpn') || end - p < 2) return;
  const listEnd = p + 2 + u16(b, p);
  if (listEnd > end) return;
  let names = '';
  for (p += 2; p < listEnd; ) {
    const nameEnd = p + 1 + b[p];
    if (nameEnd > listEnd || nameEnd === p + 1) return;
    names += (names === '' ? '' : ',') + attrText(b, p + 1, nameEnd);
    p = nameEnd;
  }
  if (names !== '') st.setAttr('alpn', names);
}

/**
 * Parses a ServerHello handshake message at b[off] within [off, end) and sets `version`: the
 * supported_versions selection when present (TLS 1.3), else the legacy version field.
 */
export function parseServerHello(st: AppFlowState, b: Uint8Array, off: number, end: number): HelloResult {
  if (end - off < 4) return HelloResult.Truncated;
  if (b[off] !== 2) return HelloResult.Malformed;
  const msgEnd = off + 4 + u24(b, off + 1);
  if (msgEnd > end) return HelloResult.Truncated;
  if (msgEnd - off < 6) return HelloResult.Malformed;
  let version = u16(b, off + 4);
  let p = skipHelloStart(b, off + 4, msgEnd);
  if (p < 0 || msgEnd - p < 3) return HelloResult.Malformed;
  p += 3; // cipher suite, compression method
  if (msgEnd - p >= 2) {
    const extEnd = p + 2 + u16(b, p);
    if (extEnd > msgEnd) return HelloResult.Malformed;
    for (p += 2; extEnd - p >= 4; ) {
      const type = u16(b, p);
      const dataEnd = p + 4 + u16(b, p + 2);
      if (dataEnd > extEnd) return HelloResult.Malformed;
      if (type === EXT_SUPPORTED_VERSIONS && dataEnd - p === 6) version = u16(b, p + 4);
      p = dataEnd;
    }
  }
  st.setAttr('version', tlsVersionName(version));
  return HelloResult.Ok;
}
