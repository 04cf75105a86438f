import { afterEach, describe, expect, it, vi } from 'vitest';
import { hostClock, ManualClock, StratusClock } from './clock.js';

describe('ManualClock', () => {
  it('starts where told and only moves on set/advance', () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    clock.set(5);
    expect(clock.now()).toBe(5);
  });

  it('defaults to the epoch', () => {
    expect(new ManualClock().now()).toBe(0);
  });
});

describe('StratusClock timers', () => {
  it('advancing an hour fires what falls due in it, in due order, once each', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.at(30 * 60_000, () => fired.push('30m'));
    clock.at(5 * 60_000, () => fired.push('5m'));
    clock.at(2 * 3600_000, () => fired.push('2h'));
    clock.at(5 * 60_000, () => fired.push('5m, second'));
    clock.advance(3600_000);
    expect(fired).toEqual(['5m', '5m, second', '30m']);
    clock.advance(1);
    expect(fired).toHaveLength(3);
    clock.advance(3600_000);
    expect(fired).toEqual(['5m', '5m, second', '30m', '2h']);
  });

  it('a cancelled timer never fires', () => {
    const clock = new ManualClock(0);
    const fn = vi.fn();
    clock.at(10, fn).cancel();
    clock.advance(20);
    expect(fn).not.toHaveBeenCalled();
  });

  it('a timer already due fires on the next host tick, not inside at()', async () => {
    const clock = new StratusClock();
    const fn = vi.fn();
    clock.at(clock.now() - 1, fn);
    expect(fn).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fn).toHaveBeenCalledOnce();
    clock.close();
  });

  it('a timer a callback adds that is already due fires in the same pass', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.at(10, () => {
      fired.push('first');
      clock.at(5, () => fired.push('added'));
    });
    clock.at(20, () => fired.push('second'));
    clock.advance(100);
    expect(fired).toEqual(['first', 'added', 'second']);
  });

  it('a callback that throws does not stop the others', () => {
    const clock = new ManualClock(0);
    const fn = vi.fn();
    clock.at(1, () => {
      throw new Error('boom');
    });
    clock.at(2, fn);
    clock.advance(5);
    expect(fn).toHaveBeenCalledOnce();
  });
});

describe('StratusClock settings', () => {
  let host = 1_000_000;
  const hostNow = () => host;
  afterEach(() => {
    host = 1_000_000;
  });

  it('follows the host shifted by the offset; set keeps real time flowing from the set point', () => {
    const clock = new StratusClock({ offsetMs: 0 }, hostNow);
    clock.set(5_000_000);
    expect(clock.now()).toBe(5_000_000);
    host += 1_000;
    expect(clock.now()).toBe(5_001_000);
    expect(clock.current()).toEqual({ offsetMs: 4_000_000, frozenAt: undefined });
  });

  it('freeze stops time, resume lets it flow again from where it stood', () => {
    const clock = new StratusClock({ offsetMs: 0 }, hostNow);
    clock.freeze();
    host += 60_000;
    expect(clock.now()).toBe(1_000_000);
    clock.advance(10);
    expect(clock.now()).toBe(1_000_010);
    expect(clock.frozen).toBe(true);
    clock.resume();
    host += 5;
    expect(clock.now()).toBe(1_000_015);
    expect(clock.frozen).toBe(false);
  });

  it('tells listeners of every jump', () => {
    const clock = new StratusClock({ offsetMs: 0 }, hostNow);
    const listener = vi.fn();
    const unsubscribe = clock.onJump(listener);
    clock.advance(1);
    clock.freeze();
    clock.resume();
    expect(listener).toHaveBeenCalledTimes(3);
    unsubscribe();
    clock.advance(1);
    expect(listener).toHaveBeenCalledTimes(3);
  });
});

describe('hostClock', () => {
  it('reads wall-clock time and ignores nobody', () => {
    const before = Date.now();
    const now = hostClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
