/**
 * Detection of the line-based protocols on crafted sessions, on ports other than their usual ones:
 * SSH banners, SMTP and FTP told apart after the same "220" greeting, SIP requests and responses;
 * and text that resembles them but is not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from './app-detect-test-support.js';

const CLIENT_SSH = 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13';
const SERVER_SSH = 'SSH-2.0-OpenSSH_8.9p1';

describe('SSH', () => {
  it('reads both banners whichever side speaks first', () => {
    const want = { client: CLIENT_SSH, server: SERVER_SSH };
    const a = run([[CLIENT_SSH + '\r\n', true], [SERVER_SSH + '\r\n', false]], 'tcp', 50000, 2222);
    const b = run([[SERVER_SSH + '\r\n', false], [CLIENT_SSH + '\n', true]], 'tcp', 50000, 22);
    for (const st of [a, b]) assert.deepEqual([st.service, st.attrs, st.done], ['ssh', want, true]);
  });

  it('joins a banner split over segments, and accepts protocol 1.99', () => {
    const st = run([['SSH-1.99-Open', false], ['SSH_3.9\r\n', false], ['SSH-2.0-PuTTY\r\n', true]], 'tcp', 50000, 2200);
    assert.deepEqual(st.attrs, { server: 'SSH-1.99-OpenSSH_3.9', client: 'SSH-2.0-PuTTY' });
  });

  it('does not take malformed identification strings for SSH', () => {
    for (const s of ['SSH-20-x\r\n', 'SSH-.0-x\r\n', 'SSH-2.0x-y\r\n', 'SSH-2.0-a\x01b\r\n', 'SSH-2.0-' + 'x'.repeat(300) + '\r\n', 'ssh-2.0-x\r\n', 'SSH-2.0-x']) {
      assert.equal(run([[s, true]], 'tcp', 50000, 22).service, null, JSON.stringify(s.slice(0, 20)));
    }
  });
});

describe('SMTP and FTP', () => {
  it('tells SMTP by EHLO after the greeting, and reads the HELO name', () => {
    const st = run([['220 mx.example.com ESMTP ready\r\n', false], ['EHLO client.example.org\r\n', true]], 'tcp', 50000, 2525);
    assert.deepEqual([st.service, st.attrs, st.done], ['smtp', { helo: 'client.example.org' }, true]);
    assert.equal(run([['220-mx.example.com\r\n220 ok\r\n', false], ['helo box\r\n', true]], 'tcp', 50000, 587).attrs?.helo, 'box');
  });

  it('takes a whole EHLO line without a greeting, but not a bare prefix', () => {
    assert.equal(run([['EHLO client\r\n', true]], 'tcp', 50000, 25).service, 'smtp');
    assert.equal(run([['EHLO', true]], 'tcp', 50000, 25).service, null);
  });

  it('tells FTP by USER or AUTH after the greeting, and reads the user', () => {
    const st = run([['220 ProFTPD Server ready.\r\n', false], ['USER anonymous\r\n', true]], 'tcp', 50000, 2121);
    assert.deepEqual([st.service, st.attrs], ['ftp', { user: 'anonymous' }]);
    const tls = run([['220 (vsFTPd 3.0.5)\r\n', false], ['AUTH TLS\r\n', true]], 'tcp', 50000, 21);
    assert.deepEqual([tls.service, tls.attrs], ['ftp', null]);
  });

  it('does not take POP3, a greeting alone, or an unknown first command for SMTP or FTP', () => {
    for (const session of [
      [['+OK POP3 ready\r\n', false], ['USER bob\r\n', true]],
      [['USER bob\r\n', true]],
      [['220 ready\r\n', false]],
      [['220 ready\r\n', false], ['HELP\r\n', true]],
      [['220 ready\r\n', false], ['EHLOX\r\n', true]],
      [['2200 ready\r\n', false], ['USER bob\r\n', true]],
    ] as [string, boolean][][]) {
      assert.equal(run(session, 'tcp', 50000, 25).service, null, JSON.stringify(session));
    }
  });
});

describe('SIP', () => {
  it('reads method, URI and user agent of a request over UDP, and the status of a response over TCP', () => {
    const invite = 'INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com\r\nUser-Agent: Softphone Beta1.5\r\n\r\nv=0\r\n';
    const st = run([[invite, true]], 'udp', 5060, 5080);
    assert.deepEqual([st.service, st.attrs], ['sip', { method: 'INVITE', uri: 'sip:bob@biloxi.example.com', user_agent: 'Softphone Beta1.5' }]);
    assert.deepEqual(run([['SIP/2.0 180 Ringing\r\nContent-Length: 0\r\n\r\n', false]], 'tcp', 5060, 5061).attrs, { status: '180' });
  });

  it('does not take a non-SIP target or another version for SIP', () => {
    for (const s of ['OPTIONS / SIP/2.0\r\n\r\n', 'INVITE sip:a@b SIP/3.0\r\n\r\n', 'SIP/2.1 200 OK\r\n\r\n']) {
      assert.equal(run([[s, true]], 'udp', 5060, 5060).service, null, s);
    }
  });
});
