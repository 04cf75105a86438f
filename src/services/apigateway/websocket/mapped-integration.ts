/**
 * WebSocket integrations that are not proxies — `AWS` (a Lambda function, or another service by
 * its `arn:aws:apigateway:{region}:{service}:action/…` URI) and `MOCK` — with the request
 * template the integration's `TemplateSelectionExpression` picks from its `RequestTemplates`
 * (`$default` as the fallback), rendered by the Velocity engine REST APIs use, with the message
 * as `$input.body`, the event's request context as `$context` and the stage variables. With no
 * template, the integration's `PassthroughBehavior` decides: the message goes as it is
 * (`WHEN_NO_MATCH`, the default; `WHEN_NO_TEMPLATES` when it has none), or it is refused (`NEVER`).
 *
 * What comes back is what integration responses select from (reply-mapping.ts): a Lambda
 * function's error message, or a status code — a MOCK's from its template's `statusCode`.
 */
import type { Integration } from '@aws-sdk/client-apigatewayv2';
import type { Logger } from 'pino';
import type { ServiceCaller } from '../../service.js';
import { callService, serviceTargetOf } from '../invoke/aws-service-integration.js';
import { functionOfUri, invokeFunction } from '../invoke/lambda-integration.js';
import { render, type TemplateScope } from '../invoke/mapping.js';
import type { WebSocketEvent } from './events.js';
import type { IntegrationOutcome } from './integration.js';
import { evaluateSelection, messageVariables } from './selection.js';

export interface MappedIntegrationDeps {
  services: ServiceCaller;
  logger: Logger;
  at: { accountId: string; region: string };
  stageVariables: Record<string, string>;
}

/** The template for a message, `passthrough` to send it as it is, or `refused`. Pure. */
export function requestTemplateFor(
  integration: Pick<Integration, 'RequestTemplates' | 'TemplateSelectionExpression' | 'PassthroughBehavior'>,
  message: string | undefined,
): { kind: 'template'; text: string } | { kind: 'passthrough' } | { kind: 'refused' } {
  const templates = integration.RequestTemplates ?? {};
  const expression = integration.TemplateSelectionExpression;
  const key = expression ? evaluateSelection(expression, messageVariables(message)) : undefined;
  const text = (key !== undefined ? templates[key] : undefined) ?? templates['$default'];
  if (text !== undefined) return { kind: 'template', text };
  const behavior = integration.PassthroughBehavior ?? 'WHEN_NO_MATCH';
  const passes =
    behavior === 'WHEN_NO_MATCH' || (behavior === 'WHEN_NO_TEMPLATES' && Object.keys(templates).length === 0);
  return passes ? { kind: 'passthrough' } : { kind: 'refused' };
}

/** What templates see of an event: `$input`, `$context`, `$stageVariables`. */
export function templateScope(
  event: WebSocketEvent,
  body: string,
  stageVariables: Record<string, string>,
): TemplateScope {
  return {
    input: {
      body,
      params: { path: {}, querystring: event.queryStringParameters ?? {}, header: event.headers ?? {} },
    },
    context: event.requestContext as unknown as Record<string, unknown>,
    stageVariables,
  };
}

export async function runMappedIntegration(
  integration: Integration,
  event: WebSocketEvent,
  deps: MappedIntegrationDeps,
): Promise<IntegrationOutcome> {
  const message = event.isBase64Encoded ? undefined : event.body;
  const chosen = requestTemplateFor(integration, message);
  if (chosen.kind === 'refused') {
    return { kind: 'failed', reason: 'no request template matches', message: 'Unsupported Media Type' };
  }
  let body: Buffer;
  if (chosen.kind === 'template') {
    try {
      body = Buffer.from(
        render(chosen.text, templateScope(event, event.body ?? '', deps.stageVariables)).output,
      );
    } catch (err) {
      deps.logger.warn({ err }, 'WebSocket request template failed');
      return { kind: 'failed', reason: 'the request template failed' };
    }
  } else {
    body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  }
  if (integration.IntegrationType === 'MOCK') return mock(body);
  const uri = integration.IntegrationUri ?? '';
  const functionName = uri.startsWith('arn:aws:lambda:') ? uri : functionOfUri(uri, deps.stageVariables);
  return functionName ? lambda(integration, functionName, body, deps) : service(integration, uri, body, deps);
}

/** A mock answers with the status code its request names (`{"statusCode": 200}`), and no body. */
function mock(body: Buffer): IntegrationOutcome {
  let status = 200;
  try {
    const parsed = JSON.parse(body.toString('utf8') || '{}') as { statusCode?: unknown };
    if (parsed.statusCode !== undefined) status = Number(parsed.statusCode);
  } catch {
    // a body that is not JSON names no status: the default
  }
  return { kind: 'mapped', statusCode: status, selector: String(status), headers: [], body: Buffer.alloc(0) };
}

async function lambda(
  integration: Integration,
  functionName: string,
  body: Buffer,
  deps: MappedIntegrationDeps,
): Promise<IntegrationOutcome> {
  let event: unknown;
  try {
    event = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    // Lambda refuses a payload that is not JSON.
    return { kind: 'failed', reason: 'the integration request is not JSON' };
  }
  const outcome = await invokeFunction(
    deps.services,
    functionName,
    event,
    deps.at,
    integration.TimeoutInMillis ?? 29_000,
  );
  if (outcome.kind === 'timed-out') return { kind: 'failed', reason: 'the integration timed out' };
  if (outcome.kind === 'failed') {
    deps.logger.warn({ err: outcome.error, functionName }, 'WebSocket API could not invoke the function');
    return { kind: 'failed', reason: 'the function could not be invoked' };
  }
  if (outcome.kind === 'function-error') {
    let errorMessage: string | undefined;
    try {
      errorMessage = (JSON.parse(outcome.payload.toString('utf8')) as { errorMessage?: string }).errorMessage;
    } catch {
      errorMessage = outcome.payload.toString('utf8');
    }
    // The error is selected by its message; a `$connect` it answers does not let the client in.
    return {
      kind: 'mapped',
      statusCode: 500,
      selector: errorMessage ?? '',
      headers: [],
      body: outcome.payload,
    };
  }
  return { kind: 'mapped', statusCode: 200, selector: undefined, headers: [], body: outcome.payload };
}

async function service(
  integration: Integration,
  uri: string,
  body: Buffer,
  deps: MappedIntegrationDeps,
): Promise<IntegrationOutcome> {
  const target = serviceTargetOf(uri);
  const answer =
    target &&
    (await callService(
      deps.services,
      target,
      { method: integration.IntegrationMethod ?? 'POST', headers: {}, querystring: {}, path: {}, body },
      deps.at.accountId,
    ));
  if (!answer) return { kind: 'failed', reason: `integration URI ${uri} names nothing Stratus serves` };
  return {
    kind: 'mapped',
    statusCode: answer.status,
    selector: String(answer.status),
    headers: Object.entries(answer.headers),
    body: typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body,
  };
}
