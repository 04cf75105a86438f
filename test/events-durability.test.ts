/**
 * A PutEvents that answered is delivered, even when Stratus is killed with SIGKILL right after:
 * the deliveries were written in the transaction that accepted the events, and a restarted
 * Stratus picks them up (those the killed one had leased, once their leases expire).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  EventBridgeClient,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { PostgresStore } from '../src/storage/postgres.js';
import { ruleWithTargets, startApiEndpoint } from './support/events.js';
import { startServer } from './support/processes.js';
import { eventually } from './support/sns-endpoint.js';
import { startTestStratus, testStoreUrl } from './support/stratus.js';

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

describe('EventBridge delivery durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-events-durable-'));
  const storeUrl = testStoreUrl();

  afterAll(async () => {
    if (storeUrl) await (await PostgresStore.open({ url: storeUrl })).close({ dropSchema: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every event PutEvents acknowledged after Stratus is killed with SIGKILL and restarted', async () => {
    const endpoint = await startApiEndpoint();
    const { child, url } = await startServer('test/support/serve.ts', [dataDir, storeUrl ?? '']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const eb = new EventBridgeClient(clientConfig(url));
    const ids: string[] = [];
    try {
      const { ConnectionArn } = await eb.send(
        new CreateConnectionCommand({
          Name: 'hook',
          AuthorizationType: 'API_KEY',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } },
        }),
      );
      const { ApiDestinationArn } = await eb.send(
        new CreateApiDestinationCommand({
          Name: 'hook',
          ConnectionArn,
          InvocationEndpoint: `${endpoint.url}/hook`,
          HttpMethod: 'POST',
        }),
      );
      await ruleWithTargets(eb, 'durable', { source: ['durable'] }, [{ Id: 'hook', Arn: ApiDestinationArn }]);
      // The endpoint is down: every attempt fails and is retried.
      endpoint.answer(() => ({ status: 503 }));
      for (let n = 0; n < 10; n++) {
        const { Entries } = await eb.send(
          new PutEventsCommand({ Entries: [{ Source: 'durable', DetailType: 'n', Detail: `{"n": ${n}}` }] }),
        );
        ids.push(Entries![0]!.EventId!);
      }
      await eventually(() => endpoint.received.length > 0, 'a first failed attempt');
    } finally {
      child.kill('SIGKILL');
      eb.destroy();
    }
    await exited;
    endpoint.answer(() => ({ status: 200 }));
    const attemptsBefore = endpoint.received.length;

    const restarted = await startTestStratus({ dataDir, storeUrl });
    try {
      // Requests since the restart, all answered 200: deliveries.
      const delivered = () =>
        new Set(
          endpoint.received.slice(attemptsBefore).map((r) => (JSON.parse(r.body) as { id: string }).id),
        );
      await eventually(
        () => ids.every((id) => delivered().has(id)),
        'all ten events delivered after the restart',
        90_000,
      );
    } finally {
      await restarted.stop();
      await endpoint.close();
    }
  }, 150_000);
});
