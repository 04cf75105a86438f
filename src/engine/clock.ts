/**
 * Stratus's time. Everything that schedules or expires (leases, delays, visibility timeouts,
 * retries, retention, idle reaping) reads `now()` and waits with `at()` instead of calling
 * `Date.now()` and `setTimeout`, so that a user (`stratus time`) or a test can set, advance,
 * freeze and resume it, and whatever falls due fires — in order, once.
 *
 * Two kinds of waiting stay on the host's timers on purpose: poll intervals ("look again in a
 * second", which must keep going while the clock is frozen — they listen to `onJump` instead), and
 * what a running function measures itself (its deadline, its own `Date.now()`).
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, in Stratus's time. */
  now(): number;
  /** Calls `fn` once Stratus's time reaches `dueAt` (soon after, if it already has). */
  at(dueAt: number, fn: () => void): Timer;
  /** Calls `listener` after each set, advance, freeze or resume; returns its unsubscribe. */
  onJump(listener: () => void): () => void;
  /** The Stratus time of a moment the host stamped (a line a function printed); `now()` is `ofHostTime(Date.now())`. */
  ofHostTime(hostMs: number): number;
}

export interface Timer {
  cancel(): void;
}

/**
 * How Stratus's time relates to the host's: shifted by `offsetMs`, or standing still at
 * `frozenAt`. Kept in the store (clock-sync.ts) so that every node, and a restarted one, agrees.
 */
export interface ClockSetting {
  offsetMs: number;
  frozenAt?: number | undefined;
}

/** Host timers take at most a signed 32-bit delay; a later timer re-arms when this one ends. */
const maxHostDelayMs = 2 ** 31 - 1;

interface PendingTimer {
  dueAt: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class StratusClock implements Clock {
  private setting: ClockSetting;
  /** Sorted by (dueAt, seq): the order timers fire in. */
  private timers: PendingTimer[] = [];
  private seq = 0;
  private hostTimer: NodeJS.Timeout | undefined;
  private readonly jumpListeners = new Set<() => void>();

  constructor(
    setting: ClockSetting = { offsetMs: 0 },
    private readonly hostNow: () => number = Date.now,
  ) {
    this.setting = { ...setting };
  }

  now(): number {
    return this.ofHostTime(this.hostNow());
  }

  ofHostTime(hostMs: number): number {
    return this.setting.frozenAt ?? hostMs + this.setting.offsetMs;
  }

  get frozen(): boolean {
    return this.setting.frozenAt !== undefined;
  }

  current(): ClockSetting {
    return { ...this.setting };
  }

  at(dueAt: number, fn: () => void): Timer {
    const timer: PendingTimer = { dueAt, seq: this.seq++, fn, cancelled: false };
    let index = this.timers.length;
    while (index > 0 && this.timers[index - 1]!.dueAt > dueAt) index--;
    this.timers.splice(index, 0, timer);
    if (index === 0) this.arm();
    return {
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        const at = this.timers.indexOf(timer);
        if (at !== -1) this.timers.splice(at, 1);
      },
    };
  }

  onJump(listener: () => void): () => void {
    this.jumpListeners.add(listener);
    return () => this.jumpListeners.delete(listener);
  }

  /** Takes a new setting (from `set`/`advance`/…, or from another node through the store). */
  apply(setting: ClockSetting): void {
    this.setting = { offsetMs: setting.offsetMs, frozenAt: setting.frozenAt };
    this.fireDue();
    for (const listener of [...this.jumpListeners]) listener();
  }

  /** What `set(ms)` makes the setting: a frozen clock stays frozen. */
  private settingAt(ms: number): ClockSetting {
    return this.frozen
      ? { offsetMs: this.setting.offsetMs, frozenAt: ms }
      : { offsetMs: ms - this.hostNow() };
  }

  set(ms: number): void {
    this.apply(this.settingAt(ms));
  }

  advance(ms: number): void {
    this.set(this.now() + ms);
  }

  /** Stops time where it is; timers wait until it moves again. */
  freeze(): void {
    if (!this.frozen) this.apply({ offsetMs: this.setting.offsetMs, frozenAt: this.now() });
  }

  /** Lets time flow again from where it stands. */
  resume(): void {
    if (this.frozen) this.apply({ offsetMs: this.now() - this.hostNow() });
  }

  /** Cancels every timer: the server is stopping. */
  close(): void {
    clearTimeout(this.hostTimer);
    this.hostTimer = undefined;
    this.timers = [];
  }

  private fireDue(): void {
    const now = this.now();
    // A timer may add timers; those that are already due fire in this pass, after the ones
    // before them.
    while (this.timers.length > 0 && this.timers[0]!.dueAt <= now) {
      const timer = this.timers.shift()!;
      timer.cancelled = true;
      try {
        timer.fn();
      } catch {
        // A timer's callback owns its errors; one that throws must not stop the others.
      }
    }
    this.arm();
  }

  /** One host timer, for the earliest Stratus timer; while frozen, only for one already due. */
  private arm(): void {
    clearTimeout(this.hostTimer);
    this.hostTimer = undefined;
    const first = this.timers[0];
    if (!first) return;
    const delay = Math.min(Math.max(0, first.dueAt - this.now()), maxHostDelayMs);
    if (delay > 0 && this.frozen) return;
    this.hostTimer = setTimeout(() => this.fireDue(), delay);
    this.hostTimer.unref();
  }
}

/** A clock that only moves when told to: for tests of timeouts and schedules. */
export class ManualClock extends StratusClock {
  constructor(startMs = 0) {
    super({ offsetMs: 0, frozenAt: startMs });
  }
}

/** The host's own time, for what must not follow Stratus's (SigV4's clock-skew window). */
export const hostClock: Clock = {
  now: () => Date.now(),
  at: (dueAt, fn) => {
    const timer = setTimeout(fn, Math.min(Math.max(0, dueAt - Date.now()), maxHostDelayMs));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
  onJump: () => () => undefined,
  ofHostTime: (hostMs) => hostMs,
};
