/**
 * What the generated TCP connections carry: each request or response is a message of some length with a
 * literal prefix (TLS hellos, HTTP headers, SSH banners) and, for TLS, a run of application data records
 * from some offset on. The rest of a message is bytes of the random pattern, so a segment is one copy
 * plus a few patched bytes, and its checksum stays cheap (see frame-writer.ts).
 */
import type { FrameWriter } from './frame-writer.js';
import { logUniform } from './session.js';
import { CLIENT_CCS, TLS_APP_DATA, TLS_RECORD_STRIDE, clientHello, serverHello } from './tls-hello.js';

/** The application protocols a connection speaks. */
export const App = { TLS: 0, HTTP: 1, SSH: 2 } as const;

/** One message in one direction of a connection. */
export interface Message {
  /** Length in bytes. */
  len: number;
  /** Literal bytes the message starts with, or null. */
  pre: Uint8Array | null;
  /** Offset where TLS application data records start, or -1 for none. */
  rec: number;
}

const SSH_CLIENT = Buffer.from('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n', 'latin1');
const SSH_SERVER = Buffer.from('SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10\r\n', 'latin1');
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36';
const PATHS = ['/', '/index.html', '/api/v2/items', '/static/app.js', '/img/logo.png', '/download/file.bin', '/v1/metrics'];

/** Sizes in bytes of a response: mostly small, a long tail of downloads. */
function responseSize(r: () => number): number {
  const x = r();
  if (x < 0.5) return Math.round(logUniform(r, 150, 2000));
  if (x < 0.9) return Math.round(logUniform(r, 2000, 100e3));
  if (x < 0.99) return Math.round(logUniform(r, 100e3, 3e6));
  return Math.round(logUniform(r, 3e6, 40e6));
}

/** Length of a run of application data records carrying about `n` bytes (the last record at least 6). */
function tlsBody(n: number): number {
  let len = Math.max(22, Math.round(n));
  const tail = len % TLS_RECORD_STRIDE;
  if (tail > 0 && tail < 6) len += 6;
  return len;
}

/** The client's message of exchange `exchange`: a hello, a request, or the bulk of an upload. */
export function requestMessage(app: number, exchange: number, host: string, uploading: boolean, sid: Uint8Array,
  r: () => number): Message {
  if (app === App.TLS) {
    if (exchange === 0) {
      const pre = clientHello(host || 'intranet.corp.example', sid, r);
      return { len: pre.length, pre, rec: -1 };
    }
    const pre = exchange === 1 ? CLIENT_CCS : null;
    const rec = pre ? pre.length : 0;
    return { len: rec + tlsBody(uploading ? logUniform(r, 20e3, 30e6) : logUniform(r, 80, 900)), pre, rec };
  }
  if (app === App.HTTP) {
    const body = uploading ? Math.round(logUniform(r, 20e3, 30e6)) : 0;
    const path = PATHS[(r() * PATHS.length) | 0];
    const head = `${body ? 'POST' : 'GET'} ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${UA}\r\nAccept: */*\r\n` +
      `Accept-Encoding: gzip, deflate\r\n${body ? `Content-Type: application/octet-stream\r\nContent-Length: ${body}\r\n` : ''}` +
      'Connection: keep-alive\r\n\r\n';
    const pre = Buffer.from(head, 'latin1');
    return { len: pre.length + body, pre, rec: -1 };
  }
  if (exchange === 0) return { len: SSH_CLIENT.length, pre: SSH_CLIENT, rec: -1 };
  return { len: Math.round(uploading ? logUniform(r, 20e3, 30e6) : logUniform(r, 36, 400)), pre: null, rec: -1 };
}

/** The server's answer in exchange `exchange`; small after an upload, announcing the close when `closing`. */
export function responseMessage(app: number, exchange: number, sid: Uint8Array, uploading: boolean, closing: boolean,
  r: () => number): Message {
  if (app === App.TLS) {
    if (exchange === 0) {
      const pre = serverHello(sid, r);
      return { len: pre.length + tlsBody(logUniform(r, 2500, 5500)), pre, rec: pre.length };
    }
    return { len: tlsBody(uploading ? logUniform(r, 60, 400) : responseSize(r)), pre: null, rec: 0 };
  }
  if (app === App.HTTP) {
    const body = uploading ? 0 : responseSize(r);
    const head = `HTTP/1.1 ${uploading ? '201 Created' : '200 OK'}\r\nServer: nginx/1.24.0\r\nContent-Type: application/octet-stream\r\n` +
      `Content-Length: ${body}\r\nConnection: ${closing ? 'close' : 'keep-alive'}\r\n\r\n`;
    const pre = Buffer.from(head, 'latin1');
    return { len: pre.length + body, pre, rec: -1 };
  }
  if (exchange === 0) return { len: SSH_SERVER.length, pre: SSH_SERVER, rec: -1 };
  return { len: uploading ? Math.round(logUniform(r, 36, 200)) : responseSize(r), pre: null, rec: -1 };
}

/**
 * Writes bytes `rel`..`rel + len` of a message of `msgLen` bytes at `po` (an even distance from the
 * checksum start): pattern bytes from pattern offset `p`, then the literal prefix `pre` and the TLS record
 * headers from `rec` on patched in. Returns the payload's unfolded checksum sum.
 */
export function writePayload(w: FrameWriter, po: number, p: number, rel: number, len: number, msgLen: number,
  pre: Uint8Array | null, rec: number): number {
  let sum = w.pattern(po, p, len, false);
  const end = rel + len;
  if (pre && rel < pre.length) {
    const stop = Math.min(end, pre.length);
    for (let i = rel; i < stop; i++) sum += w.patch(po + i - rel, pre[i], ((i - rel) & 1) === 1);
  }
  if (rec >= 0 && end > rec) {
    let h = rec + Math.max(0, Math.ceil((rel - rec - 4) / TLS_RECORD_STRIDE)) * TLS_RECORD_STRIDE;
    for (; h < end; h += TLS_RECORD_STRIDE) {
      const rlen = Math.min(TLS_RECORD_STRIDE, msgLen - h) - 5;
      for (let j = 0; j < 5; j++) {
        const q = h + j;
        if (q < rel || q >= end) continue;
        const v = j === 0 ? TLS_APP_DATA : j < 3 ? 3 : j === 3 ? rlen >>> 8 : rlen & 0xff;
        sum += w.patch(po + q - rel, v, ((q - rel) & 1) === 1);
      }
    }
  }
  return sum;
}
