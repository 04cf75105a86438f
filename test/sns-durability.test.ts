import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  SetSubscriptionAttributesCommand,
} from '@aws-sdk/client-sns';
import { PostgresStore } from '../src/storage/postgres.js';
import { startServer } from './support/processes.js';
import { eventually, startRecordingEndpoint } from './support/sns-endpoint.js';
import { startTestStratus, testStoreUrl } from './support/stratus.js';

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

describe('SNS delivery durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-sns-durable-'));
  const storeUrl = testStoreUrl();

  afterAll(async () => {
    if (storeUrl) await (await PostgresStore.open({ url: storeUrl })).close({ dropSchema: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every message Publish acknowledged after Stratus is killed with SIGKILL and restarted', async () => {
    const endpoint = await startRecordingEndpoint();
    const { child, url } = await startServer('test/support/serve.ts', [dataDir, storeUrl ?? '']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const sns = new SNSClient(clientConfig(url));
    const notified = () =>
      new Set(
        endpoint.received
          .filter((r) => r.headers['x-amz-sns-message-type'] === 'Notification')
          .map((r) => (JSON.parse(r.body) as { Message: string }).Message),
      );
    try {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'durable' }));
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${endpoint.url}/hook` }));
      const confirmation = await eventually(() => endpoint.received[0], 'the confirmation');
      await fetch((JSON.parse(confirmation.body) as { SubscribeURL: string }).SubscribeURL);
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'http',
          Endpoint: `${endpoint.url}/hook`,
          ReturnSubscriptionArn: true,
        }),
      );
      const policy = { healthyRetryPolicy: { numRetries: 100, minDelayTarget: 1, maxDelayTarget: 1 } };
      await sns.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'DeliveryPolicy',
          AttributeValue: JSON.stringify(policy),
        }),
      );
      // The endpoint is down: every attempt fails and is retried a second later.
      endpoint.answerByDefault(503);
      for (let n = 0; n < 10; n++) await sns.send(new PublishCommand({ TopicArn, Message: `message ${n}` }));
      await eventually(() => notified().size > 0, 'a first failed attempt');
    } finally {
      child.kill('SIGKILL');
      sns.destroy();
    }
    await exited;
    endpoint.answerByDefault(200);
    const attemptsBefore = endpoint.received.length;

    const restarted = await startTestStratus({ dataDir, storeUrl });
    try {
      // Deliveries the killed server had leased come back once their lease expires (30 s).
      await eventually(
        () => {
          const ok = endpoint.received
            .slice(attemptsBefore)
            .map((r) => (JSON.parse(r.body) as { Message: string }).Message);
          return new Set(ok).size === 10;
        },
        'all ten messages delivered after the restart',
        90_000,
      );
      expect(endpoint.received.length).toBeGreaterThan(attemptsBefore);
    } finally {
      await restarted.stop();
      await endpoint.close();
    }
  }, 150_000);
});
