import { loadServiceModel } from '../../protocol/model.js';
import type { ServiceDefinition } from '../service.js';
import { LogEvents } from './log-events.js';
import { LogGroups } from './log-groups.js';
import { LogsProvider } from './provider.js';
import { sweepExpiredEvents } from './retention.js';
import { logsMigrations, logsTables } from './tables.js';

/** How often expired events are deleted from disk. */
const retentionSweepMs = 60_000;

export const logs: ServiceDefinition = {
  name: 'logs',
  model: loadServiceModel('logs'),
  migrations: logsMigrations,
  tables: logsTables,
  create({ store, clock, logger, pendingWrites }) {
    const provider = new LogsProvider(
      store,
      new LogGroups(store, clock),
      new LogEvents(store, clock),
      pendingWrites,
    );
    let timer: NodeJS.Timeout | undefined;
    return {
      provider,
      start() {
        timer = setInterval(() => {
          sweepExpiredEvents(store, clock).catch((err: unknown) =>
            logger.warn({ err }, 'retention sweep failed'),
          );
        }, retentionSweepMs);
        timer.unref();
      },
      async stop() {
        clearInterval(timer);
      },
    };
  },
};
