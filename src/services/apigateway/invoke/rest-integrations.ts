/**
 * REST API integrations other than the Lambda proxy: `MOCK`, `AWS` (a Lambda function through
 * mapping templates), `HTTP` (an endpoint through mapping templates) and `HTTP_PROXY` (an
 * endpoint, passed through). A call is mapped into the integration request (request template,
 * parameter mappings), run, and its answer mapped back through the integration response that
 * its selection pattern picks (response template, response parameters).
 */
import type { Integration } from '@aws-sdk/client-api-gateway';
import type { Logger } from 'pino';
import type { EdgeResponse, ServiceCaller } from '../../service.js';
import type { ApiCall, RouteMatch } from './api-call.js';
import { callService, serviceTargetOf, type MappedIntegrationRequest } from './aws-service-integration.js';
import { endpointTimedOut, internalServerError, unsupportedMediaType } from './gateway-responses.js';
import { fillPath, forwardHttp, withQuery } from './http-forward.js';
import { functionOfUri, invokeFunction } from './lambda-integration.js';
import { mapRequest, mapResponse, selectIntegrationResponse, type Overrides } from './mapping.js';
import { mapParameters, type ParameterSources, type RequestParts, type ResponseParts } from './parameters.js';
import { proxyAnswer } from './proxy-answer.js';
import { groupHeaders, groupValues, lastHeader, queryParameters } from './request-parts.js';
import { restProxyEvent } from './rest-proxy-event.js';

/** What an integration answered, before the integration response maps it. */
interface IntegrationAnswer {
  /** What selection patterns are matched against: an HTTP status, a function's error message. */
  selector: string | undefined;
  headers: [string, string][];
  body: Buffer;
}

/** The method request's parts, as parameter mappings and templates read them. */
export function requestParts(call: ApiCall, route: RouteMatch): RequestParts {
  const headers = groupHeaders(call.headers, (name) => name.toLowerCase());
  const query = groupValues(queryParameters(call.rawQueryString));
  const last = (groups: Map<string, string[]>) =>
    Object.fromEntries([...groups].map(([name, values]) => [name, values.at(-1)!]));
  return {
    path: route.pathParameters,
    querystring: last(query),
    header: last(headers),
    multivaluequerystring: Object.fromEntries(query),
    multivalueheader: Object.fromEntries(headers),
    body: call.body.toString('utf8'),
  };
}

function responseParts(answer: IntegrationAnswer): ResponseParts {
  const headers = groupValues(answer.headers.map(([name, value]) => [name.toLowerCase(), value] as const));
  return {
    header: Object.fromEntries([...headers].map(([name, values]) => [name, values.at(-1)!])),
    multivalueheader: Object.fromEntries(headers),
    body: answer.body.toString('utf8'),
  };
}

export class RestIntegrations {
  constructor(
    private readonly services: ServiceCaller,
    private readonly logger: Logger,
  ) {}

  async run(
    integration: Integration,
    call: ApiCall,
    route: RouteMatch,
    deploymentId: string,
    authorizer: Record<string, unknown> | undefined,
  ): Promise<EdgeResponse> {
    const own = { 'x-amzn-requestid': call.requestId, 'x-amz-apigw-id': call.extendedRequestId };
    const request = requestParts(call, route);
    // `$context` holds what the proxy event's requestContext does.
    const context = restProxyEvent(call, route, { binaryMediaTypes: [], deploymentId, authorizer })
      .requestContext as unknown as Record<string, unknown>;
    const sources: ParameterSources = { request, stageVariables: route.stageVariables, context };
    const mapped = mapRequest(
      integration,
      lastHeader(call.headers, 'content-type')?.split(';')[0]?.trim(),
      call.body,
      {
        input: {
          body: request.body,
          params: { path: request.path, querystring: request.querystring, header: request.header },
        },
        context,
        stageVariables: route.stageVariables,
      },
    );
    if (mapped.kind === 'unsupported-media-type') return unsupportedMediaType(call.requestId);
    const parameters = mapParameters(integration.requestParameters, 'integration.request.', sources);
    const overrides = mapped.overrides;
    const target = {
      header: { ...parameters['header'], ...overrides.header },
      querystring: { ...parameters['querystring'], ...overrides.querystring },
      path: { ...route.pathParameters, ...parameters['path'], ...overrides.path },
    };

    let answer: IntegrationAnswer | EdgeResponse;
    switch (integration.type) {
      case 'MOCK':
        answer = this.mock(mapped.body);
        break;
      case 'AWS':
        answer = await this.aws(integration, call, route, {
          headers: target.header,
          querystring: target.querystring,
          path: target.path,
          body: mapped.body,
        });
        break;
      case 'HTTP':
      case 'HTTP_PROXY':
        answer = await this.http(integration, call, target, mapped.body);
        if (integration.type === 'HTTP_PROXY' && !('status' in answer)) {
          return proxyAnswer(Number(answer.selector), answer.headers, answer.body, own);
        }
        break;
      default:
        answer = internalServerError(call.requestId);
    }
    if ('status' in answer) return answer;
    return this.respond(integration, answer, call, route, context, request, own);
  }

