/**
 * What a service declares to join Stratus: its model (which fixes protocol, operations and
 * shapes), the names requests reach it by, its tables, and a factory for its provider — an object
 * whose methods are the AWS operations. The server knows services only through this interface.
 */
import type { Readable } from 'node:stream';
import type { PendingWrites } from '../engine/pending-writes.js';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { StratusConfig } from '../config.js';
import type { Clock } from '../engine/clock.js';
import type { ServiceModel } from '../protocol/model.js';
import type { ServiceError } from '../protocol/errors.js';
import type { Violation } from '../protocol/validate.js';
import type { WireRequest, WireResponse } from '../protocol/wire.js';
import type { Migration, Queryable, Store } from '../storage/store.js';
import type { BlobStore } from '../storage/blobs.js';
import type { WorkQueue } from '../storage/work-queue.js';
import type { SandboxMode } from '../functions/sandbox.js';

/** Who is calling, where, and under which request id. */
export interface RequestContext {
  requestId: string;
  accountId: string;
  region: string;
  /** The access key the request was signed with (`test` by default). */
  accessKeyId: string;
  /**
   * `client` for requests over the wire; `service` when another Stratus service calls (Lambda
   * publishing its metrics), which may do what only AWS itself may (write `AWS/` namespaces).
   */
  origin: 'client' | 'service';
}

/**
 * How one service uses another: through its public operations, in process, the way AWS services
 * integrate (Lambda writes its logs with CloudWatch Logs' PutLogEvents).
 */
export interface ServiceCaller {
  call<T = unknown>(
    service: string,
    operation: string,
    input: object,
    at: { accountId: string; region: string },
  ): Promise<T>;
  /**
   * Sends a request written in the service's own wire protocol, as API Gateway's `AWS`
   * integrations do (a mapping template makes SQS's form body or DynamoDB's JSON). Undefined when
   * no running service has that endpoint prefix.
   */
  callWire(call: WireCall, at: { accountId: string; region: string }): Promise<WireResponse | undefined>;
}

/** A request in a service's wire protocol, from Stratus itself. */
export interface WireCall {
  /** The service's endpoint prefix, as ARNs and host names name it: `sqs`, `dynamodb`, `states`. */
  service: string;
  method: string;
  path: string;
  query: Record<string, string[]>;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
  /**
   * The operation, for calls that name it apart from the body (API Gateway's `action/SendMessage`
   * URIs): written as the service's protocol names operations — `X-Amz-Target` for JSON
   * services, `Action=` for query ones.
   */
  action?: string;
}

/** What a service gets to work with. */
export interface ServiceContext {
  config: StratusConfig;
  store: Store;
  blobs: BlobStore;
  workQueue: WorkQueue;
  clock: Clock;
  logger: Logger;
  services: ServiceCaller;
  /** Writes services make after answering (Lambda's log delivery), which other services' reads wait for. */
  pendingWrites: PendingWrites;
  /** Absolute path of Stratus's data directory; a service keeps its files under `<dataDir>/<service>/`. */
  dataDir: string;
  /** The edge's URL (`http://127.0.0.1:4566`), known once the server listens. */
  endpointUrl(): string;
  /**
   * Deletes blobs the caller's rows stopped naming, unless another service's rows name them or
   * an upload holds them: blobs are shared by content (an S3 object and a function's zip with the
   * same bytes are one blob), so no service deletes one on its own say.
   */
  releaseBlobs(hashes: Iterable<string>): Promise<void>;
}

/**
 * An operation handler: typed input in, plain output object out. Handlers throw `ServiceError`s
 * for AWS errors.
 */
export type OperationHandler = (input: never, context: RequestContext) => Promise<unknown> | unknown;

/** An endpoint of Stratus's own under `/_stratus/` that a service serves (Lambda's code downloads). */
export interface InternalRoute {
  method: string;
  /** Matched against the path; capture groups reach the handler. */
  path: RegExp;
  /**
   * `signed` (the default): with `--require-auth`, only requests signed (or presigned) with a
   * configured key. `open`: anyone, for what AWS itself publishes (SNS's signing certificate).
   */
  access?: 'open' | 'signed';
  handle(match: RegExpExecArray, request: WireRequest): Promise<WireResponse>;
}

/**
 * A request to the edge that is not an AWS API call (a deployed API's URL, a function URL): the
 * wire request plus what such traffic needs of the connection itself.
 */
export interface EdgeRequest extends WireRequest {
  /** Header names and values in arrival order, names as sent: Node's `rawHeaders`. */
  rawHeaders: readonly string[];
  /** The client's address. */
  remoteAddress: string;
  /** `1.1`, `1.0`, `2.0`. */
  httpVersion: string;
  /** The query string as sent, without `?`; `''` when there is none. */
  rawQueryString: string;
}

/**
 * Traffic a service serves on the edge port beside the AWS APIs: deployed APIs at
 * `{id}.execute-api.localhost` and `/_aws/execute-api/…`, function URLs. Such requests carry no
 * SigV4 unless the route asks for it, and are answered in the route's own format.
 */
