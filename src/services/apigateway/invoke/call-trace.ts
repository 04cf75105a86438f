/**
 * What serving a call to a deployed API found out on the way — the stage that served it and its
 * access log settings as read for this call, the resource or route, the authorizer's context,
 * when the integration was called — for its metrics and access log line. The edge hands an
 * empty trace to the invoker, which fills it in as it goes; what a refusal cut short stays unset.
 */
import type { AccessLogSettings as V2AccessLogSettings } from '@aws-sdk/client-apigatewayv2';

export interface AccessLogSettings {
  destinationArn?: string | undefined;
  format?: string | undefined;
}

export interface CallTrace {
  /** The stage that served the call, as named (`prod`, `$default`). */
  stage?: string;
  accessLogSettings?: AccessLogSettings | undefined;
  /** REST APIs: the deployment the stage serves. */
  deploymentId?: string;
  /** REST APIs: the resource's path template and id; HTTP APIs: the route key and route id. */
  resourcePath?: string;
  resourceId?: string;
  /** The authorizer's context (with `principalId`; a JWT's `claims`). */
  authorizer?: Record<string, unknown> | undefined;
  /** When the integration was called (`performance.now()`), and whether it is a Lambda function. */
  integration?: { startedAt: number; lambda: boolean };
}

/** An HTTP or WebSocket stage's `AccessLogSettings`, in REST's spelling. */
export function v2AccessLogSettings(
  settings: V2AccessLogSettings | undefined,
): AccessLogSettings | undefined {
  return settings && { destinationArn: settings.DestinationArn, format: settings.Format };
}
