/**
 * The outbox: every message SES accepts is a row, readable through `/_stratus/ses/messages` and
 * `stratus mail`. With an SMTP relay configured, the row and the relay's work item are written in
 * one transaction, so an accepted message is delivered (at least once) even across a crash.
 */
import type { Store } from '../../storage/store.js';
import type { WorkQueue } from '../../storage/work-queue.js';
import {
  outboxQueries,
  type DeliveryStatus,
  type OutboxFields,
  type OutboxFilter,
  type OutboxRow,
} from './tables.js';

export const relayQueue = 'ses-smtp-relay';

export interface RelayWork {
  messageId: string;
}

/** A message as `/_stratus/ses/messages` and `stratus mail --json` show it. */
export interface OutboxMessage {
  id: string;
  accountId: string;
  region: string;
  /** `ses` (v1) or `sesv2`, and the operation that sent it. */
  api: string;
  operation: string;
  source: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  replyTo: string[];
  subject: string | null;
  text: string | null;
  html: string | null;
  /** The message as MIME, as the relay sends it. */
  raw: string;
  timestamp: string;
  delivery: {
    status: DeliveryStatus;
    attempts: number;
    error: string | null;
    deliveredAt: string | null;
  };
}

const list = (json: string) => JSON.parse(json) as string[];

export function outboxMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    api: row.api,
    operation: row.operation,
    source: row.source,
    destination: { to: list(row.to_addresses), cc: list(row.cc_addresses), bcc: list(row.bcc_addresses) },
    replyTo: list(row.reply_to),
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    raw: row.raw.toString('utf8'),
    timestamp: new Date(row.sent_at).toISOString(),
    delivery: {
      status: row.delivery_status,
      attempts: row.delivery_attempts,
      error: row.delivery_error,
      deliveredAt: row.delivered_at === null ? null : new Date(row.delivered_at).toISOString(),
    },
  };
}

export class Outbox {
  private readonly queuedListeners: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly workQueue: WorkQueue,
    /** Whether an SMTP relay is configured: then each message is also queued for delivery. */
    readonly relaying: boolean,
  ) {}

  /** Keeps the message, and queues its delivery when relaying. */
  async accept(
    row: Omit<OutboxFields, 'delivery_status' | 'delivery_attempts' | 'delivery_error' | 'delivered_at'>,
  ) {
    await this.store.transaction(async (tx) => {
      await outboxQueries.insert(tx, {
        ...row,
        delivery_status: this.relaying ? 'pending' : 'stored',
        delivery_attempts: 0,
        delivery_error: null,
        delivered_at: null,
      });
      if (this.relaying)
        await this.workQueue.enqueue(tx, relayQueue, { messageId: row.id } satisfies RelayWork);
    });
    if (this.relaying) for (const listener of this.queuedListeners) listener();
  }

  /** Calls `listener` after each message queued for the relay commits. */
  whenQueued(listener: () => void): void {
    this.queuedListeners.push(listener);
  }

  get(id: string): Promise<OutboxRow | undefined> {
    return outboxQueries.get(this.store, id);
  }

  list(filter: OutboxFilter): Promise<OutboxRow[]> {
    return outboxQueries.list(this.store, filter);
  }

  /** Empties the outbox. Deliveries still queued find no message and are dropped. */
  async clear(): Promise<number> {
    const { changes } = await outboxQueries.clear(this.store);
    return changes;
  }

  recordDelivery(
    id: string,
    update: { status: DeliveryStatus; attempts: number; error: string | null; deliveredAt: number | null },
  ): Promise<unknown> {
    return outboxQueries.recordDelivery(this.store, id, update);
  }
}