export interface EdgeRoute {
  /** Whether the request is for this route, decided from its Host, path and headers alone (no I/O). */
  accepts(request: WireRequest): boolean;
  /** The largest body the route takes; beyond it, `tooLarge()` answers. */
  maxBodyBytes: number;
  tooLarge(): WireResponse;
  handle(request: EdgeRequest): Promise<EdgeResponse>;
  /**
   * Takes over a WebSocket handshake (an HTTP `Upgrade: websocket` request) the route accepts.
   * The socket is the route's from then on: it completes the handshake (a WebSocket library's
   * `handleUpgrade`) or refuses it with an HTTP answer, and closes it. Without this hook the
   * request is served as a plain HTTP request.
   */
  upgrade?(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** When the edge stops: closes the connections `upgrade` took over, which it would wait for. */
  close?(): Promise<void>;
}

/**
 * An edge route's answer: a header may repeat (`Set-Cookie`), so a value may be a list; the body
 * may be a stream, sent as it comes (a function URL's streamed response).
 */
export type EdgeResponse = Omit<WireResponse, 'headers' | 'body'> & {
  headers: Record<string, string | string[]>;
  body: Buffer | string | Readable;
};

/** What a running service adds about itself to its entry in `/_stratus/health`. */
export interface ServiceHealth {
  /** Lambda: how functions run, `bwrap` (sandboxed) or `process` (plain processes). */
  sandbox?: SandboxMode;
}

export interface ServiceInstance {
  /** Methods named like the model's operations. Operations it lacks answer `NotImplemented`. */
  provider: object;
  routes?: readonly InternalRoute[];
  /** Traffic it serves at the edge that is not an AWS API call (deployed APIs). */
  edgeRoutes?: readonly EdgeRoute[];
  /**
   * Headers it adds to every answer to a request of a browser (one with `Origin`) of a service
   * that streams payloads: S3's CORS headers, from the bucket's rules.
   */
  answerHeaders?(request: WireRequest): Promise<Record<string, string>>;
  health?(): ServiceHealth;
  /** Background work (sweepers, pollers); started after every service is created. */
  start?(): void;
  stop?(): Promise<void>;
  /**
   * Before Stratus wipes or replaces the service's rows while running (`stratus reset`, a snapshot
   * load): stop whatever would write old state back afterwards — warm environments, write-behind
   * buffers, work in flight — and wait for writes already under way.
   */
  quiesce?(): Promise<void>;
  /**
   * After its rows were wiped or replaced: forget what was read from the old ones (caches, waits
   * on old resources) and start what the new ones ask for (pollers).
   */
  reset?(): Promise<void>;
  /** Writes what it holds back (logs, metrics, usage), so a snapshot taken next contains them. */
  flush?(): Promise<void>;
  /** Blobs in use that no row names yet (uploads not committed): clean-up after a reset keeps them. */
  pinnedBlobs?(): Iterable<string>;
}

export interface ServiceDefinition {
  /** Short name, as in the health report and CLI: `logs`, `cloudwatch`, `sts`. */
  name: string;
  model: ServiceModel;
  /** SigV4 service names that reach this service (default: the model's signingName / endpointPrefix). */
  signingNames?: string[];
  migrations?: readonly Migration[];
  /**
   * Every table its migrations create, parents before children (reset deletes them in reverse,
   * a snapshot load fills them in order). A unit test checks every table has exactly one owner.
   */
  tables?: readonly string[];
  /** The work-queue names its durable work goes in: a reset of the service drops their items. */
  workQueues?: readonly string[];
  /**
   * The blobs its rows name (Lambda's deployment packages): a snapshot carries them, and blobs
   * that no service names are deleted after a reset. A service that keeps blobs must say so here.
   */
  referencedBlobs?(db: Queryable): Promise<Iterable<string>>;
  /** Whether its rows name one blob (an index lookup), asked when blobs are released. */
  blobInUse?(db: Queryable, sha256: string): Promise<boolean>;
  /** A service whose tables this one works on too (SES v2 on SES's): they are reset together. */
  sharesStateWith?: string;
  /**
   * The error a request that breaks the model's constraints gets. Default: `ValidationException`
   * for JSON protocols, `ValidationError` for query ones, with AWS's message.
   */
  validationError?: (violations: readonly Violation[]) => ServiceError;
  /**
   * Input members a request carries outside its parameters (SQS's query requests posted to the
   * queue URL name the queue by their path); parsed parameters win over them.
   */
  inputFromRequest?: (operationName: string, request: WireRequest) => Record<string, unknown> | undefined;
  /**
   * Streams what the model marks `streaming` (S3's object bodies): such an input payload reaches
   * the provider as a `StreamedBody` while it arrives, an output payload may be a `Readable`, and
   * every request body is read as its `x-amz-content-sha256` says (aws-chunked, checked as it
   * streams; see src/server/payload.ts). Other services get bodies read whole.
   */
  streamsPayloads?: boolean;
  /** Host names that reach this service besides `<endpointPrefix>.…` (S3's `<bucket>.s3.localhost`). */
  claimsHost?(host: string): boolean;
  /**
   * The request in the form the model's URIs describe, for a service reached in others too (S3's
   * virtual-hosted `Host: photos.s3.localhost` + `/cat.png` is `/photos/cat.png`). Runs after
   * authentication, which checks the request as it was sent.
   */
  pathStyle?(request: WireRequest): WireRequest;
  create(context: ServiceContext): ServiceInstance | Promise<ServiceInstance>;
}
