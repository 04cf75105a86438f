/**
 * Access log lines of WebSocket APIs: one per connect, message and disconnect a stage with
 * access logging served, with WebSocket's `$context` variables (`eventType`, `routeKey`,
 * `connectionId`, `messageId` …). The status is what API Gateway made of the event: `$connect`'s
 * answer (200 when it let the client in), 200 for a message or a disconnect it served, its own
 * refusal's (403 for a message no route takes), 500 when the integration failed.
 */
import type { AccessLogs } from '../logging/access-logs.js';
import { webSocketValues, type GatewayError } from '../logging/context-variables.js';
import type { ConnectionFacts } from './events.js';
import type { IntegrationOutcome } from './integration.js';
import type { StageTarget } from './stage-target.js';

/** One event as it was served. */
export interface WebSocketServed {
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
  routeKey: string | undefined;
  requestId: string;
  messageId?: string;
  /** When the event began, ms since the epoch, Stratus's clock. */
  at: number;
  /** The route's integration: when it was called (`performance.now()`), and what came of it. */
  ran?: { startedAt: number; outcome: IntegrationOutcome };
  /** API Gateway's own refusal, when it served the event no integration. */
  refused?: { status: number; message: string };
}

function statusOf(served: WebSocketServed): { status: number; error: GatewayError | undefined } {
  if (served.refused) {
    return {
      status: served.refused.status,
      error: { message: served.refused.message, responseType: undefined },
    };
  }
  const outcome = served.ran?.outcome;
  if (outcome?.kind === 'failed') {
    return { status: 500, error: { message: 'Internal server error', responseType: 'INTEGRATION_FAILURE' } };
  }
  const answered = served.eventType === 'CONNECT' ? outcome?.statusCode : undefined;
  return { status: answered ?? 200, error: undefined };
}

/** Writes the event's line, if the stage logs access. */
export function logWebSocketEvent(
  logs: AccessLogs,
  at: { accountId: string; region: string },
  connection: ConnectionFacts,
  target: StageTarget | undefined,
  served: WebSocketServed,
): void {
  if (!target?.accessLogSettings?.destinationArn) return;
  const { status, error } = statusOf(served);
  const route = served.routeKey === undefined ? undefined : target.routes.get(served.routeKey);
  const integration = route && target.integrationOf(route);
  const ran = integration && served.ran;
  const values = webSocketValues({
    accountId: at.accountId,
    connection,
    eventType: served.eventType,
    routeKey: served.routeKey,
    requestId: served.requestId,
    messageId: served.messageId,
    at: served.at,
    status,
    integrationLatencyMs: ran ? performance.now() - ran.startedAt : undefined,
    lambda: integration?.IntegrationType === 'AWS_PROXY',
    error,
  });
  logs.write(
    { id: connection.apiId, kind: 'WEBSOCKET', ...at },
    connection.stage,
    target.accessLogSettings,
    values,
  );
}
