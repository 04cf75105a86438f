/**
 * The table operations: CreateTable, UpdateTable, DeleteTable, DescribeTable, ListTables, tags
 * and TTL settings. Work a change leaves behind — building a new GSI from the table's items,
 * deleting a dropped table's or index's rows, stamping TTL due times on existing items — is a
 * maintenance work item written in the same transaction (maintenance.ts does it).
 */
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import type { WorkQueue } from '../../storage/work-queue.js';
import type { RequestContext } from '../service.js';
import { type Table, type TableCatalog } from './catalog.js';
import { tableDescription, tableStats } from './describe.js';
import {
  invalidParameters,
  LimitExceededException,
  ResourceNotFoundException,
  ValidationException,
} from './errors.js';
import { maintenanceQueue, type Maintenance } from './maintenance.js';
import type { StreamRecorder } from './streams.js';
import { runWrite } from './writes.js';
import {
  attributeDefinitionsOf,
  checkAttributeDefinitionsUsed,
  checkProjectedAttributeLimit,
  checkThroughput,
  globalIndexOf,
  keyAttributeNames,
  tableDefinitionOf,
  type TableDefinition,
} from './table-schema.js';

const MAX_TAGS = 50;

export class TableAdmin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: TableCatalog,
    private readonly workQueue: WorkQueue,
    private readonly streams: StreamRecorder,
    private readonly wakeMaintenance: () => void,
  ) {}

  /** A stream's label is its creation time; a table's next stream gets a later one even on a frozen clock. */
  private streamLabel(previous?: string): string {
    const after = previous === undefined ? -Infinity : Date.parse(`${previous}Z`) + 1;
    return new Date(Math.max(this.clock.now(), after)).toISOString().replace('Z', '');
  }

  async create(input: DDB.CreateTableInput, at: RequestContext): Promise<DDB.TableDescription> {
    const definition = tableDefinitionOf(input, this.clock.now());
    if (definition.stream.enabled) definition.stream.label = this.streamLabel();
    checkTags(input.Tags ?? []);
    // A concurrent create of the same name (PostgreSQL: a unique violation) runs again and is
    // refused as AWS refuses it.
    const table = await runWrite(this.store, async (tx) => {
      const table = await this.catalog.insert(tx, at, input.TableName!, definition, input.Tags ?? []);
      if (definition.stream.enabled) await this.streams.open(tx, table);
      return table;
    });
    return tableDescription(table, undefined, 'CREATING');
  }

  async describe(input: DDB.DescribeTableInput, at: RequestContext): Promise<DDB.TableDescription> {
    const table = await this.catalog.require(at, input.TableName!);
    return tableDescription(table, await tableStats(this.store, table));
  }

  async delete(input: DDB.DeleteTableInput, at: RequestContext): Promise<DDB.TableDescription> {
    const { table, stats } = await this.store.transaction(async (tx) => {
      const table = await this.catalog.lock(tx, at, input.TableName!);
      if (table.definition.deletionProtection) {
        throw new ValidationException(
          'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
        );
      }
      const stats = await tableStats(tx, table);
      if (table.definition.stream.enabled) await this.streams.close(tx, table);
      await this.catalog.remove(tx, table);
      await this.enqueue(tx, { kind: 'purge', tableId: table.id });
      return { table, stats };
    });
    this.wakeMaintenance();
    return tableDescription(table, stats, 'DELETING');
  }

  async list(input: DDB.ListTablesInput, at: RequestContext): Promise<DDB.ListTablesOutput> {
    const limit = input.Limit ?? 100;
    const names = await this.catalog.names(at, input.ExclusiveStartTableName, limit);
    const page = names.slice(0, limit);
    return {
      TableNames: page,
      ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}),
    };
  }

  async update(input: DDB.UpdateTableInput, at: RequestContext): Promise<DDB.TableDescription> {
    const table = await this.store.transaction(async (tx) => {
      const table = await this.catalog.lock(tx, at, input.TableName!);
      const definition = structuredClone(table.definition);
      const work: Maintenance[] = [];
      let changed = false;
      if (input.BillingMode !== undefined || input.ProvisionedThroughput !== undefined) {
        this.updateBilling(definition, input);
        changed = true;
      }
      if (input.GlobalSecondaryIndexUpdates) {
        work.push(...this.updateIndexes(table, definition, input));
        changed = true;
      }
      if (input.StreamSpecification) {
        this.updateStream(table, definition, input.StreamSpecification);
        changed = true;
      }
      if (input.DeletionProtectionEnabled !== undefined) {
        definition.deletionProtection = input.DeletionProtectionEnabled;
        changed = true;
      }
      if (input.TableClass !== undefined) {
        definition.tableClass = input.TableClass;
        changed = true;
      }
      if (input.SSESpecification !== undefined) {
        definition.sse = input.SSESpecification;
        changed = true;
      }
      if (!changed) {
        throw new ValidationException(
          'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
        );
      }
      for (const item of work) await this.enqueue(tx, item);
      const saved = await this.catalog.save(tx, table, definition);
      if (input.StreamSpecification) {
        if (saved.definition.stream.enabled) await this.streams.open(tx, saved);
        else await this.streams.close(tx, table);
      }
      return saved;
    });
    this.wakeMaintenance();
    return tableDescription(table, await tableStats(this.store, table), 'UPDATING');
  }

  private updateBilling(definition: TableDefinition, input: DDB.UpdateTableInput): void {
    const mode = input.BillingMode ?? definition.billingMode;
    if (mode === 'PAY_PER_REQUEST') {
      if (input.ProvisionedThroughput) {
        throw invalidParameters(
          'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
        );
      }
      definition.billingMode = 'PAY_PER_REQUEST';
      delete definition.provisionedThroughput;
      for (const index of definition.indexes) delete index.provisionedThroughput;
      return;
    }
    const throughput = input.ProvisionedThroughput ?? definition.provisionedThroughput;
    if (!throughput) {
      throw invalidParameters(
        'ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
      );
    }
    const units = checkThroughput(throughput);
    const current = definition.provisionedThroughput;
    if (
      input.BillingMode === undefined &&
      current &&
      current.ReadCapacityUnits === units.ReadCapacityUnits &&
      current.WriteCapacityUnits === units.WriteCapacityUnits
    ) {
      throw new ValidationException(
        `The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ${current.ReadCapacityUnits}. Requested ReadCapacityUnits: ${units.ReadCapacityUnits}. Current WriteCapacityUnits provisioned for the table: ${current.WriteCapacityUnits}. Requested WriteCapacityUnits: ${units.WriteCapacityUnits}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
      );
    }
    definition.billingMode = 'PROVISIONED';
    definition.provisionedThroughput = units;
  }

  private updateIndexes(
    table: Table,
    definition: TableDefinition,
    input: DDB.UpdateTableInput,
  ): Maintenance[] {
    const updates = input.GlobalSecondaryIndexUpdates!;
    const onlineChanges = updates.filter((u) => u.Create ?? u.Delete).length;
    if (onlineChanges > 1) {
      throw new LimitExceededException(
        'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
      );
    }
    const work: Maintenance[] = [];
    for (const update of updates) {
      if (update.Create) {
        const create = update.Create;
        if (definition.indexes.some((index) => index.name === create.IndexName)) {
          throw new ValidationException(
            `One or more parameter values were invalid: Table already has an index with name ${create.IndexName}`,
          );
        }
        if (!input.AttributeDefinitions) {
          throw new ValidationException(
            'The number of attributes in key schema must match the number of attributes defined in attribute definitions.',
          );
        }
        const definitions = attributeDefinitionsOf(input.AttributeDefinitions);
        for (const existing of definition.attributeDefinitions) {
          if (!definitions.has(existing.name)) definitions.set(existing.name, existing.type);
        }
        const index = globalIndexOf(
          create,
          definitions,
          definition.billingMode,
          definition.nextIndexNo++,
          this.clock.now(),
          'CREATING',
        );
        index.backfilling = true;
        definition.indexes.push(index);
        const used = keyAttributeNames(definition);
        definition.attributeDefinitions = [...definitions]
          .filter(([name]) => used.has(name))
          .map(([name, type]) => ({ name, type }));
        checkAttributeDefinitionsUsed(new Map([...definitions].filter(([name]) => used.has(name))), used);
        checkProjectedAttributeLimit(definition.indexes);
        if (definition.indexes.filter((i) => i.kind === 'global').length > 20) {
          throw invalidParameters('GlobalSecondaryIndex count exceeds the per-table limit of 20');
        }
        work.push({ kind: 'backfill', tableId: table.id, indexNo: index.no });
      } else if (update.Delete) {
        const index = this.globalIndex(table, definition, update.Delete.IndexName!);
        definition.indexes = definition.indexes.filter((i) => i !== index);
        const used = keyAttributeNames(definition);
        definition.attributeDefinitions = definition.attributeDefinitions.filter((a) => used.has(a.name));
        work.push({ kind: 'purge', tableId: table.id, indexNo: index.no });
      } else if (update.Update) {
        const index = this.globalIndex(table, definition, update.Update.IndexName!);
        if (update.Update.ProvisionedThroughput) {
          index.provisionedThroughput = checkThroughput(update.Update.ProvisionedThroughput);
        }
      }
    }
    return work;
  }

  private globalIndex(table: Table, definition: TableDefinition, name: string) {
    const index = definition.indexes.find((i) => i.kind === 'global' && i.name === name);
    if (!index) {
      throw new ValidationException(
        `Requested resource not found: Index: ${name} not found for table: ${table.name}`,
      );
    }
    return index;
  }

  private updateStream(table: Table, definition: TableDefinition, spec: DDB.StreamSpecification): void {
    if (spec.StreamEnabled) {
      if (!spec.StreamViewType) {
        throw new ValidationException(
          'StreamSpecification.StreamViewType must be specified when streams are enabled',
        );
      }
      if (definition.stream.enabled) {
        throw new ValidationException(`Table already has an enabled stream: TableName: ${table.name}`);
      }
      definition.stream = {
        enabled: true,
        viewType: spec.StreamViewType,
        label: this.streamLabel(definition.stream.label),
      };
    } else {
      if (!definition.stream.enabled) {
        throw new ValidationException(`Table already has stream disabled: TableName: ${table.name}`);
      }
      definition.stream = {
        enabled: false,
        ...(definition.stream.label ? { label: definition.stream.label } : {}),
      };
    }
  }

  async updateTimeToLive(
    input: DDB.UpdateTimeToLiveInput,
    at: RequestContext,
  ): Promise<DDB.UpdateTimeToLiveOutput> {
    const spec = input.TimeToLiveSpecification!;
    await this.store.transaction(async (tx) => {
      const table = await this.catalog.lock(tx, at, input.TableName!);
      const definition = structuredClone(table.definition);
      if (spec.Enabled) {
        if (definition.ttlAttribute !== undefined)
          throw new ValidationException('TimeToLive is already enabled');
        definition.ttlAttribute = spec.AttributeName!;
      } else {
        if (definition.ttlAttribute === undefined)
          throw new ValidationException('TimeToLive is already disabled');
        if (definition.ttlAttribute !== spec.AttributeName) {
          throw new ValidationException(
            `TimeToLive is active on a different AttributeName: current AttributeName is ${definition.ttlAttribute}`,
          );
        }
        delete definition.ttlAttribute;
      }
      await this.catalog.save(tx, table, definition);
      await this.enqueue(tx, { kind: 'expiry', tableId: table.id });
    });
    this.wakeMaintenance();
    return { TimeToLiveSpecification: spec };
  }

  async describeTimeToLive(
    input: DDB.DescribeTimeToLiveInput,
    at: RequestContext,
  ): Promise<DDB.DescribeTimeToLiveOutput> {
    const table = await this.catalog.require(at, input.TableName!);
    const attribute = table.definition.ttlAttribute;
    return {
      TimeToLiveDescription:
        attribute === undefined
          ? { TimeToLiveStatus: 'DISABLED' }
          : { TimeToLiveStatus: 'ENABLED', AttributeName: attribute },
    };
  }

  async tag(input: DDB.TagResourceInput): Promise<void> {
    checkTags(input.Tags!);
    await this.changeTags(input.ResourceArn!, (tags) => {
      const byKey = new Map(tags.map((t) => [t.Key!, t]));
      for (const tag of input.Tags!) byKey.set(tag.Key!, tag);
      return [...byKey.values()];
    });
  }

  async untag(input: DDB.UntagResourceInput): Promise<void> {
    const drop = new Set(input.TagKeys);
    await this.changeTags(input.ResourceArn!, (tags) => tags.filter((t) => !drop.has(t.Key!)));
  }

  async listTags(input: DDB.ListTagsOfResourceInput): Promise<DDB.ListTagsOfResourceOutput> {
    const table = await this.tableByArn(input.ResourceArn!);
    return { Tags: table.tags };
  }

  private async changeTags(arn: string, change: (tags: DDB.Tag[]) => DDB.Tag[]): Promise<void> {
    const table = await this.tableByArn(arn);
    await this.store.transaction(async (tx) => {
      const locked = await this.catalog.lock(tx, table, table.name);
      const tags = change(locked.tags);
      if (tags.length > MAX_TAGS) {
        throw new ValidationException(
          `One or more parameter values were invalid: Too many tags: ${tags.length}`,
        );
      }
      await this.catalog.save(tx, locked, locked.definition, tags);
    });
  }

  private async tableByArn(arn: string): Promise<Table> {
    const table = await this.catalog.byArn(arn);
    if (!table) {
      throw new ResourceNotFoundException(`Requested resource not found: ResourceArn: ${arn} not found`);
    }
    return table;
  }

  private enqueue(tx: Parameters<WorkQueue['enqueue']>[0], work: Maintenance) {
    return this.workQueue.enqueue(tx, maintenanceQueue, work);
  }
}

function checkTags(tags: readonly DDB.Tag[]): void {
  if (tags.length > MAX_TAGS) {
    throw new ValidationException(`One or more parameter values were invalid: Too many tags: ${tags.length}`);
  }
}
