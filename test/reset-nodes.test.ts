/**
 * A reset or a snapshot load through one node reaches the other nodes sharing its store: their
 * warm environments of the old state stop too, so a function created again with the same name and
 * code starts cold there.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction } from './support/lambda.js';
import { counterCode, invoke, loadSnapshot, resetStratus, saveSnapshot } from './support/state.js';
import { startNode } from './support/stratus-cli.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

/** Invokes until `count` comes back, for as long as the other node may take to follow (a poll of 500 ms). */
async function eventuallyCount(lambda: LambdaClient, name: string, count: number): Promise<void> {
  let seen: number | undefined;
  for (let i = 0; i < 20; i++) {
    // An invocation the other node's reset catches under way fails; the next one runs.
    seen = await invoke(lambda, name).then(
      (answer) => answer.count,
      () => undefined,
    );
    if (seen === count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} answered count ${seen}, never ${count}`);
}

describe('a reset on one node, on the others', () => {
  let first: TestStratus;
  afterAll(() => first?.close());

  it("stops the other node's warm environments of the old state; so does a snapshot load", async () => {
    first = await startTestStratus();
    const second = await startNode(first);
    const onSecond = new LambdaClient({ ...first.clientConfig, endpoint: second.url });
    try {
      const snapshot = await saveSnapshot(first.url);
      await createFunction(onSecond, 'counter', counterCode);
      expect(await invoke(onSecond, 'counter')).toEqual({ count: 1 });
      expect(await invoke(onSecond, 'counter')).toEqual({ count: 2 });

      expect((await resetStratus(first.url, ['lambda'])).status).toBe(200);
      await createFunction(onSecond, 'counter', counterCode);
      // A warm environment of the old function would go on counting from 3.
      await eventuallyCount(onSecond, 'counter', 1);

      // The empty snapshot taken first: the function is gone on every node, then made again.
      expect((await loadSnapshot(first.url, snapshot)).status).toBe(200);
      await createFunction(onSecond, 'counter', counterCode);
      await eventuallyCount(onSecond, 'counter', 1);
    } catch (err) {
      throw new Error(`${String(err)}\nthe other node logged:\n${second.output()}`, { cause: err });
    } finally {
      onSecond.destroy();
      await second.stop();
    }
  });
});
