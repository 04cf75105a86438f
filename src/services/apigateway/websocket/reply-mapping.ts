/**
 * What a two-way route with a non-proxy integration sends back: the integration response whose
 * key matches the integration's answer — a `/pattern/` matching a Lambda function's whole error
 * message or the status code (a literal key matching it exactly), else `$default`; a function
 * that succeeded selects `$default` — with the response template its `TemplateSelectionExpression`
 * picks (`$default` as the fallback; none: the answer as it is), then its
 * `ContentHandlingStrategy`: `CONVERT_TO_TEXT` sends base64 text, `CONVERT_TO_BINARY` decodes base64
 * and sends binary; without one, UTF-8 goes out as text and anything else as binary. Pure.
 */
import { isUtf8 } from 'node:buffer';
import type { IntegrationResponse as RestIntegrationResponse } from '@aws-sdk/client-api-gateway';
import type { IntegrationResponse } from '@aws-sdk/client-apigatewayv2';
import { render, selectIntegrationResponse, type TemplateScope } from '../invoke/mapping.js';
import type { IntegrationOutcome } from './integration.js';
import { evaluateSelection, messageVariables } from './selection.js';

type Mapped = Extract<IntegrationOutcome, { kind: 'mapped' }>;

export type Reply = { kind: 'reply'; data: Buffer; binary: boolean } | { kind: 'no-match' };

/** The regular expression a key stands for, or undefined for `$default`. */
function patternOf(key: string): string | undefined {
  if (key === '$default') return undefined;
  const pattern = /^\/(.*)\/$/s.exec(key);
  return pattern ? pattern[1]! : key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function chooseIntegrationResponse(
  responses: readonly IntegrationResponse[],
  selector: string | undefined,
): IntegrationResponse | undefined {
  // REST APIs' selection, each key standing as its selection pattern.
  const patterned = new Map<RestIntegrationResponse, IntegrationResponse>(
    responses.map((response) => [
      { selectionPattern: patternOf(response.IntegrationResponseKey!) },
      response,
    ]),
  );
  const chosen = selectIntegrationResponse(
    Object.fromEntries([...patterned.keys()].map((pattern, i) => [String(i), pattern])),
    selector,
  );
  return chosen && patterned.get(chosen);
}

/** The variables an integration response's template selection expression reads. */
function responseVariables(outcome: Mapped, message: string | undefined) {
  const fromMessage = messageVariables(message);
  return (variable: string): unknown => {
    if (variable === 'integration.response.statuscode') return String(outcome.statusCode);
    const header = /^integration\.response\.(header|multivalueheader)\.(.+)$/.exec(variable);
    if (!header) return fromMessage(variable);
    const values = outcome.headers
      .filter(([name]) => name.toLowerCase() === header[2]!.toLowerCase())
      .map(([, value]) => value);
    if (values.length === 0) return undefined;
    return header[1] === 'header' ? values[values.length - 1] : values.join(',');
  };
}

/** Throws the template engine's errors. */
export function mapReply(
  responses: readonly IntegrationResponse[],
  outcome: Mapped,
  scope: Omit<TemplateScope, 'input'> & {
    message: string | undefined;
    params: TemplateScope['input']['params'];
  },
): Reply {
  const response = chooseIntegrationResponse(responses, outcome.selector);
  if (!response) return { kind: 'no-match' };
  const templates = response.ResponseTemplates ?? {};
  const expression = response.TemplateSelectionExpression;
  const key = expression
    ? evaluateSelection(expression, responseVariables(outcome, scope.message))
    : undefined;
  const template = (key !== undefined ? templates[key] : undefined) ?? templates['$default'];
  const bytes =
    template === undefined
      ? outcome.body
      : Buffer.from(
          render(template, {
            input: { body: outcome.body.toString('utf8'), params: scope.params },
            context: scope.context,
            stageVariables: scope.stageVariables,
          }).output,
        );
  switch (response.ContentHandlingStrategy) {
    case 'CONVERT_TO_TEXT':
      return { kind: 'reply', data: Buffer.from(bytes.toString('base64')), binary: false };
    case 'CONVERT_TO_BINARY':
      return { kind: 'reply', data: Buffer.from(bytes.toString('utf8'), 'base64'), binary: true };
    default:
      return { kind: 'reply', data: bytes, binary: !isUtf8(bytes) };
  }
}
