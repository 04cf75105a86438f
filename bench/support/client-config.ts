/**
 * The AWS SDK client settings every measuring client uses: test keys, no retries, and kept-alive
 * connections, one per concurrent worker.
 */
import { Agent } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export function benchClientConfig(endpoint: string | undefined, concurrency: number) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }),
    }),
  };
}
