import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ManualClock } from '../engine/clock.js';
import { testEngines } from './testing/engines.js';
import type { TestStore } from './testing/engines.js';
import { WorkQueue, workQueueMigrations } from './work-queue.js';
import type { Store } from './store.js';

describe.each(testEngines)('WorkQueue on $name', (engine) => {
  let testStore: TestStore;
  let store: Store;
  const clock = new ManualClock(1_700_000_000_000);
  let queue: WorkQueue;
  let queueNames = 0;
  // Each test works on its own queue name, so tests never see each other's items.
  const freshQueue = () => `q${++queueNames}`;

  beforeAll(async () => {
    testStore = await engine.open();
    store = testStore.store;
    await store.migrate(workQueueMigrations);
    // Leases on the same manual clock, so tests can expire them.
    queue = new WorkQueue(store, clock, clock);
  });

  afterAll(async () => {
    await testStore?.destroy();
  });

  const enqueue = (name: string, payload: unknown, runAt?: number) =>
    store.transaction((tx) => queue.enqueue(tx, name, payload, runAt === undefined ? {} : { runAt }));
  const enqueueOrdered = (name: string, orderingKey: string, payload: unknown) =>
    store.transaction((tx) => queue.enqueue(tx, name, payload, { orderingKey }));
  const payloads = (items: { payload: unknown }[]) => items.map((item) => item.payload);

  it('claims a due item with its payload and counts the attempt', async () => {
    const name = freshQueue();
    const id = await enqueue(name, { hello: 'world', n: 1 });
    const claimed = await queue.claim(name, 'node-a', { leaseMs: 1_000, limit: 10 });
    expect(claimed).toEqual([
      { id, queue: name, payload: { hello: 'world', n: 1 }, attempts: 1, runAt: clock.now() },
    ]);
  });

  it('only writes items when the enqueuing transaction commits', async () => {
    const name = freshQueue();
    await expect(
      store.transaction(async (tx) => {
        await queue.enqueue(tx, name, 'lost');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await queue.claim(name, 'node-a', { leaseMs: 1_000, limit: 10 })).toEqual([]);
  });

  it('does not claim items before their runAt', async () => {
    const name = freshQueue();
    await enqueue(name, 'later', clock.now() + 5_000);
    expect(await queue.claim(name, 'node-a', { leaseMs: 1_000, limit: 10 })).toEqual([]);
    clock.advance(5_000);
    expect(await queue.claim(name, 'node-a', { leaseMs: 1_000, limit: 10 })).toHaveLength(1);
  });

  it('claims in runAt order, up to the limit', async () => {
    const name = freshQueue();
    const now = clock.now();
    await enqueue(name, 'second', now - 10);
    await enqueue(name, 'first', now - 20);
    await enqueue(name, 'third', now);
    const claimed = await queue.claim(name, 'node-a', { leaseMs: 1_000, limit: 2 });
    expect(claimed.map((item) => item.payload)).toEqual(['first', 'second']);
  });

  it('does not hand out leased items until the lease expires', async () => {
    const name = freshQueue();
    const id = await enqueue(name, 'job');
    await queue.claim(name, 'node-a', { leaseMs: 1_000, limit: 10 });
    expect(await queue.claim(name, 'node-b', { leaseMs: 1_000, limit: 10 })).toEqual([]);

    clock.advance(1_000);
    const reclaimed = await queue.claim(name, 'node-b', { leaseMs: 1_000, limit: 10 });
    expect(reclaimed).toMatchObject([{ id, attempts: 2 }]);
    // node-a's lease was taken over, so its late completion must not delete node-b's work.
    expect(await queue.complete(id, 'node-a')).toBe(false);
    expect(await queue.complete(id, 'node-b')).toBe(true);
  });

  it("runs leases on the host's clock: moving Stratus's time does not expire work in flight", async () => {
    const stratusTime = new ManualClock(clock.now());
    const hostTime = new ManualClock(clock.now());
    const timed = new WorkQueue(store, stratusTime, hostTime);
    const name = freshQueue();
    const id = await store.transaction((tx) => timed.enqueue(tx, name, 'in flight'));
    const later = await store.transaction((tx) =>
      timed.enqueue(tx, name, 'due in an hour', { runAt: stratusTime.now() + 3_600_000 }),
    );
    expect(payloads(await timed.claim(name, 'node-a', { leaseMs: 60_000, limit: 1 }))).toEqual(['in flight']);
    stratusTime.advance(3_600_000);
    // The hour's item is due; the leased one is not handed out again.
    expect(await timed.claim(name, 'node-b', { leaseMs: 60_000, limit: 10 })).toMatchObject([{ id: later }]);
    hostTime.advance(60_000);
    expect(await timed.claim(name, 'node-b', { leaseMs: 60_000, limit: 1 })).toMatchObject([
      { id, attempts: 2 },
    ]);
  });

  it('lets only the lease holder complete, retry or extend', async () => {
    const name = freshQueue();
    const id = await enqueue(name, 'job');
    await queue.claim(name, 'owner', { leaseMs: 1_000, limit: 1 });
    expect(await queue.complete(id, 'intruder')).toBe(false);
    expect(await queue.retry(id, 'intruder', clock.now())).toBe(false);
    expect(await queue.extend(id, 'intruder', 5_000)).toBe(false);
    expect(await queue.complete(id, 'owner')).toBe(true);
    expect(await queue.complete(id, 'owner')).toBe(false);
  });

  it('completes many items at once, only those the owner holds', async () => {
    const name = freshQueue();
    const ids = [await enqueue(name, 'a'), await enqueue(name, 'b'), await enqueue(name, 'c')];
    await queue.claim(name, 'owner', { leaseMs: 60_000, limit: 2 });
    await queue.claim(name, 'other', { leaseMs: 60_000, limit: 1 });
    await queue.completeMany(ids, 'owner');
    clock.advance(60_000);
    expect(payloads(await queue.claim(name, 'next', { leaseMs: 1_000, limit: 10 }))).toEqual(['c']);
  });

  it('reschedules on retry and releases the lease', async () => {
    const name = freshQueue();
    const id = await enqueue(name, 'flaky');
    await queue.claim(name, 'node-a', { leaseMs: 60_000, limit: 1 });
    expect(await queue.retry(id, 'node-a', clock.now() + 2_000)).toBe(true);
    clock.advance(2_000);
    // Claimable by anyone at runAt, even though the original lease would still run for a minute.
    expect(await queue.claim(name, 'node-b', { leaseMs: 1_000, limit: 1 })).toMatchObject([
      { id, attempts: 2 },
    ]);
  });

  it('stores the payload a retry carries, and keeps it when the retry carries none', async () => {
    const name = freshQueue();
    const id = await enqueue(name, { event: 'e1', failures: 0 });
    await queue.claim(name, 'node-a', { leaseMs: 60_000, limit: 1 });
    expect(await queue.retry(id, 'node-a', clock.now(), { payload: { event: 'e1', failures: 1 } })).toBe(
      true,
    );
    expect(await queue.claim(name, 'node-b', { leaseMs: 60_000, limit: 1 })).toMatchObject([
      { id, attempts: 2, payload: { event: 'e1', failures: 1 } },
    ]);
    expect(await queue.retry(id, 'node-b', clock.now())).toBe(true);
    expect(await queue.claim(name, 'node-c', { leaseMs: 60_000, limit: 1 })).toMatchObject([
      { id, attempts: 3, payload: { event: 'e1', failures: 1 } },
    ]);
    // Only the lease holder may rewrite it.
    expect(await queue.retry(id, 'node-a', clock.now(), { payload: 'stolen' })).toBe(false);
  });

  it('keeps an extended lease past its original expiry', async () => {
    const name = freshQueue();
    const id = await enqueue(name, 'slow');
    await queue.claim(name, 'node-a', { leaseMs: 1_000, limit: 1 });
    clock.advance(900);
    expect(await queue.extend(id, 'node-a', 1_000)).toBe(true);
    clock.advance(500);
    expect(await queue.claim(name, 'node-b', { leaseMs: 1_000, limit: 1 })).toEqual([]);
    clock.advance(500);
    expect(await queue.claim(name, 'node-b', { leaseMs: 1_000, limit: 1 })).toHaveLength(1);
  });

  it('never gives the same item to two concurrent claimers', async () => {
    const name = freshQueue();
    const ids = new Set<number>();
    for (let i = 0; i < 40; i++) ids.add(await enqueue(name, i));
    const claimers = Array.from({ length: 8 }, async (_, claimer) => {
      const mine: number[] = [];
      for (;;) {
        const batch = await queue.claim(name, `claimer-${claimer}`, { leaseMs: 60_000, limit: 3 });
        if (batch.length === 0) return mine;
        mine.push(...batch.map((item) => item.id));
      }
    });
    const claimed = (await Promise.all(claimers)).flat();
    expect(claimed).toHaveLength(ids.size);
    expect(new Set(claimed)).toEqual(ids);
  });

  it('claims an item with an ordering key only while no older item of its key is queued, leased or waiting for a retry', async () => {
    const name = freshQueue();
    const first = await enqueueOrdered(name, 'group-1', 'g1 first');
    await enqueueOrdered(name, 'group-1', 'g1 second');
    await enqueueOrdered(name, 'group-1', 'g1 third');
    await enqueueOrdered(name, 'group-2', 'g2 first');
    await enqueue(name, 'unordered');
    // One item per key, and items without a key, are claimable at once.
    expect(payloads(await queue.claim(name, 'node-a', { leaseMs: 60_000, limit: 10 }))).toEqual([
      'g1 first',
      'g2 first',
      'unordered',
    ]);
    // Leased: its successors wait.
    expect(await queue.claim(name, 'node-b', { leaseMs: 60_000, limit: 10 })).toEqual([]);
    // Waiting for a retry: still unfinished, so its successors still wait, and do not count as due.
    expect(await queue.retry(first, 'node-a', clock.now() + 5_000)).toBe(true);
    expect(await queue.claim(name, 'node-b', { leaseMs: 60_000, limit: 10 })).toEqual([]);
    clock.advance(5_000);
    expect(await queue.claim(name, 'node-b', { leaseMs: 60_000, limit: 10 })).toMatchObject([
      { id: first, attempts: 2, payload: 'g1 first' },
    ]);
    // Only its final completion lets the next one go, one at a time.
    expect(await queue.complete(first, 'node-b')).toBe(true);
    const [second] = await queue.claim(name, 'node-b', { leaseMs: 60_000, limit: 10 });
    expect(second?.payload).toBe('g1 second');
    expect(await queue.claim(name, 'node-b', { leaseMs: 60_000, limit: 10 })).toEqual([]);
    expect(await queue.complete(second!.id, 'node-b')).toBe(true);
    expect(payloads(await queue.claim(name, 'node-b', { leaseMs: 60_000, limit: 10 }))).toEqual(['g1 third']);
  });

  it('hands an expired lease of an ordered item to the next claimer, not its successor', async () => {
    const name = freshQueue();
    const first = await enqueueOrdered(name, 'group', 'first');
    await enqueueOrdered(name, 'group', 'second');
    await queue.claim(name, 'node-a', { leaseMs: 1_000, limit: 10 });
    clock.advance(1_000);
    expect(await queue.claim(name, 'node-b', { leaseMs: 1_000, limit: 10 })).toMatchObject([
      { id: first, attempts: 2 },
    ]);
    // The late finish of the lost lease neither deletes the item nor unblocks its successor.
    expect(await queue.complete(first, 'node-a')).toBe(false);
    expect(await queue.claim(name, 'node-c', { leaseMs: 1_000, limit: 10 })).toEqual([]);
    expect(await queue.complete(first, 'node-b')).toBe(true);
    expect(payloads(await queue.claim(name, 'node-c', { leaseMs: 1_000, limit: 10 }))).toEqual(['second']);
  });

  it('starts a new chain for a key whose items all finished, and keeps keys apart per queue', async () => {
    const name = freshQueue();
    const other = freshQueue();
    const first = await enqueueOrdered(name, 'group', 'first');
    await queue.claim(name, 'node-a', { leaseMs: 60_000, limit: 10 });
    expect(await queue.complete(first, 'node-a')).toBe(true);
    await enqueueOrdered(name, 'group', 'later');
    await enqueueOrdered(other, 'group', 'elsewhere');
    expect(payloads(await queue.claim(name, 'node-a', { leaseMs: 60_000, limit: 10 }))).toEqual(['later']);
    expect(payloads(await queue.claim(other, 'node-a', { leaseMs: 60_000, limit: 10 }))).toEqual([
      'elsewhere',
    ]);
  });

  it('works each ordering key strictly in order with concurrent claimers while more items are enqueued', async () => {
    const name = freshQueue();
    const keys = ['a', 'b', 'c', 'd'];
    const perKey = 15;
    const claimedInOrder = new Map<string, number[]>(keys.map((key) => [key, []]));
    const handled = new Map<string, number>(keys.map((key) => [key, 0]));
    const violations: string[] = [];
    let finished = 0;
    // One writer per key (as SNS has: its topic row), all keys at once.
    const enqueuers = keys.map(async (key) => {
      for (let n = 0; n < perKey; n++) await enqueueOrdered(name, key, { key, n });
    });
    const claimers = Array.from({ length: 6 }, async (_, claimer) => {
      const owner = `claimer-${claimer}`;
      while (finished < keys.length * perKey) {
        const batch = await queue.claim<{ key: string; n: number }>(name, owner, {
          leaseMs: 60_000,
          limit: 3,
        });
        if (batch.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        await Promise.all(
          batch.map(async ({ id, payload: { key, n } }) => {
            // Claimed only once every earlier item of its key has been handled to the end.
            if (handled.get(key) !== n)
              violations.push(`${key}${n} claimed after ${handled.get(key)} handled`);
            claimedInOrder.get(key)!.push(n);
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
            handled.set(key, n + 1);
            expect(await queue.complete(id, owner)).toBe(true);
            finished++;
          }),
        );
      }
    });
    await Promise.all([...enqueuers, ...claimers]);
    expect(violations).toEqual([]);
    for (const key of keys)
      expect(claimedInOrder.get(key)).toEqual(Array.from({ length: perKey }, (_, n) => n));
  });
});
