/**
 * The SMTP relay: with `--smtp-relay smtp://user:pass@host:port`, every accepted message is also
 * delivered over real SMTP. Each delivery is a work item written with the outbox row; this worker
 * leases it, sends the stored MIME with the SES envelope (MAIL FROM the source, RCPT TO every
 * To, Cc and Bcc recipient), and records the outcome on the row. A refused or failed connection
 * and 4xx replies are retried with exponential backoff; a 5xx reply, or the last attempt, marks
 * the message failed. A crash mid-delivery lets the lease expire and the message goes again.
 */
import { randomUUID } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import { WorkLoop } from '../../engine/work-loop.js';
import type { WorkItem, WorkQueue } from '../../storage/work-queue.js';
import { parseMailbox } from './addresses.js';
import { relayQueue, type Outbox, type RelayWork } from './outbox.js';
import type { OutboxRow } from './tables.js';

/** With the backoff below, about 18 minutes of retrying before a message is given up. */
export const maxDeliveryAttempts = 12;
const firstRetryMs = 1000;
const maxRetryMs = 5 * 60_000;
const leaseMs = 60_000;
const batchSize = 8;
const maxConnections = 4;
const idlePollMs = 500;

/** 1 s, 2 s, 4 s … doubling up to 5 minutes, after the `attempt`-th failure. */
export function retryDelayMs(attempt: number): number {
  return Math.min(maxRetryMs, firstRetryMs * 2 ** (attempt - 1));
}

function bareAddresses(json: string): string[] {
  return (JSON.parse(json) as string[]).flatMap((text) => {
    const parsed = parseMailbox(text);
    return parsed.ok ? [parsed.mailbox.address] : [];
  });
}

function envelopeOf(row: OutboxRow): { from: string; to: string[] } {
  return {
    from: row.source_address,
    to: [
      ...bareAddresses(row.to_addresses),
      ...bareAddresses(row.cc_addresses),
      ...bareAddresses(row.bcc_addresses),
    ],
  };
}

const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** `smtp://user:pass@host:port` as nodemailer's SMTP options; `smtps://` is TLS from the start. */
export function transportOptions(relayUrl: string) {
  const url = new URL(relayUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 25,
    secure,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
  };
}

/** An SMTP reply code of 5xx: the server will never take this message. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export class SmtpRelayWorker {
  private readonly owner = `ses-relay-${randomUUID()}`;
  private readonly transport: Transporter;
  private readonly loop: WorkLoop<RelayWork>;

  constructor(
    relayUrl: string,
    private readonly outbox: Outbox,
    private readonly workQueue: WorkQueue,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    // Pooled: connections are reused across messages instead of one SMTP session per message.
    this.transport = createTransport({
      ...transportOptions(relayUrl),
      ...timeouts,
      pool: true,
      maxConnections,
    });
    this.loop = new WorkLoop<RelayWork>({
      claim: () => workQueue.claim<RelayWork>(relayQueue, this.owner, { leaseMs, limit: batchSize }),
      handle: (item) => this.deliver(item),
      claimFailed: (err) => logger.warn({ err }, 'could not claim SMTP deliveries'),
      idlePollMs,
      clock,
    });
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.transport.close();
  }

  private async deliver(item: WorkItem<RelayWork>): Promise<void> {
    const id = item.payload.messageId;
    try {
      const row = await this.outbox.get(id);
      if (!row) {
        // The outbox was cleared while this delivery waited.
        await this.workQueue.complete(item.id, this.owner);
        return;
      }
      try {
        await this.transport.sendMail({ envelope: envelopeOf(row), raw: row.raw });
      } catch (err) {
        await this.failed(item, row, err);
        return;
      }
      await this.outbox.recordDelivery(id, {
        status: 'delivered',
        attempts: item.attempts,
        error: null,
        deliveredAt: this.clock.now(),
      });
      await this.workQueue.complete(item.id, this.owner);
    } catch (err) {
      this.logger.error({ err, messageId: id }, 'SMTP delivery bookkeeping failed; its lease will expire');
    }
  }

  private async failed(item: WorkItem<RelayWork>, row: OutboxRow, err: unknown): Promise<void> {
    const error = err instanceof Error ? err.message : String(err);
    const final = isPermanent(err) || item.attempts >= maxDeliveryAttempts;
    this.logger.warn({ messageId: row.id, attempt: item.attempts, final, error }, 'SMTP delivery failed');
    await this.outbox.recordDelivery(row.id, {
      status: final ? 'failed' : 'retrying',
      attempts: item.attempts,
      error,
      deliveredAt: null,
    });
    if (final) await this.workQueue.complete(item.id, this.owner);
    else await this.workQueue.retry(item.id, this.owner, this.clock.now() + retryDelayMs(item.attempts));
  }
}
