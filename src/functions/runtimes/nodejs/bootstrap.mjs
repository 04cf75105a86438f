/**
 * Stratus's Node.js runtime for Lambda functions: runs inside the execution environment under the
 * host's Node.js, loads the handler named by `_HANDLER` from LAMBDA_TASK_ROOT and serves it
 * through the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API — the loop Lambda's own Node.js runtime
 * runs. Plain JavaScript without dependencies, so it starts fast and runs unchanged anywhere.
 *
 * Behaviour follows Lambda's runtime: async and callback handlers, `callbackWaitsForEmptyEventLoop`,
 * the full context object, console output as `<ISO time>\t<request id>\t<LEVEL>\t<message>` (one
 * framed record per call on the telemetry descriptor, so multi-line messages stay one log event),
 * errors as `{ errorType, errorMessage, trace }`, and response streaming through the `awslambda`
 * global (response-stream.mjs).
 */
import { writeSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { format } from 'node:util';
import { importModule, prepareNodePath } from './node-path.mjs';
import { finished } from 'node:stream/promises';
import {
  installAwsLambdaGlobal,
  isStreamingHandler,
  ResponseStream,
  streamHighWaterMark,
} from './response-stream.mjs';
import { RuntimeApiClient } from './runtime-client.mjs';

const env = process.env;
const [apiHost, apiPort] = (env.AWS_LAMBDA_RUNTIME_API ?? '127.0.0.1:9001').split(':');
const telemetryFd = env._LAMBDA_TELEMETRY_LOG_FD ? Number(env._LAMBDA_TELEMETRY_LOG_FD) : undefined;
const runtimeApiFd = env._STRATUS_RUNTIME_API_FD ? Number(env._STRATUS_RUNTIME_API_FD) : undefined;
delete env._LAMBDA_TELEMETRY_LOG_FD;
delete env._STRATUS_RUNTIME_API_FD;

/** The request being served; `undefined` (printed as such, as Lambda does) during init. */
let currentRequestId;
/** The response a streaming handler is writing, while it is. */
let currentStream;

// ---- Runtime API ----------------------------------------------------------------------------

const client = new RuntimeApiClient(apiHost, Number(apiPort), runtimeApiFd);

function call(method, path, body, headers = {}) {
  return client.request(
    method,
    `/2018-06-01/runtime/${path}`,
    body,
    body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
  );
}

/** A POST of `error` to `path`, as `[path, body, headers]`. */
const errorRequest = (path, error) => {
  const doc = errorDocument(error);
  const body = Buffer.from(
    JSON.stringify({ errorType: doc.errorType, errorMessage: doc.errorMessage, trace: doc.trace }),
  );
  return [path, body, { 'Lambda-Runtime-Function-Error-Type': doc.errorType }];
};
const postError = (path, error) => call('POST', ...errorRequest(path, error));

// ---- Logging --------------------------------------------------------------------------------

function writeLog(level, message) {
  const line = `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`;
  if (telemetryFd === undefined) {
    process.stdout.write(line);
    return;
  }
  const payload = Buffer.from(line, 'utf8');
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0xa55a0003, 0);
  header.writeUInt32BE(payload.length, 4);
  header.writeBigUInt64BE(BigInt(Date.now()) * 1000n, 8);
  try {
    writeSync(telemetryFd, Buffer.concat([header, payload]));
  } catch {
    // Nobody reads the log pipe any more: Stratus is gone, and so must this runtime be.
    process.exit(1);
  }
}

for (const [method, level] of [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
]) {
  console[method] = (...args) => writeLog(level, format(...args));
}
console.trace = (...args) => {
  const stack = (new Error().stack ?? '').split('\n').slice(2).join('\n');
  writeLog('TRACE', `Trace: ${format(...args)}\n${stack}`);
};

// ---- Errors ---------------------------------------------------------------------------------

class RuntimeError extends Error {
  constructor(name, message, cause) {
    super(message);
    this.name = name;
    if (cause?.stack) this.stack = `${name}: ${message}\n${cause.stack.split('\n').slice(1).join('\n')}`;
  }
}

function errorDocument(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  if (typeof error === 'string') return { errorType: 'string', errorMessage: error, trace: [] };
  let message;
  try {
    message = JSON.stringify(error);
  } catch {
    message = String(error);
  }
  return { errorType: typeof error, errorMessage: message ?? String(error), trace: [] };
}

function logError(prefix, error) {
  const { errorType, errorMessage, trace } = errorDocument(error);
  console.error(prefix, `\t${JSON.stringify({ errorType, errorMessage, stack: trace })}`);
}

// ---- Loading the handler --------------------------------------------------------------------

const EXTENSIONS = ['.js', '.mjs', '.cjs'];

