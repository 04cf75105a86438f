/**
 * TestInvokeMethod: a REST API method run as its current configuration would serve it — before
 * any deployment — on a made-up request (`pathWithQueryString`, `headers`, `multiValueHeaders`,
 * `body`, `stageVariables`), through the same integration code as deployed calls
 * (rest-invoker.ts), at stage `test-invoke-stage`. As the console's "Test" button does, it skips
 * the method's authorizer, its API key and the stage cache.
 *
 * Differences from AWS: the log is a short account of what happened, not API Gateway's full
 * execution log.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Readable } from 'node:stream';
import type { Clock } from '../../../engine/clock.js';
import type { Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import type { RestSnapshot } from '../deployments.js';
import { invalidResource } from '../errors.js';
import { methodOf } from '../methods.js';
import { resourceOf } from '../resources.js';
import type { RestApis, StoredRestApi } from '../rest-apis.js';
import { authorizerQueries, resourceQueries } from '../tables.js';
import type { ApiCall, RouteMatch } from './api-call.js';
import type { RestInvoker } from './rest-invoker.js';
import { RestRoutes, type RestRoute } from './rest-routes.js';
import { testInvokeCall } from './test-invoke-call.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

/** The made-up call: `httpMethod` on `pathWithQueryString` (the resource's path by default). */
export function testMethodCall(
  input: APIGW.TestInvokeMethodRequest,
  resourcePath: string,
  at: Place,
  receivedAt: number,
): ApiCall {
  // An `ANY` method is tried as a GET, the console's default.
  const method = input.httpMethod === 'ANY' ? 'GET' : input.httpMethod!;
  return testInvokeCall(input, method, resourcePath, at, receivedAt);
}

/** Headers as TestInvokeMethod answers them: the last value of each, and every value. */
export function answerHeaders(headers: Record<string, string | string[]>): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) continue;
    single[name] = values[values.length - 1]!;
    multi[name] = values;
  }
  return { headers: single, multiValueHeaders: multi };
}

async function bodyText(body: Buffer | string | Readable): Promise<string> {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

export class MethodTests {
  constructor(
    private readonly store: Store,
    private readonly apis: RestApis,
    private readonly invoker: RestInvoker,
    private readonly clock: Clock,
  ) {}

  async run(input: APIGW.TestInvokeMethodRequest, at: Place): Promise<APIGW.TestInvokeMethodResponse> {
    const api = await this.apis.require(at, input.restApiId!);
    // The API as a deployment made now would keep it (deployments.ts), read in one transaction.
    const snapshot = await this.store.transaction(async (tx): Promise<RestSnapshot> => ({
      api: JSON.parse(api.document) as StoredRestApi,
      resources: (await resourceQueries.all(tx, api.id)).map(resourceOf),
      authorizers: (await authorizerQueries.all(tx, api.id)).map(
        (row) => JSON.parse(row.document) as APIGW.Authorizer,
      ),
    }));
    const resource = snapshot.resources.find((r) => r.id === input.resourceId);
    if (!resource) throw invalidResource();
    const method = methodOf(resource, input.httpMethod!);
    const began = performance.now();
    const call = testMethodCall(input, resource.path, at, this.clock.now());
    // The path's parameters as the resource's template reads them; none when the path does not fit.
    const matched = new RestRoutes({ ...snapshot, resources: [resource] }).match(call.method, call.rawPath);
    const route: RestRoute = { resource, method, pathParameters: matched?.pathParameters ?? {} };
    const match: RouteMatch = {
      resourcePath: resource.path,
      resourceId: resource.id,
      pathParameters: route.pathParameters,
      stageVariables: input.stageVariables ?? {},
    };
    const stamp = () => new Date(this.clock.now()).toUTCString();
    const log = [
      `Execution log for request ${call.requestId}`,
      `${stamp()} : Starting execution for request: ${call.requestId}`,
      `${stamp()} : HTTP Method: ${input.httpMethod}, Resource Path: ${call.rawPath}`,
      `${stamp()} : Method request path: ${JSON.stringify(route.pathParameters)}`,
      `${stamp()} : Method request query string: ${call.rawQueryString}`,
      `${stamp()} : Method request body before transformations: ${input.body ?? ''}`,
    ];
    const response = await this.invoker.testInvoke(snapshot, route, call, match);
    const body = await bodyText(response.body);
    log.push(
      `${stamp()} : Method response body after transformations: ${body}`,
      `${stamp()} : Method completed with status: ${response.status}`,
    );
    return {
      status: response.status,
      body,
      ...answerHeaders(response.headers),
      log: log.join('\n'),
      latency: Math.round(performance.now() - began),
    };
  }
}
