import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../storage/work-queue.js';
import { ManualClock } from './clock.js';
import { WorkLoop } from './work-loop.js';

const item = (id: number): WorkItem<string> => ({ id, queue: 'q', payload: `p${id}`, attempts: 1, runAt: 0 });

describe('WorkLoop', () => {
  it('handles claimed items, sleeps when idle, and wakes at once when told', async () => {
    const batches: WorkItem<string>[][] = [[item(1), item(2)]];
    const handled: string[] = [];
    let claims = 0;
    const loop = new WorkLoop<string>({
      claim: async () => {
        claims++;
        return batches.shift() ?? [];
      },
      handle: async (i) => void handled.push(i.payload),
      claimFailed: () => {},
      idlePollMs: 60_000,
      clock: new ManualClock(),
    });
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handled).toEqual(['p1', 'p2']);
    expect(claims).toBe(2);
    batches.push([item(3)]);
    loop.wake();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handled).toEqual(['p1', 'p2', 'p3']);
    await loop.stop();
  });

  it('stop waits for items in hand; a failed claim is reported and retried', async () => {
    let release: () => void = () => {};
    const errors: unknown[] = [];
    let claims = 0;
    let finished = false;
    const loop = new WorkLoop<string>({
      claim: async () => {
        claims++;
        if (claims === 1) throw new Error('store busy');
        return claims === 2 ? [item(1)] : [];
      },
      handle: () =>
        new Promise<void>((resolve) => {
          release = () => {
            finished = true;
            resolve();
          };
        }),
      claimFailed: (err) => errors.push(err),
      idlePollMs: 5,
      clock: new ManualClock(),
    });
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(errors).toHaveLength(1);
    const stopped = loop.stop();
    setTimeout(() => release(), 20);
    await stopped;
    expect(finished).toBe(true);
  });

  it("wakes when Stratus's time jumps: items may have fallen due", async () => {
    const clock = new ManualClock(0);
    let claims = 0;
    const loop = new WorkLoop<string>({
      claim: async () => {
        claims++;
        return [];
      },
      handle: async () => {},
      claimFailed: () => {},
      idlePollMs: 60_000,
      clock,
    });
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(claims).toBe(1);
    clock.advance(3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(claims).toBe(2);
    await loop.stop();
    clock.advance(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(claims).toBe(2);
  });
});