function isEsm(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

async function loadModule(file) {
  if (file.endsWith('.mjs') || (file.endsWith('.js') && isEsm(file))) return importModule(file);
  try {
    return createRequire(file)(file);
  } catch (error) {
    if (error?.code === 'ERR_REQUIRE_ESM') return importModule(file);
    throw error;
  }
}

async function loadHandler() {
  const handler = env._HANDLER ?? '';
  const taskRoot = env.LAMBDA_TASK_ROOT ?? process.cwd();
  const slash = handler.lastIndexOf('/');
  const name = handler.slice(slash + 1);
  const dot = name.indexOf('.');
  if (dot <= 0) throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handler}`);
  const moduleName = name.slice(0, dot);
  const property = name.slice(dot + 1);
  const base = resolve(taskRoot, handler.slice(0, slash + 1), moduleName);
  const file = EXTENSIONS.map((extension) => base + extension).find((candidate) => existsSync(candidate));
  prepareNodePath(taskRoot);
  let loaded;
  try {
    // Without a file of that name, Node's own resolution may still find a package or directory.
    loaded = await loadModule(file ?? createRequire(join(taskRoot, 'index.js')).resolve(base));
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new RuntimeError('Runtime.UserCodeSyntaxError', `SyntaxError: ${error.message}`, error);
    if (!file && error?.code === 'MODULE_NOT_FOUND' && String(error.message).includes(base)) {
      throw new RuntimeError(
        'Runtime.ImportModuleError',
        `Error: Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/bootstrap.mjs`,
        error,
      );
    }
    if (error?.code === 'MODULE_NOT_FOUND' || error?.code === 'ERR_MODULE_NOT_FOUND') {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: ${error.message}`, error);
    }
    throw error;
  }
  const fn = property.split('.').reduce((value, key) => value?.[key], loaded);
  if (fn === undefined) {
    throw new RuntimeError(
      'Runtime.HandlerNotFound',
      `${moduleName}.${property} is undefined or not exported`,
    );
  }
  if (typeof fn !== 'function')
    throw new RuntimeError('Runtime.HandlerNotFound', `${moduleName}.${property} is not a function`);
  return fn;
}

// ---- Invoking -------------------------------------------------------------------------------

/** Resolves when nothing but the runtime's own idle connection is left in the event loop. */
const emptyEventLoop = () => new Promise((done) => process.once('beforeExit', done));

function header(headers, name) {
  const value = headers[name];
  return typeof value === 'string' && value ? value : undefined;
}

function parseJsonHeader(value) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The handler's context object; `callback` is what `done`, `succeed` and `fail` answer through. */
function contextFor(headers, callback) {
  const deadline = Number(header(headers, 'lambda-runtime-deadline-ms') ?? Date.now());
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: header(headers, 'lambda-runtime-invoked-function-arn'),
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: header(headers, 'lambda-runtime-aws-request-id'),
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJsonHeader(header(headers, 'lambda-runtime-client-context')),
    identity: parseJsonHeader(header(headers, 'lambda-runtime-cognito-identity')),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: callback,
    succeed: (value) => callback(null, value),
    fail: (error) => callback(error ?? 'handled'),
  };
}

/**
 * Runs the handler once; resolves to `{ error }` or `{ value }` when its answer is known, with the
 * context (whose `callbackWaitsForEmptyEventLoop` the handler may have changed).
 */
function runHandler(handler, event, headers) {
  return new Promise((settle) => {
    let settled = false;
    let viaCallback = false;
    // A handler that neither returns a promise nor calls back answers null once the event loop
    // is empty, as on Lambda.
    const onEmptyLoop = () => callback(null, null);
    const finish = (error, value) => {
      if (settled) return;
      settled = true;
      process.removeListener('beforeExit', onEmptyLoop);
      const answer = error !== undefined && error !== null ? { error } : { value };
      settle({ ...answer, viaCallback, context });
    };
    const callback = (error, value) => {
      viaCallback = true;
      finish(error, value);
    };
    const context = contextFor(headers, callback);
    try {
      const result = handler(event, context, callback);
      if (result && typeof result.then === 'function') {
        result.then(
          (value) => finish(undefined, value),
          (error) => finish(error ?? new Error('Promise rejected without a reason')),
        );
      } else if (!settled) {
        process.once('beforeExit', onEmptyLoop);
      }
    } catch (error) {
      finish(error);
    }
  });
}

/** The answer to post for an outcome: `[path, body, headers]`. */
function answerOf(requestId, outcome) {
  if ('error' in outcome) {
    logError('Invoke Error', outcome.error);
    return errorRequest(`invocation/${requestId}/error`, outcome.error);
  }
  try {
    const body = Buffer.from(JSON.stringify(outcome.value === undefined ? null : outcome.value) ?? 'null');
    return [`invocation/${requestId}/response`, body, {}];
  } catch (error) {
    const malformed = new RuntimeError(
      'Runtime.MalformedResponse',
      `Unable to stringify response body: ${error.message}`,
    );
    return errorRequest(`invocation/${requestId}/error`, malformed);
  }
}