  private respond(
    integration: Integration,
    answer: IntegrationAnswer,
    call: ApiCall,
    route: RouteMatch,
    context: Record<string, unknown>,
    request: RequestParts,
    own: Record<string, string>,
  ): EdgeResponse {
    const response = selectIntegrationResponse(integration.integrationResponses, answer.selector);
    if (!response) {
      this.logger.warn(
        { selector: answer.selector },
        'Execution failed due to configuration error: No match for output mapping and no default output mapping was specified',
      );
      return internalServerError(call.requestId);
    }
    let mapped;
    try {
      mapped = mapResponse(response, answer.body, lastHeader(answer.headers, 'content-type'), {
        params: { path: request.path, querystring: request.querystring, header: request.header },
        context,
        stageVariables: route.stageVariables,
      });
    } catch (err) {
      this.logger.warn({ err }, 'response mapping template failed');
      return internalServerError(call.requestId);
    }
    const headers = mapParameters(response.responseParameters, 'method.response.', {
      response: responseParts(answer),
      request,
      stageVariables: route.stageVariables,
      context,
    })['header'];
    return this.answer(
      mapped.overrides.status ?? mapped.status,
      mapped.contentType,
      headers,
      mapped.overrides,
      mapped.body,
      own,
    );
  }

  private answer(
    status: number,
    contentType: string,
    headers: Record<string, string> | undefined,
    overrides: Overrides,
    body: Buffer,
    own: Record<string, string>,
  ): EdgeResponse {
    const lower = (record: Record<string, string> = {}) =>
      Object.fromEntries(Object.entries(record).map(([name, value]) => [name.toLowerCase(), value]));
    return {
      status,
      headers: { 'content-type': contentType, ...lower(headers), ...lower(overrides.header), ...own },
      body,
    };
  }

  /** A mock integration answers with the status code its request template names. */
  private mock(body: Buffer): IntegrationAnswer {
    let status = 200;
    try {
      const parsed = JSON.parse(body.toString('utf8') || '{}') as { statusCode?: unknown };
      if (parsed.statusCode !== undefined) status = Number(parsed.statusCode);
    } catch {
      // a body that is not JSON names no status: the default
    }
    return { selector: String(status), headers: [], body: Buffer.alloc(0) };
  }

  private async aws(
    integration: Integration,
    call: ApiCall,
    route: RouteMatch,
    mapped: Omit<MappedIntegrationRequest, 'method'>,
  ): Promise<IntegrationAnswer | EdgeResponse> {
    const body = mapped.body;
    const functionName = functionOfUri(integration.uri ?? '', route.stageVariables);
    if (!functionName) return this.awsService(integration, call, mapped);
    let event: unknown;
    try {
      event = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      // Lambda refuses a payload that is not JSON.
      return internalServerError(call.requestId);
    }
    const outcome = await invokeFunction(
      this.services,
      functionName,
      event,
      call,
      integration.timeoutInMillis ?? 29_000,
    );
    if (outcome.kind === 'timed-out') return endpointTimedOut(call.requestId);
    if (outcome.kind === 'failed') {
      this.logger.warn({ err: outcome.error, functionName }, 'AWS integration could not invoke the function');
      return internalServerError(call.requestId);
    }
    if (outcome.kind === 'function-error') {
      // A function's error is selected by its message, and its JSON is the integration's body.
      let message: string | undefined;
      try {
        message = (JSON.parse(outcome.payload.toString('utf8')) as { errorMessage?: string }).errorMessage;
      } catch {
        message = outcome.payload.toString('utf8');
      }
      return { selector: message ?? '', headers: [], body: outcome.payload };
    }
    return { selector: undefined, headers: [], body: outcome.payload };
  }

  private async awsService(
    integration: Integration,
    call: ApiCall,
    mapped: Omit<MappedIntegrationRequest, 'method'>,
  ): Promise<IntegrationAnswer | EdgeResponse> {
    const target = serviceTargetOf(integration.uri ?? '');
    const answer =
      target &&
      (await callService(
        this.services,
        target,
        { ...mapped, method: integration.httpMethod ?? 'POST' },
        call.accountId,
      ));
    if (!answer) {
      this.logger.warn({ uri: integration.uri }, 'AWS integration names no service Stratus serves');
      return internalServerError(call.requestId);
    }
    const headers = Object.entries(answer.headers);
    const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
    return { selector: String(answer.status), headers, body };
  }

  private async http(
    integration: Integration,
    call: ApiCall,
    target: {
      header: Record<string, string>;
      querystring: Record<string, string>;
      path: Record<string, string>;
    },
    body: Buffer,
  ): Promise<IntegrationAnswer | EdgeResponse> {
    const proxy = integration.type === 'HTTP_PROXY';
    const mappedQuery = new URLSearchParams(target.querystring).toString();
    const query = proxy ? [call.rawQueryString, mappedQuery].filter(Boolean).join('&') : mappedQuery;
    const url = withQuery(fillPath(integration.uri ?? '', target.path), query);
    const method =
      !integration.httpMethod || integration.httpMethod === 'ANY' ? call.method : integration.httpMethod;
    const headers: [string, string][] = proxy ? call.headers.map(([n, v]) => [n, v]) : [];
    if (!proxy) {
      const contentType = lastHeader(call.headers, 'content-type');
      if (contentType) headers.push(['content-type', contentType]);
    }
    headers.push(...Object.entries(target.header));
    const outcome = await forwardHttp({
      url,
      method,
      headers,
      body,
      timeoutMs: integration.timeoutInMillis ?? 29_000,
    });
    if (outcome.kind === 'timed-out') return endpointTimedOut(call.requestId);
    if (outcome.kind === 'failed') {
      this.logger.warn({ err: outcome.error, url }, 'REST API could not reach its HTTP integration');
      return internalServerError(call.requestId);
    }
    return { selector: String(outcome.status), headers: outcome.headers, body: outcome.body };
  }
}
