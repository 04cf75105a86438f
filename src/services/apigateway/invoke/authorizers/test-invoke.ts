/**
 * TestInvokeAuthorizer: a REST API's authorizer run on a made-up request (`headers`,
 * `multiValueHeaders`, `pathWithQueryString`, `body`, `stageVariables`), as the console's "Test"
 * button runs it. A Lambda authorizer is called past the cache and its answer returned as it
 * came (`principalId`, `policy` as JSON); a Cognito authorizer checks an ID token and returns its
 * claims. `clientStatus` is what a caller would have got: 200, 401 for a missing or refused
 * identity, 500 for a broken authorizer.
 *
 * Differences from AWS: the request is a `GET`, made at stage `test-invoke-stage`; the log is a
 * short account of what happened, not API Gateway's execution log.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Clock } from '../../../../engine/clock.js';
import type { RequestContext } from '../../../service.js';
import type { RestAuthorizers } from '../../authorizers.js';
import type { ApiCall, RouteMatch } from '../api-call.js';
import { lastHeader } from '../request-parts.js';
import { requestParts } from '../rest-integrations.js';
import { testInvokeCall } from '../test-invoke-call.js';
import { restLambdaAuthorization, type Authorizers } from './authorize.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

export class AuthorizerTests {
  constructor(
    private readonly stored: RestAuthorizers,
    private readonly authorizers: Authorizers,
    private readonly clock: Clock,
  ) {}

  async run(
    input: APIGW.TestInvokeAuthorizerRequest,
    at: Place,
  ): Promise<APIGW.TestInvokeAuthorizerResponse> {
    const authorizer = await this.stored.get(input, at);
    const began = performance.now();
    const call = testInvokeCall(input, 'GET', '/', at, this.clock.now());
    const log = [
      `Execution log for request ${call.requestId}`,
      `${new Date(call.receivedAt).toUTCString()} : Starting authorizer: ${authorizer.id} for request: ${call.requestId}`,
    ];
    const answer = await this.answer(authorizer, call, input.stageVariables ?? {}, log);
    log.push(`${new Date(this.clock.now()).toUTCString()} : Client status: ${answer.clientStatus}`);
    return { ...answer, log: log.join('\n'), latency: Math.round(performance.now() - began) };
  }

  private async answer(
    authorizer: APIGW.Authorizer,
    call: ApiCall,
    stageVariables: Record<string, string>,
    log: string[],
  ): Promise<APIGW.TestInvokeAuthorizerResponse> {
    const header = (authorizer.identitySource ?? '').replace(/^method\.request\.header\./, '');
    if (authorizer.type === 'COGNITO_USER_POOLS') {
      const outcome = await this.authorizers.cognito.authorize({
        token: lastHeader(call.headers, header),
        providerArns: authorizer.providerARNs ?? [],
        scopes: [],
        audiencePattern: authorizer.identityValidationExpression,
      });
      if (outcome.kind !== 'allow') {
        log.push(`Unauthorized request: ${call.requestId}`);
        return { clientStatus: 401 };
      }
      return { clientStatus: 200, claims: outcome.context['claims'] as Record<string, string> };
    }
    const route: RouteMatch = {
      resourcePath: call.rawPath,
      resourceId: '',
      pathParameters: {},
      stageVariables,
    };
    const asked = restLambdaAuthorization(authorizer, call, route, requestParts(call, route));
    if ('kind' in asked) {
      log.push(`Execution failed due to configuration error: ${asked.reason}`);
      return { clientStatus: 500 };
    }
    if (!asked.identity) {
      log.push(`Unauthorized request: ${call.requestId} (the identity source is missing or invalid)`);
      return { clientStatus: 401 };
    }
    log.push(`Calling the authorizer function ${asked.functionName}`);
    const answer = await this.authorizers.lambda.ask(asked);
    if ('kind' in answer) {
      if (answer.kind === 'error') log.push(`Execution failed due to configuration error: ${answer.reason}`);
      return { clientStatus: answer.kind === 'unauthorized' ? 401 : 500 };
    }
    if (answer.policy === undefined) {
      log.push('Execution failed due to configuration error: the authorizer answered no policy');
      return { clientStatus: 500 };
    }
    return {
      clientStatus: 200,
      ...(answer.principalId !== undefined ? { principalId: String(answer.principalId) } : {}),
      policy: JSON.stringify(answer.policy),
    };
  }
}
