/**
 * Event source mappings' schema and queries. A mapping names its function by name and qualifier,
 * not by row id: on Lambda a mapping outlives its function (its pollers then find nothing to run).
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import type { Migration, Queryable } from '../../storage/store.js';
import type { Region } from './arns.js';
import type { StreamSettings } from './stream-mapping.js';

export const eventSourceMigrations: readonly Migration[] = [
  {
    id: 'lambda-003-event-source-mappings',
    up: () => `
      CREATE TABLE lambda_event_source_mappings (
        uuid TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        function_name TEXT NOT NULL,
        qualifier TEXT,
        event_source_arn TEXT NOT NULL,
        batch_size INTEGER NOT NULL,
        maximum_batching_window INTEGER NOT NULL,
        enabled INTEGER NOT NULL,
        state TEXT NOT NULL,
        function_response_types TEXT NOT NULL,
        maximum_concurrency INTEGER,
        tags TEXT NOT NULL,
        last_modified BIGINT NOT NULL
      );
      CREATE INDEX lambda_esm_by_function ON lambda_event_source_mappings (account_id, region, function_name);
      CREATE INDEX lambda_esm_by_source ON lambda_event_source_mappings (event_source_arn);
    `,
  },
  {
    id: 'lambda-004-event-source-filters',
    up: () => 'ALTER TABLE lambda_event_source_mappings ADD COLUMN filter_criteria TEXT',
  },
];

export interface EventSourceMappingRow extends Record<string, unknown> {
  uuid: string;
  account_id: string;
  region: string;
  function_name: string;
  qualifier: string | null;
  event_source_arn: string;
  batch_size: number;
  maximum_batching_window: number;
  /** 0/1: what the user asked for; `state` is where the mapping is on its way there. */
  enabled: number;
  state: string;
  /** JSON array, e.g. `["ReportBatchItemFailures"]`. */
  function_response_types: string;
  maximum_concurrency: number | null;
  /** JSON object. */
  tags: string;
  last_modified: number;
  /** JSON `{"Filters": [{"Pattern": …}]}`, null without filters. */
  filter_criteria: string | null;
  /** JSON `StreamSettings` of a stream mapping; null for a queue. */
  stream_settings: string | null;
  /** What the pollers last made of a batch (`OK`, `PROBLEM: …`); null before the first. */
  last_processing_result: string | null;
}

export function streamSettingsOf(row: EventSourceMappingRow): StreamSettings | undefined {
  return row.stream_settings === null ? undefined : (JSON.parse(row.stream_settings) as StreamSettings);
}

export function filterCriteriaOf(row: EventSourceMappingRow): Lambda.FilterCriteria | undefined {
  return row.filter_criteria === null
    ? undefined
    : (JSON.parse(row.filter_criteria) as Lambda.FilterCriteria);
}

const columns: readonly (keyof EventSourceMappingRow)[] = [
  'uuid',
  'account_id',
  'region',
  'function_name',
  'qualifier',
  'event_source_arn',
  'batch_size',
  'maximum_batching_window',
  'enabled',
  'state',
  'function_response_types',
  'maximum_concurrency',
  'tags',
  'last_modified',
  'filter_criteria',
  'stream_settings',
  'last_processing_result',
];

const updatable = columns.slice(1).filter((c) => c !== 'last_processing_result');

export const eventSourceQueries = {
  get: (db: Queryable, uuid: string) =>
    db.get<EventSourceMappingRow>('SELECT * FROM lambda_event_source_mappings WHERE uuid = ?', [uuid]),

  /** A region's mappings, optionally of one event source and/or function, in UUID order. */
  list: (db: Queryable, at: Region, filter: { eventSourceArn?: string; functionName?: string }) => {
    const where = ['account_id = ?', 'region = ?'];
    const params: string[] = [at.accountId, at.region];
    if (filter.eventSourceArn !== undefined) {
      where.push('event_source_arn = ?');
      params.push(filter.eventSourceArn);
    }
    if (filter.functionName !== undefined) {
      where.push('function_name = ?');
      params.push(filter.functionName);
    }
    return db.all<EventSourceMappingRow>(
      `SELECT * FROM lambda_event_source_mappings WHERE ${where.join(' AND ')} ORDER BY uuid`,
      params,
    );
  },

  /** Every mapping whose pollers should run, on any account: what a node's supervisor polls for. */
  enabled: (db: Queryable) =>
    db.all<EventSourceMappingRow>(
      'SELECT * FROM lambda_event_source_mappings WHERE enabled = 1 ORDER BY uuid',
    ),

  insert: (db: Queryable, row: EventSourceMappingRow) =>
    db.run(
      `INSERT INTO lambda_event_source_mappings (${columns.join(', ')})
       VALUES (${columns.map(() => '?').join(', ')})`,
      columns.map((c) => row[c] as string | number | null),
    ),

  /** Writes what the API changes; the pollers' last result is theirs to write. */
  update: (db: Queryable, row: EventSourceMappingRow) =>
    db.run(
      `UPDATE lambda_event_source_mappings SET ${updatable.map((c) => `${c} = ?`).join(', ')} WHERE uuid = ?`,
      [...updatable.map((c) => row[c] as string | number | null), row.uuid],
    ),

  /** What the pollers made of the last batch; a mapping deleted meanwhile is left alone. */
  setLastProcessingResult: (db: Queryable, uuid: string, result: string) =>
    db.run('UPDATE lambda_event_source_mappings SET last_processing_result = ? WHERE uuid = ?', [
      result,
      uuid,
    ]),

  delete: async (db: Queryable, uuid: string) =>
    (await db.run('DELETE FROM lambda_event_source_mappings WHERE uuid = ?', [uuid])).changes > 0,
};
