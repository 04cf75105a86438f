import { describe, expect, it } from 'vitest';
import type { Method } from '@aws-sdk/client-api-gateway';
import type { RestSnapshot } from '../deployments.js';
import { modelUri } from '../model-schemas.js';
import type { ApiCall, RouteMatch } from './api-call.js';
import { refusalOf } from './gateway-responses.js';
import { missingParameters, modelFor, RequestValidation } from './request-validation.js';
import { requestParts } from './rest-integrations.js';

const route: RouteMatch = {
  resourcePath: '/pets/{id}',
  resourceId: 'r1',
  pathParameters: { id: '7' },
  stageVariables: {},
};

function call(parts: { query?: string; headers?: [string, string][]; body?: string }): ApiCall {
  return {
    requestId: 'req-1',
    extendedRequestId: 'ext',
    apiId: 'api1',
    accountId: '000000000000',
    region: 'us-east-1',
    stage: 'test',
    method: 'POST',
    rawPath: '/pets/7',
    rawQueryString: parts.query ?? '',
    headers: parts.headers ?? [],
    body: Buffer.from(parts.body ?? ''),
    sourceIp: '127.0.0.1',
    domainName: 'api1.execute-api.localhost',
    receivedAt: 0,
    protocol: 'HTTP/1.1',
  };
}

const snapshot = {
  api: {
    id: 'api1',
    createdDate: 0,
    openApiDefinitions: {
      requestValidators: [
        { id: 'all', validateRequestBody: true, validateRequestParameters: true },
        { id: 'params', validateRequestBody: false, validateRequestParameters: true },
      ],
      models: [
        {
          name: 'Pet',
          schema: JSON.stringify({
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, owner: { $ref: modelUri('api1', 'Owner') } },
          }),
        },
        { name: 'Owner', schema: JSON.stringify({ type: 'object', required: ['id'] }) },
      ],
    },
  },
  resources: [],
} as unknown as RestSnapshot;

const method: Method = {
  requestValidatorId: 'all',
  requestParameters: {
    'method.request.querystring.name': true,
    'method.request.header.X-Trace': true,
    'method.request.path.id': true,
    'method.request.querystring.optional': false,
  },
  requestModels: { 'application/json': 'Pet' },
};

describe('request validation', () => {
  it('names the required parameters missing or blank, in name order', () => {
    const missing = missingParameters(method, requestParts(call({ query: 'name=' }), route));
    expect(missing).toEqual(['X-Trace', 'name']);
    expect(
      missingParameters(method, requestParts(call({ query: 'name=a', headers: [['x-trace', '1']] }), route)),
    ).toEqual([]);
  });

  it('picks the model for the content type, else $default, else none', () => {
    expect(modelFor(method, 'application/json; charset=utf-8')).toBe('Pet');
    expect(modelFor(method, undefined)).toBe('Pet');
    expect(modelFor(method, 'text/plain')).toBeUndefined();
    expect(modelFor({ requestModels: { $default: 'Owner' } }, 'text/plain')).toBe('Owner');
  });

  it('refuses missing parameters first, then a body the model refuses', () => {
    const validation = new RequestValidation(snapshot);
    const good = { query: 'name=a', headers: [['X-Trace', '1']] as [string, string][] };
    const noParams = validation.check(method, call({ body: '{}' }), route)!;
    expect(noParams.status).toBe(400);
    expect(JSON.parse(noParams.body as string)).toEqual({
      message: 'Missing required request parameters: [X-Trace, name]',
    });
    expect(refusalOf(noParams)?.responseType).toBe('BAD_REQUEST_PARAMETERS');

    const badBody = validation.check(method, call({ ...good, body: '{"owner":{"id":1}}' }), route)!;
    expect(JSON.parse(badBody.body as string)).toEqual({ message: 'Invalid request body' });
    expect(refusalOf(badBody)).toMatchObject({
      responseType: 'BAD_REQUEST_BODY',
      validationErrorString: "[/ must have required property 'name']",
    });
    // References between models resolve within the deployment.
    expect(validation.check(method, call({ ...good, body: '{"name":"a","owner":{}}' }), route)).toBeDefined();
    expect(validation.check(method, call({ ...good, body: 'not json' }), route)).toBeDefined();
    expect(
      validation.check(method, call({ ...good, body: '{"name":"a","owner":{"id":1}}' }), route),
    ).toBeUndefined();
  });

  it('checks nothing for a method without a validator, or with one the deployment lacks', () => {
    const validation = new RequestValidation(snapshot);
    expect(validation.check({ ...method, requestValidatorId: undefined }, call({}), route)).toBeUndefined();
    expect(validation.check({ ...method, requestValidatorId: 'gone' }, call({}), route)).toBeUndefined();
    expect(
      validation.check(
        { ...method, requestValidatorId: 'params' },
        call({ query: 'name=a', headers: [['x-trace', '1']], body: 'x' }),
        route,
      ),
    ).toBeUndefined();
  });
});
