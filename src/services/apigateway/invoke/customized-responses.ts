/**
 * A deployed REST API's customized gateway responses, applied to API Gateway's own answers: an
 * answer carrying a response type (gateway-responses.ts) takes the customization of its type, or
 * else of `DEFAULT_4XX`/`DEFAULT_5XX` — its status code, its headers
 * (`gatewayresponse.header.X` ← `'static'`, `method.request.header.x`, `stageVariables.x`,
 * `context.x` …) and its body, the template rendered with `$context.error.message`,
 * `messageString` (the message as a JSON string), `responseType` and `validationErrorString`,
 * `$context`'s request variables and `$stageVariables`. An API that customizes nothing answers
 * as before, untouched.
 */
import type { GatewayResponse } from '@aws-sdk/client-api-gateway';
import type { EdgeResponse } from '../../service.js';
import { definitionsOf } from '../api-definitions.js';
import type { RestSnapshot } from '../deployments.js';
import { byType, fallbackOf } from '../gateway-response-types.js';
import { evaluateTemplate, parseTemplate, type Template, type TemplateVariables } from '../velocity/index.js';
import type { ApiCall, RouteMatch } from './api-call.js';
import { refusalOf, type Refusal } from './gateway-responses.js';
import { mapParameters } from './parameters.js';
import { requestParts } from './rest-integrations.js';
import { restProxyEvent } from './rest-proxy-event.js';

const DEFAULT_CONTENT_TYPE = 'application/json';

/** A response's template and the content type it answers with, if it has one. */
function templateOf(response: GatewayResponse): [contentType: string, text: string] | undefined {
  const templates = Object.entries(response.responseTemplates ?? {}).filter(([, text]) => text !== '');
  return templates.find(([type]) => type === DEFAULT_CONTENT_TYPE) ?? templates[0];
}

export class CustomizedResponses {
  private readonly customized: Map<string, GatewayResponse>;
  /** Templates parsed once per deployment; null for one the engine cannot read (sent as written). */
  private readonly parsed = new Map<string, Template | null>();

  constructor(snapshot: RestSnapshot) {
    this.customized = byType(definitionsOf(snapshot.api).gatewayResponses);
  }

  /** The answer as the API's gateway responses make it; `route` is what the call matched, if anything. */
  apply(answer: EdgeResponse, call: ApiCall, route: RouteMatch): EdgeResponse {
    if (this.customized.size === 0) return answer;
    const refusal = refusalOf(answer);
    if (!refusal) return answer;
    const own = this.customized.get(refusal.responseType);
    const response = own ?? this.customized.get(fallbackOf(refusal.responseType, answer.status));
    if (!response) return answer;
    const status = response.statusCode ? Number(response.statusCode) : answer.status;
    const request = requestParts(call, route);
    const context = restProxyEvent(call, route, { binaryMediaTypes: [] }).requestContext as unknown as Record<
      string,
      unknown
    >;
    const headers = mapParameters(response.responseParameters, 'gatewayresponse.', {
      request,
      stageVariables: route.stageVariables,
      context,
    })['header'];
    const lower = Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]);
    const customized: EdgeResponse = {
      ...answer,
      status,
      headers: { ...answer.headers, ...Object.fromEntries(lower) },
    };
    const template = templateOf(response);
    if (!template) return customized;
    const body = this.render(template[1], refusal, {
      input: {
        body: '',
        params: { path: request.path, querystring: request.querystring, header: request.header },
      },
      context,
      stageVariables: route.stageVariables,
    });
    if (body === undefined) return customized;
    return { ...customized, headers: { ...customized.headers, 'content-type': template[0] }, body };
  }

  private render(text: string, refusal: Refusal, scope: TemplateVariables): string | undefined {
    let template = this.parsed.get(text);
    if (template === undefined) {
      try {
        template = parseTemplate(text);
      } catch {
        template = null;
      }
      this.parsed.set(text, template);
    }
    if (template === null) return text;
    const error = {
      message: refusal.message,
      messageString: JSON.stringify(refusal.message),
      responseType: refusal.responseType,
      validationErrorString: refusal.validationErrorString ?? '',
    };
    try {
      return evaluateTemplate(template, { ...scope, context: { ...scope.context, error } }).output;
    } catch {
      // A template past the engine's limits: the answer keeps API Gateway's own body.
      return undefined;
    }
  }
}
