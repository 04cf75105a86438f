import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ServiceError } from '../../protocol/errors.js';
import { loadServiceModel } from '../../protocol/model.js';
import { presignUrl } from '../../protocol/sigv4.js';
import { hostClock } from '../../engine/clock.js';
import { Authenticator } from '../../server/auth.js';
import { validationMessage, type Violation } from '../../protocol/validate.js';
import type { InternalRoute, ServiceContext, ServiceDefinition } from '../service.js';
import { jsonResponse } from '../../protocol/wire.js';
import { Aliases } from './aliases.js';
import { FunctionChanges, type FunctionChange } from './changes.js';
import { ExecutionEngine } from '../../functions/engine.js';
import { AsyncInvocationWorker } from './async-invoke.js';
import { FunctionLogs } from './function-logs.js';
import { functionSpecFor, resolveInvocationTarget } from './invocation-target.js';
import { forgettingAfterWrites, InvocationTargets } from './invocation-targets.js';
import { asyncInvocationQueue, Invoker } from './invoke.js';
import { LambdaMetrics } from './lambda-metrics.js';
import { Metering, usageRoute } from './metering.js';
import { meteringMigrations } from './metering-tables.js';
import { ConcurrencyLimiter } from './throttle.js';
import { CodeStore } from './code.js';
import { Concurrency } from './concurrency.js';
import { openCodeDownload, type LambdaContext, type LambdaSettings } from './context.js';
import { InvalidParameterValueException } from './errors.js';
import { EventInvokeConfigs } from './event-invoke-config.js';
import { EventSourceMappings } from './event-source-mappings.js';
import { EventSourceSupervisor } from './event-source-supervisor.js';
import { eventSourceMigrations } from './event-source-tables.js';
import { streamCheckpointMigrations, streamShardQueue } from './stream-checkpoints.js';
import { Functions } from './functions.js';
import { newTraceHeader } from './function-url-event.js';
import { FunctionUrlRoute } from './function-url-route.js';
import { functionUrlMigrations, functionUrlTables } from './function-url-tables.js';
import { FunctionUrls } from './function-urls.js';
import { Layers } from './layers.js';
import { Policies } from './policy.js';
import { LambdaProvider, type LambdaModules } from './provider.js';
import { unknownRuntimeMessage } from './runtime-support.js';
import { lambdaMigrations, lambdaTables } from './tables.js';
import { codeInUse, referencedCode } from './layer-tables.js';
import { Tags } from './tags.js';
import { Versions } from './versions.js';

export interface LambdaOptions extends Partial<LambdaSettings> {
  /** How long an idle execution environment stays warm (default 10 minutes). */
  idleTimeoutMs?: number;
  /** RevisionIds; random v4 UUIDs unless a test wants them predictable. */
  newId?: () => string;
}

/** Lambda's domain modules over one Stratus context: what the provider (and Invoke) work with. */
export function createLambdaModules(
  context: ServiceContext,
  invoker: (ctx: LambdaContext) => Invoker,
  options: LambdaOptions = {},
): LambdaModules {
  const ctx: LambdaContext = {
    store: context.store,
    clock: context.clock,
    code: new CodeStore(context.blobs, join(context.dataDir, 'lambda', 'code'), context.releaseBlobs),
    changes: new FunctionChanges(),
    logger: context.logger,
    settings: { concurrentExecutions: options.concurrentExecutions ?? context.config.lambdaConcurrency },
    newId: options.newId ?? randomUUID,
    endpointUrl: context.endpointUrl,
    codeLocation: (sha256, accessKeyId) => codeLocation(context, sha256, accessKeyId),
  };
  const versions = new Versions(ctx);
  return {
    ctx,
    functions: new Functions(ctx, versions),
    versions,
    aliases: new Aliases(ctx),
    layers: new Layers(ctx),
    policies: new Policies(ctx),
    concurrency: new Concurrency(ctx),
    eventInvokeConfigs: new EventInvokeConfigs(ctx),
    tags: new Tags(ctx),
    invoker: invoker(ctx),
    eventSourceMappings: new EventSourceMappings(ctx, context.services, context.workQueue),
    functionUrls: new FunctionUrls(ctx),
  };
}

/**
 * Lambda reports an unknown `Runtime` as InvalidParameterValueException listing the runtimes it
 * accepts; every other constraint the model states is a ValidationException.
 */
function lambdaValidationError(violations: readonly Violation[]): ServiceError {
  const runtime = violations.find((v) => v.path === 'runtime' && v.kind === 'enum');
  if (runtime) return new InvalidParameterValueException(unknownRuntimeMessage(String(runtime.value)));
  return new ServiceError('ValidationException', validationMessage(violations), { status: 400 });
}

/** Frees environments of retired code at once, and keeps provisioned ones started. */
function applyToEngine(engine: ExecutionEngine, ctx: LambdaContext, change: FunctionChange): void {
  const failed = (err: unknown) =>
    ctx.logger.warn({ err, change }, 'could not apply a function change to its environments');
  if (change.kind === 'retired') {
    for (const key of change.keys) engine.retire(key).catch(failed);
    return;
  }
  (async () => {
    const target = await resolveInvocationTarget(ctx.store, change.at, change.functionName, change.version);
    const spec = await functionSpecFor(target, { code: ctx.code, endpointUrl: ctx.endpointUrl() });
    await engine.provision(spec, change.requested);
  })().catch(failed);
}

/**
 * `Code.Location`: the download route below. Where signatures are checked, it is presigned with
 * the caller's own key for 10 minutes, as Lambda's S3 URL is, so a client downloads it unsigned.
 */
