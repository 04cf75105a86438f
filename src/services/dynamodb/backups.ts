/**
 * On-demand backups and point-in-time recovery. A backup copies the table's item and index rows
 * as they are at one instant (one transaction); restoring one, or restoring a table to a point in
 * time, creates a new table with the source's keys, indexes and billing (not its stream, TTL or
 * tags — AWS restores those neither) and fills it from the copies with INSERT … SELECT. A
 * point-in-time restore then puts back every item changed after the chosen second as the first
 * later change found it (history.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import type { Table, TableCatalog } from './catalog.js';
import { keySchemaElements, tableDescription, tableStats } from './describe.js';
import {
  BackupNotFoundException,
  InvalidRestoreTimeException,
  PointInTimeRecoveryUnavailableException,
  TableAlreadyExistsException,
  TableNotFoundException,
  ValidationException,
} from './errors.js';
import { DAY_MS } from './history.js';
import { itemFromText } from './item-codec.js';
import type { ItemRows } from './item-store.js';
import { runWrite } from './writes.js';
import type { TableDefinition } from './table-schema.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

interface BackupRow extends Record<string, unknown> {
  backup_arn: string;
  table_name: string;
  table_arn: string;
  backup_name: string;
  status: string;
  created_at: number;
  item_count: number;
  size_bytes: number;
  source: string;
}

/** What a backup remembers of its table. */
interface BackupSource {
  tableId: string;
  tableCreatedAt: number;
  definition: TableDefinition;
}

