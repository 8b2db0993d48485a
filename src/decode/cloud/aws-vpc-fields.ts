/**
 * The AWS VPC Flow Logs field table: every field a flow log record can carry, in the order of AWS's
 * "available fields" table (which is also the order of the "all fields" custom format), with the
 * version that introduced it. Layouts are lists of these fields; a header line names them directly.
 */

/** What the decoder does with a field: a column of its own, or the key it takes in `extra`. */
export const enum AwsField {
  Version,
  AccountId,
  InterfaceId,
  SrcAddr,
  DstAddr,
  SrcPort,
  DstPort,
  Protocol,
  Packets,
  Bytes,
  Start,
  End,
  Action,
  LogStatus,
  VpcId,
  SubnetId,
  InstanceId,
  TcpFlags,
  PktSrcAddr,
  PktDstAddr,
  Region,
  FlowDirection,
  /** Any other field: kept in `extra` under its name with '-' turned into '_'. */
  Extra,
}

/** One known field: its name in a format string, its version, its role, and whether it is numeric. */
export interface AwsFieldDef {
  readonly name: string;
  readonly version: number;
  readonly role: AwsField;
  /** Kept in `extra` as a JSON number when its value is all digits. */
  readonly numeric?: boolean;
}

function d(name: string, version: number, role: AwsField = AwsField.Extra, numeric = false): AwsFieldDef {
  return { name, version, role, numeric };
}

/**
 * Every field AWS documents, in its table's order (docs.aws.amazon.com/vpc/latest/userguide/
 * flow-log-records.html). Versions 2 to 8 are checked against that table; fields added later (or
 * missing here) still decode from a header line, kept in `extra` by name.
 */
export const AWS_FIELDS: readonly AwsFieldDef[] = [
  d('version', 2, AwsField.Version),
  d('account-id', 2, AwsField.AccountId),
  d('interface-id', 2, AwsField.InterfaceId),
  d('srcaddr', 2, AwsField.SrcAddr),
  d('dstaddr', 2, AwsField.DstAddr),
  d('srcport', 2, AwsField.SrcPort),
  d('dstport', 2, AwsField.DstPort),
  d('protocol', 2, AwsField.Protocol),
  d('packets', 2, AwsField.Packets),
  d('bytes', 2, AwsField.Bytes),
  d('start', 2, AwsField.Start),
  d('end', 2, AwsField.End),
  d('action', 2, AwsField.Action),
  d('log-status', 2, AwsField.LogStatus),
  d('vpc-id', 3, AwsField.VpcId),
  d('subnet-id', 3, AwsField.SubnetId),
  d('instance-id', 3, AwsField.InstanceId),
  d('tcp-flags', 3, AwsField.TcpFlags),
  d('type', 3),
  d('pkt-srcaddr', 3, AwsField.PktSrcAddr),
  d('pkt-dstaddr', 3, AwsField.PktDstAddr),
  d('region', 4, AwsField.Region),
  d('az-id', 4),
  d('sublocation-type', 4),
  d('sublocation-id', 4),
  d('pkt-src-aws-service', 5),
  d('pkt-dst-aws-service', 5),
  d('flow-direction', 5, AwsField.FlowDirection),
  d('traffic-path', 5, AwsField.Extra, true),
  d('ecs-cluster-arn', 7),
  d('ecs-cluster-name', 7),
  d('ecs-container-instance-arn', 7),
  d('ecs-container-instance-id', 7),
  d('ecs-container-id', 7),
  d('ecs-second-container-id', 7),
  d('ecs-service-name', 7),
  d('ecs-task-definition-arn', 7),
  d('ecs-task-arn', 7),
  d('ecs-task-id', 7),
  d('reject-reason', 8),
];

/**
 * Fields only Transit Gateway flow logs have (docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html),
 * known by name so that their header lines are recognised; all go to `extra`.
 */
const TGW_ONLY: readonly AwsFieldDef[] = [
  'resource-type', 'tgw-id', 'tgw-attachment-id', 'tgw-src-vpc-account-id', 'tgw-dst-vpc-account-id', 'tgw-src-vpc-id',
  'tgw-dst-vpc-id', 'tgw-src-subnet-id', 'tgw-dst-subnet-id', 'tgw-src-eni', 'tgw-dst-eni', 'tgw-src-az-id', 'tgw-dst-az-id',
  'tgw-pair-attachment-id', 'packets-lost-no-route', 'packets-lost-blackhole', 'packets-lost-mtu-exceeded', 'packets-lost-ttl-expired',
].map((n) => d(n, 6, AwsField.Extra, n.startsWith('packets-lost')));

const BY_NAME = new Map([...AWS_FIELDS, ...TGW_ONLY].map((f) => [f.name, f]));

/** A known field by its format-string name, or an `extra` field for a name AWS added after this table. */
export function awsFieldByName(name: string): AwsFieldDef {
  return BY_NAME.get(name) ?? { name, version: 0, role: AwsField.Extra };
}

/** The default format: the version 2 fields, in order. */
export const DEFAULT_LAYOUT: readonly AwsFieldDef[] = AWS_FIELDS.filter((f) => f.version === 2);

/** Transit Gateway flow logs' default format: all their fields, in AWS's order (36; it has no `action`). */
export const TGW_DEFAULT_LAYOUT: readonly AwsFieldDef[] = (
  'version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id tgw-src-vpc-id ' +
  'tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id ' +
  'srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type packets-lost-no-route packets-lost-blackhole ' +
  'packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service'
)
  .split(' ')
  .map(awsFieldByName);

/**
 * Layouts inferred from a record's field count when no header says otherwise. The default format has
 * 14 fields; the "all fields" custom formats AWS's console offers take every field up to a version in
 * table order: 21 (v3), 25 (v4), 29 (v5), 39 (v7, with the ECS fields), 40 (v8); 36 is Transit Gateway's
 * default. Other counts are custom
 * formats whose order cannot be guessed, so such records are skipped as `unknown_layout`.
 */
export const LAYOUT_BY_COUNT: ReadonlyMap<number, readonly AwsFieldDef[]> = new Map([
  ...[2, 3, 4, 5, 7, 8].map((v) => {
    const fields = AWS_FIELDS.filter((f) => f.version <= v);
    return [fields.length, fields] as const;
  }),
  [TGW_DEFAULT_LAYOUT.length, TGW_DEFAULT_LAYOUT] as const,
]);

/** True when `s` looks like a format-string field name (lower-case words joined by '-'). */
export function isFieldName(s: string): boolean {
  return /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(s);
}