/**
 * Runs a streaming handler once and resolves with the Runtime API's answer to its response: the
 * stream's, or `/error`'s when it failed before writing anything. A handler that returns without
 * ending its stream has it ended once nothing else is left to run (a `pipeline` it did not await
 * still finishes first).
 */
async function runStreamingHandler(handler, event, headers, requestId) {
  const stream = new ResponseStream(
    (contentType) =>
      client.stream('POST', `/2018-06-01/runtime/invocation/${requestId}/response`, {
        'Content-Type': contentType,
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      }),
    streamHighWaterMark(handler),
  );
  currentStream = stream;
  try {
    try {
      // Its callbacks answer nothing: a streaming handler answers through its stream.
      await handler(
        event,
        stream,
        contextFor(headers, () => {}),
      );
    } catch (error) {
      const failure = error ?? new Error('Promise rejected without a reason');
      logError('Invoke Error', failure);
      if (stream.fail(errorDocument(failure))) await finished(stream);
      else if (!stream.started)
        return call('POST', ...errorRequest(`invocation/${requestId}/error`, failure));
      return stream.answered;
    }
    if (!stream.writableFinished) {
      const endWhenIdle = () => stream.end();
      process.once('beforeExit', endWhenIdle);
      await finished(stream).finally(() => process.removeListener('beforeExit', endWhenIdle));
    }
    return stream.answered;
  } finally {
    currentStream = undefined;
  }
}

async function serve(handler) {
  const streaming = isStreamingHandler(handler);
  let next = call('GET', 'invocation/next');
  for (;;) {
    const event = await next;
    const requestId = header(event.headers, 'lambda-runtime-aws-request-id');
    currentRequestId = requestId;
    const traceId = header(event.headers, 'lambda-runtime-trace-id');
    if (traceId) env._X_AMZN_TRACE_ID = traceId;
    else delete env._X_AMZN_TRACE_ID;
    let payload;
    try {
      payload = JSON.parse(event.body.toString('utf8') || 'null');
    } catch {
      payload = event.body.toString('utf8');
    }
    if (streaming) {
      await runStreamingHandler(handler, payload, event.headers, requestId);
      next = call('GET', 'invocation/next');
      continue;
    }
    const outcome = await runHandler(handler, payload, event.headers);
    if (outcome.viaCallback && outcome.context.callbackWaitsForEmptyEventLoop) await emptyEventLoop();
    const answered = call('POST', ...answerOf(requestId, outcome));
    // Ask for the next event in the same write (HTTP/1.1 pipelining: the Runtime API answers in
    // order), instead of a round trip later.
    next = call('GET', 'invocation/next');
    await answered;
  }
}

// A crash inside a handler fails its invocation, then the environment, as on Lambda.
let crashing = false;
async function crash(prefix, error, exitCode) {
  // A crash while crashing (the Runtime API gone, say) must not loop: leave at once.
  if (crashing) process.exit(exitCode);
  crashing = true;
  try {
    logError(prefix, error);
    const path = currentRequestId === undefined ? 'init/error' : `invocation/${currentRequestId}/error`;
    // A response under way owns the connection: the error ends it, in its trailers.
    if (currentStream?.fail(errorDocument(error))) await finished(currentStream);
    else await postError(path, error);
  } finally {
    process.exit(exitCode);
  }
}
process.on('uncaughtException', (error) => void crash('Uncaught Exception', error, 129));
process.on('unhandledRejection', (reason) => {
  const message = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  void crash(
    'Unhandled Promise Rejection',
    new RuntimeError('Runtime.UnhandledPromiseRejection', message, reason),
    128,
  );
});

// ---- A spare's assignment ------------------------------------------------------------------

/**
 * A spare environment — started before Stratus knew which function it would run — waits here for
 * its assignment: one JSON line on stdin, sent once the function's code is in /var/task, with the
 * variables of the function's environment (a superset of what the spare started with).
 */
async function awaitAssignment() {
  const line = await new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    // Stratus stopped the spare without assigning it.
    process.stdin.once('end', () => process.exit(0));
  });
  process.stdin.destroy();
  const { environment } = JSON.parse(line);
  Object.assign(env, environment);
  delete env._STRATUS_SPARE;
  delete env._LAMBDA_TELEMETRY_LOG_FD;
  delete env._STRATUS_RUNTIME_API_FD;
}

if (env._STRATUS_SPARE === '1') await awaitAssignment();

installAwsLambdaGlobal();

let handler;
try {
  handler = await loadHandler();
} catch (error) {
  logError('Uncaught Exception', error);
  await postError('init/error', error);
  process.exit(1);
}
await serve(handler);
