/**
 * CloudWatch Logs operations. Each method is thin: it names the AWS operation and hands over to
 * the log-group and log-event modules.
 *
 * Differences from AWS: sequence tokens are returned but never required (as AWS does since 2023);
 * `storedBytes` counts message bytes as they arrive and is not reduced when retention expires
 * events; metric filters, subscription filters, Insights queries and KMS are not served yet.
 */
import type { PendingWrites } from '../../engine/pending-writes.js';
import type * as Logs from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../service.js';
import { InvalidParameterException } from './errors.js';
import type { LogGroups } from './log-groups.js';
import { groupArn, nameFromIdentifier, streamArn } from './log-groups.js';
import type { LogEvents } from './log-events.js';
import { groupQueries, streamQueries, type LogGroupRow, type LogStreamRow, type Region } from './tables.js';
import { listToken, parseListToken } from './tokens.js';
import type { Store } from '../../storage/store.js';

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function describeGroup(at: Region, g: LogGroupRow): Logs.LogGroup {
  const arn = groupArn(at, g.name);
  return {
    logGroupName: g.name,
    creationTime: g.created_at,
    ...(g.retention_days !== null ? { retentionInDays: g.retention_days } : {}),
    metricFilterCount: 0,
    arn: `${arn}:*`,
    logGroupArn: arn,
    storedBytes: g.stored_bytes ?? 0,
    ...(g.kms_key_id !== null ? { kmsKeyId: g.kms_key_id } : {}),
    logGroupClass: g.log_group_class as Logs.LogGroupClass,
  };
}

function describeStream(at: Region, group: string, s: LogStreamRow): Logs.LogStream {
  return {
    logStreamName: s.name,
    creationTime: s.created_at,
    ...(s.first_event_at !== null ? { firstEventTimestamp: s.first_event_at } : {}),
    ...(s.last_event_at !== null ? { lastEventTimestamp: s.last_event_at } : {}),
    ...(s.last_ingestion_at !== null ? { lastIngestionTime: s.last_ingestion_at } : {}),
    uploadSequenceToken: String(s.upload_sequence).padStart(56, '0'),
    arn: streamArn(at, group, s.name),
    storedBytes: s.stored_bytes,
  };
}

export class LogsProvider {
  constructor(
    private readonly store: Store,
    private readonly groups: LogGroups,
    private readonly events: LogEvents,
    private readonly pendingWrites: PendingWrites,
  ) {}

  async CreateLogGroup(input: Logs.CreateLogGroupRequest, at: RequestContext): Promise<void> {
    await this.groups.create(at, {
      name: input.logGroupName!,
      kmsKeyId: input.kmsKeyId,
      tags: input.tags,
      logGroupClass: input.logGroupClass,
    });
  }

  async DeleteLogGroup(input: Logs.DeleteLogGroupRequest, at: RequestContext): Promise<void> {
    await this.groups.delete(at, input.logGroupName!);
  }

