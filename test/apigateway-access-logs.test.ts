/**
 * API Gateway access logs through the AWS SDK: the account's CloudWatch Logs role (GetAccount,
 * UpdateAccount), REST stages' `/accessLogSettings` patch operations, HTTP and WebSocket stages'
 * AccessLogSettings and DeleteAccessLogSettings, and the lines calls write to the destination log
 * group — read through CloudWatch Logs right after each call, which waits for the write-behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  BadRequestException,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand as CreateRestStageCommand,
  GetAccountCommand,
  GetStageCommand as GetRestStageCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateAccountCommand,
  UpdateStageCommand as UpdateRestStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  BadRequestException as V2BadRequestException,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteAccessLogSettingsCommand,
  GetStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { httpCall } from './support/http.js';
import { createFunction, eventually } from './support/lambda.js';
import { rejection } from './support/rejection.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { connectWebSocket } from './support/websocket.js';

const hello = `export const handler = async () => ({ statusCode: 200, body: 'hello' });`;

const ROLE = 'arn:aws:iam::000000000000:role/apigateway-cloudwatch';

/** Many of REST's variables, as a JSON line. */
const JSON_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  userAgent: '$context.identity.userAgent',
  requestTime: '$context.requestTime',
  requestTimeEpoch: '$context.requestTimeEpoch',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integration: '$context.integration.status',
  errorMessage: '$context.error.message',
  responseType: '$context.error.responseType',
  stage: '$context.stage',
  apiId: '$context.apiId',
  accountId: '$context.accountId',
});

/** AWS's Common Log Format example. */
const CLF_FORMAT =
  '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] ' +
  '"$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId';

