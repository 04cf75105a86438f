/**
 * A function version's configuration: what CreateFunction and UpdateFunctionConfiguration accept
 * (checked the way Lambda checks it, beyond what the model already validated), how it is stored,
 * and how it is reported as a `FunctionConfiguration`.
 */
import { createHash } from 'node:crypto';
import type * as Lambda from '@aws-sdk/client-lambda';
import { buildArn } from '../arn.js';
import { functionArn, lambdaTimestamp, type Region } from './arns.js';
import { codeSha256Base64 } from './code.js';
import { InvalidParameterValueException, constraintViolation } from './errors.js';
import { checkRuntime } from './runtime-support.js';
import type { VersionRow } from './tables.js';

/** A layer a version runs with, as resolved when the configuration was set. */
export interface LayerUse {
  arn: string;
  codeSize: number;
  unzippedSize: number;
  sha256: string;
}

export interface VersionConfig {
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeout: number;
  memorySize: number;
  ephemeralStorage: number;
  environment?: Record<string, string>;
  architectures: Lambda.Architecture[];
  layers: LayerUse[];
  tracingMode: Lambda.TracingMode;
  loggingConfig: Lambda.LoggingConfig;
  snapStartApplyOn: Lambda.SnapStartApplyOn;
  deadLetterTargetArn?: string;
  kmsKeyArn?: string;
  vpcConfig?: { SubnetIds: string[]; SecurityGroupIds: string[] };
}

const maxMemoryMb = 10_240;
const maxTimeoutSeconds = 900;
const maxEnvironmentBytes = 4096;

/** Keys the runtime sets itself; Lambda refuses them in a function's environment. */
const reservedEnvironmentKeys = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

