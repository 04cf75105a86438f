/**
 * One message on its way through a WebSocket API, read top to bottom: select the route (the
 * API's route selection expression, else `$default`; none: `Forbidden`) → validate the body
 * against the model the route's model selection expression picks (`Bad request body`) → run the
 * integration (`Internal server error` when it fails) → for a two-way route, what goes back: a
 * proxy's `body`, or a non-proxy integration's answer mapped by its integration response.
 */
import type { Integration, Route } from '@aws-sdk/client-apigatewayv2';
import type { Logger } from 'pino';
import type { Clock } from '../../../engine/clock.js';
import type { ServiceCaller } from '../../service.js';
import type { WebSocketServed } from './access-log.js';
import { messageEvent, webSocketId, type ConnectionFacts } from './events.js';
import { runIntegration, type IntegrationOutcome } from './integration.js';
import type { LiveParts } from './live-parts.js';
import { templateScope } from './mapped-integration.js';
import { fitsModel, modelFor } from './model-validation.js';
import { mapReply } from './reply-mapping.js';
import { routeKeysFor } from './selection.js';
import type { StageTarget } from './stage-target.js';

export interface MessageDeps {
  clock: Clock;
  logger: Logger;
  services: ServiceCaller;
  live: LiveParts;
  /** Where the API lives, for invoking its functions. */
  at: { accountId: string; region: string };
}

/** What the client gets: data, an error message of API Gateway's, or nothing (a one-way route). */
export type MessageAnswer =
  | { kind: 'send'; data: Buffer; binary: boolean }
  | { kind: 'error'; message: string; requestId: string }
  | { kind: 'none' };

/**
 * The answer, and how the message was served (`served`, for the stage's access log: API Gateway's
 * own refusal, or the integration that ran and what came of it).
 */
export async function serveMessage(
  facts: ConnectionFacts,
  target: StageTarget | undefined,
  message: { data: Buffer; binary: boolean },
  deps: MessageDeps,
): Promise<{ answer: MessageAnswer; served: WebSocketServed }> {
  const requestId = webSocketId();
  const served: WebSocketServed = {
    eventType: 'MESSAGE',
    routeKey: undefined,
    requestId,
    at: deps.clock.now(),
  };
  const refuse = (status: number, text: string) => {
    served.refused = { status, message: text };
    return { answer: { kind: 'error', message: text, requestId } as const, served };
  };
  const text = message.binary ? undefined : message.data.toString();
  const keys = routeKeysFor(target?.api.RouteSelectionExpression ?? '', text);
  const route = keys.map((key) => target?.routes.get(key)).find((found) => found !== undefined);
  if (!target || !route) return refuse(403, 'Forbidden');
  served.routeKey = route.RouteKey;
  const integration = target.integrationOf(route);
  if (!integration) return refuse(500, 'Internal server error');

  const model = modelFor(route, text);
  if (model !== undefined) {
    const schema = model === null ? undefined : await deps.live.modelSchema(facts.apiId, model);
    if (schema === undefined || !fitsModel(schema, text)) return refuse(400, 'Bad request body');
  }

  served.messageId = webSocketId();
  const event = messageEvent(facts, message, {
    routeKey: route.RouteKey!,
    requestId,
    messageId: served.messageId,
    at: served.at,
  });
  const startedAt = performance.now();
  const outcome = await runIntegration(integration, event, {
    services: deps.services,
    logger: deps.logger,
    at: deps.at,
    stageVariables: target.stageVariables,
  });
  served.ran = { startedAt, outcome };
  const answer = await answerOf(facts, target, route, integration, event, text, outcome, deps, requestId);
  return { answer, served };
}

/** What goes back to the client once the integration ran. */
async function answerOf(
  facts: ConnectionFacts,
  target: StageTarget,
  route: Route,
  integration: Integration,
  event: ReturnType<typeof messageEvent>,
  text: string | undefined,
  outcome: IntegrationOutcome,
  deps: MessageDeps,
  requestId: string,
): Promise<MessageAnswer> {
  const error = (message: string): MessageAnswer => ({ kind: 'error', message, requestId });
  if (outcome.kind === 'failed') return error(outcome.message ?? 'Internal server error');
  if (!(await deps.live.twoWay(facts.apiId, route.RouteId!))) return { kind: 'none' };
  if (outcome.kind === 'answered') {
    return outcome.body ? { kind: 'send', ...outcome.body } : { kind: 'none' };
  }

  const responses = await deps.live.integrationResponses(facts.apiId, integration.IntegrationId!);
  const scope = templateScope(event, event.body ?? '', target.stageVariables);
  try {
    const reply = mapReply(responses, outcome, {
      message: text,
      params: scope.input.params,
      context: scope.context,
      stageVariables: scope.stageVariables,
    });
    if (reply.kind === 'reply') return { kind: 'send', data: reply.data, binary: reply.binary };
    deps.logger.warn(
      { selector: outcome.selector },
      'Execution failed due to configuration error: No match for output mapping and no default output mapping configured',
    );
  } catch (err) {
    deps.logger.warn({ err }, 'WebSocket response template failed');
  }
  return error('Internal server error');
}
