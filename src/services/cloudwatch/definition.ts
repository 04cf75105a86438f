import { loadServiceModel } from '../../protocol/model.js';
import type { ServiceDefinition } from '../service.js';
import { cloudwatchValidationError } from './errors.js';
import { MetricStore } from './metric-store.js';
import { CloudWatchProvider } from './provider.js';
import { cloudwatchMigrations, cloudwatchTables } from './tables.js';

/** How often datapoints past retention are deleted from disk. */
const retentionSweepMs = 3600_000;

export const cloudwatch: ServiceDefinition = {
  name: 'cloudwatch',
  model: loadServiceModel('cloudwatch'),
  migrations: cloudwatchMigrations,
  tables: cloudwatchTables,
  validationError: cloudwatchValidationError,
  create({ store, clock, logger }) {
    const metrics = new MetricStore(store, clock);
    let timer: NodeJS.Timeout | undefined;
    return {
      provider: new CloudWatchProvider(metrics, clock),
      start() {
        timer = setInterval(() => {
          metrics.deleteExpired().catch((err: unknown) => logger.warn({ err }, 'retention sweep failed'));
        }, retentionSweepMs);
        timer.unref();
      },
      async stop() {
        clearInterval(timer);
      },
    };
  },
};
