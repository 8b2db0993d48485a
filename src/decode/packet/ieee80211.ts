/**
 * IEEE 802.11 (LINKTYPE_IEEE802_11, 105) and 802.11 behind a radiotap header
 * (LINKTYPE_IEEE802_11_RADIOTAP, 127): data frames of open (unencrypted) networks carry LLC/SNAP and
 * then IP. Management and control frames, frames without data, encrypted frames and fragments after the
 * first are not IP; what a capture of an encrypted network holds cannot be read without its keys.
 */
import { DecodeResult } from './packet-info.js';
import type { Layers } from './layers.js';
import { decodeLlc } from './ethernet.js';
import { Weird } from './weird-codes.js';

const TYPE_DATA = 2;
/** Frame-control flag bits (the second byte). */
const TO_DS = 0x01;
const FROM_DS = 0x02;
const MORE_FRAGMENTS = 0x04;
const PROTECTED = 0x40;
const ORDER = 0x80;
/** Radiotap Flags field: the frame ends with its 4-byte FCS. */
const RADIOTAP_FCS = 0x10;

/** An 802.11 frame from its frame control field; `fcs` when the frame ends with its checksum. */
export function decode80211(L: Layers, buf: Uint8Array, off: number, end: number, wend: number, fcs = false): DecodeResult {
  if (fcs) {
    // The checksum is after the packet: keep it out of the IP layer's view.
    if (end === wend) end -= 4;
    wend -= 4;
  }
  if (end - off < 24) {
    L.weird(Weird.truncated80211);
    return DecodeResult.Malformed;
  }
  const fc0 = buf[off];
  const flags = buf[off + 1];
  const type = (fc0 >> 2) & 3;
  const subtype = fc0 >> 4;
  if ((fc0 & 3) !== 0 || type !== TYPE_DATA) return DecodeResult.NotIp;
  // Subtypes with bit 2 set carry no data (Null, CF-Ack/Poll without data, QoS Null...).
  if (subtype & 0x04) return DecodeResult.NotIp;
  if (flags & PROTECTED) return DecodeResult.NotIp;
  const fragment = buf[off + 22] & 0x0f;
  if (fragment !== 0) return DecodeResult.NotIp;
  if (flags & MORE_FRAGMENTS) return DecodeResult.NotIp;
  let p = off + 24;
  if ((flags & (TO_DS | FROM_DS)) === (TO_DS | FROM_DS)) p += 6;
  const qos = (subtype & 0x08) !== 0;
  if (qos) {
    p += 2;
    if (flags & ORDER) p += 4; // HT control
  }
  if (p > end) {
    L.weird(Weird.truncated80211);
    return DecodeResult.Malformed;
  }
  // A-MSDU frames (bit 7 of the QoS control field) pack several subframes: not followed.
  if (qos && buf[flags & ORDER ? p - 6 : p - 2] & 0x80) return DecodeResult.NotIp;
  return decodeLlc(L, buf, p, end, wend);
}

/** Radiotap's TSFT field (bit 0 of the present word): 8 bytes, 8-byte aligned, before Flags (bit 1). */
const TSFT_BYTES = 8;

/** A radiotap header, then an 802.11 frame (with its FCS removed when the Flags field says it is there). */
export function decodeRadiotap(L: Layers, buf: Uint8Array, off: number, end: number, wend: number): DecodeResult {
  if (end - off < 8) {
    L.weird(Weird.truncatedRadiotap);
    return DecodeResult.Malformed;
  }
  const len = buf[off + 2] | (buf[off + 3] << 8);
  if (buf[off] !== 0 || len < 8 || end - off < len) {
    L.weird(Weird.truncatedRadiotap);
    return DecodeResult.Malformed;
  }
  const present = (buf[off + 4] | (buf[off + 5] << 8) | (buf[off + 6] << 16) | (buf[off + 7] << 24)) >>> 0;
  let fcs = false;
  if (present & 0x2) {
    // Skip any extended present words, then TSFT (8-byte aligned) when present, to reach Flags.
    let p = 8;
    let word = present;
    while (word & 0x80000000 && p + 4 <= len) {
      word = (buf[off + p + 3] << 24) >>> 0;
      p += 4;
    }
    if (present & 0x1) p = ((p + 7) & ~7) + TSFT_BYTES;
    if (p < len) fcs = (buf[off + p] & RADIOTAP_FCS) !== 0;
  }
  return decode80211(L, buf, off + len, end, wend, fcs);
}
