/**
 * What an invocation runs: the function a `FunctionName` (+ `Qualifier`) names, resolved to one
 * version, an alias's weighted routing included; and the `FunctionSpec` the execution engine needs
 * to run that version.
 */
import type { FunctionSpec } from '../../functions/types.js';
import type { Queryable } from '../../storage/store.js';
import { functionArn, parseFunctionName, type Region } from './arns.js';
import type { CodeStore } from './code.js';
import { parseConfig, type VersionConfig } from './configuration.js';
import { requireFunction, resolveQualifier } from './context.js';
import { functionNotFound } from './errors.js';
import { versionQueries, type AliasRow, type FunctionRow, type VersionRow } from './tables.js';

export interface InvocationTarget {
  at: Region;
  function: FunctionRow;
  /** The version that runs. */
  version: VersionRow;
  config: VersionConfig;
  /** `$LATEST` or the number that ran: Invoke's `X-Amz-Executed-Version`. */
  executedVersion: string;
  /** The alias invoked through, if any. */
  alias?: AliasRow;
  /** The ARN as the caller named it, qualifier included: the handler's `context.invokedFunctionArn`. */
  invokedFunctionArn: string;
}

/**
 * The rows an invocation of `functionName` (+ `qualifier`) reads, before an alias's weighted
 * routing picks the version (`pickTarget`): what `InvocationTargets` caches.
 */
export interface ResolvedRows {
  at: Region;
  function: FunctionRow;
  /** The version named, or the alias's main version. */
  version: VersionRow;
  alias?: AliasRow;
  /** An alias's additional version and its weight; `row` is missing if it was deleted. */
  additional?: { version: string; weight: number; row: VersionRow | undefined };
  invokedFunctionArn: string;
}

/**
 * Reads what `functionName` (a name, `name:qualifier`, a partial or a full ARN) and `qualifier`
 * (`$LATEST`, a version, an alias) name.
 */
export async function resolveRows(
  db: Queryable,
  at: Region,
  functionName: string,
  qualifier?: string,
): Promise<ResolvedRows> {
  const ref = parseFunctionName(functionName, at, qualifier);
  const fn = await requireFunction(db, at, ref.name, ref.qualifier);
  const resolved = await resolveQualifier(db, at, fn, ref.qualifier);
  // An alias routes to at most one additional version (aliases.ts enforces it).
  const [additional] = Object.entries(
    resolved.alias?.routing ? (JSON.parse(resolved.alias.routing) as Record<string, number>) : {},
  );
  return {
    at,
    function: fn,
    version: resolved.version,
    ...(resolved.alias ? { alias: resolved.alias } : {}),
    ...(additional
      ? {
          additional: {
            version: additional[0],
            weight: additional[1],
            row: await versionQueries.get(db, fn.id, additional[0]),
          },
        }
      : {}),
    invokedFunctionArn: functionArn(at, fn.name, ref.qualifier),
  };
}

/**
 * The version that runs: through an alias with `AdditionalVersionWeights`, the additional version
 * with its weight's probability (`random()`, in [0, 1), below the weight picks it).
 */
export function pickTarget(
  rows: ResolvedRows,
  random: () => number = Math.random,
  config: (version: VersionRow) => VersionConfig = parseConfig,
): InvocationTarget {
  let version = rows.version;
  if (rows.additional && random() < rows.additional.weight) {
    if (!rows.additional.row)
      throw functionNotFound(functionArn(rows.at, rows.function.name, rows.additional.version));
    version = rows.additional.row;
  }
  return {
    at: rows.at,
    function: rows.function,
    version,
    config: config(version),
    executedVersion: version.version,
    ...(rows.alias ? { alias: rows.alias } : {}),
    invokedFunctionArn: rows.invokedFunctionArn,
  };
}

/** `resolveRows` then `pickTarget`, reading the store every time. */
export async function resolveInvocationTarget(
  db: Queryable,
  at: Region,
  functionName: string,
  qualifier?: string,
  random: () => number = Math.random,
): Promise<InvocationTarget> {
  return pickTarget(await resolveRows(db, at, functionName, qualifier), random);
}

/**
 * The engine's key for a version's environments. It names what they run (code and configuration
 * fingerprint), so an update to `$LATEST` gets fresh environments on every node.
 */
export function specKey(
  at: Region,
  functionName: string,
  version: Pick<VersionRow, 'version' | 'fingerprint'>,
): string {
  return `${functionArn(at, functionName, version.version)}#${version.fingerprint.slice(0, 16)}`;
}

export interface FunctionSpecOptions {
  code: CodeStore;
  /** Where the function's SDK reaches Stratus. */
  endpointUrl: string;
  /** The function's credentials; `test`/`test` unless configured. */
  credentials?: FunctionSpec['credentials'];
}

/** Everything the execution engine needs to run the target's version; extracts its code if this node lacks it. */
export async function functionSpecFor(
  target: InvocationTarget,
  options: FunctionSpecOptions,
): Promise<FunctionSpec> {
  const { at, config, version } = target;
  const name = target.function.name;
  const [codeDir, ...layerDirs] = await Promise.all([
    options.code.ensureExtracted(version.code_sha256),
    ...config.layers.map((layer) => options.code.ensureExtracted(layer.sha256)),
  ]);
  return {
    key: specKey(at, name, version),
    functionName: name,
    version: version.version,
    functionArn: functionArn(at, name),
    runtime: config.runtime,
    handler: config.handler,
    codeDir: codeDir!,
    layerDirs,
    memoryMb: config.memorySize,
    timeoutSeconds: config.timeout,
    ephemeralStorageMb: config.ephemeralStorage,
    environment: config.environment ?? {},
    logGroupName: config.loggingConfig.LogGroup ?? `/aws/lambda/${name}`,
    accountId: at.accountId,
    region: at.region,
    endpointUrl: options.endpointUrl,
    credentials: options.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
  };
}
