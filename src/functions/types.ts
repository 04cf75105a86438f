/**
 * The contract between the Lambda service (control plane: what a function is) and the execution
 * engine (how it runs: environments, sandbox, Runtime API). Everything that crosses it is plain
 * data, so either side can change its internals freely — except a streamed response, which is a
 * stream by nature and is handed over as one (`StreamedResponse`).
 */
import type { Readable } from 'node:stream';

/** Everything an execution environment needs to run one version of a function. */
export interface FunctionSpec {
  /** Identifies the pool of environments: one per function version (`name:$LATEST`, `name:3`). */
  key: string;
  functionName: string;
  /** The version the environment runs: `$LATEST` or a published number. */
  version: string;
  /** The function ARN without qualifier. */
  functionArn: string;
  runtime: string;
  handler: string;
  /** Extracted code, mounted read-only at /var/task. */
  codeDir: string;
  /** Extracted layers in order, merged read-only at /opt (later layers win). */
  layerDirs: readonly string[];
  memoryMb: number;
  timeoutSeconds: number;
  ephemeralStorageMb: number;
  environment: Readonly<Record<string, string>>;
  logGroupName: string;
  accountId: string;
  region: string;
  /** Where the AWS SDK inside the function reaches Stratus (AWS_ENDPOINT_URL). */
  endpointUrl: string;
  /** Credentials the function's SDK uses (AWS_ACCESS_KEY_ID …). */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface InvocationRequest {
  requestId: string;
  payload: Buffer;
  /** The ARN the caller used, qualifier included (context.invokedFunctionArn). */
  invokedFunctionArn: string;
  clientContext?: string;
  cognitoIdentity?: string;
  /**
   * For callers that pass a response on as it streams (function URLs in `RESPONSE_STREAM` mode):
   * called when a function starts a streamed response, before the invocation ends. Without it, a
   * streamed response is gathered into the outcome's payload, within the 6 MB of a buffered one.
   */
  onResponseStream?: (response: StreamedResponse) => void;
}

/** A response the function streams (the Runtime API's `streaming` response mode). */
export interface StreamedResponse {
  /**
   * The type the function declared: `application/vnd.awslambda.http-integration-response` for an
   * HTTP response with its JSON prelude, `application/octet-stream` when it declared none.
   */
  contentType: string;
  /** The bytes as the function writes them; destroyed with an error if the invocation fails midway. */
  body: Readable;
}

/** How an invocation ended, as Lambda reports it. */
export type InvocationOutcome =
  /**
   * The handler returned; payload is its JSON (or raw bytes for `provided` runtimes). A streamed
   * response carries its `contentType`; its payload is what it streamed, or empty when it went to
   * the request's `onResponseStream`.
   */
  | { kind: 'success'; payload: Buffer; contentType?: string }
  /**
   * The function failed: a handler exception (`Unhandled`), a timeout, running out of memory, the
   * runtime exiting, or init failing. `payload` is Lambda's error document
   * `{"errorType": …, "errorMessage": …, "stackTrace"?: […]}`; the environment that failed this
   * way (other than a handler exception) is gone and the next invoke starts a fresh one.
   */
  | {
      kind: 'error';
      errorType: string;
      errorMessage: string;
      payload: Buffer;
      cause: 'handler' | 'timeout' | 'outOfMemory' | 'runtimeExit' | 'init';
    };

export interface InvocationResult {
  outcome: InvocationOutcome;
  /** The environment's log stream: `YYYY/MM/DD/[<version>]<32 hex>`. */
  logStreamName: string;
  /**
   * Every line this invocation logged, in order, including the platform's `START RequestId: …`,
   * `END RequestId: …` and `REPORT RequestId: …` lines framing the function's own output.
   */
  logEvents: { timestamp: number; message: string }[];
  durationMs: number;
  billedDurationMs: number;
  maxMemoryUsedMb: number;
  /** Set on a cold start: how long the environment took to initialize. */
  initDurationMs?: number;
}

/** Why an invocation could not start at all (not a function error). */
export class ConcurrencyLimitExceeded extends Error {
  constructor(
    readonly reason:
      'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded',
  ) {
    super(reason);
  }
}
