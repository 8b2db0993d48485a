/**
 * Detection of the binary protocols on crafted messages built from their specifications, on ports
 * other than their usual ones where the protocol allows: RDP, SMB, Kerberos, MySQL, PostgreSQL, NTP,
 * DHCP and DNS; and near misses that must not pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { framePayload, run } from './app-detect-test-support.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** TPKT + X.224 TPDU of the given code around user data (dst-ref, src-ref 0, class 0). */
function tpkt(code: number, userData: Buffer): Buffer {
  const x224 = Buffer.concat([Buffer.from([0, code, 0, 0, 0, 0, 0]), userData]);
  x224[0] = x224.length - 1;
  const head = Buffer.from([3, 0, 0, 0]);
  head.writeUInt16BE(4 + x224.length, 2);
  return Buffer.concat([head, x224]);
}

describe('RDP', () => {
  const negReq = hex('0100080003000000'); // TLS | CredSSP requested
  const negRsp = hex('0200080002000000'); // CredSSP selected
  it('reads the mstshash cookie and the selected security protocol, on any port', () => {
    const cr = tpkt(0xe0, Buffer.concat([Buffer.from('Cookie: mstshash=alice\r\n'), negReq]));
    const st = run([[cr, true], [tpkt(0xd0, negRsp), false]], 'tcp', 50000, 3390);
    assert.deepEqual([st.service, st.attrs, st.done], ['rdp', { cookie: 'alice', security_protocol: 'HYBRID' }, true]);
  });

  it('takes a bare negotiation request anywhere, an empty request only on 3389', () => {
    assert.equal(run([[tpkt(0xe0, negReq), true]], 'tcp', 50000, 13389).service, 'rdp');
    assert.equal(run([[tpkt(0xe0, Buffer.alloc(0)), true]], 'tcp', 50000, 3389).service, 'rdp');
    assert.equal(run([[tpkt(0xe0, Buffer.alloc(0)), true]], 'tcp', 50000, 102).service, null);
  });

  it("does not take ISO transport with TSAP parameters (S7comm on 102) or bad lengths for RDP", () => {
    const s7 = tpkt(0xe0, hex('c1020100 c2020102 c0010a'));
    assert.equal(run([[s7, true]], 'tcp', 50000, 102).service, null);
    const badLi = tpkt(0xe0, negReq);
    badLi[4]++;
    assert.equal(run([[badLi, true]], 'tcp', 50000, 3389).service, null);
    const noCrlf = tpkt(0xe0, Buffer.from('Cookie: mstshash=alice'));
    assert.equal(run([[noCrlf, true]], 'tcp', 50000, 3389).service, null);
  });
});

describe('SMB', () => {
  /** NetBIOS session message around an SMB2 NEGOTIATE (response when `dialect` is given). */
  function negotiate(dialect?: number): Buffer {
    const h = Buffer.alloc(64);
    h.write('\xfeSMB', 0, 'latin1');
    h.writeUInt16LE(64, 4);
    if (dialect !== undefined) h.writeUInt32LE(1, 16); // SMB2_FLAGS_SERVER_TO_REDIR
    const body = Buffer.alloc(dialect === undefined ? 36 : 64);
    body.writeUInt16LE(dialect === undefined ? 36 : 65, 0);
    if (dialect !== undefined) body.writeUInt16LE(dialect, 4);
    const nb = Buffer.alloc(4);
    nb.writeUInt32BE(h.length + body.length, 0);
    return Buffer.concat([nb, h, body]);
  }

  it('reads the SMB2 dialect from the NEGOTIATE response, naming 3.x SMB3', () => {
    const st = run([[negotiate(), true], [negotiate(0x0311), false]], 'tcp', 50000, 445);
    assert.deepEqual([st.service, st.attrs, st.done], ['smb', { version: 'SMB3', dialect: '3.1.1' }, true]);
    assert.deepEqual(run([[negotiate(), true], [negotiate(0x0210), false]], 'tcp', 50000, 4455).attrs, { version: 'SMB2', dialect: '2.1' });
  });

  it('skips a NetBIOS session request before SMB1 on port 139', () => {
    const request = Buffer.concat([hex('81000044'), Buffer.alloc(68, 0x41)]);
    const smb1 = Buffer.concat([hex('00000023 ff534d42 72'), Buffer.alloc(30)]);
    const st = run([[request, true], [hex('82000000'), false], [smb1, true]], 'tcp', 50000, 139);
    assert.deepEqual([st.service, st.attrs], ['smb', { version: 'SMB1' }]);
  });

  it("reads SMB1 from Zeek's big-endian DCE/RPC trace, and rejects other protocol ids", () => {
    assert.deepEqual(run([[framePayload('zeek_bigendian_smb_dssetup', 1), true]], 'tcp', 49467, 445).attrs, { version: 'SMB1' });
    assert.equal(run([[Buffer.concat([hex('00000040 58534d42'), Buffer.alloc(60)]), true]], 'tcp', 50000, 445).service, null);
    // A session message too short for any SMB header.
    assert.equal(run([[Buffer.concat([hex('00000010 ff534d42'), Buffer.alloc(12)]), true]], 'tcp', 50000, 445).service, null);
  });
});