const lambdaUri = (functionArn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

describe('API Gateway access logs', () => {
  let stratus: TestStratus;
  let apigateway: APIGatewayClient;
  let v2: ApiGatewayV2Client;
  let logs: CloudWatchLogsClient;
  let lambda: LambdaClient;
  let functionArn: string;

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new APIGatewayClient(stratus.clientConfig);
    v2 = new ApiGatewayV2Client(stratus.clientConfig);
    logs = new CloudWatchLogsClient(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    functionArn = (await createFunction(lambda, 'hello', { 'index.mjs': hello })).FunctionArn!;
  });
  afterAll(async () => {
    for (const client of [apigateway, v2, logs, lambda]) client?.destroy();
    await stratus?.close();
  });

  /** A new log group's ARN as CloudWatch Logs describes it (ending in `:*`). */
  async function logGroup(name: string): Promise<string> {
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    return logGroups![0]!.arn!;
  }

  /** Every line in the group, oldest first. */
  async function lines(logGroupName: string): Promise<string[]> {
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName }));
    return events!.map((e) => e.message!);
  }

  /** A REST API with `GET /hello` on the function, deployed to `prod`. */
  async function restApi(name: string) {
    const api = await apigateway.send(new CreateRestApiCommand({ name }));
    const restApiId = api.id!;
    const { id: resourceId } = await apigateway.send(
      new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'hello' }),
    );
    await apigateway.send(
      new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }),
    );
    await apigateway.send(
      new PutIntegrationCommand({
        restApiId,
        resourceId,
        httpMethod: 'GET',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: lambdaUri(functionArn),
      }),
    );
    const { id: deploymentId } = await apigateway.send(
      new CreateDeploymentCommand({ restApiId, stageName: 'prod' }),
    );
    return { restApiId, deploymentId: deploymentId! };
  }

  const logTo = (restApiId: string, stageName: string, destinationArn: string, format: string) =>
    apigateway.send(
      new UpdateRestStageCommand({
        restApiId,
        stageName,
        patchOperations: [
          { op: 'replace', path: '/accessLogSettings/destinationArn', value: destinationArn },
          { op: 'replace', path: '/accessLogSettings/format', value: format },
        ],
      }),
    );

  const invoke = (restApiId: string, path: string) =>
    httpCall(`http://127.0.0.1:${stratus.port}${path}`, {
      headers: { host: `${restApiId}.execute-api.localhost:${stratus.port}`, 'user-agent': 'tests/1.0' },
    });

  it('needs the account CloudWatch Logs role before REST and WebSocket stages log; HTTP APIs do not', async () => {
    const account = await apigateway.send(new GetAccountCommand({}));
    expect(account.cloudwatchRoleArn).toBeUndefined();
    expect(account.throttleSettings).toEqual({ burstLimit: 5000, rateLimit: 10000 });

    const destination = await logGroup('/access/no-role');
    const { restApiId } = await restApi('no-role');
    const refused = await rejection(logTo(restApiId, 'prod', destination, '$context.requestId'));
    expect(refused).toBeInstanceOf(BadRequestException);
    expect(refused.message).toBe(
      'CloudWatch Logs role ARN must be set in account settings to enable logging',
    );

    const { ApiId: webSocketApi } = await v2.send(
      new CreateApiCommand({
        Name: 'no-role',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      }),
    );
    await expect(
      v2.send(
        new CreateStageCommand({
          ApiId: webSocketApi,
          StageName: 'dev',
          AccessLogSettings: { DestinationArn: destination, Format: '$context.requestId' },
        }),
      ),
    ).rejects.toThrow('CloudWatch Logs role ARN must be set in account settings to enable logging');

    const { ApiId: httpApi } = await v2.send(
      new CreateApiCommand({ Name: 'no-role', ProtocolType: 'HTTP', Target: functionArn }),
    );
    const stage = await v2.send(
      new UpdateStageCommand({
        ApiId: httpApi,
        StageName: '$default',
        AccessLogSettings: { DestinationArn: destination, Format: '$context.requestId' },
      }),
    );
    expect(stage.AccessLogSettings).toEqual({
      DestinationArn: destination.replace(/:\*$/, ''),
      Format: '$context.requestId',
    });

    const wrongRole = await rejection(
      apigateway.send(
        new UpdateAccountCommand({
          patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: 'not-a-role' }],
        }),
      ),
    );
    expect(wrongRole).toBeInstanceOf(BadRequestException);
    expect(wrongRole.message).toBe(
      'The role ARN does not have required permissions configured. Please grant trust permission for API Gateway and add the required role policy.',
    );
    const updated = await apigateway.send(
      new UpdateAccountCommand({
        patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: ROLE }],
      }),
    );
    expect(updated.cloudwatchRoleArn).toBe(ROLE);
    expect((await apigateway.send(new GetAccountCommand({}))).cloudwatchRoleArn).toBe(ROLE);
  });

  it('refuses a destination that is not a log group ARN and a format without $context.requestId', async () => {
    const { restApiId } = await restApi('validation');
    const attempt = (path: string, value: string) =>
      rejection(
        apigateway.send(
          new UpdateRestStageCommand({
            restApiId,
            stageName: 'prod',
            patchOperations: [{ op: 'replace', path, value }],
          }),
        ),
      );
    const notArn = await attempt('/accessLogSettings/destinationArn', 'my-log-group');
    expect(notArn).toBeInstanceOf(BadRequestException);
    expect(notArn.message).toBe(
      "Invalid ARN specified in the request. ARNs must start with 'arn:': my-log-group",
    );
    const queue = await attempt('/accessLogSettings/destinationArn', 'arn:aws:sqs:us-east-1:000000000000:q');
    expect(queue.message).toBe(
      'Invalid ARN specified in the request. The ARN must be a valid CloudWatch Logs log group or Kinesis Data Firehose delivery stream ARN.',
    );
    const noRequestId = await attempt('/accessLogSettings/format', '$context.status $context.path');
    expect(noRequestId).toBeInstanceOf(BadRequestException);
    expect(noRequestId.message).toBe(
      "Access Log format must include either $context.requestId or $context.extendedRequestId : '$context.status $context.path'",
    );
    const badPath = await attempt('/accessLogSettings/level', 'INFO');
    expect(badPath.message).toBe(
      'Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, /accessLogSettings/format]',
    );
  });

  it('writes a JSON line per REST call, refusals included, which a read right after the call sees', async () => {
    const destination = await logGroup('/access/rest-json');
    const { restApiId } = await restApi('rest-json');
    const stage = await logTo(restApiId, 'prod', destination, JSON_FORMAT);
    expect(stage.accessLogSettings).toEqual({
      destinationArn: destination.replace(/:\*$/, ''),
      format: JSON_FORMAT,
    });
    expect(
      (await apigateway.send(new GetRestStageCommand({ restApiId, stageName: 'prod' }))).accessLogSettings,
    ).toEqual(stage.accessLogSettings);

    const served = await invoke(restApiId, '/prod/hello?x=1');
    expect(served.status).toBe(200);
    // No waiting: the read waits for the line written behind the answer.
    const [line] = await lines('/access/rest-json');
    const logged = JSON.parse(line!) as Record<string, string>;
    expect(logged).toMatchObject({
      requestId: served.headers['x-amzn-requestid'],
      extendedRequestId: served.headers['x-amz-apigw-id'],
      ip: '127.0.0.1',
      caller: '-',
      userAgent: 'tests/1.0',
      httpMethod: 'GET',
      resourcePath: '/hello',
      path: '/prod/hello',
      status: '200',
      protocol: 'HTTP/1.1',
      responseLength: '5',
      integrationStatus: '200',
      integration: '200',
      errorMessage: '-',
      responseType: '-',
      stage: 'prod',
      apiId: restApiId,
      accountId: '000000000000',
    });
    expect(logged['requestTime']).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    expect(Number(logged['requestTimeEpoch'])).toBeGreaterThan(1_600_000_000_000);
    expect(Number(logged['integrationLatency'])).toBeLessThanOrEqual(Number(logged['responseLatency']));

    const refused = await invoke(restApiId, '/prod/nothing-here');
    expect(refused.status).toBe(403);
    const lastLine = (await lines('/access/rest-json')).at(-1)!;
    expect(JSON.parse(lastLine)).toMatchObject({
      requestId: refused.headers['x-amzn-requestid'],
      status: '403',
      resourcePath: '-',
      integrationLatency: '-',
      integrationStatus: '-',
      errorMessage: 'Missing Authentication Token',
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
    });

    const { logStreams } = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: '/access/rest-json' }),
    );
    expect(logStreams!.map((s) => s.logStreamName)).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);

    await apigateway.send(
      new UpdateRestStageCommand({
        restApiId,
        stageName: 'prod',
        patchOperations: [{ op: 'remove', path: '/accessLogSettings' }],
      }),
    );
    expect((await invoke(restApiId, '/prod/hello')).status).toBe(200);
    expect(await lines('/access/rest-json')).toHaveLength(2);
  });

  it('writes Common Log Format lines, and only to a log group that exists', async () => {
    const { restApiId, deploymentId } = await restApi('rest-clf');
    await apigateway.send(new CreateRestStageCommand({ restApiId, stageName: 'clf', deploymentId }));
    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:/access/rest-clf';
    await logTo(restApiId, 'clf', arn, CLF_FORMAT);

    // As on AWS, API Gateway does not create the destination: without it, lines are dropped.
    expect((await invoke(restApiId, '/clf/hello')).status).toBe(200);
    await expect(lines('/access/rest-clf')).rejects.toThrow('The specified log group does not exist.');

    await logGroup('/access/rest-clf');
    const served = await invoke(restApiId, '/clf/hello');
    expect(await lines('/access/rest-clf')).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^127\.0\.0\.1 - - \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /hello HTTP/1\.1" 200 5 ` +
            `${served.headers['x-amzn-requestid'] as string}$`,
        ),
      ),
    ]);
  });

  it("writes an HTTP API's lines with HTTP's variables until DeleteAccessLogSettings", async () => {
    const destination = await logGroup('/access/http');
    const { ApiId } = await v2.send(
      new CreateApiCommand({ Name: 'http-logs', ProtocolType: 'HTTP', Target: functionArn }),
    );
    const format =
      '{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status",' +
      '"integrationStatus":"$context.integrationStatus","path":"$context.path","stage":"$context.stage"}';

    const unsupported = await rejection(
      v2.send(
        new UpdateStageCommand({
          ApiId,
          StageName: '$default',
          AccessLogSettings: {
            DestinationArn: destination,
            Format: '$context.requestId $context.resourceId',
          },
        }),
      ),
    );
    expect(unsupported).toBeInstanceOf(V2BadRequestException);
    expect(unsupported.message).toBe(
      'The following context variables are not supported: [$context.resourceId]',
    );
    await expect(
      v2.send(
        new UpdateStageCommand({
          ApiId,
          StageName: '$default',
          AccessLogSettings: { DestinationArn: destination },
        }),
      ),
    ).rejects.toThrow('Access Log value missing. Expected destinationArn and format.');

    await v2.send(
      new UpdateStageCommand({
        ApiId,
        StageName: '$default',
        AccessLogSettings: { DestinationArn: destination, Format: format },
      }),
    );
    const served = await invoke(ApiId!, '/anything/here');
    expect(served.status).toBe(200);
    expect((await lines('/access/http')).map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        requestId: served.headers['apigw-requestid'],
        routeKey: '$default',
        status: '200',
        integrationStatus: '200',
        path: '/anything/here',
        stage: '$default',
      },
    ]);

    await v2.send(new DeleteAccessLogSettingsCommand({ ApiId, StageName: '$default' }));
    expect(
      (await v2.send(new GetStageCommand({ ApiId, StageName: '$default' }))).AccessLogSettings,
    ).toBeUndefined();
    expect((await invoke(ApiId!, '/anything/here')).status).toBe(200);
    expect(await lines('/access/http')).toHaveLength(1);
    await expect(v2.send(new DeleteAccessLogSettingsCommand({ ApiId, StageName: 'nope' }))).rejects.toThrow(
      'Invalid stage identifier specified nope',
    );
  });

  it("writes a WebSocket API's connect, message and disconnect with WebSocket's variables", async () => {
    const destination = await logGroup('/access/websocket');
    const { ApiId } = await v2.send(
      new CreateApiCommand({
        Name: 'ws-logs',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      }),
    );
    const { IntegrationId } = await v2.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'MOCK' }));
    await v2.send(
      new CreateRouteCommand({ ApiId, RouteKey: 'ping', Target: `integrations/${IntegrationId}` }),
    );
    await v2.send(
      new CreateStageCommand({
        ApiId,
        StageName: 'dev',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: destination,
          Format:
            '$context.eventType $context.routeKey $context.status $context.connectionId $context.messageId ' +
            '$context.requestId $context.error.message',
        },
      }),
    );
    const client = await connectWebSocket(`ws://127.0.0.1:${stratus.port}/_aws/execute-api/${ApiId}/dev`);
    client.send(JSON.stringify({ action: 'ping' }));
    client.send(JSON.stringify({ action: 'unknown' }));
    const forbidden = JSON.parse(await client.next()) as { connectionId: string; requestId: string };
    await client.close();

    const logged = await eventually(
      () => lines('/access/websocket'),
      (found) => found.length === 4,
    );
    const id = forbidden.connectionId;
    const word = '[A-Za-z0-9_=-]+';
    // The two messages are served side by side: their lines may come in either order.
    expect(logged[0]).toMatch(new RegExp(`^CONNECT \\$connect 200 ${id} - ${word} -$`));
    expect(logged.slice(1, 3)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^MESSAGE ping 200 ${id} ${word} ${word} -$`)),
        `MESSAGE - 403 ${id} - ${forbidden.requestId} Forbidden`,
      ]),
    );
    expect(logged[3]).toMatch(new RegExp(`^DISCONNECT \\$disconnect 200 ${id} - ${word} -$`));
  });
});
