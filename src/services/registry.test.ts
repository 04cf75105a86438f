/**
 * Reset and snapshots work on the tables services declare, so a table nobody declares would
 * survive a reset and be missing from snapshots: every table the migrations create must have
 * exactly one owner, listed after the tables it references.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stratusTables, tableNames } from '../storage/catalog.js';
import { SqliteStore } from '../storage/sqlite.js';
import { stratusMigrations } from '../server/own-migrations.js';
import { serviceDefinitions } from './registry.js';

describe('the tables of every service', () => {
  const store = new SqliteStore({ path: ':memory:' });
  const owners = new Map<string, string[]>();
  for (const definition of serviceDefinitions) {
    for (const table of definition.tables ?? [])
      owners.set(table, [...(owners.get(table) ?? []), definition.name]);
  }
  for (const table of Object.values(stratusTables))
    owners.set(table, [...(owners.get(table) ?? []), 'stratus']);

  beforeAll(() =>
    store.migrate([...stratusMigrations, ...serviceDefinitions.flatMap((d) => d.migrations ?? [])]),
  );
  afterAll(() => store.close());

  it('are each owned by exactly one service or by Stratus itself', async () => {
    const created = await tableNames(store, store.dialect);
    const unowned = created.filter((table) => !owners.has(table));
    const shared = [...owners].filter(([, by]) => by.length > 1).map(([table]) => table);
    const phantom = [...owners.keys()].filter((table) => !created.includes(table));
    expect({ unowned, shared, phantom }).toEqual({ unowned: [], shared: [], phantom: [] });
  });

  it('are listed after the tables they reference', async () => {
    for (const definition of serviceDefinitions) {
      const tables = definition.tables ?? [];
      for (const [index, table] of tables.entries()) {
        const references = await store.all<{ table: string }>(`PRAGMA foreign_key_list('${table}')`);
        for (const { table: parent } of references) {
          expect(tables.indexOf(parent), `${table} references ${parent}`).toBeGreaterThanOrEqual(0);
          expect(tables.indexOf(parent), `${table} comes after ${parent}`).toBeLessThan(index);
        }
      }
    }
  });

  it('are shared only through a service that owns them', () => {
    for (const definition of serviceDefinitions.filter((d) => d.sharesStateWith !== undefined)) {
      const owner = serviceDefinitions.find((d) => d.name === definition.sharesStateWith);
      expect(
        owner?.tables?.length,
        `${definition.name} shares state with a service that has tables`,
      ).toBeGreaterThan(0);
      expect(definition.tables ?? []).toEqual([]);
    }
  });
});
