import { describe, expect, it } from 'vitest';
import { LongPolls } from './long-poll.js';

const settled = async (p: Promise<void>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('long polls', () => {
  it('a notify for the queue wakes a waiter at once; another queue does not', async () => {
    const polls = new LongPolls();
    const wakeup = polls.arm(1);
    const waiting = wakeup.wait(10_000);
    polls.notify(2);
    expect(await settled(waiting, 20)).toBe(false);
    polls.notify(1);
    expect(await settled(waiting, 20)).toBe(true);
  });

  it('a notify between arm and wait is not lost', async () => {
    const polls = new LongPolls();
    const wakeup = polls.arm(1);
    polls.notify(1);
    expect(await settled(wakeup.wait(10_000), 20)).toBe(true);
  });

  it('the wait ends by itself after its time', async () => {
    const polls = new LongPolls();
    expect(await settled(polls.arm(1).wait(10), 200)).toBe(true);
  });

  it('stop ends every wait, and later ones at once', async () => {
    const polls = new LongPolls();
    const waiting = polls.arm(1).wait(10_000);
    polls.stop();
    expect(await settled(waiting, 20)).toBe(true);
    expect(await settled(polls.arm(3).wait(10_000), 20)).toBe(true);
  });
});
