/**
 * Where each element of a template goes in a FlowRecord, decided once when the template is compiled so
 * that decoding a data record is one switch per field. Elements with no slot of their own (and any
 * known element whose length does not fit its slot) become extras.
 */
import { REVERSE_PEN } from './elements.js';

/** Destination of one template field. */
export const enum Slot {
  Extra = 0,
  Bytes, Packets, BytesTotal, PacketsTotal, RespBytes, RespPackets, RespBytesTotal, RespPacketsTotal,
  Proto, Tos, TcpFlags, SrcPort, DstPort, Src4, Dst4, Src6, Dst6, NextHop4, NextHop6,
  InIf, OutIf, SrcAs, DstAs, SrcMask, DstMask, Vlan, Direction, IcmpTypeCode,
  StartUp, EndUp, StartSec, EndSec, StartMs, EndMs, StartUs, EndUs, StartNs, EndNs,
  StartDelta, EndDelta, SysInit, DurMs, DurUs,
  SamplingInterval, SamplerId, SamplingPktInterval, SamplingPktSpace, SamplingSize, SamplingPopulation,
  NatSrc4, NatDst4, NatSrc6, NatDst6, NatSrcPort, NatDstPort, NatEvent, FwEvent,
  IfName, VrfId, EgressVrfId, VrfName,
}

// Slots that read an unsigned integer: any reduced-size length from 1 to 8 bytes is accepted.
const UINT: Record<number, Slot> = {
  1: Slot.Bytes, 2: Slot.Packets, 85: Slot.BytesTotal, 86: Slot.PacketsTotal, 231: Slot.Bytes,
  298: Slot.Packets, 232: Slot.RespBytes, 299: Slot.RespPackets, 4: Slot.Proto, 5: Slot.Tos,
  6: Slot.TcpFlags, 7: Slot.SrcPort, 180: Slot.SrcPort, 182: Slot.SrcPort, 11: Slot.DstPort,
  181: Slot.DstPort, 183: Slot.DstPort, 10: Slot.InIf, 14: Slot.OutIf, 16: Slot.SrcAs, 17: Slot.DstAs,
  9: Slot.SrcMask, 29: Slot.SrcMask, 13: Slot.DstMask, 30: Slot.DstMask, 58: Slot.Vlan, 243: Slot.Vlan,
  61: Slot.Direction, 32: Slot.IcmpTypeCode, 139: Slot.IcmpTypeCode, 22: Slot.StartUp, 21: Slot.EndUp,
  150: Slot.StartSec, 151: Slot.EndSec, 152: Slot.StartMs, 153: Slot.EndMs, 158: Slot.StartDelta,
  159: Slot.EndDelta, 160: Slot.SysInit, 161: Slot.DurMs, 162: Slot.DurUs, 34: Slot.SamplingInterval,
  50: Slot.SamplingInterval, 48: Slot.SamplerId, 302: Slot.SamplerId, 305: Slot.SamplingPktInterval,
  306: Slot.SamplingPktSpace, 309: Slot.SamplingSize, 310: Slot.SamplingPopulation,
  227: Slot.NatSrcPort, 228: Slot.NatDstPort, 230: Slot.NatEvent, 233: Slot.FwEvent,
  234: Slot.VrfId, 235: Slot.EgressVrfId,
};

/** The slot a field (enterprise number, element id, encoded length; -1 = variable) fills. */
export function slotOf(pen: number, id: number, len: number): Slot {
  if (pen === REVERSE_PEN) {
    if (len < 1 || len > 8) return Slot.Extra;
    if (id === 1) return Slot.RespBytes;
    if (id === 2) return Slot.RespPackets;
    if (id === 85) return Slot.RespBytesTotal;
    if (id === 86) return Slot.RespPacketsTotal;
    return Slot.Extra;
  }
  if (pen !== 0) return Slot.Extra;
  switch (id) {
    case 8:
      return len === 4 ? Slot.Src4 : Slot.Extra;
    case 12:
      return len === 4 ? Slot.Dst4 : Slot.Extra;
    case 15:
      return len === 4 ? Slot.NextHop4 : Slot.Extra;
    case 225:
      return len === 4 ? Slot.NatSrc4 : Slot.Extra;
    case 226:
      return len === 4 ? Slot.NatDst4 : Slot.Extra;
    case 27:
      return len === 16 ? Slot.Src6 : Slot.Extra;
    case 28:
      return len === 16 ? Slot.Dst6 : Slot.Extra;
    case 62:
      return len === 16 ? Slot.NextHop6 : Slot.Extra;
    case 281:
      return len === 16 ? Slot.NatSrc6 : Slot.Extra;
    case 282:
      return len === 16 ? Slot.NatDst6 : Slot.Extra;
    case 154:
      return len === 8 ? Slot.StartUs : Slot.Extra;
    case 155:
      return len === 8 ? Slot.EndUs : Slot.Extra;
    case 156:
      return len === 8 ? Slot.StartNs : Slot.Extra;
    case 157:
      return len === 8 ? Slot.EndNs : Slot.Extra;
    case 82:
      return Slot.IfName;
    case 236:
      return Slot.VrfName;
  }
  const s = UINT[id];
  return s !== undefined && len >= 1 && len <= 8 ? s : Slot.Extra;
}