describe('Kerberos', () => {
  const pvno = (tag: number) => hex(`${tag.toString(16)}03020105`);
  const msgType = (tag: number, t: number) => Buffer.from([tag, 3, 2, 1, t]);
  /** A minimal DER KDC message: [APPLICATION app] SEQUENCE { fields }. */
  function kdc(app: number, fields: Buffer[]): Buffer {
    const inner = Buffer.concat(fields);
    const seq = Buffer.concat([Buffer.from([0x30, inner.length]), inner]);
    return Buffer.concat([Buffer.from([0x60 | app, seq.length]), seq]);
  }
  const asReq = kdc(10, [pvno(0xa1), msgType(0xa2, 10), hex('a4023000')]);

  it("reads the request type over UDP ('krb') and TCP ('krb_tcp'), as Zeek names them", () => {
    assert.deepEqual([run([[asReq, true]], 'udp', 50000, 88).service, run([[asReq, true]], 'udp', 50000, 88).attrs], ['krb', { request_type: 'AS' }]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(asReq.length);
    const tcp = run([[Buffer.concat([len, asReq]), true]], 'tcp', 50000, 10088);
    assert.deepEqual([tcp.service, tcp.attrs], ['krb_tcp', { request_type: 'AS' }]);
    const tgsRep = kdc(13, [pvno(0xa0), msgType(0xa1, 13), hex('a2023000')]);
    assert.deepEqual(run([[tgsRep, false]], 'udp', 50000, 88).attrs, { request_type: 'TGS' });
    assert.equal(run([[kdc(30, [pvno(0xa0), msgType(0xa1, 30)]), false]], 'udp', 50000, 88).service, 'krb');
  });

  it('does not take a message whose type, version or lengths disagree for Kerberos', () => {
    for (const bad of [
      kdc(10, [pvno(0xa1), msgType(0xa2, 12), hex('a4023000')]), // msg-type TGS-REQ inside AS-REQ
      kdc(10, [hex('a103020104'), msgType(0xa2, 10)]), // pvno 4
      Buffer.concat([asReq, Buffer.from([0])]), // trailing byte
      kdc(14, [pvno(0xa0), msgType(0xa1, 14)]), // AP-REQ: not a KDC exchange
    ]) {
      assert.equal(run([[bad, true]], 'udp', 50000, 88).service, null, bad.toString('hex'));
    }
  });
});

describe('MySQL and PostgreSQL', () => {
  it("reads the server version from MySQL's greeting", () => {
    const body = Buffer.concat([hex('0a'), Buffer.from('8.0.36\0'), hex('0b000000'), Buffer.from('abcdefgh'), hex('00 ffff 21 0200 ffdf 15'), Buffer.alloc(10), Buffer.from('ijklmnopqrst\0caching_sha2_password\0')]);
    const head = Buffer.from([body.length & 0xff, body.length >> 8, 0, 0]);
    const st = run([[Buffer.concat([head, body]), false]], 'tcp', 50000, 13306);
    assert.deepEqual([st.service, st.attrs], ['mysql', { server_version: '8.0.36' }]);
    head[3] = 1; // sequence id 1: not a greeting
    assert.equal(run([[Buffer.concat([head, body]), false]], 'tcp', 50000, 3306).service, null);
  });

  it("reads user and database from PostgreSQL's startup message, and takes an SSLRequest", () => {
    const params = Buffer.from('user\0alice\0database\0shop\0application_name\0psql\0\0');
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + params.length, 0);
    head.writeUInt32BE(0x00030000, 4);
    const st = run([[Buffer.concat([head, params]), true]], 'tcp', 50000, 15432);
    assert.deepEqual([st.service, st.attrs], ['postgresql', { user: 'alice', database: 'shop' }]);
    assert.equal(run([[hex('0000000804d2162f'), true]], 'tcp', 50000, 5432).service, 'postgresql');
    assert.equal(run([[Buffer.concat([head, params.subarray(0, params.length - 1), Buffer.from('x')]), true]], 'tcp', 50000, 5432).service, null);
  });
});

