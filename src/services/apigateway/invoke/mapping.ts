/**
 * Mapping templates of REST API integrations: the request template chosen by the request's
 * content type (with the integration's passthrough behavior when none matches), the integration
 * response chosen by its selection pattern, and its response template — Velocity, with
 * `$input`, `$context`, `$stageVariables` and `$util` (../velocity).
 */
import { BoundedMap } from '../../../engine/bounded-map.js';
import type { Integration, IntegrationResponse } from '@aws-sdk/client-api-gateway';
import { evaluateTemplate, parseTemplate, type Template, type TemplateInput } from '../velocity/index.js';

const DEFAULT_CONTENT_TYPE = 'application/json';
const CACHED_TEMPLATES = 500;
const parsed = new BoundedMap<string, Template>(CACHED_TEMPLATES);

/** A template parsed once: deployments are immutable, and the same text is served again and again. */
function templateOf(text: string): Template {
  let template = parsed.get(text);
  if (!template) {
    template = parseTemplate(text);
    parsed.set(text, template);
  }
  return template;
}

export interface TemplateScope {
  input: TemplateInput;
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface Overrides {
  header: Record<string, string>;
  path: Record<string, string>;
  querystring: Record<string, string>;
  status?: number;
}

export type MappedRequest =
  { kind: 'mapped'; body: Buffer; overrides: Overrides } | { kind: 'unsupported-media-type' };

/** A template's output and the overrides it set (WebSocket APIs' templates render through it too). */
export function render(text: string, scope: TemplateScope): { output: string; overrides: Overrides } {
  const requestOverride = { header: {}, path: {}, querystring: {} };
  const responseOverride = { header: {} };
  const { output, context } = evaluateTemplate(templateOf(text), {
    ...scope,
    context: { ...scope.context, requestOverride, responseOverride },
  });
  const request = (context['requestOverride'] ?? requestOverride) as Overrides;
  const response = (context['responseOverride'] ?? responseOverride) as {
    header: Record<string, string>;
    status?: unknown;
  };
  const status = Number(response.status);
  return {
    output,
    overrides: {
      header: { ...request.header, ...response.header },
      path: request.path ?? {},
      querystring: request.querystring ?? {},
      ...(Number.isInteger(status) && status >= 100 && status <= 599 ? { status } : {}),
    },
  };
}

/** The integration request's body: the request template for the content type, or the body as sent. */
export function mapRequest(
  integration: Integration,
  contentType: string | undefined,
  body: Buffer,
  scope: TemplateScope,
): MappedRequest {
  const templates = integration.requestTemplates ?? {};
  const template = templates[contentType || DEFAULT_CONTENT_TYPE];
  if (template === undefined) {
    const behavior = integration.passthroughBehavior ?? 'WHEN_NO_MATCH';
    const passes =
      behavior === 'WHEN_NO_MATCH' ||
      (behavior === 'WHEN_NO_TEMPLATES' && Object.keys(templates).length === 0);
    if (!passes) return { kind: 'unsupported-media-type' };
    return { kind: 'mapped', body, overrides: { header: {}, path: {}, querystring: {} } };
  }
  const { output, overrides } = render(template, scope);
  return { kind: 'mapped', body: Buffer.from(output), overrides };
}

/**
 * The integration response for `selector` — a Lambda function's error message, or an HTTP or mock
 * integration's status code — by its selection pattern (a regular expression matching the whole
 * selector), else the default one (no pattern).
 */
export function selectIntegrationResponse(
  responses: Record<string, IntegrationResponse> | undefined,
  selector: string | undefined,
): IntegrationResponse | undefined {
  const all = Object.values(responses ?? {});
  if (selector !== undefined) {
    for (const response of all) {
      if (!response.selectionPattern) continue;
      try {
        if (new RegExp(`^(?:${response.selectionPattern})$`, 's').test(selector)) return response;
      } catch {
        // a pattern JavaScript cannot read selects nothing
      }
    }
  }
  return all.find((response) => !response.selectionPattern);
}

export interface MappedResponse {
  status: number;
  body: Buffer;
  contentType: string;
  overrides: Overrides;
}

/** The method response's body: the integration response's template, or the integration's body as is. */
export function mapResponse(
  response: IntegrationResponse,
  body: Buffer,
  integrationContentType: string | undefined,
  scope: Omit<TemplateScope, 'input'> & { params: TemplateInput['params'] },
): MappedResponse {
  const templates = response.responseTemplates ?? {};
  const [contentType, template] =
    DEFAULT_CONTENT_TYPE in templates
      ? [DEFAULT_CONTENT_TYPE, templates[DEFAULT_CONTENT_TYPE]]
      : (Object.entries(templates)[0] ?? [undefined, undefined]);
  const status = Number(response.statusCode);
  if (template === undefined || template === null || template === '') {
    return {
      status,
      body,
      contentType: contentType ?? integrationContentType ?? DEFAULT_CONTENT_TYPE,
      overrides: { header: {}, path: {}, querystring: {} },
    };
  }
  const { output, overrides } = render(template, {
    input: { body: body.toString('utf8'), params: scope.params },
    context: scope.context,
    stageVariables: scope.stageVariables,
  });
  return { status, body: Buffer.from(output), contentType: contentType!, overrides };
}
