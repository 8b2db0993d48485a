import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { COMMUNITY_ID_LEN, communityId, hashCommunityIdV4, protoNumber, writeCommunityId } from './community-id.js';

const DIR = path.join(process.cwd(), 'test/fixtures/community-id');

/** A seeded generator of whole numbers below `n`, so that a failure repeats. */
function randomInts(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

test('Community ID matches every Zeek oracle tuple', () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.communityid.txt'));
  assert.ok(files.length >= 6);
  let checked = 0;
  const re = /orig_h=([^,]+), orig_p=(\d+)\/\w+, resp_h=([^,]+), resp_p=(\d+)\/\w+, proto=(\d+), ctx=\[\]\], (1:\S+)/;
  for (const f of files) {
    for (const line of fs.readFileSync(path.join(DIR, f), 'utf8').split('\n')) {
      const m = re.exec(line);
      if (!m) continue;
      const got = communityId(m[1], m[3], Number(m[2]), Number(m[4]), Number(m[5]));
      assert.equal(got, m[6], `${f}: ${line}`);
      checked++;
    }
  }
  assert.equal(checked, 19);
});

test('Community ID of the http_get conn.log cut', () => {
  const line = fs
    .readFileSync(path.join(DIR, 'zeek_http_get.expected.communityid.conn.log.cut'), 'utf8')
    .split('\n')
    .find((l) => !l.startsWith('#') && l.trim())!;
  const [oh, op, rh, rp, proto, , cid] = line.split('\t');
  assert.equal(communityId(oh, rh, Number(op), Number(rp), protoNumber(proto)!), cid);
});

test('Community ID is the same from either direction and rejects bad addresses', () => {
  const a = communityId('10.0.0.1', '192.168.1.9', 51000, 443, 6);
  assert.equal(communityId('192.168.1.9', '10.0.0.1', 443, 51000, 6), a);
  assert.equal(communityId('2001:db8::1', '2001:db8::2', 1, 2, 17), communityId('2001:db8::2', '2001:db8::1', 2, 1, 17));
  assert.equal(communityId('not-an-ip', '10.0.0.1', 1, 2, 6), null);
  assert.equal(communityId('10.0.0.1', '2001:db8::1', 1, 2, 6), null);
  // Published spec example (community-id-spec README): 128.232.110.120:34855 -> 66.35.250.204:80 TCP.
  assert.equal(communityId('128.232.110.120', '66.35.250.204', 34855, 80, 6), '1:LQU9qZlK+B5F3KDmev6m5PMibrg=');
});

/** Reference computation with node:crypto and ipaddr.js, written straight from the spec. */
function reference(sa: string, da: string, sp: number, dp: number, proto: number, seed: number): string {
  const a = Buffer.from(ipaddr.parse(sa).toByteArray());
  const b = Buffer.from(ipaddr.parse(da).toByteArray());
  const swap = Buffer.compare(a, b) > 0 || (Buffer.compare(a, b) === 0 && sp > dp);
  const [x, y, xp, yp] = swap ? [b, a, dp, sp] : [a, b, sp, dp];
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(xp, 0);
  ports.writeUInt16BE(yp, 2);
  const seedBuf = Buffer.alloc(2);
  seedBuf.writeUInt16BE(seed, 0);
  const input = Buffer.concat([seedBuf, x, y, Buffer.from([proto, 0]), ports]);
  return '1:' + crypto.createHash('sha1').update(input).digest('base64');
}

test('the one-block SHA-1 agrees with node:crypto on random TCP/UDP flows, seeds and both address families', () => {
  const rnd = randomInts(12345);
  for (let i = 0; i < 2000; i++) {
    const v6 = rnd(2) === 1;
    const addr = (): string =>
      v6 ? Array.from({ length: 8 }, () => rnd(65536).toString(16)).join(':') : Array.from({ length: 4 }, () => rnd(256)).join('.');
    const sa = addr();
    const da = rnd(10) === 0 ? sa : addr();
    const sp = rnd(65536);
    const dp = rnd(65536);
    const proto = rnd(2) ? 6 : 17;
    const seed = rnd(3) === 0 ? rnd(65536) : 0;
    assert.equal(communityId(sa, da, sp, dp, proto, seed), reference(sa, da, sp, dp, proto, seed));
  }
});

