/**
 * EventBridge's resource names: ARNs as AWS writes them, and the event bus a request names —
 * by name (in the caller's account and region) or by ARN (possibly another account's).
 */
import { buildArn, parseArn } from '../arn.js';

export interface Region {
  accountId: string;
  region: string;
}

export const defaultBus = 'default';

export interface BusRef extends Region {
  name: string;
  arn: string;
}

export const busArn = (at: Region, name: string) =>
  buildArn({ service: 'events', ...at, resource: `event-bus/${name}` });

/** Rules of the default bus are `rule/<name>`, others `rule/<bus>/<name>`. */
export const ruleArn = (bus: BusRef, name: string) =>
  buildArn({
    service: 'events',
    accountId: bus.accountId,
    region: bus.region,
    resource: bus.name === defaultBus ? `rule/${name}` : `rule/${bus.name}/${name}`,
  });

export const archiveArn = (at: Region, name: string) =>
  buildArn({ service: 'events', ...at, resource: `archive/${name}` });

export const replayArn = (at: Region, name: string) =>
  buildArn({ service: 'events', ...at, resource: `replay/${name}` });

export const connectionArn = (at: Region, name: string, id: string) =>
  buildArn({ service: 'events', ...at, resource: `connection/${name}/${id}` });

export const apiDestinationArn = (at: Region, name: string, id: string) =>
  buildArn({ service: 'events', ...at, resource: `api-destination/${name}/${id}` });

/** The bus an `EventBusName` parameter names: a name in the caller's account, or an ARN. */
export function busRef(nameOrArn: string | undefined, at: Region): BusRef {
  const parsed = nameOrArn?.startsWith('arn:') ? parseArn(nameOrArn) : undefined;
  if (parsed && parsed.resource.startsWith('event-bus/')) {
    const name = parsed.resource.slice('event-bus/'.length);
    return { accountId: parsed.accountId, region: parsed.region, name, arn: nameOrArn! };
  }
  const name = nameOrArn ?? defaultBus;
  return { ...at, name, arn: busArn(at, name) };
}

/** What a target ARN points at, by service and resource type. */
export type TargetKind =
  'lambda' | 'sqs' | 'sns' | 'event-bus' | 'api-destination' | 'states' | 'unsupported';

export function targetKind(arn: string): TargetKind {
  const parsed = parseArn(arn);
  if (!parsed) return 'unsupported';
  switch (parsed.service) {
    case 'lambda':
      return 'lambda';
    case 'sqs':
      return 'sqs';
    case 'sns':
      return 'sns';
    case 'states':
      return 'states';
    case 'events':
      if (parsed.resource.startsWith('event-bus/')) return 'event-bus';
      if (parsed.resource.startsWith('api-destination/')) return 'api-destination';
      return 'unsupported';
    default:
      return 'unsupported';
  }
}