  async DescribeLogGroups(
    input: Logs.DescribeLogGroupsRequest,
    at: RequestContext,
  ): Promise<Logs.DescribeLogGroupsResponse> {
    await this.writesSettled();
    if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
      throw new InvalidParameterException(
        'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
      );
    }
    const limit = input.limit ?? 50;
    const afterName = input.nextToken ? parseListToken(input.nextToken, isString) : undefined;
    let rows = await groupQueries.list(this.store, at, {
      prefix: input.logGroupNamePrefix,
      pattern: input.logGroupNamePattern,
      logGroupClass: input.logGroupClass,
      afterName,
      limit: limit + 1,
    });
    if (input.logGroupIdentifiers) {
      const wanted = new Set(input.logGroupIdentifiers.map(nameFromIdentifier));
      rows = rows.filter((g) => wanted.has(g.name));
    }
    const page = rows.slice(0, limit);
    return {
      logGroups: page.map((g) => describeGroup(at, g)),
      ...(rows.length > limit ? { nextToken: listToken(page[page.length - 1]!.name) } : {}),
    };
  }

  async CreateLogStream(input: Logs.CreateLogStreamRequest, at: RequestContext): Promise<void> {
    await this.groups.createStream(at, input.logGroupName!, input.logStreamName!);
  }

  async DeleteLogStream(input: Logs.DeleteLogStreamRequest, at: RequestContext): Promise<void> {
    await this.groups.deleteStream(at, input.logGroupName!, input.logStreamName!);
  }

  async DescribeLogStreams(
    input: Logs.DescribeLogStreamsRequest,
    at: RequestContext,
  ): Promise<Logs.DescribeLogStreamsResponse> {
    await this.writesSettled();
    const group = await this.groups.resolve(at, input.logGroupName, input.logGroupIdentifier);
    const orderBy = input.orderBy ?? 'LogStreamName';
    if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
      throw new InvalidParameterException('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const limit = input.limit ?? 50;
    const offset = input.nextToken ? parseListToken(input.nextToken, isNumber) : 0;
    const rows = await streamQueries.list(this.store, group.id, {
      prefix: input.logStreamNamePrefix,
      orderBy,
      descending: input.descending ?? false,
      offset,
      limit: limit + 1,
    });
    return {
      logStreams: rows.slice(0, limit).map((s) => describeStream(at, group.name, s)),
      ...(rows.length > limit ? { nextToken: listToken(offset + limit) } : {}),
    };
  }

  async PutLogEvents(
    input: Logs.PutLogEventsRequest,
    at: RequestContext,
  ): Promise<Logs.PutLogEventsResponse> {
    const group = await this.groups.get(at, input.logGroupName!);
    const stream = await this.groups.stream(group, input.logStreamName!);
    return this.events.put(group, stream, input.logEvents!);
  }

  async GetLogEvents(
    input: Logs.GetLogEventsRequest,
    at: RequestContext,
  ): Promise<Logs.GetLogEventsResponse> {
    await this.writesSettled();
    const group = await this.groups.resolve(at, input.logGroupName, input.logGroupIdentifier);
    const stream = await this.groups.stream(group, input.logStreamName!);
    return this.events.get(group, stream, input);
  }

  async FilterLogEvents(
    input: Logs.FilterLogEventsRequest,
    at: RequestContext,
  ): Promise<Logs.FilterLogEventsResponse> {
    await this.writesSettled();
    if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
      throw new InvalidParameterException(
        'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.',
      );
    }
    const group = await this.groups.resolve(at, input.logGroupName, input.logGroupIdentifier);
    let streams: LogStreamRow[] | undefined;
    if (input.logStreamNames) {
      streams = await streamQueries.byNames(this.store, group.id, input.logStreamNames);
    } else if (input.logStreamNamePrefix !== undefined) {
      streams = await streamQueries.list(this.store, group.id, {
        prefix: input.logStreamNamePrefix,
        orderBy: 'LogStreamName',
        descending: false,
        offset: 0,
        limit: 100_000,
      });
    }
    if (streams?.length === 0) return { events: [], searchedLogStreams: [] };
    const { events, nextToken } = await this.events.filter(group, streams, input);
    return {
      events,
      searchedLogStreams: (streams ?? []).map((s) => ({
        logStreamName: s.name,
        searchedCompletely: !nextToken,
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  async PutRetentionPolicy(input: Logs.PutRetentionPolicyRequest, at: RequestContext): Promise<void> {
    await this.groups.setRetention(at, input.logGroupName!, input.retentionInDays!);
  }

  async DeleteRetentionPolicy(input: Logs.DeleteRetentionPolicyRequest, at: RequestContext): Promise<void> {
    await this.groups.setRetention(at, input.logGroupName!, null);
  }

  async TagResource(input: Logs.TagResourceRequest, at: RequestContext): Promise<void> {
    await this.groups.tag(at, nameFromIdentifier(input.resourceArn!), input.tags!);
  }

  async UntagResource(input: Logs.UntagResourceRequest, at: RequestContext): Promise<void> {
    await this.groups.untag(at, nameFromIdentifier(input.resourceArn!), input.tagKeys!);
  }

  async ListTagsForResource(
    input: Logs.ListTagsForResourceRequest,
    at: RequestContext,
  ): Promise<Logs.ListTagsForResourceResponse> {
    return { tags: await this.groups.tags(at, nameFromIdentifier(input.resourceArn!)) };
  }

  async TagLogGroup(input: Logs.TagLogGroupRequest, at: RequestContext): Promise<void> {
    await this.groups.tag(at, input.logGroupName!, input.tags!);
  }

  async UntagLogGroup(input: Logs.UntagLogGroupRequest, at: RequestContext): Promise<void> {
    await this.groups.untag(at, input.logGroupName!, input.tags!);
  }

  async ListTagsLogGroup(
    input: Logs.ListTagsLogGroupRequest,
    at: RequestContext,
  ): Promise<Logs.ListTagsLogGroupResponse> {
    return { tags: await this.groups.tags(at, input.logGroupName!) };
  }
  /** What other services wrote here after answering (Lambda's function logs) is in every read. */
  private writesSettled(): Promise<void> {
    return this.pendingWrites.settled('logs');
  }
}
