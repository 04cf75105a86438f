/**
 * Keeps Stratus's time the same on every node sharing a store, and across restarts: a change
 * (`stratus time …` on any node) is written to one row, and each node reads that row every
 * `pollMs` and applies what changed. A node whose row read fails keeps its current time.
 */
import type { Logger } from 'pino';
import type { Migration, Store } from '../storage/store.js';
import type { ClockSetting, StratusClock } from './clock.js';
import { Poller } from './poller.js';

export const clockMigrations: readonly Migration[] = [
  {
    id: 'engine-001-clock',
    up: () => `
      CREATE TABLE stratus_clock (
        id INTEGER PRIMARY KEY,
        offset_ms BIGINT NOT NULL,
        frozen_at BIGINT,
        version BIGINT NOT NULL
      )
    `,
  },
];

interface ClockRow extends Record<string, unknown> {
  offset_ms: number;
  frozen_at: number | null;
  version: number;
}

/** Other nodes see a change within this long; `refresh()` sees it at once. */
const defaultPollMs = 500;

export class ClockSync {
  private version = 0;
  private readonly poller: Poller;

  constructor(
    private readonly store: Store,
    readonly clock: StratusClock,
    logger: Logger,
    pollMs = defaultPollMs,
  ) {
    this.poller = new Poller(
      () => this.read(),
      pollMs,
      (err) => logger.warn({ err }, 'could not read the clock setting'),
    );
  }

  /** Takes the stored setting, if anyone ever set one, and follows it from then on. */
  async start(): Promise<void> {
    await this.refresh();
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Reads the stored setting now (before answering what time it is). */
  refresh(): Promise<void> {
    return this.poller.runNow();
  }

  private async read(): Promise<void> {
    const row = await this.store.get<ClockRow>(
      'SELECT offset_ms, frozen_at, version FROM stratus_clock WHERE id = 1',
    );
    // Only newer: a read that started before this node's own change must not undo it.
    if (row && row.version > this.version) {
      this.version = row.version;
      this.clock.apply({ offsetMs: row.offset_ms, frozenAt: row.frozen_at ?? undefined });
    }
  }

  /** Sets the time for every node: stored first, then applied here. */
  async change(setting: ClockSetting): Promise<void> {
    const row = await this.store.get<{ version: number }>(
      `INSERT INTO stratus_clock (id, offset_ms, frozen_at, version) VALUES (1, ?, ?, 1)
       ON CONFLICT (id) DO UPDATE SET offset_ms = excluded.offset_ms, frozen_at = excluded.frozen_at,
         version = stratus_clock.version + 1
       RETURNING version`,
      [setting.offsetMs, setting.frozenAt ?? null],
    );
    this.version = row!.version;
    this.clock.apply(setting);
  }
}
