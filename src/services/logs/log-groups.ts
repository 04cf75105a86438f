/** Log groups and log streams: creation, listing, retention and tags. */
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import { buildArn, parseArn } from '../arn.js';
import {
  InvalidParameterException,
  LimitExceededException,
  ResourceAlreadyExistsException,
  groupNotFound,
  streamNotFound,
} from './errors.js';
import { groupQueries, streamQueries, type LogGroupRow, type LogStreamRow, type Region } from './tables.js';

/** The retention periods AWS accepts, in days. */
export const retentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const maxTagsPerGroup = 50;
const dayMs = 24 * 3600 * 1000;

export function groupArn(at: Region, name: string): string {
  return buildArn({
    service: 'logs',
    region: at.region,
    accountId: at.accountId,
    resource: `log-group:${name}`,
  });
}

export function streamArn(at: Region, group: string, stream: string): string {
  return `${groupArn(at, group)}:log-stream:${stream}`;
}

/** The oldest event time a group still keeps, given its retention. */
export function retentionCutoff(group: Pick<LogGroupRow, 'retention_days'>, now: number): number {
  return group.retention_days ? now - group.retention_days * dayMs : 0;
}

export class LogGroups {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async create(
    at: Region,
    input: { name: string; kmsKeyId?: string; tags?: Record<string, string>; logGroupClass?: string },
  ): Promise<void> {
    checkTagCount(input.tags ?? {});
    const inserted = await groupQueries.insert(this.store, at, {
      name: input.name,
      created_at: this.clock.now(),
      retention_days: null,
      kms_key_id: input.kmsKeyId ?? null,
      log_group_class: input.logGroupClass ?? 'STANDARD',
      tags: JSON.stringify(input.tags ?? {}),
    });
    if (inserted.changes === 0)
      throw new ResourceAlreadyExistsException('The specified log group already exists');
  }

  async get(at: Region, name: string): Promise<LogGroupRow> {
    const group = await groupQueries.byName(this.store, at, name);
    if (!group) throw groupNotFound();
    return group;
  }

  /** A group named by `logGroupName` or by `logGroupIdentifier` (a name or an ARN); exactly one must be given. */
  async resolve(at: Region, name: string | undefined, identifier: string | undefined): Promise<LogGroupRow> {
    if (name !== undefined && identifier !== undefined) {
      throw new InvalidParameterException(
        'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
      );
    }
    const given = name ?? identifier;
    if (given === undefined) {
      throw new InvalidParameterException(
        'Either the parameter logGroupName or logGroupIdentifier must be specified.',
      );
    }
    return this.get(at, identifier !== undefined ? nameFromIdentifier(identifier) : given);
  }

  async delete(at: Region, name: string): Promise<void> {
    const group = await this.get(at, name);
    await groupQueries.delete(this.store, group.id);
  }

  async setRetention(at: Region, name: string, days: number | null): Promise<void> {
    if (days !== null && !(retentionDays as readonly number[]).includes(days)) {
      throw new InvalidParameterException(
        `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${retentionDays.join(', ')}]`,
      );
    }
    const group = await this.get(at, name);
    await groupQueries.setRetention(this.store, group.id, days);
  }

  async tag(at: Region, name: string, tags: Record<string, string>): Promise<void> {
    await this.store.transaction(async (tx) => {
      const group = await groupQueries.byName(tx, at, name);
      if (!group) throw groupNotFound();
      const merged = { ...(JSON.parse(group.tags) as Record<string, string>), ...tags };
      checkTagCount(merged);
      await groupQueries.setTags(tx, group.id, merged);
    });
  }

  async untag(at: Region, name: string, keys: readonly string[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      const group = await groupQueries.byName(tx, at, name);
      if (!group) throw groupNotFound();
      const tags = JSON.parse(group.tags) as Record<string, string>;
      for (const key of keys) delete tags[key];
      await groupQueries.setTags(tx, group.id, tags);
    });
  }

  async tags(at: Region, name: string): Promise<Record<string, string>> {
    return JSON.parse((await this.get(at, name)).tags) as Record<string, string>;
  }

  // Streams

  async createStream(at: Region, groupName: string, streamName: string): Promise<void> {
    const group = await this.get(at, groupName);
    const inserted = await streamQueries.insert(this.store, group.id, streamName, this.clock.now());
    if (inserted.changes === 0)
      throw new ResourceAlreadyExistsException('The specified log stream already exists');
  }

  async stream(group: LogGroupRow, streamName: string): Promise<LogStreamRow> {
    const stream = await streamQueries.byName(this.store, group.id, streamName);
    if (!stream) throw streamNotFound();
    return stream;
  }

  async deleteStream(at: Region, groupName: string, streamName: string): Promise<void> {
    const stream = await this.stream(await this.get(at, groupName), streamName);
    await streamQueries.delete(this.store, stream.id);
  }
}

function checkTagCount(tags: Record<string, string>): void {
  if (Object.keys(tags).length > maxTagsPerGroup) {
    throw new LimitExceededException(`A log group can have at most ${maxTagsPerGroup} tags.`);
  }
}

/** `my-group`, or `arn:aws:logs:us-east-1:123456789012:log-group:my-group[:*]`. */
export function nameFromIdentifier(identifier: string): string {
  if (!identifier.startsWith('arn:')) return identifier;
  const arn = parseArn(identifier);
  if (!arn || arn.service !== 'logs' || !arn.resource.startsWith('log-group:')) {
    throw new InvalidParameterException(`Invalid log group identifier: ${identifier}`);
  }
  return arn.resource.slice('log-group:'.length).replace(/:\*$/, '');
}
