/**
 * Assembles a running Stratus: store, blob store, work queue, every registered service, and the
 * HTTP edge. `startStratus` is what `stratus start` and the end-to-end tests call.
 */
import { PendingWrites } from '../engine/pending-writes.js';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { resolveConfig, type StratusConfig } from '../config.js';
import { hostClock, StratusClock, type Clock } from '../engine/clock.js';
import { ClockSync } from '../engine/clock-sync.js';
import { randomIds, type IdGenerator } from '../engine/ids.js';
import { protocolsOf } from '../protocol/model.js';
import { serviceDefinitions } from '../services/registry.js';
import type { ServiceContext, ServiceDefinition, ServiceInstance } from '../services/service.js';
import { BlobStore } from '../storage/blobs.js';
import { openStore } from '../storage/open.js';
import type { Store } from '../storage/store.js';
import { WorkQueue } from '../storage/work-queue.js';
import { version } from '../version.js';
import { Authenticator } from './auth.js';
import { healthRoute, stateRoutes } from './control/endpoints.js';
import { ControlRouter, serviceRoute } from './control/router.js';
import { ServicesState } from './control/services-state.js';
import { StateChanges } from './control/state-changes.js';
import { stratusMigrations } from './own-migrations.js';
import type { HealthReport } from './health.js';
import { createHttpServer } from './http-server.js';
import { timeReport, timeRoutes } from './control/time.js';
import { RequestPipeline, type RunningService } from './pipeline.js';
import { ServiceRouter } from './routing.js';
import { InProcessServiceCaller } from './service-caller.js';

/** How often blobs no row names are swept, and how long unwritten they must be to go. */
const blobSweepMs = 60 * 60 * 1000;

export interface StartOptions extends Partial<StratusConfig> {
  /** Stratus's time (a `ManualClock` in tests); the host's time, movable with `stratus time`, by default. */
  clock?: StratusClock;
  /**
   * The host's time, for what Stratus's time must not move: SigV4's clock-skew window and when
   * work-queue leases expire. Tests pass a ManualClock here to check signature expiry, or to
   * expire a killed server's leases without waiting.
   */
  hostClock?: Clock;
  ids?: IdGenerator;
  logger?: Logger;
  services?: readonly ServiceDefinition[];
}

export interface RunningStratus {
  /** `http://host:port` of the edge. */
  url: string;
  port: number;
  config: StratusConfig;
  store: Store;
  /** What `/_stratus/health` answers (the banner shows the sandbox mode from it). */
  health(): HealthReport;
  close(): Promise<void>;
}

