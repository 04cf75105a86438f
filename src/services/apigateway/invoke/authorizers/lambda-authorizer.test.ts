import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../engine/clock.js';
import type { ServiceCaller } from '../../../service.js';
import { LambdaAuthorizers, type LambdaAuthorization } from './lambda-authorizer.js';

/** An authorizer function that allows everyone and counts its runs. */
function countingAuthorizer(): { services: ServiceCaller; runs: () => number } {
  let runs = 0;
  const services: ServiceCaller = {
    call: <T>() => {
      runs++;
      return Promise.resolve({ Payload: Buffer.from(JSON.stringify({ isAuthorized: true })) } as T);
    },
    callWire: () => Promise.resolve(undefined),
  };
  return { services, runs: () => runs };
}

const request = (apiId: string, stage: string): LambdaAuthorization => ({
  functionName: 'authorizer',
  event: {},
  identity: ['token'],
  cacheKey: [apiId, stage, 'auth1', 'token'].join('\u0001'),
  ttlSeconds: 300,
  methodArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/${stage}/GET/`,
  simpleResponses: true,
  at: { accountId: '000000000000', region: 'us-east-1' },
});

describe('Lambda authorizer cache flushes', () => {
  it("drops a stage's cached answers when its generation moves, and only that stage's", async () => {
    const { services, runs } = countingAuthorizer();
    const authorizers = new LambdaAuthorizers(services, new ManualClock(0));
    const call = async (stage: string, generation: number) => {
      authorizers.observeFlushes('api', stage, generation);
      return authorizers.authorize(request('api', stage));
    };
    await call('prod', 0);
    await call('test', 0);
    await call('prod', 0);
    expect(runs()).toBe(2);
    await call('prod', 1);
    expect(runs()).toBe(3);
    await call('test', 0);
    await call('prod', 1);
    expect(runs()).toBe(3);
    // A stage made anew starts again from 0: another generation all the same.
    await call('prod', 0);
    expect(runs()).toBe(4);
  });
});
