/**
 * Archives: a bus's events that match the archive's pattern (all of them without one), kept for
 * RetentionDays (for ever when 0) and replayable. Routing writes the copies (routing.ts), in the
 * transaction that accepts the event; `expire` deletes what retention no longer covers.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import { archivedEventQueries, archiveQueries, type ArchiveRow } from './archive-tables.js';
import { archiveArn, type Region } from './arns.js';
import type { Buses } from './buses.js';
import { ResourceAlreadyExistsException, ResourceNotFoundException, ValidationException } from './errors.js';
import { afterToken, defaultPageSize, page } from './paging.js';
import { checkPattern } from './rules.js';
import { busQueries } from './tables.js';

const notFound = (name: string) => new ResourceNotFoundException(`Archive ${name} does not exist.`);

/** ListArchives and ListReplays take one filter at most. */
export function oneFilter(
  operation: string,
  input: { NamePrefix?: string; EventSourceArn?: string; State?: string },
) {
  const given = [input.NamePrefix, input.EventSourceArn, input.State].filter((x) => x !== undefined);
  if (given.length > 1) {
    throw new ValidationException(
      `At most one filter is allowed for ${operation}. Use either : State, EventSourceArn, or NamePrefix.`,
    );
  }
}

export class Archives {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly buses: Buses,
  ) {}

  async get(at: Region, name: string): Promise<ArchiveRow> {
    const archive = await archiveQueries.get(this.store, at, name);
    if (!archive) throw notFound(name);
    return archive;
  }

  async create(
    at: Region,
    input: EventBridge.CreateArchiveRequest,
  ): Promise<EventBridge.CreateArchiveResponse> {
    if (input.EventPattern !== undefined) checkPattern(input.EventPattern);
    const row = await this.store.transaction(async (tx) => {
      const bus = await this.buses.get(tx, input.EventSourceArn, at);
      if (await archiveQueries.get(tx, at, input.ArchiveName!)) {
        throw new ResourceAlreadyExistsException(`Archive ${input.ArchiveName} already exists.`);
      }
      const archive: ArchiveRow = {
        arn: archiveArn(at, input.ArchiveName!),
        account_id: at.accountId,
        region: at.region,
        name: input.ArchiveName!,
        bus_arn: bus.arn,
        description: input.Description ?? null,
        event_pattern: input.EventPattern ?? null,
        retention_days: input.RetentionDays ?? 0,
        state: 'ENABLED',
        created_at: this.clock.now(),
      };
      await archiveQueries.insert(tx, archive);
      await busQueries.bumpVersion(tx, bus.arn);
      return archive;
    });
    return { ArchiveArn: row.arn, State: 'ENABLED', CreationTime: new Date(row.created_at) };
  }

  async describe(at: Region, name: string): Promise<EventBridge.DescribeArchiveResponse> {
    const archive = await this.get(at, name);
    return {
      ArchiveArn: archive.arn,
      ...(await this.listed(archive)),
      ...(archive.description !== null ? { Description: archive.description } : {}),
      ...(archive.event_pattern !== null ? { EventPattern: archive.event_pattern } : {}),
    };
  }

  async list(at: Region, input: EventBridge.ListArchivesRequest): Promise<EventBridge.ListArchivesResponse> {
    oneFilter('ListArchives', input);
    const limit = input.Limit ?? defaultPageSize;
    const rows = await archiveQueries.list(
      this.store,
      at,
      { prefix: input.NamePrefix ?? '', source: input.EventSourceArn, state: input.State },
      afterToken(input.NextToken),
      limit + 1,
    );
    const { items, NextToken } = page(rows, limit, (a) => a.name);
    return {
      Archives: await Promise.all(items.map((a) => this.listed(a))),
      ...(NextToken ? { NextToken } : {}),
    };
  }

  async update(
    at: Region,
    input: EventBridge.UpdateArchiveRequest,
  ): Promise<EventBridge.UpdateArchiveResponse> {
    if (input.EventPattern !== undefined) checkPattern(input.EventPattern);
    const archive = await this.store.transaction(async (tx) => {
      const current = await archiveQueries.get(tx, at, input.ArchiveName!);
      if (!current) throw notFound(input.ArchiveName!);
      const next: ArchiveRow = {
        ...current,
        description: input.Description ?? current.description,
        event_pattern: input.EventPattern ?? current.event_pattern,
        retention_days: input.RetentionDays ?? current.retention_days,
      };
      await archiveQueries.update(tx, next);
      await busQueries.bumpVersion(tx, next.bus_arn);
      return next;
    });
    return { ArchiveArn: archive.arn, State: 'ENABLED', CreationTime: new Date(archive.created_at) };
  }

  async delete(at: Region, name: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const archive = await archiveQueries.get(tx, at, name);
      if (!archive) throw notFound(name);
      await archiveQueries.delete(tx, archive.arn);
      await busQueries.bumpVersion(tx, archive.bus_arn);
    });
  }

  /** Deletes archived events older than their archive's retention. */
  expire(): Promise<unknown> {
    return archivedEventQueries.expire(this.store, this.clock.now());
  }

  private async listed(archive: ArchiveRow): Promise<EventBridge.Archive> {
    return {
      ArchiveName: archive.name,
      EventSourceArn: archive.bus_arn,
      State: archive.state as EventBridge.ArchiveState,
      RetentionDays: archive.retention_days,
      ...(await archiveQueries.usage(this.store, archive.arn)),
      CreationTime: new Date(archive.created_at),
    };
  }
}