async function codeLocation(
  context: ServiceContext,
  sha256: string,
  accessKeyId: string | undefined,
): Promise<string> {
  const url = new URL(`${context.endpointUrl()}/_stratus/lambda/code/${sha256}`);
  const key = context.config.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!context.config.requireAuth || !key) return url.toString();
  return presignUrl(url, key, {
    region: context.config.region,
    service: 'lambda',
    expiresIn: 600,
    signingDate: new Date(context.clock.now()),
  });
}

/** `GET /_stratus/lambda/code/<sha256>`: where GetFunction's `Code.Location` points. */
function codeDownloadRoute(ctx: LambdaContext): InternalRoute {
  return {
    method: 'GET',
    path: /^\/_stratus\/lambda\/code\/([0-9a-f]{64})$/,
    async handle(match) {
      const stream = await openCodeDownload(ctx, match[1]!);
      if (!stream) return jsonResponse(404, { message: 'No such deployment package.' });
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return { status: 200, headers: { 'content-type': 'application/zip' }, body: Buffer.concat(chunks) };
    },
  };
}

export function lambdaService(options: LambdaOptions = {}): ServiceDefinition {
  return {
    name: 'lambda',
    model: loadServiceModel('lambda'),
    migrations: [
      ...lambdaMigrations,
      ...meteringMigrations,
      ...eventSourceMigrations,
      ...streamCheckpointMigrations,
      ...functionUrlMigrations,
    ],
    tables: [...lambdaTables, ...functionUrlTables],
    workQueues: [asyncInvocationQueue, streamShardQueue],
    referencedBlobs: referencedCode,
    blobInUse: codeInUse,
    validationError: lambdaValidationError,
    create: (context) => {
      const engine = new ExecutionEngine({
        logger: context.logger,
        clock: context.clock,
        workDir: join(context.dataDir, 'lambda', 'environments'),
        idleTimeoutMs: options.idleTimeoutMs ?? context.config.functionIdleSeconds * 1000,
        sandbox: context.config.sandbox,
      });
      const metrics = new LambdaMetrics(context.services, context.clock, context.logger);
      const metering = new Metering(context.store, context.clock, context.logger);
      const targets = new InvocationTargets(context.store);
      const functionLogs = new FunctionLogs(context.services, context.pendingWrites, context.logger);
      const modules = createLambdaModules(
        context,
        (ctx) =>
          new Invoker({
            targets,
            ctx,
            engine,
            logs: functionLogs,
            metrics,
            metering,
            limiter: new ConcurrencyLimiter(() => ctx.settings.concurrentExecutions),
            workQueue: context.workQueue,
          }),
        options,
      );
      const worker = new AsyncInvocationWorker(
        modules.ctx,
        context.workQueue,
        modules.invoker,
        context.logger,
        context.services,
        metrics,
      );
      modules.invoker.whenEventQueued(() => worker.wake());
      const pollers = new EventSourceSupervisor({
        store: context.store,
        clock: context.clock,
        workQueue: context.workQueue,
        mappings: modules.eventSourceMappings,
        services: context.services,
        invoker: modules.invoker,
        logger: context.logger,
        metrics,
        destinations: {
          services: context.services,
          enqueue: (invocation) => modules.invoker.enqueue(invocation),
          now: () => context.clock.now(),
        },
        maximumConcurrency: () => modules.ctx.settings.concurrentExecutions,
      });
      modules.ctx.changes.subscribe((change) => applyToEngine(engine, modules.ctx, change));
      return {
        provider: forgettingAfterWrites(new LambdaProvider(modules), () => targets.forget()),
        edgeRoutes: [
          new FunctionUrlRoute({
            store: context.store,
            clock: context.clock,
            invoker: modules.invoker,
            // Clients sign with their own clock: the skew window is the host's, as for the AWS API.
            authenticator: new Authenticator(context.config, hostClock),
            endpointUrl: context.endpointUrl,
            logger: context.logger,
            newRequestId: randomUUID,
            newTraceId: () => newTraceHeader(context.clock.now(), randomBytes),
          }),
        ],
        routes: [
          codeDownloadRoute(modules.ctx),
          usageRoute(metering, context.store, {
            accountId: context.config.accountId,
            region: context.config.region,
          }),
        ],
        health: () => ({ sandbox: engine.sandboxMode }),
        start: () => {
          worker.start();
          pollers.start();
        },
        async stop() {
          await Promise.all([worker.stop(), pollers.stop()]);
          await engine.close();
          await functionLogs.settled();
          await metrics.flush();
          await metering.flush();
        },
        async quiesce() {
          // New invocations wait for the reset to end; runs under way are abandoned, so none
          // delivers a log once its environment is gone.
          modules.invoker.hold();
          modules.invoker.reset();
          await engine.reset();
          await Promise.all([functionLogs.discard(), metrics.discard(), metering.discard()]);
        },
        async reset() {
          targets.forget();
          modules.invoker.reset();
          // What is cached is forgotten: invocations held since quiesce resolve what the store holds now.
          modules.invoker.release();
          await modules.ctx.code.removeExtractedExcept(await referencedCode(context.store));
          await pollers.sync();
          worker.wake();
        },
        async flush() {
          await functionLogs.settled();
          await metrics.flush();
          await metering.flush();
        },
        pinnedBlobs: () => modules.ctx.code.pinned(),
      };
    },
  };
}

export const lambda: ServiceDefinition = lambdaService();
