/**
 * HTTP API integrations with AWS services (`IntegrationSubtype`: `SQS-SendMessage`,
 * `EventBridge-PutEvents`, `StepFunctions-StartExecution` …): the integration's
 * `RequestParameters` name the operation's parameters, each a static value or a selection from
 * the request — `$request.body.orderId`, `$request.header.x-id`, `$request.querystring.q`,
 * `$request.path.id`, `$context.requestId`, `$stageVariables.queue` — or a mix of text and
 * selections (`order-${request.path.id}`). The service's answer comes back as JSON.
 */
import type { ApiCall, RouteMatch } from './api-call.js';
import { lastHeader, queryParameters } from './request-parts.js';

/** Each subtype: the service (as ServiceCaller names it), the operation, and its parameters' names. */
const subtypes: Record<string, { service: string; operation: string }> = {
  'SQS-SendMessage': { service: 'sqs', operation: 'SendMessage' },
  'SQS-ReceiveMessage': { service: 'sqs', operation: 'ReceiveMessage' },
  'SQS-DeleteMessage': { service: 'sqs', operation: 'DeleteMessage' },
  'SQS-PurgeQueue': { service: 'sqs', operation: 'PurgeQueue' },
  'EventBridge-PutEvents': { service: 'events', operation: 'PutEvents' },
  'StepFunctions-StartExecution': { service: 'stepfunctions', operation: 'StartExecution' },
  'StepFunctions-StartSyncExecution': { service: 'stepfunctions', operation: 'StartSyncExecution' },
  'StepFunctions-StopExecution': { service: 'stepfunctions', operation: 'StopExecution' },
  'Kinesis-PutRecord': { service: 'kinesis', operation: 'PutRecord' },
  'AppConfig-GetConfiguration': { service: 'appconfig', operation: 'GetConfiguration' },
};

export function serviceOperationOf(subtype: string): { service: string; operation: string } | undefined {
  return subtypes[subtype];
}

/** Parameters whose AWS type is not a string (SQS's attributes, EventBridge's entries …). */
const structured = new Set(['MessageAttributes', 'MessageSystemAttributes', 'Entries', 'AttributeNames']);
const numeric = new Set(['DelaySeconds', 'MaxNumberOfMessages', 'VisibilityTimeout', 'WaitTimeSeconds']);

function selectPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * What a selection expression without its `$` names in a call: `request.body.x`, `request.header.x`,
 * `request.querystring.x`, `request.path.x`, `context.x`, `stageVariables.x`.
 */
export function selection(
  expression: string,
  call: ApiCall,
  route: RouteMatch,
  context: Record<string, unknown>,
): unknown {
  const [source, ...rest] = expression.split('.');
  const name = rest.join('.');
  switch (source) {
    case 'request': {
      const [part, ...field] = rest;
      const key = field.join('.');
      if (part === 'body') {
        let body: unknown;
        try {
          body = JSON.parse(call.body.toString('utf8'));
        } catch {
          return key === '' ? call.body.toString('utf8') : undefined;
        }
        return key === '' ? body : selectPath(body, key);
      }
      if (part === 'header') return lastHeader(call.headers, key);
      if (part === 'querystring')
        return queryParameters(call.rawQueryString).findLast(([n]) => n === key)?.[1];
      if (part === 'path') return route.pathParameters[key];
      return undefined;
    }
    case 'context':
      return selectPath(context, name);
    case 'stageVariables':
      return route.stageVariables[name];
    default:
      return undefined;
  }
}

/** A parameter's value: a lone selection keeps its type (an object body), text around selections makes a string. */
function valueOf(
  template: string,
  call: ApiCall,
  route: RouteMatch,
  context: Record<string, unknown>,
): unknown {
  const lone = /^\$\{?([A-Za-z][\w.-]*)\}?$/.exec(template);
  if (lone) return selection(lone[1]!, call, route, context);
  return template.replace(/\$\{([A-Za-z][\w.-]*)\}/g, (_, expression: string) => {
    const value = selection(expression, call, route, context);
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** The operation's input from the integration's request parameters. */
export function serviceInput(
  parameters: Record<string, string> | undefined,
  call: ApiCall,
  route: RouteMatch,
  context: Record<string, unknown>,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, template] of Object.entries(parameters ?? {})) {
    let value = valueOf(template, call, route, context);
    if (value === undefined) continue;
    if (structured.has(name) && typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        // left as the string: the service's own validation answers
      }
    } else if (numeric.has(name)) {
      value = Number(value);
    } else if (typeof value !== 'string') {
      value = JSON.stringify(value);
    }
    input[name] = value;
  }
  return input;
}
