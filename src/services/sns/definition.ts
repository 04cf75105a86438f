/**
 * SNS joins Stratus: its model, tables, provider, the delivery worker, and two endpoints of its
 * own — the signing certificate at SigningCertURL and the SMS outbox.
 */
import { loadServiceModel } from '../../protocol/model.js';
import { jsonResponse } from '../../protocol/wire.js';
import type { InternalRoute, ServiceDefinition } from '../service.js';
import { DeliveryWorker } from './delivery.js';
import { DeliveryOutbox, deliveryQueue } from './outbox.js';
import { SnsProvider } from './provider.js';
import { Publisher } from './publish.js';
import { Senders } from './senders.js';
import { SmsSettings } from './sms.js';
import { MessageSigner } from './signing.js';
import { Subscriptions } from './subscriptions.js';
import { dedupQueries, smsQueries, snsMigrations, snsTables, type Region } from './tables.js';
import { Topics } from './topics.js';
import type { Store } from '../../storage/store.js';
import type { Clock } from '../../engine/clock.js';

export interface SnsOptions {
  /** How long an HTTP/S endpoint has to answer a delivery (SNS: 15 seconds). */
  httpTimeoutMs?: number;
}

const dedupSweepMs = 60_000;

/** `GET /_stratus/sns/SimpleNotificationService-<id>.pem`: the certificate messages are signed with. */
function certificateRoute(signer: MessageSigner): InternalRoute {
  return {
    method: 'GET',
    path: /^\/_stratus\/sns\/SimpleNotificationService-([0-9a-f]{32})\.pem$/,
    // Subscribers fetch it unsigned to check messages, as they fetch AWS's public certificate.
    access: 'open',
    async handle(match) {
      const key = await signer.load();
      if (key.certId !== match[1]) return jsonResponse(404, { message: 'No such certificate.' });
      return { status: 200, headers: { 'content-type': 'application/x-pem-file' }, body: key.certificate };
    },
  };
}

/**
 * `GET /_stratus/sns/sms-messages[?phoneNumber=…&account=…&region=…]`: the text messages SNS
 * "sent", oldest first (the default account and region unless given).
 */
function smsRoute(store: Store, defaults: Region): InternalRoute {
  return {
    method: 'GET',
    path: /^\/_stratus\/sns\/sms-messages$/,
    async handle(_match, request) {
      const at = {
        accountId: request.query['account']?.[0] ?? defaults.accountId,
        region: request.query['region']?.[0] ?? defaults.region,
      };
      const rows = await smsQueries.list(store, at, request.query['phoneNumber']?.[0]);
      return jsonResponse(200, {
        messages: rows.map((row) => ({
          MessageId: row.message_id,
          PhoneNumber: row.phone_number,
          Message: row.message,
          ...(row.topic_arn ? { TopicArn: row.topic_arn } : {}),
          ...(row.subscription_arn ? { SubscriptionArn: row.subscription_arn } : {}),
          MessageAttributes: JSON.parse(row.attributes) as unknown,
          Timestamp: new Date(row.created_at).toISOString(),
        })),
      });
    },
  };
}

function sweepDedup(store: Store, clock: Clock): Promise<unknown> {
  return dedupQueries.sweep(store, clock.now());
}

export function snsService(options: SnsOptions = {}): ServiceDefinition {
  return {
    name: 'sns',
    model: loadServiceModel('sns'),
    migrations: snsMigrations,
    tables: snsTables,
    workQueues: [deliveryQueue],
    create(context) {
      const { store, clock, logger } = context;
      const outbox = new DeliveryOutbox(context.workQueue);
      const topics = new Topics(store, clock);
      const signer = new MessageSigner(store);
      const senders = new Senders({
        store,
        clock,
        services: context.services,
        signer,
        endpointUrl: context.endpointUrl,
        httpTimeoutMs: options.httpTimeoutMs ?? 15_000,
      });
      const worker = new DeliveryWorker({ store, clock, workQueue: context.workQueue, senders, logger });
      outbox.whenCommitted(() => worker.wake());
      let sweeper: NodeJS.Timeout | undefined;
      return {
        provider: new SnsProvider({
          store,
          sms: new SmsSettings(store),
          topics,
          subscriptions: new Subscriptions(store, clock, topics, outbox),
          publisher: new Publisher(store, clock, topics, outbox),
        }),
        routes: [
          certificateRoute(signer),
          smsRoute(store, { accountId: context.config.accountId, region: context.config.region }),
        ],
        start() {
          worker.start();
          sweeper = setInterval(() => {
            sweepDedup(store, clock).catch((err: unknown) =>
              logger.warn({ err }, 'FIFO deduplication sweep failed'),
            );
          }, dedupSweepMs);
          sweeper.unref();
        },
        async stop() {
          clearInterval(sweeper);
          await worker.stop();
        },
        async reset() {
          signer.forget();
          worker.wake();
        },
      };
    },
  };
}

export const sns: ServiceDefinition = snsService();
