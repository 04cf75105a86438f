/**
 * One SES for both APIs: v1 and v2 are two faces of the same service on AWS (an identity verified
 * through one sends through the other), so both providers work on this one set of modules.
 */
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import type { WorkQueue } from '../../storage/work-queue.js';
import { Identities } from './identities.js';
import { Outbox } from './outbox.js';
import { Sender, composeMime, newMessageId } from './sending.js';
import { outboxQueries, type Region, type TemplateFields } from './tables.js';
import { Templates } from './templates.js';

/**
 * The quota of an account out of the SES sandbox with the default production limits. Stratus
 * counts what was sent against it but never throttles.
 */
export const sendQuota = { max24HourSend: 50_000, maxSendRate: 14 };

const day = 24 * 3600 * 1000;
const statisticsWindowMs = 14 * day;
const statisticsIntervalMs = 15 * 60 * 1000;

export class SesDomain {
  readonly identities: Identities;
  readonly outbox: Outbox;
  readonly sender: Sender;
  readonly templates: Templates;

  constructor(
    private readonly store: Store,
    readonly clock: Clock,
    workQueue: WorkQueue,
    relaying: boolean,
  ) {
    this.identities = new Identities(store, clock);
    this.outbox = new Outbox(store, workQueue, relaying);
    this.sender = new Sender(this.identities, this.outbox, clock);
    this.templates = new Templates(store, clock);
  }

  /** A template filled in, as the MIME message TestRenderTemplate shows (no addresses). */
  async renderedMime(template: TemplateFields, data: unknown): Promise<string> {
    const now = this.clock.now();
    const content = { kind: 'simple' as const, ...this.templates.render(template, data) };
    return (await composeMime({ id: newMessageId(now), date: now, content })).toString('utf8');
  }

  /** Recipients sent to in the last 24 hours, as the quota counts them. */
  sentLast24Hours(at: Region): Promise<number> {
    return outboxQueries.recipientsSince(this.store, at, this.clock.now() - day);
  }

  /** Recipients per 15-minute interval over the last two weeks, oldest first. */
  async sendStatistics(at: Region): Promise<{ timestamp: number; deliveryAttempts: number }[]> {
    const sends = await outboxQueries.sendsSince(this.store, at, this.clock.now() - statisticsWindowMs);
    const buckets = new Map<number, number>();
    for (const send of sends) {
      const bucket = send.sent_at - (send.sent_at % statisticsIntervalMs);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + send.recipient_count);
    }
    return [...buckets].map(([timestamp, deliveryAttempts]) => ({ timestamp, deliveryAttempts }));
  }
}