function checkEnvironment(variables: Record<string, string>): void {
  const reserved = Object.keys(variables).filter((key) => reservedEnvironmentKeys.has(key));
  if (reserved.length > 0) {
    throw new InvalidParameterValueException(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > maxEnvironmentBytes) {
    throw new InvalidParameterValueException(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}

/** Limits the model leaves open (it allows managed-instance sizes) that Lambda enforces for functions. */
function checkLimits(input: { MemorySize?: number; Timeout?: number }): void {
  if (input.MemorySize !== undefined && input.MemorySize > maxMemoryMb) {
    throw constraintViolation(
      'memorySize',
      input.MemorySize,
      `Member must have value less than or equal to ${maxMemoryMb}`,
    );
  }
  if (input.Timeout !== undefined && input.Timeout > maxTimeoutSeconds) {
    throw constraintViolation(
      'timeout',
      input.Timeout,
      `Member must have value less than or equal to ${maxTimeoutSeconds}`,
    );
  }
}

function checkCommon(input: Lambda.UpdateFunctionConfigurationRequest): void {
  checkLimits(input);
  if (input.Runtime !== undefined) checkRuntime(input.Runtime);
  if (input.Environment?.Variables) checkEnvironment(input.Environment.Variables);
}

export function configFromCreate(
  input: Lambda.CreateFunctionRequest,
  functionName: string,
  layers: LayerUse[],
): VersionConfig {
  if (input.PackageType === 'Image') {
    throw new InvalidParameterValueException(
      'Stratus runs functions from .zip deployment packages only: PackageType Image (container images) is not supported.',
    );
  }
  if (!input.Runtime || !input.Handler) {
    throw new InvalidParameterValueException(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  checkCommon(input);
  return {
    runtime: input.Runtime,
    handler: input.Handler,
    role: input.Role!,
    description: input.Description ?? '',
    timeout: input.Timeout ?? 3,
    memorySize: input.MemorySize ?? 128,
    ephemeralStorage: input.EphemeralStorage?.Size ?? 512,
    ...(input.Environment ? { environment: input.Environment.Variables ?? {} } : {}),
    architectures: input.Architectures ?? ['x86_64'],
    layers,
    tracingMode: input.TracingConfig?.Mode ?? 'PassThrough',
    loggingConfig: {
      LogFormat: 'Text',
      LogGroup: `/aws/lambda/${functionName}`,
      ...input.LoggingConfig,
    },
    snapStartApplyOn: input.SnapStart?.ApplyOn ?? 'None',
    ...optionalSettings(input),
  };
}

export function configFromUpdate(
  current: VersionConfig,
  input: Lambda.UpdateFunctionConfigurationRequest,
  layers: LayerUse[] | undefined,
): VersionConfig {
  checkCommon(input);
  const next: VersionConfig = {
    ...current,
    ...(input.Runtime !== undefined ? { runtime: input.Runtime } : {}),
    ...(input.Handler !== undefined ? { handler: input.Handler } : {}),
    ...(input.Role !== undefined ? { role: input.Role } : {}),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    ...(input.Timeout !== undefined ? { timeout: input.Timeout } : {}),
    ...(input.MemorySize !== undefined ? { memorySize: input.MemorySize } : {}),
    ...(input.EphemeralStorage?.Size !== undefined ? { ephemeralStorage: input.EphemeralStorage.Size } : {}),
    ...(input.Environment !== undefined ? { environment: input.Environment.Variables ?? {} } : {}),
    ...(layers !== undefined ? { layers } : {}),
    ...(input.TracingConfig?.Mode !== undefined ? { tracingMode: input.TracingConfig.Mode } : {}),
    ...(input.LoggingConfig !== undefined
      ? { loggingConfig: { ...current.loggingConfig, ...input.LoggingConfig } }
      : {}),
    ...(input.SnapStart?.ApplyOn !== undefined ? { snapStartApplyOn: input.SnapStart.ApplyOn } : {}),
    ...optionalSettings(input),
  };
  return next;
}

function optionalSettings(input: Lambda.UpdateFunctionConfigurationRequest): Partial<VersionConfig> {
  return {
    ...(input.DeadLetterConfig?.TargetArn ? { deadLetterTargetArn: input.DeadLetterConfig.TargetArn } : {}),
    ...(input.KMSKeyArn ? { kmsKeyArn: input.KMSKeyArn } : {}),
    ...(input.VpcConfig?.SubnetIds?.length
      ? {
          vpcConfig: {
            SubnetIds: input.VpcConfig.SubnetIds,
            SecurityGroupIds: input.VpcConfig.SecurityGroupIds ?? [],
          },
        }
      : {}),
  };
}

/** Identifies what a version runs, so that publishing an unchanged `$LATEST` publishes nothing. */
export function fingerprintOf(config: VersionConfig, codeSha256: string): string {
  return createHash('sha256').update(canonicalJson({ codeSha256, config })).digest('hex');
}

/** JSON with object keys sorted, so equal configurations hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Sum of the layers' unzipped sizes, which count against the function's unzipped limit. */
export function layersUnzippedSize(layers: readonly LayerUse[]): number {
  return layers.reduce((sum, layer) => sum + layer.unzippedSize, 0);
}

export function parseConfig(row: Pick<VersionRow, 'config'>): VersionConfig {
  return JSON.parse(row.config) as VersionConfig;
}

/**
 * How a configuration is reported: right after CreateFunction (`created`: Pending), right after
 * an update (`updated`: update InProgress), when read (`ready`), or in a list (no state at all).
 */
export type ConfigurationView = 'created' | 'updated' | 'ready' | 'listed';

export interface RenderOptions {
  view: ConfigurationView;
  /** Qualifier shown in FunctionArn (a version or an alias name); unqualified when absent. */
  arnQualifier?: string;
  /** The revision to report, when the response precedes a revision change (see functions.ts). */
  revisionId?: string;
}

const creating = 'The function is being created.';

export function renderConfiguration(
  at: Region,
  functionName: string,
  row: VersionRow,
  options: RenderOptions,
): Lambda.FunctionConfiguration {
  const config = parseConfig(row);
  const states: Partial<Lambda.FunctionConfiguration> = {
    created: { State: 'Pending', StateReason: creating, StateReasonCode: 'Creating' } as const,
    updated: {
      State: 'Active',
      LastUpdateStatus: 'InProgress',
      LastUpdateStatusReason: creating,
      // Lambda sends this code although its model's enum lacks it.
      LastUpdateStatusReasonCode: 'Creating' as Lambda.LastUpdateStatusReasonCode,
    } as const,
    ready: { State: 'Active', LastUpdateStatus: 'Successful' } as const,
    listed: {},
  }[options.view];
  return {
    FunctionName: functionName,
    FunctionArn: functionArn(at, functionName, options.arnQualifier),
    Runtime: config.runtime as Lambda.Runtime,
    Role: config.role,
    Handler: config.handler,
    CodeSize: row.code_size,
    Description: config.description,
    Timeout: config.timeout,
    MemorySize: config.memorySize,
    LastModified: lambdaTimestamp(row.last_modified),
    CodeSha256: codeSha256Base64(row.code_sha256),
    Version: row.version,
    ...(config.vpcConfig ? { VpcConfig: { ...config.vpcConfig, VpcId: '' } } : {}),
    ...(config.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: config.deadLetterTargetArn } } : {}),
    ...(config.environment ? { Environment: { Variables: config.environment } } : {}),
    ...(config.kmsKeyArn ? { KMSKeyArn: config.kmsKeyArn } : {}),
    TracingConfig: { Mode: config.tracingMode },
    RevisionId: options.revisionId ?? row.revision_id,
    ...(config.layers.length > 0
      ? { Layers: config.layers.map((layer) => ({ Arn: layer.arn, CodeSize: layer.codeSize })) }
      : {}),
    ...states,
    PackageType: 'Zip',
    Architectures: config.architectures,
    EphemeralStorage: { Size: config.ephemeralStorage },
    SnapStart: { ApplyOn: config.snapStartApplyOn, OptimizationStatus: 'Off' },
    ...(options.view !== 'listed'
      ? { RuntimeVersionConfig: { RuntimeVersionArn: runtimeVersionArn(at, config.runtime) } }
      : {}),
    LoggingConfig: config.loggingConfig,
  };
}

/** Lambda names the runtime build a function runs on; Stratus names the runtime it resolves. */
function runtimeVersionArn(at: Region, runtime: string): string {
  const build = createHash('sha256').update(runtime).digest('hex');
  return buildArn({ service: 'lambda', region: at.region, accountId: '', resource: `runtime:${build}` });
}
