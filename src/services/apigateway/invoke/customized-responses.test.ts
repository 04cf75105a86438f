import { describe, expect, it } from 'vitest';
import type { GatewayResponse } from '@aws-sdk/client-api-gateway';
import type { RestSnapshot } from '../deployments.js';
import type { ApiCall, RouteMatch } from './api-call.js';
import { CustomizedResponses } from './customized-responses.js';
import {
  badRequestBody,
  endpointTimedOut,
  forbidden,
  internalServerError,
  missingAuthenticationToken,
} from './gateway-responses.js';

const route: RouteMatch = {
  resourcePath: '/pets',
  resourceId: 'r1',
  pathParameters: {},
  stageVariables: { env: 'dev' },
};

const call: ApiCall = {
  requestId: 'req-1',
  extendedRequestId: 'ext',
  apiId: 'api1',
  accountId: '000000000000',
  region: 'us-east-1',
  stage: 'test',
  method: 'GET',
  rawPath: '/nowhere',
  rawQueryString: 'q=1',
  headers: [['Origin', 'https://example.com']],
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  domainName: 'api1.execute-api.localhost',
  receivedAt: 0,
  protocol: 'HTTP/1.1',
};

const responsesOf = (gatewayResponses: GatewayResponse[]) =>
  new CustomizedResponses({
    api: { id: 'api1', createdDate: 0, openApiDefinitions: { gatewayResponses } },
    resources: [],
  } as unknown as RestSnapshot);

describe('customized gateway responses', () => {
  it('leave every answer alone on an API that customizes nothing', () => {
    const answer = missingAuthenticationToken('req-1');
    expect(responsesOf([]).apply(answer, call, route)).toBe(answer);
  });

  it("set the type's status code, headers and body from its template", () => {
    const responses = responsesOf([
      {
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.origin',
          'gatewayresponse.header.X-Static': "'yes'",
          'gatewayresponse.header.X-Env': 'stageVariables.env',
          'gatewayresponse.header.X-Query': 'method.request.querystring.q',
        },
        responseTemplates: {
          'application/json':
            '{"error":$context.error.messageString,"type":"$context.error.responseType","id":"$context.requestId","env":"$stageVariables.env"}',
        },
      },
    ]);
    const answer = responses.apply(missingAuthenticationToken('req-1'), call, route);
    expect(answer.status).toBe(404);
    expect(answer.headers).toMatchObject({
      'content-type': 'application/json',
      'access-control-allow-origin': 'https://example.com',
      'x-static': 'yes',
      'x-env': 'dev',
      'x-query': '1',
      'x-amzn-errortype': 'MissingAuthenticationTokenException',
    });
    expect(JSON.parse(answer.body as string)).toEqual({
      error: 'Missing Authentication Token',
      type: 'MISSING_AUTHENTICATION_TOKEN',
      id: 'req-1',
      env: 'dev',
    });
  });

  it('fall back to DEFAULT_4XX and DEFAULT_5XX, keeping the body when they have no template', () => {
    const responses = responsesOf([
      { responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.X-Cors': "'*'" } },
      {
        responseType: 'DEFAULT_5XX',
        statusCode: '599',
        responseTemplates: { 'text/plain': '$context.error.message' },
      },
    ]);
    const body = responses.apply(badRequestBody('req-1', ["/ must have required property 'a'"]), call, route);
    expect(body.status).toBe(400);
    expect(body.headers['x-cors']).toBe('*');
    expect(body.body).toBe('{"message":"Invalid request body"}');

    const failed = responses.apply(internalServerError('req-1', 502), call, route);
    expect(failed.status).toBe(599);
    expect(failed.headers['content-type']).toBe('text/plain');
    expect(failed.body).toBe('Internal server error');
    expect(responses.apply(endpointTimedOut('req-1'), call, route).body).toBe('Endpoint request timed out');
  });

  it('tell why a body failed in $context.error.validationErrorString', () => {
    const responses = responsesOf([
      {
        responseType: 'BAD_REQUEST_BODY',
        responseTemplates: { 'application/json': '{"why":"$context.error.validationErrorString"}' },
      },
    ]);
    const answer = responses.apply(badRequestBody('req-1', ['/name must be string']), call, route);
    expect(JSON.parse(answer.body as string)).toEqual({ why: '[/name must be string]' });
  });

  it('leave answers alone that carry no type (an unknown stage)', () => {
    const responses = responsesOf([{ responseType: 'DEFAULT_4XX', statusCode: '418' }]);
    const answer = forbidden('req-1');
    expect(responses.apply(answer, call, route)).toBe(answer);
  });
});
