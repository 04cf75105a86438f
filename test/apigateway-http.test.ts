/**
 * HTTP APIs (API Gateway v2) through the AWS SDK — quick create, routes, integrations, stages
 * with auto-deploy, CORS — and their deployed form over plain HTTP in front of real functions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiGatewayV2Client,
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteRouteCommand,
  GetApiCommand,
  GetRoutesCommand,
  GetStagesCommand,
  NotFoundException,
  UpdateApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createFunction } from './support/lambda.js';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

/** Answers with the event, or with a bare value (payload 2.0's inferred response), or throws. */
const echo = `
export const handler = async (event) => {
  const mode = event.queryStringParameters?.mode ?? event.multiValueQueryStringParameters?.mode?.[0];
  if (mode === 'throw') throw new Error('boom');
  if (mode === 'bare') return { hello: 'world' };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'access-control-allow-origin': 'https://evil.example' },
    cookies: ['session=abc', 'theme=dark'],
    body: JSON.stringify(event),
  };
};`;

describe('API Gateway HTTP APIs', () => {
  let stratus: TestStratus;
  let apigateway: ApiGatewayV2Client;
  let lambda: LambdaClient;
  let functionArn: string;

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new ApiGatewayV2Client(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    functionArn = (await createFunction(lambda, 'http-echo', { 'index.mjs': echo })).FunctionArn!;
  });
  afterAll(async () => {
    apigateway?.destroy();
    lambda?.destroy();
    await stratus?.close();
  });

  const hostCall = (apiId: string, path: string, options: Parameters<typeof httpCall>[1] = {}) =>
    httpCall(`http://127.0.0.1:${stratus.port}${path}`, {
      ...options,
      headers: { host: `${apiId}.execute-api.localhost:${stratus.port}`, ...options.headers },
    });

  it('quick-creates an API whose $default stage serves the function with payload 2.0', async () => {
    const api = await apigateway.send(
      new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: functionArn }),
    );
    expect(api).toMatchObject({
      Name: 'quick',
      ProtocolType: 'HTTP',
      RouteSelectionExpression: '$request.method $request.path',
      ApiEndpoint: `http://${api.ApiId}.execute-api.localhost:${stratus.port}`,
    });
    const routes = await apigateway.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    expect(routes.Items).toMatchObject([{ RouteKey: '$default', ApiGatewayManaged: true }]);
    const stages = await apigateway.send(new GetStagesCommand({ ApiId: api.ApiId }));
    expect(stages.Items).toMatchObject([{ StageName: '$default', AutoDeploy: true }]);

    const answer = await hostCall(api.ApiId!, '/orders/17?x=1&x=2', {
      method: 'POST',
      headers: { cookie: 'a=1; b=2', 'content-type': 'application/json' },
      body: '{"n":1}',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toEqual(['session=abc', 'theme=dark']);
    expect(answer.json()).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/orders/17',
      rawQueryString: 'x=1&x=2',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { x: '1,2' },
      body: '{"n":1}',
      isBase64Encoded: false,
      requestContext: { apiId: api.ApiId, stage: '$default', http: { method: 'POST', path: '/orders/17' } },
    });
    const bare = await hostCall(api.ApiId!, '/?mode=bare');
    expect(bare.json()).toEqual({ hello: 'world' });
    expect(bare.headers['content-type']).toBe('application/json');
    const failed = await hostCall(api.ApiId!, '/?mode=throw');
    expect(failed.status).toBe(500);
    expect(failed.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('routes to the most specific route of a named stage, and answers 404 where none matches', async () => {
    const { ApiId } = await apigateway.send(new CreateApiCommand({ Name: 'routes', ProtocolType: 'HTTP' }));
    const v2 = await apigateway.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: functionArn,
        PayloadFormatVersion: '2.0',
      }),
    );
    const v1 = await apigateway.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: functionArn,
        PayloadFormatVersion: '1.0',
      }),
    );
    await apigateway.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: 'GET /pets/{id}',
        Target: `integrations/${v2.IntegrationId}`,
      }),
    );
    await apigateway.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: 'GET /pets/mine',
        Target: `integrations/${v2.IntegrationId}`,
      }),
    );
    await apigateway.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: 'ANY /{proxy+}',
        Target: `integrations/${v1.IntegrationId}`,
      }),
    );
    await apigateway.send(new CreateStageCommand({ ApiId, StageName: 'prod', AutoDeploy: true }));

    const pet = (await hostCall(ApiId!, '/prod/pets/7')).json<Record<string, unknown>>();
    expect(pet).toMatchObject({
      routeKey: 'GET /pets/{id}',
      pathParameters: { id: '7' },
      rawPath: '/prod/pets/7',
    });
    expect((await hostCall(ApiId!, '/prod/pets/mine')).json()).toMatchObject({ routeKey: 'GET /pets/mine' });
    const other = (await hostCall(ApiId!, '/prod/a/b')).json<Record<string, unknown>>();
    expect(other).toMatchObject({ version: '1.0', resource: '/{proxy+}', pathParameters: { proxy: 'a/b' } });
    const byPath = await httpCall(`${stratus.url}/_aws/execute-api/${ApiId}/prod/pets/8`);
    expect(byPath.json()).toMatchObject({ pathParameters: { id: '8' } });

    expect((await hostCall(ApiId!, '/nostage/pets/1')).status).toBe(404);
    const routes = await apigateway.send(new GetRoutesCommand({ ApiId }));
    const proxy = routes.Items!.find((r) => r.RouteKey === 'ANY /{proxy+}')!;
    await apigateway.send(new DeleteRouteCommand({ ApiId, RouteId: proxy.RouteId }));
    const missing = await hostCall(ApiId!, '/prod/a/b');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ message: 'Not Found' });
  });

  it('answers CORS preflights itself and sets CORS headers for allowed origins only', async () => {
    const { ApiId } = await apigateway.send(
      new CreateApiCommand({
        Name: 'cors',
        ProtocolType: 'HTTP',
        Target: functionArn,
        CorsConfiguration: {
          AllowOrigins: ['https://shop.example'],
          AllowMethods: ['GET', 'POST'],
          AllowHeaders: ['content-type'],
          MaxAge: 300,
        },
      }),
    );
    const preflight = await hostCall(ApiId!, '/contact', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': 'https://shop.example',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '300',
    });
    const allowed = await hostCall(ApiId!, '/contact', { headers: { origin: 'https://shop.example' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    const refused = await hostCall(ApiId!, '/contact', { headers: { origin: 'https://evil.example' } });
    expect(refused.status).toBe(200);
    // The function's own CORS header does not get through: the configuration decides.
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();

    await apigateway.send(
      new UpdateApiCommand({ ApiId, CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['*'] } }),
    );
    const opened = await hostCall(ApiId!, '/contact', { headers: { origin: 'https://evil.example' } });
    expect(opened.headers['access-control-allow-origin']).toBe('*');
  });

  it('sends to SQS through a service integration whose parameters come from the request', async () => {
    const sqs = new SQSClient(stratus.clientConfig);
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'http-api-orders' }));
      const { ApiId } = await apigateway.send(new CreateApiCommand({ Name: 'to-sqs', ProtocolType: 'HTTP' }));
      const { IntegrationId } = await apigateway.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationSubtype: 'SQS-SendMessage',
          PayloadFormatVersion: '1.0',
          RequestParameters: {
            QueueUrl: '$stageVariables.queue',
            MessageBody: '$request.body',
            MessageGroupId: 'ignored-${request.path.id}',
          },
        }),
      );
      await apigateway.send(
        new CreateRouteCommand({
          ApiId,
          RouteKey: 'POST /orders/{id}',
          Target: `integrations/${IntegrationId}`,
        }),
      );
      await apigateway.send(
        new CreateStageCommand({
          ApiId,
          StageName: '$default',
          AutoDeploy: true,
          StageVariables: { queue: QueueUrl! },
        }),
      );
      const sent = await hostCall(ApiId!, '/orders/9', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"sku":"A-1"}',
      });
      expect(sent.status).toBe(200);
      expect(sent.json()).toMatchObject({ MessageId: expect.any(String) });
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      expect(received.Messages?.[0]?.Body).toBe('{"sku":"A-1"}');
    } finally {
      sqs.destroy();
    }
  });

  it('refuses what API Gateway refuses', async () => {
    const { ApiId } = await apigateway.send(new CreateApiCommand({ Name: 'errors', ProtocolType: 'HTTP' }));
    await expect(apigateway.send(new CreateRouteCommand({ ApiId, RouteKey: 'FETCH /x' }))).rejects.toThrow(
      BadRequestException,
    );
    await apigateway.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /x' }));
    await expect(apigateway.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /x' }))).rejects.toThrow(
      ConflictException,
    );
    await expect(
      apigateway.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /y', Target: 'integrations/nope12' })),
    ).rejects.toThrow(NotFoundException);
    await expect(
      apigateway.send(
        new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: functionArn }),
      ),
    ).rejects.toThrow(BadRequestException);
    await expect(apigateway.send(new CreateStageCommand({ ApiId, StageName: 'bad name' }))).rejects.toThrow(
      BadRequestException,
    );
    await apigateway.send(new CreateStageCommand({ ApiId, StageName: 'manual' }));
    const deployment = await apigateway.send(new CreateDeploymentCommand({ ApiId, StageName: 'manual' }));
    expect(deployment).toMatchObject({ DeploymentStatus: 'DEPLOYED', AutoDeployed: false });
    await apigateway.send(new DeleteApiCommand({ ApiId }));
    const gone = apigateway.send(new GetApiCommand({ ApiId }));
    await expect(gone).rejects.toThrow(NotFoundException);
    await expect(gone).rejects.toThrow(`Invalid API identifier specified 000000000000:${ApiId}`);
  });
});
