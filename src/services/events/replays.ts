/**
 * Replays: the events an archive kept between two times, sent again on the archive's bus with a
 * `replay-name` field, to the rules Destination.FilterArns names (all of the bus's otherwise),
 * never into an archive. A replay is a work item that routes a batch of events per transaction,
 * recording how far it got in the same transaction, so a crash resumes it where it stopped.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import { parseArn } from '../arn.js';
import { archivedEventQueries, archiveQueries, replayQueries, type ReplayRow } from './archive-tables.js';
import { oneFilter } from './archives.js';
import { replayArn, type Region } from './arns.js';
import type { Buses } from './buses.js';
import type { EventEnvelope } from './envelope.js';
import {
  IllegalStatusException,
  invalidParameter,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from './errors.js';
import type { Outbox } from './outbox.js';
import { afterToken, defaultPageSize, page } from './paging.js';
import type { Router } from './routing.js';

const batchSize = 100;

export class Replays {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly buses: Buses,
    private readonly router: Router,
    private readonly outbox: Outbox,
  ) {}

  async get(at: Region, name: string): Promise<ReplayRow> {
    const replay = await replayQueries.get(this.store, at, name);
    if (!replay) throw new ResourceNotFoundException(`Replay ${name} does not exist.`);
    return replay;
  }

  async start(at: Region, input: EventBridge.StartReplayRequest): Promise<EventBridge.StartReplayResponse> {
    const destination = input.Destination!;
    if (!parseArn(destination.Arn!)?.resource.startsWith('event-bus/')) {
      throw invalidParameter('Destination.Arn', 'Must contain an event bus ARN.');
    }
    const now = this.clock.now();
    const row = await this.store.transaction(async (tx) => {
      const bus = await this.buses.get(tx, destination.Arn, at);
      const archive = await archiveQueries.byArn(tx, input.EventSourceArn!);
      if (!archive) {
        const name = input.EventSourceArn!.split('/').at(-1);
        throw invalidParameter('EventSourceArn', `Archive ${name} does not exist.`);
      }
      if (archive.bus_arn !== bus.arn) {
        throw invalidParameter('Destination.Arn', 'Cross event bus replay is not permitted.');
      }
      if (input.EventEndTime!.getTime() <= input.EventStartTime!.getTime()) {
        throw invalidParameter('EventEndTime', 'EventStartTime must be before EventEndTime.');
      }
      if (await replayQueries.get(tx, at, input.ReplayName!)) {
        throw new ResourceAlreadyExistsException(`Replay ${input.ReplayName} already exists.`);
      }
      const replay: ReplayRow = {
        arn: replayArn(at, input.ReplayName!),
        account_id: at.accountId,
        region: at.region,
        name: input.ReplayName!,
        description: input.Description ?? null,
        archive_arn: archive.arn,
        destination: JSON.stringify(destination),
        event_start: input.EventStartTime!.getTime(),
        event_end: input.EventEndTime!.getTime(),
        state: 'STARTING',
        state_reason: null,
        replay_start: now,
        replay_end: null,
        last_replayed: null,
        replayed_through_id: 0,
      };
      await replayQueries.insert(tx, replay);
      await this.outbox.add(tx, { kind: 'replay', replayArn: replay.arn });
      return replay;
    });
    this.outbox.committed();
    return { ReplayArn: row.arn, State: 'STARTING', ReplayStartTime: new Date(now) };
  }

  async describe(at: Region, name: string): Promise<EventBridge.DescribeReplayResponse> {
    const replay = await this.get(at, name);
    return {
      ReplayArn: replay.arn,
      ...listed(replay),
      ...(replay.description !== null ? { Description: replay.description } : {}),
      Destination: JSON.parse(replay.destination) as EventBridge.ReplayDestination,
    };
  }

  async list(at: Region, input: EventBridge.ListReplaysRequest): Promise<EventBridge.ListReplaysResponse> {
    oneFilter('ListReplays', input);
    const limit = input.Limit ?? defaultPageSize;
    const rows = await replayQueries.list(
      this.store,
      at,
      { prefix: input.NamePrefix ?? '', source: input.EventSourceArn, state: input.State },
      afterToken(input.NextToken),
      limit + 1,
    );
    const { items, NextToken } = page(rows, limit, (r) => r.name);
    return { Replays: items.map(listed), ...(NextToken ? { NextToken } : {}) };
  }

  async cancel(at: Region, name: string): Promise<EventBridge.CancelReplayResponse> {
    const replay = await this.get(at, name);
    if (!(await replayQueries.transition(this.store, replay.arn, ['STARTING', 'RUNNING'], 'CANCELLING'))) {
      throw new IllegalStatusException(`Replay ${name} is not in a valid state for this operation.`);
    }
    return { ReplayArn: replay.arn, State: 'CANCELLING' };
  }

  /** Replays the next batch; true while there is more to replay. */
  async step(arn: string): Promise<boolean> {
    const result = await this.store.transaction(async (tx) => {
      // Locked, so a CancelReplay on another node waits for this batch rather than being overwritten.
      const replay = await replayQueries.lock(tx, arn, this.store.dialect.forUpdate);
      if (
        !replay ||
        (replay.state !== 'STARTING' && replay.state !== 'RUNNING' && replay.state !== 'CANCELLING')
      ) {
        return { more: false, queued: 0 };
      }
      const now = this.clock.now();
      const progress = { throughId: replay.replayed_through_id, lastReplayed: replay.last_replayed };
      if (replay.state === 'CANCELLING') {
        await replayQueries.progress(tx, arn, { state: 'CANCELLED', ...progress, end: now });
        return { more: false, queued: 0 };
      }
      const destination = JSON.parse(replay.destination) as EventBridge.ReplayDestination;
      const rules = destination.FilterArns?.length ? new Set(destination.FilterArns) : undefined;
      const events = await archivedEventQueries.window(
        tx,
        replay.archive_arn,
        replay.event_start,
        replay.event_end,
        replay.replayed_through_id,
        batchSize,
      );
      let queued = 0;
      for (const row of events) {
        const event = { ...(JSON.parse(row.event) as EventEnvelope), 'replay-name': replay.name };
        queued += await this.router.route(tx, destination.Arn!, event, {
          ingestedAt: now,
          replay: { rules },
        });
        progress.throughId = row.id;
        progress.lastReplayed = row.ingested_at;
      }
      const more = events.length === batchSize;
      await replayQueries.progress(tx, arn, {
        state: more ? 'RUNNING' : 'COMPLETED',
        ...progress,
        end: more ? null : now,
      });
      return { more, queued };
    });
    if (result.queued > 0) this.outbox.committed();
    return result.more;
  }
}

function listed(replay: ReplayRow): EventBridge.Replay {
  return {
    ReplayName: replay.name,
    EventSourceArn: replay.archive_arn,
    State: replay.state as EventBridge.ReplayState,
    ...(replay.state_reason !== null ? { StateReason: replay.state_reason } : {}),
    EventStartTime: new Date(replay.event_start),
    EventEndTime: new Date(replay.event_end),
    ...(replay.last_replayed !== null ? { EventLastReplayedTime: new Date(replay.last_replayed) } : {}),
    ReplayStartTime: new Date(replay.replay_start),
    ...(replay.replay_end !== null ? { ReplayEndTime: new Date(replay.replay_end) } : {}),
  };
}