/** The spec's ICMP type pairs (ICMPv4, then ICMPv6), written out independently of community-id.ts. */
const SPEC_PAIRS: Record<number, Array<[number, number]>> = {
  1: [[8, 0], [0, 8], [13, 14], [14, 13], [15, 16], [16, 15], [10, 9], [9, 10], [17, 18], [18, 17]],
  58: [[128, 129], [129, 128], [133, 134], [134, 133], [135, 136], [136, 135], [130, 131], [131, 130], [144, 145], [145, 144]],
};

/** The spec's computation for any protocol: ICMP types paired or one-way, no ports for port-less protocols. */
function referenceAnyProto(sa: string, da: string, sp: number, dp: number, proto: number, seed: number): string {
  const a = Buffer.from(ipaddr.parse(sa).toByteArray());
  const b = Buffer.from(ipaddr.parse(da).toByteArray());
  let oneWay = false;
  if (proto === 1 || proto === 58) {
    const pair = SPEC_PAIRS[proto].find(([t]) => t === sp);
    if (pair) dp = pair[1];
    else oneWay = true;
  }
  const c = Buffer.compare(a, b);
  const swap = !oneWay && (c > 0 || (c === 0 && sp > dp));
  const [x, y, xp, yp] = swap ? [b, a, dp, sp] : [a, b, sp, dp];
  const parts = [Buffer.from([seed >> 8, seed & 255]), x, y, Buffer.from([proto, 0])];
  if ([1, 6, 17, 58, 132].includes(proto)) parts.push(Buffer.from([xp >> 8, xp & 255, yp >> 8, yp & 255]));
  return '1:' + crypto.createHash('sha1').update(Buffer.concat(parts)).digest('base64');
}

test('Community ID agrees with the spec on random tuples: both families, every protocol, ICMP pairs and one-way types', () => {
  const rnd = randomInts(777);
  const protos = [6, 17, 1, 58, 132, 47, 50, 0, 255];
  for (let i = 0; i < 5000; i++) {
    const v6 = rnd(3) === 0;
    const addr = (): string =>
      v6 ? Array.from({ length: 8 }, () => rnd(65536).toString(16)).join(':') : Array.from({ length: 4 }, () => rnd(256)).join('.');
    const sa = addr();
    // Equal and near-equal addresses exercise the port tie-break and the byte order of the comparison.
    const da = rnd(8) === 0 ? sa : addr();
    const proto = rnd(4) === 0 ? rnd(256) : protos[rnd(protos.length)];
    const icmp = proto === 1 || proto === 58;
    const sp = icmp && rnd(2) ? [0, 8, 3, 11, 13, 14, 128, 129, 135, 136, 144, 145, 300][rnd(13)] : rnd(65536);
    const dp = icmp ? rnd(16) : rnd(65536);
    const seed = rnd(3) === 0 ? rnd(65536) : 0;
    assert.equal(communityId(sa, da, sp, dp, proto, seed), referenceAnyProto(sa, da, sp, dp, proto, seed), `${sa} ${da} ${sp} ${dp} ${proto} ${seed}`);
  }
});

test('hashCommunityIdV4 from address numbers equals communityId from text, signed or unsigned', () => {
  const text = Buffer.alloc(COMMUNITY_ID_LEN);
  const idV4 = (a: number, b: number, sp: number, dp: number, proto: number): string => {
    hashCommunityIdV4(a, b, sp, dp, proto, 9);
    writeCommunityId(text, 0);
    return text.toString('latin1');
  };
  const rnd = randomInts(4242);
  for (let i = 0; i < 2000; i++) {
    const a = [rnd(256), rnd(256), rnd(256), rnd(256)];
    const b = rnd(6) === 0 ? a : [rnd(256), rnd(256), rnd(256), rnd(256)];
    const num = (x: number[]): number => (x[0] << 24) | (x[1] << 16) | (x[2] << 8) | x[3];
    const proto = [6, 17, 1, 58, 47][rnd(5)];
    const sp = rnd(65536);
    const dp = rnd(65536);
    const want = communityId(a.join('.'), b.join('.'), sp, dp, proto, 9);
    const na = num(a);
    const nb = num(b);
    assert.equal(idV4(na, nb, sp, dp, proto), want);
    assert.equal(idV4(na >>> 0, nb >>> 0, sp, dp, proto), want);
  }
});
