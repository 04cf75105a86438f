/**
 * Lambda authorizers: REST APIs' `TOKEN` (the identity header's value) and `REQUEST` (the whole
 * request) authorizers, and HTTP APIs' `REQUEST` authorizers (payload 1.0 or 2.0, with simple
 * `{isAuthorized, context}` answers or IAM policies). An answer is cached for the authorizer's
 * TTL by the identity sources' values — and a cached policy is evaluated again for each method,
 * so a policy that allows only one resource denies the others from the cache, as on AWS.
 */
import { BoundedMap } from '../../../../engine/bounded-map.js';
import type { Clock } from '../../../../engine/clock.js';
import type { ServiceCaller } from '../../../service.js';
import { invokeFunction } from '../lambda-integration.js';
import { evaluatePolicy, type PolicyDecision } from './policy.js';

/** What an authorizer decided for one call. */
export type AuthorizerOutcome =
  | { kind: 'allow'; context: Record<string, unknown>; usageIdentifierKey?: string }
  /** `message`: API Gateway's words when not `Unauthorized` (an expired Cognito token's). */
  | { kind: 'unauthorized'; message?: string }
  | { kind: 'forbidden'; explicit: boolean }
  | { kind: 'error'; reason: string };

/** An authorizer function's answer, as cached. */
export interface Answer {
  simple?: boolean;
  policy?: unknown;
  principalId?: unknown;
  context?: Record<string, unknown>;
  /** The API key a REST API with `apiKeySource: AUTHORIZER` counts the call against. */
  usageIdentifierKey?: string;
}

const MAX_CACHED = 10_000;
/** Stages whose authorizer cache flushes this node follows. */
const MAX_STAGES = 10_000;

export interface LambdaAuthorization {
  functionName: string;
  event: unknown;
  /** The identity sources' values; undefined when one is missing (401 without calling). */
  identity: string[] | undefined;
  cacheKey: string;
  ttlSeconds: number;
  methodArn: string;
  simpleResponses: boolean;
  at: { accountId: string; region: string };
}

function decisionOf(answer: Answer, methodArn: string): PolicyDecision | undefined {
  if (answer.simple !== undefined) return answer.simple ? 'allow' : 'deny';
  return evaluatePolicy(answer.policy, methodArn);
}

export class LambdaAuthorizers {
  private readonly cache = new BoundedMap<string, { expiresAt: number; answer: Answer }>(MAX_CACHED);
  /** The authorizer cache generation last seen in each stage's row (`apiId\u0001stage`). */
  private readonly generations = new BoundedMap<string, number>(MAX_STAGES);

  constructor(
    private readonly services: ServiceCaller,
    private readonly clock: Clock,
  ) {}

  async authorize(request: LambdaAuthorization): Promise<AuthorizerOutcome> {
    if (!request.identity) return { kind: 'unauthorized' };
    let answer = this.cached(request.cacheKey);
    if (!answer) {
      const called = await this.ask(request);
      if ('kind' in called) return called;
      answer = called;
      if (request.ttlSeconds > 0) {
        this.cache.set(request.cacheKey, { expiresAt: this.clock.now() + request.ttlSeconds * 1000, answer });
      }
    }
    const decision = decisionOf(answer, request.methodArn);
    if (decision === undefined) return { kind: 'error', reason: 'the authorizer answered no policy' };
    if (decision !== 'allow') return { kind: 'forbidden', explicit: decision === 'explicit-deny' };
    return {
      kind: 'allow',
      context: {
        ...(answer.principalId !== undefined ? { principalId: answer.principalId } : {}),
        ...answer.context,
      },
      ...(answer.usageIdentifierKey !== undefined ? { usageIdentifierKey: answer.usageIdentifierKey } : {}),
    };
  }

  private cached(key: string): Answer | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.cache.delete(key);
      return undefined;
    }
    return entry.answer;
  }

  /** Calls the function, past the cache (TestInvokeAuthorizer asks this way too). */
  async ask(request: LambdaAuthorization): Promise<Answer | AuthorizerOutcome> {
    const outcome = await invokeFunction(
      this.services,
      request.functionName,
      request.event,
      request.at,
      10_000,
    );
    if (outcome.kind === 'function-error') {
      // A function that fails with the message `Unauthorized` refuses the caller (401).
      const message = (JSON.parse(outcome.payload.toString('utf8') || '{}') as { errorMessage?: string })
        .errorMessage;
      return message === 'Unauthorized'
        ? { kind: 'unauthorized' }
        : { kind: 'error', reason: `the authorizer failed: ${message}` };
    }
    if (outcome.kind !== 'result')
      return { kind: 'error', reason: `the authorizer could not run (${outcome.kind})` };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(outcome.payload.toString('utf8')) as Record<string, unknown>;
    } catch {
      return { kind: 'error', reason: 'the authorizer answered no JSON' };
    }
    if (body === null || typeof body !== 'object')
      return { kind: 'error', reason: 'the authorizer answered no object' };
    const context =
      body['context'] && typeof body['context'] === 'object'
        ? (body['context'] as Record<string, unknown>)
        : {};
    if (request.simpleResponses && typeof body['isAuthorized'] === 'boolean') {
      return { simple: body['isAuthorized'], context };
    }
    return {
      policy: body['policyDocument'],
      principalId: body['principalId'],
      context,
      ...(typeof body['usageIdentifierKey'] === 'string'
        ? { usageIdentifierKey: body['usageIdentifierKey'] }
        : {}),
    };
  }

  /**
   * Called with the stage row's authorizer cache generation before a call is authorized: a
   * generation other than the one last seen means the stage's cache was flushed (through any
   * node), so its cached answers go. Cache keys start with `apiId`, `stage`.
   */
  observeFlushes(apiId: string, stage: string, generation: number): void {
    const stageKey = `${apiId}\u0001${stage}`;
    const seen = this.generations.get(stageKey);
    if (seen === generation) return;
    this.generations.set(stageKey, generation);
    // A stage never flushed has nothing stale to drop.
    if (seen === undefined && generation === 0) return;
    const prefix = `${stageKey}\u0001`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  /** Forgets every cached answer (a reset). */
  forget(): void {
    this.cache.clear();
    this.generations.clear();
  }
}
