/**
 * Running a WebSocket route's integration: a Lambda proxy integration gets the event and its
 * result is read as API Gateway reads it (`statusCode`, `headers`, `body`, `isBase64Encoded`);
 * `AWS` and `MOCK` integrations go through request templates (mapped-integration.ts) and their
 * answer through integration responses. `HTTP` and `HTTP_PROXY` are not served yet.
 */
import type { Integration } from '@aws-sdk/client-apigatewayv2';
import type { Logger } from 'pino';
import type { ServiceCaller } from '../../service.js';
import { functionOfUri, invokeFunction } from '../invoke/lambda-integration.js';
import {
  base64Flag,
  bodyText,
  isPlainObject,
  MalformedResult,
  statusCode,
} from '../invoke/response-fields.js';
import type { WebSocketEvent } from './events.js';
import { runMappedIntegration } from './mapped-integration.js';

export type IntegrationOutcome =
  | {
      kind: 'answered';
      /** Undefined when the result named none (a function that returned nothing). */
      statusCode: number | undefined;
      headers: Record<string, string>;
      /** What a two-way route sends back; undefined when the result has no body. */
      body: { data: Buffer; binary: boolean } | undefined;
    }
  | {
      /** A non-proxy integration's answer, for integration responses to map. */
      kind: 'mapped';
      statusCode: number;
      /** What integration response keys are matched against: an error message, a status code. */
      selector: string | undefined;
      headers: [string, string][];
      body: Buffer;
    }
  | {
      kind: 'failed';
      reason: string;
      /** What the client is told, when not `Internal server error`. */
      message?: string;
    };

/** Whether an answered `$connect` lets the client in: no status, or a 2xx one. */
export function admits(outcome: IntegrationOutcome): boolean {
  return (
    outcome.kind !== 'failed' &&
    (outcome.statusCode === undefined || (outcome.statusCode >= 200 && outcome.statusCode < 300))
  );
}

export async function runIntegration(
  integration: Integration,
  event: WebSocketEvent,
  deps: {
    services: ServiceCaller;
    logger: Logger;
    at: { accountId: string; region: string };
    stageVariables: Record<string, string>;
  },
): Promise<IntegrationOutcome> {
  if (integration.IntegrationType === 'MOCK' || integration.IntegrationType === 'AWS') {
    return runMappedIntegration(integration, event, deps);
  }
  if (integration.IntegrationType !== 'AWS_PROXY') {
    deps.logger.warn(
      { type: integration.IntegrationType },
      'WebSocket API integration type not served yet; answering as failed',
    );
    return { kind: 'failed', reason: `integration type ${integration.IntegrationType} is not served` };
  }
  const uri = integration.IntegrationUri ?? '';
  const functionName = uri.startsWith('arn:aws:lambda:') ? uri : functionOfUri(uri, deps.stageVariables);
  if (!functionName) return { kind: 'failed', reason: `no function in integration URI ${uri}` };
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
  if (outcome.kind === 'function-error') return { kind: 'failed', reason: 'the function failed' };
  return readResult(outcome.payload);
}

/** A Lambda proxy result as WebSocket APIs read it. Pure. */
export function readResult(payload: Buffer): IntegrationOutcome {
  let result: unknown;
  try {
    result = payload.length === 0 ? null : JSON.parse(payload.toString('utf8'));
  } catch {
    return { kind: 'failed', reason: 'the result is not JSON' };
  }
  if (!isPlainObject(result)) {
    return { kind: 'answered', statusCode: undefined, headers: {}, body: undefined };
  }
  try {
    const status = result.statusCode === undefined ? undefined : statusCode(result.statusCode, true);
    const headers: Record<string, string> = {};
    if (isPlainObject(result.headers)) {
      for (const [name, value] of Object.entries(result.headers)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          headers[name.toLowerCase()] = String(value);
      }
    }
    const binary = base64Flag(result.isBase64Encoded);
    const text = result.body === undefined || result.body === null ? undefined : bodyText(result.body);
    return {
      kind: 'answered',
      statusCode: status,
      headers,
      body: text === undefined ? undefined : { data: Buffer.from(text, binary ? 'base64' : 'utf8'), binary },
    };
  } catch (err) {
    if (err instanceof MalformedResult) return { kind: 'failed', reason: err.message };
    throw err;
  }
}
