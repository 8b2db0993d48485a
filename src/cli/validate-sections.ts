/** The sections and columns each validation report prints in a table or Markdown. */
import type { DnsFilterReport } from '../controls/dns-filter.js';
import type { EgressReport } from '../controls/egress.js';
import type { VisibilityReport } from '../controls/visibility.js';
import type { OutputColumn } from './output/format.js';
import type { ReportSection } from './validate-render.js';

const n = (name: string, header?: string): OutputColumn => ({ name, header, kind: 'number' });
const t = (name: string, header?: string): OutputColumn => ({ name, header });
const time = (name: string): OutputColumn => ({ name, kind: 'time' });
const bytes = (name: string, header?: string): OutputColumn => ({ name, header, kind: 'bytes' });

const GROUP = [t('zone'), t('source'), t('destination'), t('names'), n('port'), t('proto'), n('connections', 'conns')];

/** Sections of the egress report. */
export function egressSections(r: EgressReport): ReportSection[] {
  return [
    { title: 'Violations that got through (control failed)', rows: r.violations, total: r.summary.violations, columns: [...GROUP, bytes('bytes_out', 'out'), bytes('bytes_in', 'in'), t('policy_rule', 'rule'), time('last'), t('evidence')] },
    { title: 'Blocked attempts (control worked)', rows: r.blocked, total: r.summary.blocked, columns: [...GROUP, t('action'), t('firewall_rule', 'fw rule'), t('policy_action', 'policy'), t('table'), t('evidence')] },
    { title: 'Denied by policy, no answer seen (dropped silently or nobody home)', rows: r.unanswered, total: r.summary.unanswered, columns: [...GROUP, t('policy_rule', 'rule'), time('last'), t('evidence')] },
    { title: 'Policy rules never exercised', rows: r.unexercised_rules, columns: [t('zone'), t('rule'), n('line'), t('summary')] },
    { title: 'Rules broader than their use (advice)', rows: r.broad_rules, columns: [t('zone'), t('rule'), n('line'), n('destinations', 'used for'), t('advice')] },
  ];
}

/** Sections of the DNS-filter report. */
export function dnsFilterSections(r: DnsFilterReport): ReportSection[] {
  return [
    { title: 'Blocked domains resolved and connected to (filter failed)', rows: r.failed.map((f) => ({ ...f, dns: f.evidence.dns, conn: f.evidence.connections })), total: r.summary.failed, columns: [t('client'), t('domain'), t('pattern'), t('destination'), n('port'), n('connections', 'conns'), n('succeeded', 'through'), time('first'), t('conn', 'evidence')] },
    { title: 'Blocked domains answered with real addresses', rows: r.leaked, total: r.summary.leaked, columns: [t('client'), t('domain'), t('resolvers'), t('addresses'), n('queries'), t('connected'), time('last'), t('evidence')] },
    { title: 'Blocked domains sinkholed or refused (filter worked)', rows: r.worked, total: r.summary.worked, columns: [t('domain'), t('pattern'), n('sinkholed'), n('nxdomain'), n('refused'), n('clients'), time('last')] },
    { title: 'Clients bypassing the sanctioned resolvers', rows: r.bypass, total: r.summary.bypass, columns: [t('kind'), t('client'), t('resolver'), n('port'), t('proto'), t('provider'), t('indicator'), n('connections', 'conns'), n('succeeded', 'through'), n('answered'), n('blocked'), t('evidence')] },
  ];
}

/** Sections of the visibility report. */
export function visibilitySections(r: VisibilityReport): ReportSection[] {
  return [
    { title: 'Telemetry per zone and subnet', rows: r.coverage, columns: [t('kind'), t('name'), t('zone'), n('connections'), n('dns'), n('firewall'), t('missing')] },
    { title: `Sources (silence measured from the newest record, ${r.reference.time ?? 'none'})`, rows: r.sources, columns: [t('table'), t('source_type', 'type'), t('sensor'), n('records'), time('first'), time('last'), { name: 'silent_for_seconds', header: 'silent for', kind: 'duration' }, t('silent')] },
    { title: 'Gaps', rows: r.gaps, total: r.summary.gaps, columns: [t('table'), t('source_type', 'type'), t('sensor'), time('from'), time('to'), { name: 'seconds', header: 'length', kind: 'duration' }] },
    { title: 'Connections seen one way only', rows: r.one_way, total: r.summary.one_way_groups, columns: [t('sensor'), t('subnet'), t('zone'), t('kind'), t('seen'), n('connections'), n('pairs'), t('evidence')] },
    { title: 'Flow-export loss', rows: r.flow_loss.exporters, columns: [t('exporter'), t('domain'), n('lost_records', 'lost')] },
  ];
}
