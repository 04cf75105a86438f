/** Stratus's own tables (work items, its time, resets for other nodes), migrated before any service's. */
import { clockMigrations } from '../engine/clock-sync.js';
import type { Migration } from '../storage/store.js';
import { workQueueMigrations } from '../storage/work-queue.js';
import { stateChangeMigrations } from './control/state-changes.js';

export const stratusMigrations: readonly Migration[] = [
  ...workQueueMigrations,
  ...clockMigrations,
  ...stateChangeMigrations,
];
