import type { ServiceDefinition } from '../service.js';
import { Acknowledger } from './acknowledge.js';
import { sqsValidationError } from './errors.js';
import { queueUrlFromPath } from './names.js';
import { LongPolls } from './long-poll.js';
import { loadSqsModel } from './model.js';
import { MoveTasks, stepMs } from './move-tasks.js';
import { SqsProvider } from './provider.js';
import { Queues } from './queues.js';
import { Receiver } from './receive.js';
import { Sender } from './send.js';
import { sweepExpired } from './sweep.js';
import { sqsMigrations, sqsTables } from './tables.js';

/** How often messages past their retention period and spent deduplication ids are deleted. */
const sweepMs = 60_000;

export const sqs: ServiceDefinition = {
  name: 'sqs',
  model: loadSqsModel(),
  migrations: sqsMigrations,
  tables: sqsTables,
  validationError: sqsValidationError,
  inputFromRequest: queueUrlFromPath,
  create({ store, clock, logger, endpointUrl }) {
    const polls = new LongPolls();
    const queues = new Queues(store, clock, endpointUrl);
    const moveTasks = new MoveTasks(store, clock, queues, polls);
    const provider = new SqsProvider(
      queues,
      new Sender(store, clock, polls),
      new Receiver(store, clock, queues, polls),
      new Acknowledger(store, clock, polls),
      moveTasks,
    );
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe: (() => void) | undefined;
    let stepping: Promise<void> = Promise.resolve();
    return {
      provider,
      start() {
        unsubscribe = clock.onJump(() => polls.notifyAll());
        timers.push(
          setInterval(() => {
            sweepExpired(store, clock).catch((err: unknown) =>
              logger.warn({ err }, 'retention sweep failed'),
            );
          }, sweepMs),
          setInterval(() => {
            stepping = moveTasks
              .step()
              .catch((err: unknown) => logger.warn({ err }, 'message move task step failed'));
          }, stepMs),
        );
        for (const timer of timers) timer.unref();
      },
      async stop() {
        for (const timer of timers) clearInterval(timer);
        unsubscribe?.();
        polls.stop();
        await stepping;
      },
      async reset() {
        queues.forgetAll();
        polls.reset();
      },
    };
  },
};
