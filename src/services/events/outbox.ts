/**
 * EventBridge's durable work, all in one work queue: deliveries of an event to a rule's target
 * (written in the transaction that accepted the event, so "accepted" means "will be delivered"),
 * OAuth authorizations of connections, and replays running through an archive. The worker is
 * woken once the writing transaction has committed.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { Queryable } from '../../storage/store.js';
import type { WorkQueue } from '../../storage/work-queue.js';
import type { Region } from './arns.js';

export const workQueueName = 'events-delivery';

export interface TargetDelivery {
  kind: 'target';
  /** Where the rule lives. */
  at: Region;
  busArn: string;
  ruleArn: string;
  ruleName: string;
  target: EventBridge.Target;
  eventId: string;
  /** The event as JSON, as the bus routed it. */
  event: string;
  ingestedAt: number;
  /** Retries made so far (claims also count lease expiries, so they cannot tell). */
  retries: number;
  /** The buses the event went through before this one (bus-to-bus delivery). */
  hops: string[];
  traceHeader?: string;
}

export interface ConnectionAuthorization {
  kind: 'authorize';
  connectionArn: string;
}

export interface ReplayRun {
  kind: 'replay';
  replayArn: string;
}

export type WorkPayload = TargetDelivery | ConnectionAuthorization | ReplayRun;

export class Outbox {
  private wakeWorker: (() => void) | undefined;

  constructor(private readonly workQueue: WorkQueue) {}

  add(tx: Queryable, payload: WorkPayload): Promise<number> {
    return this.workQueue.enqueue(tx, workQueueName, payload);
  }

  /** Call after the transaction that added work has committed. */
  committed(): void {
    this.wakeWorker?.();
  }

  whenCommitted(wake: () => void): void {
    this.wakeWorker = wake;
  }
}
