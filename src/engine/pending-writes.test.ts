import { describe, expect, it } from 'vitest';
import { PendingWrites } from './pending-writes.js';

const later = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('PendingWrites', () => {
  it('settles a read only after every write of its kind registered before it, failed ones included', async () => {
    const pending = new PendingWrites();
    const first = later<void>();
    const second = later<void>();
    const other = later<void>();
    pending.track('logs', first.promise);
    pending.track('logs', second.promise);
    pending.track('metrics', other.promise);
    let settled = false;
    const read = pending.settled('logs').then(() => (settled = true));
    first.resolve();
    await Promise.resolve();
    expect(settled).toBe(false);
    second.reject(new Error('disk full'));
    await read;
    expect(settled).toBe(true);
  });

  it('lets a read go at once when nothing of its kind is pending', async () => {
    const pending = new PendingWrites();
    const done = later<void>();
    pending.track('logs', done.promise);
    done.resolve();
    await done.promise;
    await Promise.resolve();
    let settled = false;
    void pending.settled('logs').then(() => (settled = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true);
  });

  it('expedites a write held back to gather more, when a read waits for it', async () => {
    const pending = new PendingWrites();
    const held = later<void>();
    let expedited = 0;
    pending.track('logs', held.promise, () => {
      expedited++;
      held.resolve();
    });
    await pending.settled('logs');
    expect(expedited).toBe(1);
  });
});