export class Backups {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: TableCatalog,
    private readonly rows: ItemRows,
  ) {}

  async create(input: DDB.CreateBackupInput, at: Place): Promise<DDB.CreateBackupOutput> {
    const row = await this.store.transaction(async (tx) => {
      const table = await this.catalog.find(at, input.TableName!, tx);
      if (!table) throw new TableNotFoundException(`Table not found: ${input.TableName}`);
      const now = this.clock.now();
      const arn = `${table.arn}/backup/${String(now).padStart(17, '0')}-${randomBytes(4).toString('hex')}`;
      const stats = await tableStats(tx, table);
      const source: BackupSource = {
        tableId: table.definition.tableId,
        tableCreatedAt: table.createdAt,
        definition: table.definition,
      };
      await tx.run(
        `INSERT INTO dynamodb_backups (backup_arn, account_id, region, table_name, table_arn, backup_name, status,
           created_at, item_count, size_bytes, source) VALUES (?, ?, ?, ?, ?, ?, 'AVAILABLE', ?, ?, ?, ?)`,
        [
          arn,
          table.accountId,
          table.region,
          table.name,
          table.arn,
          input.BackupName!,
          now,
          stats.itemCount,
          stats.sizeBytes,
          JSON.stringify(source),
        ],
      );
      await tx.run(
        `INSERT INTO dynamodb_backup_items (backup_arn, hash, pk, sk, item, size)
         SELECT ?, hash, pk, sk, item, size FROM dynamodb_items WHERE table_id = ?`,
        [arn, table.id],
      );
      await tx.run(
        `INSERT INTO dynamodb_backup_index_items (backup_arn, index_no, hash, pk, sk, table_pk, table_sk, item, size)
         SELECT ?, index_no, hash, pk, sk, table_pk, table_sk, item, size FROM dynamodb_index_items WHERE table_id = ?`,
        [arn, table.id],
      );
      return (await tx.get<BackupRow>('SELECT * FROM dynamodb_backups WHERE backup_arn = ?', [arn]))!;
    });
    return { BackupDetails: { ...details(row), BackupStatus: 'CREATING' } };
  }

  private async backup(db: Queryable, arn: string): Promise<BackupRow> {
    const row = await db.get<BackupRow>('SELECT * FROM dynamodb_backups WHERE backup_arn = ?', [arn]);
    if (!row) throw new BackupNotFoundException(`Backup not found: ${arn}`);
    return row;
  }

  async describe(input: DDB.DescribeBackupInput): Promise<DDB.DescribeBackupOutput> {
    return { BackupDescription: description(await this.backup(this.store, input.BackupArn!)) };
  }

  async delete(input: DDB.DeleteBackupInput): Promise<DDB.DeleteBackupOutput> {
    const row = await this.store.transaction(async (tx) => {
      const row = await this.backup(tx, input.BackupArn!);
      for (const table of ['dynamodb_backup_index_items', 'dynamodb_backup_items', 'dynamodb_backups']) {
        await tx.run(`DELETE FROM ${table} WHERE backup_arn = ?`, [row.backup_arn]);
      }
      return row;
    });
    const out = description(row);
    out.BackupDetails!.BackupStatus = 'DELETED';
    return { BackupDescription: out };
  }

  async list(input: DDB.ListBackupsInput, at: Place): Promise<DDB.ListBackupsOutput> {
    const limit = input.Limit ?? 100;
    const conditions = ['account_id = ?', 'region = ?', 'backup_arn > ?'];
    const params: (string | number)[] = [at.accountId, at.region, input.ExclusiveStartBackupArn ?? ''];
    if (input.TableName !== undefined) {
      conditions.push('table_name = ?');
      params.push(input.TableName);
    }
    if (input.TimeRangeLowerBound) {
      conditions.push('created_at >= ?');
      params.push(input.TimeRangeLowerBound.getTime());
    }
    if (input.TimeRangeUpperBound) {
      conditions.push('created_at <= ?');
      params.push(input.TimeRangeUpperBound.getTime());
    }
    const rows = await this.store.all<BackupRow>(
      `SELECT * FROM dynamodb_backups WHERE ${conditions.join(' AND ')} ORDER BY backup_arn LIMIT ${limit + 1}`,
      params,
    );
    const wanted =
      input.BackupType === undefined || input.BackupType === 'USER' || input.BackupType === 'ALL';
    const page = wanted ? rows.slice(0, limit) : [];
    return {
      BackupSummaries: page.map((row) => {
        const source = JSON.parse(row.source) as BackupSource;
        return {
          TableName: row.table_name,
          TableId: source.tableId,
          TableArn: row.table_arn,
          ...details(row),
        };
      }),
      ...(wanted && rows.length > limit ? { LastEvaluatedBackupArn: page[page.length - 1]!.backup_arn } : {}),
    };
  }

  async restoreFromBackup(input: DDB.RestoreTableFromBackupInput, at: Place): Promise<DDB.TableDescription> {
    const table = await runWrite(this.store, async (tx) => {
      const backup = await this.backup(tx, input.BackupArn!);
      const source = JSON.parse(backup.source) as BackupSource;
      const target = await this.createTarget(tx, at, input.TargetTableName!, source.definition, input);
      await tx.run(
        `INSERT INTO dynamodb_items (table_id, hash, pk, sk, item, size, expires_at)
         SELECT ?, hash, pk, sk, item, size, NULL FROM dynamodb_backup_items WHERE backup_arn = ?`,
        [target.id, backup.backup_arn],
      );
      await this.copyIndexes(tx, target, 'dynamodb_backup_index_items WHERE backup_arn = ?', [
        backup.backup_arn,
      ]);
      return target;
    });
    return tableDescription(table, await tableStats(this.store, table), 'CREATING');
  }

  async updateContinuousBackups(
    input: DDB.UpdateContinuousBackupsInput,
    at: Place,
  ): Promise<DDB.UpdateContinuousBackupsOutput> {
    const spec = input.PointInTimeRecoverySpecification!;
    const days = spec.RecoveryPeriodInDays ?? 35;
    if (days < 1 || days > 35) {
      throw new ValidationException('RecoveryPeriodInDays must be an integer between 1 and 35');
    }
    const table = await this.store.transaction(async (tx) => {
      const table = await this.catalog.lock(tx, at, input.TableName!);
      const definition = structuredClone(table.definition);
      if (spec.PointInTimeRecoveryEnabled) {
        definition.pointInTimeRecovery = {
          enabledAt: definition.pointInTimeRecovery?.enabledAt ?? this.clock.now(),
          recoveryPeriodInDays: days,
        };
      } else {
        delete definition.pointInTimeRecovery;
        await tx.run('DELETE FROM dynamodb_item_history WHERE table_id = ?', [table.id]);
      }
      return this.catalog.save(tx, table, definition);
    });
    return { ContinuousBackupsDescription: this.continuous(table) };
  }

  async describeContinuousBackups(
    input: DDB.DescribeContinuousBackupsInput,
    at: Place,
  ): Promise<DDB.DescribeContinuousBackupsOutput> {
    const table = await this.catalog.find(at, input.TableName!);
    if (!table) throw new TableNotFoundException(`Table not found: ${input.TableName}`);
    return { ContinuousBackupsDescription: this.continuous(table) };
  }

  /** The oldest second a restore may ask for: PITR's start, or the recovery period ago. */
  private earliest(table: Table): number | undefined {
    const pitr = table.definition.pointInTimeRecovery;
    if (!pitr) return undefined;
    const since = Math.max(pitr.enabledAt, this.clock.now() - pitr.recoveryPeriodInDays * DAY_MS);
    return Math.ceil(since / 1000) * 1000;
  }

  private continuous(table: Table): DDB.ContinuousBackupsDescription {
    const pitr = table.definition.pointInTimeRecovery;
    return {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: pitr
        ? {
            PointInTimeRecoveryStatus: 'ENABLED',
            RecoveryPeriodInDays: pitr.recoveryPeriodInDays,
            EarliestRestorableDateTime: new Date(this.earliest(table)!),
            LatestRestorableDateTime: new Date(this.clock.now()),
          }
        : { PointInTimeRecoveryStatus: 'DISABLED' },
    };
  }

  async restoreToPointInTime(
    input: DDB.RestoreTableToPointInTimeInput,
    at: Place,
  ): Promise<DDB.TableDescription> {
    const sourceName = input.SourceTableArn ?? input.SourceTableName;
    if (!sourceName)
      throw new ValidationException('Either SourceTableArn or SourceTableName must be specified');
    const table = await runWrite(this.store, async (tx) => {
      const source = await this.catalog.find(at, sourceName, tx);
      if (!source) throw new TableNotFoundException(`Table not found: ${sourceName}`);
      const earliest = this.earliest(source);
      if (earliest === undefined) {
        throw new PointInTimeRecoveryUnavailableException(
          `Point in time recovery is not enabled for table '${source.name}'`,
        );
      }
      const now = this.clock.now();
      const time = input.UseLatestRestorableTime ? now : input.RestoreDateTime?.getTime();
      if (time === undefined) {
        throw new ValidationException('Either RestoreDateTime or UseLatestRestorableTime must be specified');
      }
      if (time < earliest || time > now) {
        throw new InvalidRestoreTimeException(
          `Restore time should be between ${new Date(earliest).toISOString()} and ${new Date(now).toISOString()}`,
        );
      }
      const target = await this.createTarget(tx, at, input.TargetTableName!, source.definition, input);
      await tx.run(
        `INSERT INTO dynamodb_items (table_id, hash, pk, sk, item, size, expires_at)
         SELECT ?, hash, pk, sk, item, size, NULL FROM dynamodb_items WHERE table_id = ?`,
        [target.id, source.id],
      );
      await this.copyIndexes(tx, target, 'dynamodb_index_items WHERE table_id = ?', [source.id]);
      await this.undoChangesAfter(tx, source, target, time);
      return target;
    });
    return tableDescription(table, await tableStats(this.store, table), 'CREATING');
  }

  /** Puts each item changed after `time` back as its first change after `time` found it. */
  private async undoChangesAfter(tx: Queryable, source: Table, target: Table, time: number): Promise<void> {
    const changes = await tx.all<{
      seq: number;
      hash: number;
      pk: Buffer;
      sk: Buffer;
      old_item: string | null;
    }>(
      'SELECT seq, hash, pk, sk, old_item FROM dynamodb_item_history WHERE table_id = ? AND changed_at > ? ORDER BY seq',
      [source.id, time],
    );
    const done = new Set<string>();
    for (const change of changes) {
      const identity = `${change.pk.toString('base64')}:${change.sk.toString('base64')}`;
      if (done.has(identity)) continue;
      done.add(identity);
      const key = { hash: change.hash, pk: change.pk, sk: change.sk };
      const current = await this.rows.get(tx, target, key);
      if (change.old_item === null) {
        if (current) await this.rows.delete(tx, target, key, current.item);
      } else {
        await this.rows.put(tx, target, key, itemFromText(change.old_item), current?.item);
      }
    }
  }

  /** The restored table; run inside `runWrite`, so a concurrent create of its name meets the check again. */
  private async createTarget(
    tx: Queryable,
    at: Place,
    name: string,
    source: TableDefinition,
    overrides: Pick<
      DDB.RestoreTableFromBackupInput,
      | 'BillingModeOverride'
      | 'ProvisionedThroughputOverride'
      | 'GlobalSecondaryIndexOverride'
      | 'LocalSecondaryIndexOverride'
    >,
  ): Promise<Table> {
    if (await this.catalog.find(at, name, tx))
      throw new TableAlreadyExistsException(`Table already exists: ${name}`);
    const definition: TableDefinition = {
      ...structuredClone(source),
      tableId: randomUUID(),
      stream: { enabled: false },
      deletionProtection: false,
    };
    delete definition.ttlAttribute;
    delete definition.pointInTimeRecovery;
    if (overrides.BillingModeOverride) definition.billingMode = overrides.BillingModeOverride;
    if (overrides.ProvisionedThroughputOverride) {
      definition.provisionedThroughput = {
        ReadCapacityUnits: overrides.ProvisionedThroughputOverride.ReadCapacityUnits!,
        WriteCapacityUnits: overrides.ProvisionedThroughputOverride.WriteCapacityUnits!,
      };
    }
    if (definition.billingMode === 'PAY_PER_REQUEST') delete definition.provisionedThroughput;
    const keep =
      (kind: 'global' | 'local', names: string[] | undefined) =>
      (index: TableDefinition['indexes'][number]) =>
        index.kind !== kind || names === undefined || names.includes(index.name);
    definition.indexes = definition.indexes
      .filter(
        keep(
          'global',
          overrides.GlobalSecondaryIndexOverride?.map((i) => i.IndexName!),
        ),
      )
      .filter(
        keep(
          'local',
          overrides.LocalSecondaryIndexOverride?.map((i) => i.IndexName!),
        ),
      );
    return this.catalog.insert(tx, at, name, definition, []);
  }

  private async copyIndexes(
    tx: Queryable,
    target: Table,
    from: string,
    params: (string | number)[],
  ): Promise<void> {
    for (const index of target.definition.indexes) {
      await tx.run(
        `INSERT INTO dynamodb_index_items (table_id, index_no, hash, pk, sk, table_pk, table_sk, item, size)
         SELECT ?, index_no, hash, pk, sk, table_pk, table_sk, item, size FROM ${from} AND index_no = ?`,
        [target.id, ...params, index.no],
      );
    }
  }
}