export async function startStratus(options: StartOptions = {}): Promise<RunningStratus> {
  const {
    clock = new StratusClock(),
    hostClock: hostTime = hostClock,
    ids = randomIds,
    services = serviceDefinitions,
    ...overrides
  } = options;
  const config = resolveConfig(overrides);
  const logger = options.logger ?? pino({ level: config.logLevel, base: undefined });
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });

  const store = await openStore({ url: config.storeUrl, dataDir, durability: config.durability });
  const instances: ServiceInstance[] = [];
  let clockSync: ClockSync | undefined;
  try {
    const migrations = [...stratusMigrations, ...services.flatMap((s) => s.migrations ?? [])];
    await store.migrate(migrations);
    // The stored time setting, if someone moved the clock, applies before any service reads it.
    clockSync = new ClockSync(store, clock, logger);
    await clockSync.start();
    const stateChanges = new StateChanges(store, logger);
    const running = new Map<string, RunningService>();
    let endpointUrl = `http://${config.host}:${config.port}`;
    const blobs = new BlobStore(join(dataDir, 'blobs'));
    const serviceCaller = new InProcessServiceCaller(running, ids);
    // Releasing a blob asks every service: known once they all exist.
    const everyService: { state?: ServicesState } = {};
    const context: ServiceContext = {
      config,
      store,
      blobs,
      workQueue: new WorkQueue(store, clock, hostTime),
      clock,
      logger,
      services: serviceCaller,
      pendingWrites: new PendingWrites(),
      dataDir,
      endpointUrl: () => endpointUrl,
      releaseBlobs: async (hashes) => everyService.state?.releaseBlobs(hashes),
    };
    for (const definition of services) {
      const instance = await definition.create({
        ...context,
        logger: logger.child({ service: definition.name }),
      });
      instances.push(instance);
      running.set(definition.name, {
        definition,
        provider: instance.provider,
        answerHeaders: instance.answerHeaders?.bind(instance),
      });
    }

    const startedAt = Date.now();
    const health = (): HealthReport => ({
      status: 'ok',
      version,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      store: { engine: store.dialect.engine },
      // instances[i] is what services[i] created.
      services: Object.fromEntries(
        services.map((s, i) => [
          s.name,
          {
            protocols: protocolsOf(s.model),
            apiVersion: s.model.metadata.apiVersion,
            ...instances[i]?.health?.(),
          },
        ]),
      ),
      accountId: config.accountId,
      region: config.region,
      time: timeReport(clock),
    });
    // Clients sign with their own clock: the skew window is the host's, whatever Stratus's time.
    const authenticator = new Authenticator(config, hostTime);
    const state = new ServicesState(
      store,
      blobs,
      services.map((definition, i) => ({ definition, instance: instances[i]! })),
      logger,
      stateChanges,
    );
    everyService.state = state;
    const control = new ControlRouter(authenticator, config.maxRequestBytes);
    control.add(
      healthRoute(health),
      ...timeRoutes(clockSync),
      ...stateRoutes({ state, clock, clockSync, migrations, tmpDir: join(dataDir, 'tmp') }),
      ...instances.flatMap((i) => i.routes ?? []).map(serviceRoute),
    );

    const pipeline = new RequestPipeline(
      new ServiceRouter(services),
      authenticator,
      running,
      ids,
      logger,
      config.maxRequestBytes,
    );
    serviceCaller.serveWireCallsWith((request, service, principal) =>
      pipeline.handleTrusted(request, service, principal),
    );
    const edgeRoutes = instances.flatMap((i) => i.edgeRoutes ?? []);
    const server = createHttpServer(
      { maxRequestBytes: config.maxRequestBytes, logger },
      {
        internal: (request, body) => control.handle(request, body),
        aws: (request, body) => pipeline.handle(request, body),
        edge: (request) => edgeRoutes.find((route) => route.accepts(request)),
      },
    );
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolveListen());
    });
    const port = (server.address() as AddressInfo).port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    // Functions and other local callers reach a wildcard bind through loopback.
    endpointUrl = `http://${['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : host}:${port}`;
    // Background work starts once the edge listens: it may run functions that call back into it.
    for (const instance of instances) instance.start?.();
    await stateChanges.follow(state);
    // Bytes whose row never committed (a crash mid-upload) are named by nothing: swept hourly.
    const blobSweep = setInterval(() => {
      state.collectGarbage({ unusedForMs: blobSweepMs }).catch((err: unknown) => {
        logger.warn({ err }, 'could not sweep unused blobs');
      });
    }, blobSweepMs);
    blobSweep.unref();
    logger.info({ url: `http://${host}:${port}`, store: store.dialect.engine, dataDir }, 'Stratus is ready');

    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}`,
      port,
      config: { ...config, port },
      store,
      health,
      close: () =>
        (closing ??= (async () => {
          // Connections routes took over (WebSockets) would keep server.close waiting.
          await Promise.all(edgeRoutes.map((route) => route.close?.()));
          await new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          clearInterval(blobSweep);
          await stateChanges.stop();
          await Promise.all(instances.map((i) => i.stop?.()));
          await clockSync?.stop();
          clock.close();
          await store.close();
        })()),
    };
  } catch (err) {
    await Promise.all(instances.map((i) => i.stop?.()));
    await clockSync?.stop();
    clock.close();
    await store.close();
    throw err;
  }
}
