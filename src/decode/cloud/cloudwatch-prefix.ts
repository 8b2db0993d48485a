/**
 * The timestamp CloudWatch Logs writes before every event when a log group is exported to S3
 * (`aws logs create-export-task`; one gzip'd object per log stream and chunk, each line
 * `2023-05-12T10:15:03.000Z <message>`): ISO-8601 in UTC with milliseconds, one space, the event as
 * it was sent. VPC flow logs delivered to CloudWatch Logs and exported so are the flow records with
 * this prefix; the decoder strips it and keeps it in `extra` (it is the log event's CloudWatch time,
 * which for flow logs is set by the flow log service, not the record's own start and end).
 */

import { rfc3339MicrosBytes } from './rfc3339.js';

const PATTERN = 'dddd-dd-ddTdd:dd:dd';
const D = 0x64;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * End (exclusive) of an ISO-8601 timestamp (`Z` or a `+hh:mm` offset, optional fraction) at
 * buf[start], when a space or tab follows it; -1 when the line does not start so.
 */
export function isoPrefixEnd(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 21 || buf[start + 4] !== 0x2d || buf[start + 10] !== 0x54) return -1;
  for (let k = 0; k < PATTERN.length; k++) {
    const p = PATTERN.charCodeAt(k);
    const c = buf[start + k];
    if (p === D ? !isDigit(c) : c !== p) return -1;
  }
  let i = start + PATTERN.length;
  if (buf[i] === 0x2e) {
    const f = ++i;
    while (i < end && isDigit(buf[i])) i++;
    if (i === f) return -1;
  }
  if (i < end && buf[i] === 0x5a) i++;
  else if (
    i + 6 <= end &&
    (buf[i] === 0x2b || buf[i] === 0x2d) &&
    isDigit(buf[i + 1]) &&
    isDigit(buf[i + 2]) &&
    buf[i + 3] === 0x3a &&
    isDigit(buf[i + 4]) &&
    isDigit(buf[i + 5])
  ) {
    i += 6;
  } else return -1;
  // The shape is right; the values must be a real time too (month 13 or hour 99 is no prefix).
  return i < end && (buf[i] === 0x20 || buf[i] === 0x09) && rfc3339MicrosBytes(buf, start, i) !== null ? i : -1;
}

/** The same prefix as a pattern, for sniffing text. */
export const ISO_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)[ \t]+/;