describe('NTP', () => {
  const server = hex('240206e9 00000a3c 00000b1e 47505300 e9b0c8a0 00000000 e9b0c8f0 11111111 e9b0c8f0 12345678 e9b0c8f0 22345678');
  const client = hex('23000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 e9b0c8f0 aabbccdd');

  it('takes a real-looking client and server exchange on any port', () => {
    for (const [p, fromOrig, mode] of [[client, true, 'client'], [server, false, 'server']] as const) {
      const st = run([[p, fromOrig]], 'udp', 40123, 40124);
      assert.deepEqual([st.service, st.attrs], ['ntp', { version: '4', mode }]);
    }
    assert.equal(run([[framePayload('tcpdump_ntp', 4), false]], 'udp', 42818, 40000).service, 'ntp');
  });

  it('needs the port for packets a real clock would not send, and for control messages', () => {
    const odd = Buffer.from(client);
    odd.writeUInt32BE(0x00120000, 4); // a root delay of 18 s
    assert.equal(run([[odd, true]], 'udp', 40123, 40124).service, null);
    assert.equal(run([[odd, true]], 'udp', 40123, 123).service, 'ntp');
    const control = hex('16010001 00000000 00000000'); // mode 6 READSTAT, no data
    assert.deepEqual([run([[control, true]], 'udp', 40123, 123).attrs?.mode, run([[control, true]], 'udp', 40123, 40124).service], ['control', null]);
  });
});

describe('DHCP', () => {
  function discover(): Buffer {
    const b = Buffer.alloc(240);
    b.set([1, 1, 6, 0], 0);
    b.writeUInt32BE(0x3903f326, 4);
    b.writeUInt16BE(0x8000, 10);
    b.set(hex('00163ed5f00d'), 28);
    b.writeUInt32BE(0x63825363, 236);
    return Buffer.concat([b, hex('350101 0c06'), Buffer.from('laptop'), hex('ff')]);
  }

  it('reads message type, host name and MAC; the cookie makes the port irrelevant', () => {
    const want = { msg_type: 'DISCOVER', host_name: 'laptop', mac: '00:16:3e:d5:f0:0d' };
    for (const [sp, dp] of [[68, 67], [6868, 6767]]) {
      const st = run([[discover(), true]], 'udp', sp, dp);
      assert.deepEqual([st.service, st.attrs], ['dhcp', want], `${sp} -> ${dp}`);
    }
  });

  it('takes a snap-length-cut BOOTP header only between ports 67 and 68, and never a wrong cookie', () => {
    const cut = discover().subarray(0, 64);
    assert.equal(run([[cut, true]], 'udp', 68, 67).service, 'dhcp');
    assert.equal(run([[cut, true]], 'udp', 6868, 6767).service, null);
    const wrongCookie = discover();
    wrongCookie[239] = 0x64;
    assert.equal(run([[wrongCookie, true]], 'udp', 68, 67).service, null);
  });
});

describe('DNS', () => {
  const query = hex('1234 0100 0001 0000 0000 0000 03777777 076578616d706c65 03636f6d 00 0001 0001');

  it('takes a query on any port, over UDP, and over TCP with its length sent in a segment of its own', () => {
    assert.equal(run([[query, true]], 'udp', 50000, 5300).service, 'dns');
    const len = Buffer.from([0, query.length]);
    const st = run([[len, true], [query, true]], 'tcp', 50000, 5300);
    assert.deepEqual([st.service, st.done, st.origBuf], ['dns', true, null]);
  });

  it('does not take broken headers or names for DNS', () => {
    const broken = (at: number, bytes: string) => {
      const b = Buffer.from(query);
      b.set(hex(bytes), at);
      return b;
    };
    for (const bad of [
      Buffer.concat([query, hex('00')]), // a bare query with a trailing byte
      broken(4, '0000'), // no question and no answer: nothing to check
      broken(12, '03770a77'), // a control character in a label
      broken(12, 'c00c'), // a compression pointer in the first name
      broken(2, '1900'), // opcode 3
      broken(2, '0140'), // Z bit
      broken(31, '0000'), // class 0
      query.subarray(0, 20),
    ]) {
      assert.equal(run([[bad, true]], 'udp', 50000, 53).service, null, bad.toString('hex'));
    }
  });
});
