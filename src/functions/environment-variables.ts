/**
 * The environment variables an execution environment starts with, as Lambda sets them: reserved
 * ones (the function's identity, the Runtime API, credentials) that the function's own variables
 * cannot replace, then defaults the function may override (PATH, TZ, NODE_PATH …), then the
 * function's variables.
 */
import type { FunctionSpec } from './types.js';
import type { ResolvedRuntime } from './runtimes.js';

/** Where things are as the function sees them: Lambda's paths in the sandbox, host paths without. */
export interface Layout {
  taskRoot: string;
  optDir: string;
  runtimeDir: string;
  /** Where the AWS SDK's node_modules is (Lambda: /var/runtime/node_modules). */
  nodeModules: string;
  /** Set when the function has no private /tmp and must use a directory of its own. */
  tmpDir?: string;
}

export const SANDBOX_LAYOUT: Layout = {
  taskRoot: '/var/task',
  optDir: '/opt',
  runtimeDir: '/var/runtime',
  nodeModules: '/var/runtime/node_modules',
};

export interface EnvironmentIdentity {
  runtimeApi: string;
  logStreamName: string;
  initializationType: 'on-demand' | 'provisioned-concurrency';
}

/**
 * Stratus's Node.js and Python runtimes reach the Runtime API through a socket pair they inherit
 * as descriptor 4 (executor.ts), named by `_STRATUS_RUNTIME_API_FD`, which they read and remove
 * before loading the handler; AWS_LAMBDA_RUNTIME_API (TCP) stays for anything else.
 */
export function hasRuntimeApiChannel(runtime: ResolvedRuntime): boolean {
  return runtime.family === 'nodejs' || runtime.family === 'python';
}

/** The variables of the runtime's own channels: the telemetry log descriptor, the Runtime API's. */
function runtimeChannels(runtime: ResolvedRuntime): Record<string, string> {
  return {
    // Lambda's runtimes write framed log records to this descriptor (one record per console call).
    _LAMBDA_TELEMETRY_LOG_FD: '3',
    ...(hasRuntimeApiChannel(runtime) ? { _STRATUS_RUNTIME_API_FD: '4' } : {}),
  };
}

export function lambdaEnvironment(
  spec: FunctionSpec,
  runtime: ResolvedRuntime,
  layout: Layout,
  identity: EnvironmentIdentity,
): Record<string, string> {
  const { taskRoot, runtimeDir } = layout;
  const reserved: Record<string, string> = {
    _HANDLER: spec.handler,
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: spec.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: identity.initializationType,
    AWS_LAMBDA_LOG_GROUP_NAME: spec.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: identity.logStreamName,
    AWS_LAMBDA_RUNTIME_API: identity.runtimeApi,
    AWS_ACCESS_KEY_ID: spec.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: spec.credentials.secretAccessKey,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: runtimeDir,
    ...runtimeChannels(runtime),
  };
  if (spec.credentials.sessionToken) reserved.AWS_SESSION_TOKEN = spec.credentials.sessionToken;

  const defaults: Record<string, string> = {
    AWS_ENDPOINT_URL: spec.endpointUrl,
    ...runtimeDefaults(runtime, layout),
  };
  const env: Record<string, string> = { ...defaults };
  for (const [name, value] of Object.entries(spec.environment)) {
    if (!(name in reserved)) env[name] = value;
  }
  return { ...env, ...reserved };
}

/**
 * What a spare environment starts with (spares.ts): the variables that do not depend on the
 * function. Its assignment brings the rest, as `lambdaEnvironment` computes them.
 */
export function sandboxEnvironment(
  runtime: ResolvedRuntime,
  layout: Layout,
  runtimeApi: string,
): Record<string, string> {
  return {
    ...runtimeDefaults(runtime, layout),
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    LAMBDA_TASK_ROOT: layout.taskRoot,
    LAMBDA_RUNTIME_DIR: layout.runtimeDir,
    ...runtimeChannels(runtime),
  };
}

/** The defaults a function's variables may override that depend only on the runtime and the layout. */
function runtimeDefaults(runtime: ResolvedRuntime, layout: Layout): Record<string, string> {
  const { taskRoot, optDir, runtimeDir } = layout;
  const defaults: Record<string, string> = {
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    PATH: `/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:${optDir}/bin`,
    LD_LIBRARY_PATH: `/var/lang/lib:/lib64:/usr/lib64:${runtimeDir}:${runtimeDir}/lib:${taskRoot}:${taskRoot}/lib:${optDir}/lib`,
  };
  if (layout.tmpDir) defaults.TMPDIR = layout.tmpDir;
  if (runtime.family === 'nodejs') {
    defaults.NODE_PATH = [
      `${optDir}/nodejs/node${runtime.languageVersion}/node_modules`,
      `${optDir}/nodejs/node_modules`,
      layout.nodeModules,
      runtimeDir,
      taskRoot,
    ].join(':');
    defaults.AWS_NODEJS_CONNECTION_REUSE_ENABLED = '1';
  }
  if (runtime.family === 'python') {
    // Without a sandbox the layers are not at /opt, where the runtime looks for them.
    const layers =
      optDir === '/opt'
        ? []
        : [`${optDir}/python/lib/python${runtime.languageVersion}/site-packages`, `${optDir}/python`];
    defaults.PYTHONPATH = [runtimeDir, ...layers].join(':');
  }
  return defaults;
}
