/**
 * Scenario 3 — a contact form, end to end: an HTTP API `POST /contact` with CORS for the site's
 * origin in front of a Node.js function that validates the form (400 with a message when `email`
 * is missing), saves the submission in DynamoDB and publishes it to an SNS topic whose confirmed
 * email subscription delivers it through Stratus's SES outbox, where the test reads it back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { createFunction, eventually } from './support/lambda.js';
import { httpCall } from './support/http.js';
import { outboxMessages } from './support/outbox.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const site = 'https://www.example.org';
const owner = 'owner@example.org';

const contactFunction = `
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';
import { randomUUID } from 'node:crypto';
const dynamodb = new DynamoDBClient({});
const sns = new SNSClient({});

export const handler = async (event) => {
  let form;
  try {
    form = JSON.parse(event.body ?? '{}');
  } catch {
    return { statusCode: 400, body: JSON.stringify({ message: 'The form is not JSON' }) };
  }
  if (!form.email) return { statusCode: 400, body: JSON.stringify({ message: 'email is required' }) };
  const id = randomUUID();
  await dynamodb.send(new PutItemCommand({
    TableName: 'Submissions',
    Item: { id: { S: id }, email: { S: form.email }, message: { S: form.message ?? '' } },
  }));
  await sns.send(new PublishCommand({
    TopicArn: process.env.TOPIC_ARN,
    Subject: 'New contact from ' + form.email,
    Message: form.message ?? '',
  }));
  return { statusCode: 201, body: JSON.stringify({ id }) };
};`;

describe('scenario 3: contact form', () => {
  let stratus: TestStratus;
  let apigateway: ApiGatewayV2Client;
  let lambda: LambdaClient;
  let dynamodb: DynamoDBClient;
  let sns: SNSClient;
  let contactUrl: string;

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new ApiGatewayV2Client(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    dynamodb = new DynamoDBClient(stratus.clientConfig);
    sns = new SNSClient(stratus.clientConfig);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'Submissions',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'contact-submissions' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: owner }));
    // The owner confirms the subscription from the confirmation mail's link.
    const confirmation = await eventually(
      async () => (await outboxMessages(stratus.url, { to: owner }))[0],
      (mail) => mail !== undefined,
    );
    const link = /(http:\/\/\S+Action=ConfirmSubscription\S+)/.exec(confirmation!.text!)![1]!;
    expect((await fetch(link)).status).toBe(200);

    const { FunctionArn } = await createFunction(
      lambda,
      'contact',
      { 'index.mjs': contactFunction },
      { Environment: { TOPIC_ARN: TopicArn! } },
    );
    const { ApiId } = await apigateway.send(
      new CreateApiCommand({
        Name: 'contact-form',
        ProtocolType: 'HTTP',
        CorsConfiguration: { AllowOrigins: [site], AllowMethods: ['POST'], AllowHeaders: ['content-type'] },
      }),
    );
    const { IntegrationId } = await apigateway.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: FunctionArn,
        PayloadFormatVersion: '2.0',
      }),
    );
    await apigateway.send(
      new CreateRouteCommand({ ApiId, RouteKey: 'POST /contact', Target: `integrations/${IntegrationId}` }),
    );
    await apigateway.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
    contactUrl = `${stratus.url}/_aws/execute-api/${ApiId}/contact`;
  });
  afterAll(async () => {
    for (const client of [apigateway, lambda, dynamodb, sns]) client?.destroy();
    await stratus?.close();
  });

  const post = (form: unknown) =>
    httpCall(contactUrl, {
      method: 'POST',
      headers: { origin: site, 'content-type': 'application/json' },
      body: JSON.stringify(form),
    });

  it('lets the site’s origin through CORS', async () => {
    const preflight = await httpCall(contactUrl, {
      method: 'OPTIONS',
      headers: {
        origin: site,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(site);
    expect(preflight.headers['access-control-allow-methods']).toBe('POST');
  });

  it('refuses a form without an email with a 400 and a message', async () => {
    const refused = await post({ message: 'hello' });
    expect(refused.status).toBe(400);
    expect(refused.json()).toEqual({ message: 'email is required' });
    expect(refused.headers['access-control-allow-origin']).toBe(site);
  });

  it('saves a submission and mails it to the owner through SNS and SES', async () => {
    const sent = await post({ email: 'visitor@example.com', message: 'I would like a quote.' });
    expect(sent.status).toBe(201);
    const { id } = sent.json<{ id: string }>();
    const saved = await dynamodb.send(new ScanCommand({ TableName: 'Submissions' }));
    expect(saved.Items).toEqual([
      { id: { S: id }, email: { S: 'visitor@example.com' }, message: { S: 'I would like a quote.' } },
    ]);
    const mail = await eventually(
      async () =>
        (await outboxMessages(stratus.url, { to: owner })).find(
          (m) => m.subject === 'New contact from visitor@example.com',
        ),
      (found) => found !== undefined,
    );
    expect(mail!.text).toContain('I would like a quote.');
  });
});