function details(row: BackupRow): DDB.BackupDetails {
  return {
    BackupArn: row.backup_arn,
    BackupName: row.backup_name,
    BackupSizeBytes: row.size_bytes,
    BackupStatus: row.status as DDB.BackupStatus,
    BackupType: 'USER',
    BackupCreationDateTime: new Date(row.created_at),
  };
}

function description(row: BackupRow): DDB.BackupDescription {
  const source = JSON.parse(row.source) as BackupSource;
  const d = source.definition;
  return {
    BackupDetails: details(row),
    SourceTableDetails: {
      TableName: row.table_name,
      TableId: source.tableId,
      TableArn: row.table_arn,
      TableSizeBytes: row.size_bytes,
      KeySchema: keySchemaElements(d.key),
      TableCreationDateTime: new Date(source.tableCreatedAt),
      ProvisionedThroughput: {
        ReadCapacityUnits: d.provisionedThroughput?.ReadCapacityUnits ?? 0,
        WriteCapacityUnits: d.provisionedThroughput?.WriteCapacityUnits ?? 0,
      },
      ItemCount: row.item_count,
      BillingMode: d.billingMode,
    },
    SourceTableFeatureDetails: {
      ...(d.ttlAttribute
        ? { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: d.ttlAttribute } }
        : {}),
    },
  };
}
