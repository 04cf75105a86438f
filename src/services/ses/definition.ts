/**
 * SES is two services on the wire — v1 (query, `Action=SendEmail`) and v2 (REST,
 * `/v2/email/...`), both signed as `ses` — and one service behind it: both definitions work on
 * the same SesDomain, created once per Stratus. The v1 definition owns what exists once: the
 * tables, the outbox endpoints and the SMTP relay worker.
 */
import { loadServiceModel } from '../../protocol/model.js';
import { validationMessage } from '../../protocol/validate.js';
import type { Store } from '../../storage/store.js';
import type { ServiceContext, ServiceDefinition } from '../service.js';
import { SesDomain } from './domain.js';
import { BadRequestException } from './errors.js';
import { sesv2Model } from './model-v2.js';
import { SesV2Provider } from './provider-v2.js';
import { SesProvider } from './provider.js';
import { SmtpRelayWorker } from './relay.js';
import { outboxRoutes } from './routes.js';
import { sesMigrations, sesTables } from './tables.js';
import { relayQueue } from './outbox.js';

/** One domain per running Stratus (its store), whichever definition is created first. */
const domains = new WeakMap<Store, SesDomain>();

function domainOf(context: ServiceContext): SesDomain {
  let domain = domains.get(context.store);
  if (!domain) {
    domain = new SesDomain(
      context.store,
      context.clock,
      context.workQueue,
      Boolean(context.config.smtpRelay),
    );
    domains.set(context.store, domain);
  }
  return domain;
}

export const ses: ServiceDefinition = {
  name: 'ses',
  model: loadServiceModel('ses'),
  migrations: sesMigrations,
  tables: sesTables,
  workQueues: [relayQueue],
  create(context) {
    const domain = domainOf(context);
    const relayUrl = context.config.smtpRelay;
    const relay = relayUrl
      ? new SmtpRelayWorker(relayUrl, domain.outbox, context.workQueue, context.clock, context.logger)
      : undefined;
    if (relay) domain.outbox.whenQueued(() => relay.wake());
    return {
      provider: new SesProvider(domain),
      routes: outboxRoutes(domain.outbox),
      start: () => relay?.start(),
      stop: async () => relay?.stop(),
      // A loaded snapshot may hold messages waiting for the relay.
      reset: async () => relay?.wake(),
    };
  },
};

export const sesv2: ServiceDefinition = {
  name: 'sesv2',
  model: sesv2Model(),
  sharesStateWith: 'ses',
  // SES v2 reports a request that breaks the model's constraints as a bad request.
  validationError: (violations) => new BadRequestException(validationMessage(violations)),
  create: (context) => ({ provider: new SesV2Provider(domainOf(context)) }),
};
