/**
 * Consumed capacity as DynamoDB computes it: a read unit is 4 KB read strongly consistently (half
 * of one eventually consistent), a write unit is 1 KB written, each rounded up per item (Query
 * and Scan round up the sum of what they read instead); transactions cost double.
 */
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Table } from './catalog.js';

export function readUnits(bytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
}

export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

export type CapacityKind = 'read' | 'write';

/** What `ReturnConsumedCapacity` asks for: nothing, the total, or the total split by index. */
export function consumedCapacity(
  mode: DDB.ReturnConsumedCapacity | undefined,
  table: Table,
  kind: CapacityKind,
  tableUnits: number,
  indexUnits: ReadonlyMap<string, number> = new Map(),
): DDB.ConsumedCapacity | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const total = tableUnits + [...indexUnits.values()].reduce((a, b) => a + b, 0);
  const split = (units: number) =>
    kind === 'read'
      ? { ReadCapacityUnits: units, CapacityUnits: units }
      : { WriteCapacityUnits: units, CapacityUnits: units };
  const out: DDB.ConsumedCapacity = { TableName: table.name, ...split(total) };
  if (mode === 'INDEXES') {
    out.Table = split(tableUnits);
    for (const [name, units] of indexUnits) {
      const index = table.definition.indexes.find((i) => i.name === name);
      const group = index?.kind === 'local' ? 'LocalSecondaryIndexes' : 'GlobalSecondaryIndexes';
      (out[group] ??= {})[name] = split(units);
    }
  }
  return out;
}

const unitFields = ['CapacityUnits', 'ReadCapacityUnits', 'WriteCapacityUnits'] as const;

function addUnits(into: DDB.Capacity, from: DDB.Capacity): void {
  for (const field of unitFields)
    if (from[field] !== undefined) into[field] = (into[field] ?? 0) + from[field];
}

/** Merges per-table capacities of a batch or transaction into one entry per table. */
export function mergeCapacities(
  entries: readonly (DDB.ConsumedCapacity | undefined)[],
): DDB.ConsumedCapacity[] {
  const byTable = new Map<string, DDB.ConsumedCapacity>();
  for (const entry of entries) {
    if (!entry) continue;
    const into = byTable.get(entry.TableName!);
    if (!into) {
      byTable.set(entry.TableName!, structuredClone(entry));
      continue;
    }
    addUnits(into, entry);
    if (entry.Table) addUnits((into.Table ??= {}), entry.Table);
    for (const group of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes'] as const) {
      for (const [name, capacity] of Object.entries(entry[group] ?? {}))
        addUnits(((into[group] ??= {})[name] ??= {}), capacity);
    }
  }
  return [...byTable.values()];
}
