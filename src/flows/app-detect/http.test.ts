/**
 * HTTP detection by content: Zeek's GET trace moved to other ports, split inside its headers, and
 * text that only looks like HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { framePayload, run } from './app-detect-test-support.js';

const REQUEST = framePayload('zeek_http_get', 4);
const RESPONSE = framePayload('zeek_http_get', 6);
const ATTRS = { method: 'GET', uri: '/download/CHANGES.bro-aux.txt', user_agent: 'Wget/1.14 (darwin12.2.0)', host: 'bro.org', status: '200' };

describe('HTTP', () => {
  it('detects HTTP on 8080, 3128, 12345 and even 443, with the same attributes', () => {
    for (const port of [80, 8080, 3128, 12345, 443]) {
      const st = run([[REQUEST, true], [RESPONSE, false]], 'tcp', 59856, port);
      assert.deepEqual([st.service, st.attrs, st.done], ['http', ATTRS, true], String(port));
    }
  });

  it('reads headers that arrive in a later segment than the request line', () => {
    const cut = REQUEST.indexOf('\r\n') + 2 + 10;
    const st = run([[REQUEST.subarray(0, cut), true], [REQUEST.subarray(cut), true], [RESPONSE, false]], 'tcp', 59856, 8080);
    assert.deepEqual(st.attrs, ATTRS);
  });

  it('waits for a request line split over segments', () => {
    const st = run([[REQUEST.subarray(0, 9), true], [REQUEST.subarray(9, 20), true], [REQUEST.subarray(20), true]], 'tcp', 59856, 8080);
    assert.equal(st.service, 'http');
    assert.equal(st.attrs?.uri, '/download/CHANGES.bro-aux.txt');
  });

  it('takes a response alone, and a CONNECT or unusual method with a well-formed request line', () => {
    assert.deepEqual(run([[RESPONSE, false]], 'tcp', 59856, 8080).attrs, { status: '200' });
    assert.equal(run([['CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', true]], 'tcp', 5000, 3128).attrs?.method, 'CONNECT');
    assert.equal(run([['PROPFIND /dav/ HTTP/1.1\r\n\r\n', true]], 'tcp', 5000, 8000).service, 'http');
  });

  it('reads past an interim 100 Continue to the final status, as Zeek logs it (status and info_code)', () => {
    const post = 'POST /upload HTTP/1.1\r\nHost: files.exfil.example:8080\r\nUser-Agent: curl/7.88.1\r\nExpect: 100-continue\r\n\r\n';
    const cont = 'HTTP/1.1 100 Continue\r\n\r\n';
    const created = 'HTTP/1.1 201 Created\r\nContent-Length: 21\r\n\r\n{"received": 2097152}';
    const apart = run([[post, true], [cont, false], [created, false]], 'tcp', 49646, 8080);
    assert.deepEqual([apart.attrs?.status, apart.attrs?.info_code, apart.done], ['201', '100', true]);
    const together = run([[post, true], [cont + created, false]], 'tcp', 49646, 8080);
    assert.deepEqual([together.attrs?.status, together.attrs?.info_code], ['201', '100']);
    const split = run([[post, true], [cont.slice(0, 10), false], [cont.slice(10) + created.slice(0, 12), false], [created.slice(12), false]], 'tcp', 49646, 8080);
    assert.deepEqual([split.attrs?.status, split.attrs?.info_code], ['201', '100']);
    // 101 Switching Protocols is the final answer (a WebSocket upgrade): nothing follows in HTTP.
    const ws = run([['GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n', true], ['HTTP/1.1 101 Switching Protocols\r\n\r\n\x81\x05hello', false]], 'tcp', 5000, 80);
    assert.deepEqual([ws.attrs?.status, ws.attrs?.info_code], ['101', undefined]);
    // An interim response followed by something that is not HTTP: status stays unknown, detection ends.
    const odd = run([[post, true], [cont + '\x00\x01binary', false]], 'tcp', 49646, 8080);
    assert.deepEqual([odd.service, odd.attrs?.status, odd.attrs?.info_code], ['http', undefined, '100']);
  });

  it('does not take HTTP-looking garbage for HTTP', () => {
    const garbage = [
      'GET / HTTP/1.1', // no line end ever comes
      'GET  / HTTP/1.1\r\n\r\n',
      'get / HTTP/1.1\r\n\r\n',
      'GET / HTTP/1.1x\r\n\r\n',
      'GET / HTTQ/1.1\r\n\r\n',
      'GET /\x00 HTTP/1.1\r\n\r\n',
      'GET / HTTP/1.\r\n\r\n',
      'G3T / HTTP/1.1\r\n\r\n',
      'GETTTTTTTTTTTTTTTTTTTTTTTTT / HTTP/1.1\r\n\r\n',
      'GET / SIP/2.0\r\n\r\n',
      'HTTP/1.1 2000 OK\r\n\r\n',
      'HTTP/1.1 20 OK\r\n\r\n',
      'HTTP/x.1 200 OK\r\n\r\n',
      'HTTP/1.1 099 Low\r\n\r\n',
      'HTTP/1.1200 OK\r\n\r\n',
      '<html><body>GET / HTTP/1.1</body></html>\r\n',
    ];
    for (const g of garbage) {
      const st = run([[g, true]], 'tcp', 40000, 80);
      assert.equal(st.service, null, JSON.stringify(g));
      assert.equal(st.attrs, null, JSON.stringify(g));
    }
  });

  it('keeps the first Host and User-Agent, trimmed, and escapes control bytes in values', () => {
    const req = 'GET /a HTTP/1.0\r\nhOsT:   example.org  \r\nHost: second\r\nUser-Agent: x\x01y\r\n\r\n';
    assert.deepEqual(run([[req, true]], 'tcp', 40000, 81).attrs, { method: 'GET', uri: '/a', host: 'example.org', user_agent: 'x\\x01y' });
  });
});
