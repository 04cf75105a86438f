/**
 * EventBridge Scheduler joins Stratus: its model, tables, provider, the shared schedule timer over
 * its schedules, and the worker that invokes their targets.
 */
import { ScheduleTimer } from '../../engine/schedule-timer.js';
import { loadServiceModel } from '../../protocol/model.js';
import type { ServiceDefinition } from '../service.js';
import { invokeQueue, ScheduleFiring } from './firing.js';
import { SchedulerProvider } from './provider.js';
import { Schedules } from './schedules.js';
import { schedulerMigrations, schedulerTables } from './tables.js';
import { InvocationWorker } from './worker.js';

/** How often a node looks for schedules other nodes changed (its own changes wake it at once). */
const pollMs = 1_000;

export const scheduler: ServiceDefinition = {
  name: 'scheduler',
  model: loadServiceModel('scheduler'),
  migrations: schedulerMigrations,
  tables: schedulerTables,
  workQueues: [invokeQueue],
  create({ store, clock, logger, workQueue, services }) {
    const worker = new InvocationWorker({ clock, workQueue, services, logger });
    const timer = new ScheduleTimer(
      clock,
      new ScheduleFiring(store, workQueue, () => worker.wake()),
      pollMs,
      (err) => logger.warn({ err }, 'could not fire schedules'),
    );
    return {
      provider: new SchedulerProvider(new Schedules(store, clock, () => timer.wake())),
      start() {
        worker.start();
        timer.start();
      },
      async stop() {
        await timer.stop();
        await worker.stop();
      },
      async reset() {
        timer.wake();
        worker.wake();
      },
    };
  },
};
