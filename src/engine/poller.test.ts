import { describe, expect, it, vi } from 'vitest';
import { Poller } from './poller.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Poller', () => {
  it('runs its task every interval, never two at once, and runNow joins the run under way', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const poller = new Poller(
      async () => {
        runs++;
        most = Math.max(most, ++active);
        await tick(30);
        active--;
      },
      5,
      () => {},
    );
    const first = poller.runNow();
    expect(poller.runNow()).toBe(first);
    poller.start();
    await tick(100);
    await poller.stop();
    const after = runs;
    await tick(30);
    expect(runs).toBe(after);
    expect(runs).toBeGreaterThan(1);
    expect(most).toBe(1);
  });

  it('reports a failed run and tries again at the next interval', async () => {
    const failed = vi.fn();
    let runs = 0;
    const poller = new Poller(
      async () => {
        if (++runs === 1) throw new Error('store busy');
      },
      5,
      failed,
    );
    poller.start();
    await tick(40);
    await poller.stop();
    expect(failed).toHaveBeenCalledOnce();
    expect(runs).toBeGreaterThan(1);
  });

  it('runAgain runs once more after the run under way, shared by every call made meanwhile', async () => {
    let runs = 0;
    const poller = new Poller(
      async () => {
        runs++;
        await tick(20);
      },
      60_000,
      () => {},
    );
    await poller.runAgain();
    expect(runs).toBe(1);
    const underWay = poller.runNow();
    const again = [poller.runAgain(), poller.runAgain(), poller.runAgain()];
    expect(runs).toBe(2);
    await Promise.all([underWay, ...again]);
    expect(runs).toBe(3);
  });
});
