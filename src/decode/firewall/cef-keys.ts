/**
 * The CEF extension keys the CEF decoder maps to columns, short and long names, as numeric kinds the
 * decoder switches on; every other key is K_OTHER and goes to `extra`.
 */
/** Long CEF key names mapped to the short ones this decoder reads. */
const LONG: Readonly<Record<string, string>> = {
  sourceAddress: 'src',
  destinationAddress: 'dst',
  sourcePort: 'spt',
  destinationPort: 'dpt',
  transportProtocol: 'proto',
  deviceAction: 'act',
  bytesIn: 'in',
  bytesOut: 'out',
  deviceReceiptTime: 'rt',
  startTime: 'start',
  endTime: 'end',
  deviceHostName: 'dvchost',
};

/** What a key is to this decoder: one of the K_* codes, or K_OTHER (kept in extra). */
export const K_OTHER = 0;
export const K_SRC = 1;
export const K_DST = 2;
export const K_SPT = 3;
export const K_DPT = 4;
export const K_PROTO = 5;
export const K_ACT = 6;
export const K_DEVICEINBOUNDINTERFACE = 7;
export const K_DEVICEOUTBOUNDINTERFACE = 8;
export const K_IN = 9;
export const K_OUT = 10;
export const K_RT = 11;
export const K_START = 12;
export const K_END = 13;
export const K_DVCHOST = 14;
export const K_SOURCETRANSLATEDADDRESS = 15;
export const K_DESTINATIONTRANSLATEDADDRESS = 16;
export const K_SOURCETRANSLATEDPORT = 17;
export const K_DESTINATIONTRANSLATEDPORT = 18;
const KINDS: ReadonlyMap<string, number> = new Map([
  ['src', K_SRC],
  ['dst', K_DST],
  ['spt', K_SPT],
  ['dpt', K_DPT],
  ['proto', K_PROTO],
  ['act', K_ACT],
  ['deviceInboundInterface', K_DEVICEINBOUNDINTERFACE],
  ['deviceOutboundInterface', K_DEVICEOUTBOUNDINTERFACE],
  ['in', K_IN],
  ['out', K_OUT],
  ['rt', K_RT],
  ['start', K_START],
  ['end', K_END],
  ['dvchost', K_DVCHOST],
  ['sourceTranslatedAddress', K_SOURCETRANSLATEDADDRESS],
  ['destinationTranslatedAddress', K_DESTINATIONTRANSLATEDADDRESS],
  ['sourceTranslatedPort', K_SOURCETRANSLATEDPORT],
  ['destinationTranslatedPort', K_DESTINATIONTRANSLATEDPORT],
]);

/** The kind of a key, long names included. */
export function kindOf(raw: string): number {
  const short = Object.hasOwn(LONG, raw) ? LONG[raw] : raw;
  return KINDS.get(short) ?? K_OTHER;
}
