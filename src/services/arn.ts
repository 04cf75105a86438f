/** ARNs as AWS writes them: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function buildArn(parts: {
  service: string;
  region: string;
  accountId: string;
  resource: string;
}): string {
  return `arn:${partitionOf(parts.region || 'us-east-1')}:${parts.service}:${parts.region}:${parts.accountId}:${parts.resource}`;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, accountId, ...resource] = parts;
  return {
    partition: partition!,
    service: service!,
    region: region!,
    accountId: accountId!,
    resource: resource.join(':'),
  };
}
