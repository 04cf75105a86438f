/**
 * PutEvents: entries are checked one by one (a bad one fails alone), each accepted event gets its
 * id and envelope, and all of a request's events are routed in one transaction — shared, through
 * group commit, with the other PutEvents of the same moment — so once PutEvents answers, every
 * delivery it caused is a stored work item. An event sent to a bus that does not exist is
 * accepted and dropped, as EventBridge does.
 */
import { randomUUID } from 'node:crypto';
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { Clock } from '../../engine/clock.js';
import { GroupCommit } from '../../storage/group-commit.js';
import type { Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { busRef } from './arns.js';
import { checkEntry, entrySize, maxEntriesBytes } from './entries.js';
import { envelope, type EventEnvelope } from './envelope.js';
import { ValidationException } from './errors.js';
import type { Outbox } from './outbox.js';
import type { Router } from './routing.js';

interface Accepted {
  busArn: string;
  event: EventEnvelope;
  traceHeader: string | undefined;
}

export class EventIngest {
  private readonly commits: GroupCommit;

  constructor(
    store: Store,
    private readonly clock: Clock,
    private readonly router: Router,
    private readonly outbox: Outbox,
  ) {
    this.commits = new GroupCommit(store);
  }

  async putEvents(
    at: RequestContext,
    input: EventBridge.PutEventsRequest,
  ): Promise<EventBridge.PutEventsResponse> {
    const entries = input.Entries!;
    if (entries.reduce((sum, entry) => sum + entrySize(entry), 0) > maxEntriesBytes) {
      throw new ValidationException('Total size of the entries in the request is over the limit.');
    }
    const now = this.clock.now();
    const results: EventBridge.PutEventsResultEntry[] = [];
    const accepted: Accepted[] = [];
    for (const entry of entries) {
      const checked = checkEntry(entry, now, at.origin === 'service');
      if ('ErrorCode' in checked) {
        results.push(checked);
        continue;
      }
      const id = randomUUID();
      accepted.push({
        busArn: busRef(checked.bus, at).arn,
        event: envelope(id, checked.fields, at),
        traceHeader: checked.traceHeader,
      });
      results.push({ EventId: id });
    }
    if (accepted.length > 0) {
      const queued = await this.commits.run(async (tx) => {
        let count = 0;
        for (const { busArn, event, traceHeader } of accepted) {
          count += await this.router.route(tx, busArn, event, { ingestedAt: now, traceHeader });
        }
        return count;
      });
      if (queued > 0) this.outbox.committed();
    }
    return { FailedEntryCount: entries.length - accepted.length, Entries: results };
  }
}
