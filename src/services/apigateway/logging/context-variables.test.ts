import { describe, expect, it } from 'vitest';
import { renderAccessLog } from './access-log-format.js';
import { apiCallValues, isHttpVariable, webSocketValues, type ServedApiCall } from './context-variables.js';

const call: ServedApiCall['call'] = {
  requestId: '8f2a4c1e-0000-4000-8000-000000000001',
  extendedRequestId: 'Ab1CdEfGhIjKlM=',
  apiId: 'abcdef1234',
  accountId: '123456789012',
  region: 'us-east-1',
  method: 'POST',
  rawQueryString: 'a=1',
  headers: [
    ['Host', 'abcdef1234.execute-api.localhost:4566'],
    ['User-Agent', 'curl/8.0'],
  ],
  body: Buffer.alloc(0),
  sourceIp: '192.0.2.7',
  domainName: 'abcdef1234.execute-api.localhost:4566',
  receivedAt: Date.UTC(2024, 2, 4, 19, 15, 17, 250),
  protocol: 'HTTP/1.1',
};

function served(overrides: Partial<ServedApiCall>): ServedApiCall {
  return {
    kind: 'REST',
    call,
    path: '/prod/pets/7',
    trace: {
      stage: 'prod',
      deploymentId: 'dep123',
      resourcePath: '/pets/{id}',
      resourceId: 'res123',
      integration: { startedAt: 0, lambda: true },
    },
    status: 201,
    responseLength: 12,
    responseLatencyMs: 42.6,
    integrationLatencyMs: 30.2,
    error: undefined,
    ...overrides,
  };
}

const render = (format: string, values: ReturnType<typeof apiCallValues>) => renderAccessLog(format, values);

describe('the $context variables of a REST or HTTP call', () => {
  it('tells what the call was and how it was served', () => {
    const values = apiCallValues(served({}));
    expect(
      render(
        '$context.requestId $context.extendedRequestId $context.httpMethod $context.path $context.resourcePath ' +
          '$context.resourceId $context.deploymentId $context.stage $context.apiId $context.accountId',
        values,
      ),
    ).toBe(
      '8f2a4c1e-0000-4000-8000-000000000001 Ab1CdEfGhIjKlM= POST /prod/pets/7 /pets/{id} res123 dep123 prod abcdef1234 123456789012',
    );
    expect(
      render(
        '$context.identity.sourceIp $context.identity.userAgent $context.domainName $context.domainPrefix ' +
          '[$context.requestTime] $context.requestTimeEpoch $context.protocol',
        values,
      ),
    ).toBe(
      '192.0.2.7 curl/8.0 abcdef1234.execute-api.localhost:4566 abcdef1234 [04/Mar/2024:19:15:17 +0000] 1709579717250 HTTP/1.1',
    );
    expect(
      render(
        '$context.status $context.responseLength $context.responseLatency $context.integrationLatency ' +
          '$context.integration.latency $context.integrationStatus $context.integration.integrationStatus $context.integration.status',
        values,
      ),
    ).toBe('201 12 43 30 30 200 200 201');
  });

  it("tells API Gateway's own refusal, before any integration ran", () => {
    const values = apiCallValues(
      served({
        trace: { stage: 'prod' },
        status: 403,
        integrationLatencyMs: undefined,
        error: { message: 'Missing Authentication Token', responseType: 'MISSING_AUTHENTICATION_TOKEN' },
      }),
    );
    expect(
      render(
        '$context.status|$context.resourcePath|$context.integrationLatency|$context.integrationStatus|' +
          '$context.error.message|$context.error.messageString|$context.error.responseType',
        values,
      ),
    ).toBe(
      '403|-|-|-|Missing Authentication Token|"Missing Authentication Token"|MISSING_AUTHENTICATION_TOKEN',
    );
  });

  it("tells Lambda's 200 but no integration status when the function failed", () => {
    const values = apiCallValues(
      served({
        status: 502,
        error: { message: 'Internal server error', responseType: 'INTEGRATION_FAILURE' },
      }),
    );
    expect(render('$context.integrationStatus $context.integration.status', values)).toBe('200 -');
  });

  it("reads the authorizer's context and a JWT's claims", () => {
    const values = apiCallValues(
      served({
        trace: { stage: 'prod', authorizer: { principalId: 'me', tier: 3, claims: { sub: 'u-1' } } },
      }),
    );
    expect(
      render(
        '$context.authorizer.principalId $context.authorizer.tier $context.authorizer.claims.sub',
        values,
      ),
    ).toBe('me 3 u-1');
  });

  it("gives HTTP APIs' short request id and their route key", () => {
    const values = apiCallValues(
      served({ kind: 'HTTP', trace: { stage: '$default', resourcePath: 'ANY /{proxy+}' }, path: '/pets/7' }),
    );
    expect(render('$context.requestId $context.routeKey $context.resourcePath $context.path', values)).toBe(
      'Ab1CdEfGhIjKlM= ANY /{proxy+} - /pets/7',
    );
    expect(isHttpVariable('routeKey')).toBe(true);
    expect(isHttpVariable('authorizer.anything.at.all')).toBe(true);
    expect(isHttpVariable('resourceId')).toBe(false);
  });
});

describe('the $context variables of a WebSocket event', () => {
  it('tells the connection, the event and its route', () => {
    const values = webSocketValues({
      accountId: '123456789012',
      connection: {
        connectionId: 'K_7Ouc8XIAMCJmQ=',
        apiId: 'abcdef1234',
        stage: 'dev',
        domainName: 'abcdef1234.execute-api.localhost:4566',
        connectedAt: 1_709_579_700_000,
        sourceIp: '192.0.2.7',
        userAgent: 'wscat',
      },
      eventType: 'MESSAGE',
      routeKey: 'sendmessage',
      requestId: 'Lm8NpQ2rStUvWx=',
      messageId: 'Yz9AbCdEfGhIjK=',
      at: 1_709_579_717_250,
      status: 200,
      integrationLatencyMs: 8,
      lambda: true,
      error: undefined,
    });
    expect(
      renderAccessLog(
        '$context.eventType $context.routeKey $context.connectionId $context.messageId $context.requestId ' +
          '$context.extendedRequestId $context.connectedAt $context.status $context.integrationLatency ' +
          '$context.integrationStatus $context.identity.userAgent $context.httpMethod',
        values,
      ),
    ).toBe(
      'MESSAGE sendmessage K_7Ouc8XIAMCJmQ= Yz9AbCdEfGhIjK= Lm8NpQ2rStUvWx= Lm8NpQ2rStUvWx= 1709579700000 200 8 200 wscat -',
    );
  });
});
