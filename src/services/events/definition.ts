/**
 * EventBridge joins Stratus: its model, tables, provider, the delivery worker (deliveries,
 * connection authorizations, replays), the archive retention sweep, and the timer that fires
 * scheduled rules.
 */
import { ScheduleTimer } from '../../engine/schedule-timer.js';
import { loadServiceModel } from '../../protocol/model.js';
import type { ServiceDefinition } from '../service.js';
import { ApiInvoker } from './api-invoke.js';
import { ApiDestinations } from './api-destinations.js';
import { Archives } from './archives.js';
import { Buses } from './buses.js';
import { Connections } from './connections.js';
import { DeliveryWorker } from './delivery.js';
import { Outbox, workQueueName } from './outbox.js';
import { EventsProvider } from './provider.js';
import { EventIngest } from './put-events.js';
import { Replays } from './replays.js';
import { Router } from './routing.js';
import { Rules } from './rules.js';
import { ScheduledRules } from './scheduled-rules.js';
import { Senders } from './senders.js';
import { eventsMigrations, eventsTables } from './tables.js';
import { Tagging } from './tags.js';
import { Targets } from './targets.js';

export interface EventsOptions {
  /** How long an API destination has to answer (EventBridge: 5 seconds). */
  apiDestinationTimeoutMs?: number;
}

const retentionSweepMs = 60_000;
/** How often a node looks for schedules other nodes changed (its own changes wake it at once). */
const schedulePollMs = 1_000;

export function eventsService(options: EventsOptions = {}): ServiceDefinition {
  return {
    name: 'events',
    model: loadServiceModel('events'),
    migrations: eventsMigrations,
    tables: eventsTables,
    workQueues: [workQueueName],
    create(context) {
      const { store, clock, logger, workQueue } = context;
      const outbox = new Outbox(workQueue);
      const router = new Router(outbox, logger);
      const buses = new Buses(store, clock);
      const schedules = new ScheduleTimer(clock, new ScheduledRules(store, outbox), schedulePollMs, (err) =>
        logger.warn({ err }, 'could not fire scheduled rules'),
      );
      const rules = new Rules(store, clock, buses, () => schedules.wake());
      const archives = new Archives(store, clock, buses);
      const replays = new Replays(store, clock, buses, router, outbox);
      const timeoutMs = options.apiDestinationTimeoutMs ?? 5_000;
      const connections = new Connections(store, clock, outbox, timeoutMs);
      const senders = new Senders({
        store,
        clock,
        services: context.services,
        router,
        outbox,
        api: new ApiInvoker(store, connections, timeoutMs),
      });
      const worker = new DeliveryWorker({ clock, workQueue, senders, connections, replays, logger });
      outbox.whenCommitted(() => worker.wake());
      let sweeper: NodeJS.Timeout | undefined;
      return {
        provider: new EventsProvider({
          buses,
          rules,
          targets: new Targets(store, rules),
          tagging: new Tagging(store, buses),
          ingest: new EventIngest(store, clock, router, outbox),
          archives,
          replays,
          connections,
          apiDestinations: new ApiDestinations(store, clock),
        }),
        start() {
          worker.start();
          schedules.start();
          sweeper = setInterval(() => {
            archives.expire().catch((err: unknown) => logger.warn({ err }, 'archive retention sweep failed'));
          }, retentionSweepMs);
          sweeper.unref();
        },
        async stop() {
          clearInterval(sweeper);
          await schedules.stop();
          await worker.stop();
        },
        async reset() {
          router.forget();
          worker.wake();
          schedules.wake();
        },
      };
    },
  };
}

export const events: ServiceDefinition = eventsService();
