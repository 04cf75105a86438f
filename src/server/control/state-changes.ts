/**
 * A reset or a snapshot load on one node must reach the others sharing its store: their warm
 * environments, pollers and caches belong to the old state too. The node that wipes or replaces
 * rows counts a generation up in the same transaction (`record`); every node reads the counter
 * every `pollMs` and, when it moved, quiesces and resets the services it names — their rows are
 * already gone, only what the node holds in memory goes. Two changes between reads reset every
 * service, rather than keep a list.
 */
import type { Logger } from 'pino';
import { Poller } from '../../engine/poller.js';
import type { Migration, Queryable, Store } from '../../storage/store.js';
import type { ServicesState } from './services-state.js';

export const stateChangeMigrations: readonly Migration[] = [
  {
    id: 'engine-002-state-changes',
    up: () => `
      CREATE TABLE stratus_state_changes (
        id INTEGER PRIMARY KEY,
        generation BIGINT NOT NULL,
        services TEXT
      )
    `,
  },
];

interface ChangeRow extends Record<string, unknown> {
  generation: number;
  services: string | null;
}

const defaultPollMs = 500;

export class StateChanges {
  /** The last change this node has applied (its own, or one it read). */
  private seen = 0;
  private poller: Poller | undefined;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly pollMs = defaultPollMs,
  ) {}

  /** Inside the transaction that wiped or replaced rows: `services` undefined means all. */
  async record(tx: Queryable, services: readonly string[] | undefined): Promise<void> {
    const row = await tx.get<{ generation: number }>(
      `INSERT INTO stratus_state_changes (id, generation, services) VALUES (1, 1, ?)
       ON CONFLICT (id) DO UPDATE SET generation = stratus_state_changes.generation + 1,
         services = excluded.services
       RETURNING generation`,
      [services === undefined ? null : JSON.stringify(services)],
    );
    // Applied here by the caller; a rolled-back transaction leaves `seen` ahead, which only
    // means this node skips reading a generation it made itself.
    this.seen = row!.generation;
  }

  /** Starts following other nodes' changes; what happened before this node started is not its concern. */
  async follow(state: ServicesState): Promise<void> {
    this.seen = (await this.read())?.generation ?? 0;
    this.poller = new Poller(
      () => this.apply(state),
      this.pollMs,
      (err) => this.logger.warn({ err }, 'could not follow a reset on another node'),
    );
    this.poller.start();
  }

  async stop(): Promise<void> {
    await this.poller?.stop();
  }

  private read(): Promise<ChangeRow | undefined> {
    return this.store.get<ChangeRow>('SELECT generation, services FROM stratus_state_changes WHERE id = 1');
  }

  private async apply(state: ServicesState): Promise<void> {
    const row = await this.read();
    if (!row || row.generation <= this.seen) return;
    const names =
      row.generation === this.seen + 1 && row.services !== null
        ? (JSON.parse(row.services) as string[]).filter((name) => state.names.includes(name))
        : undefined;
    this.seen = row.generation;
    const selected = state.select(names);
    this.logger.info({ services: selected.map((s) => s.definition.name) }, 'state reset on another node');
    await state.quiesce(selected);
    await state.reset(selected);
  }
}
