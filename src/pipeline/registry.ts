/**
 * Every format Nightjar can read, registered by name in one place. The pipeline sniffs an input's
 * first bytes against each and picks the most confident, unless `--format` names one. It lives in
 * the pipeline because some formats (captures) are decoders composed with the flow table.
 */
import type { DecoderDef } from '../decode/decoder.js';
import { zeekTsv } from '../decode/zeek/zeek-tsv.js';
import { zeekJson } from '../decode/zeek/zeek-json.js';
import { suricataEve } from '../decode/suricata/eve.js';
import { pcapFormat } from '../flows/capture-decoder.js';
import { awsVpcFlow } from '../decode/cloud/aws-vpc-flow.js';
import { azureNsgFlow } from '../decode/cloud/azure-nsg-flow.js';
import { gcpVpcFlow } from '../decode/cloud/gcp-vpc-flow.js';
import { netfilter } from '../decode/firewall/netfilter.js';
import { pfFilterlog } from '../decode/firewall/pf-filterlog.js';
import { windowsFirewall } from '../decode/firewall/windows-firewall.js';
import { cef } from '../decode/firewall/cef.js';
import { ciscoAsa } from '../decode/firewall/cisco-asa.js';
import { panos } from '../decode/firewall/panos.js';
import { fortigate } from '../decode/firewall/fortigate.js';
import { mikrotik } from '../decode/firewall/mikrotik.js';
import { leef } from '../decode/firewall/leef.js';
import { nfcapd } from '../decode/nfcapd/nfcapd.js';

/** All registered decoders, by name. */
export const DECODERS: ReadonlyMap<string, DecoderDef> = new Map(
  [zeekTsv, zeekJson, suricataEve, pcapFormat, awsVpcFlow, azureNsgFlow, gcpVpcFlow, netfilter, pfFilterlog, windowsFirewall, cef, ciscoAsa, panos, fortigate, mikrotik, leef, nfcapd].map((d) => [d.name, d]),
);

/** The decoder most confident about `head`, or null when none is at least 0.5 sure (ties go to the first registered). */
function mostConfident(head: Buffer): DecoderDef | null {
  let best: DecoderDef | null = null;
  let bestScore = 0.49;
  for (const d of DECODERS.values()) {
    const s = d.sniff(head);
    if (s > bestScore) {
      best = d;
      bestScore = s;
    }
  }
  return best;
}

/**
 * Picks the decoder most confident about `head`, or null when none is at least 0.5 sure (ties go to the
 * first registered). An input may start inside a record (a log cut with `split -b`, copied while being
 * rotated, or read from an offset), which no line format recognises: when nothing recognises the head,
 * it is looked at again from its second line, and the decoder then skips the partial first line with
 * its reason.
 */
export function sniffFormat(head: Buffer): DecoderDef | null {
  const best = mostConfident(head);
  if (best !== null) return best;
  const nl = head.indexOf(10);
  return nl < 0 || nl + 1 >= head.length ? null : mostConfident(head.subarray(nl + 1));
}
