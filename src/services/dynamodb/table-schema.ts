/**
 * A table's definition as CreateTable gives it, checked the way DynamoDB checks it (key schema,
 * attribute definitions, billing, secondary indexes), and turned into what the service works
 * with: the key of the table and of every index, and each index's projection.
 */
import { randomUUID } from 'node:crypto';
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { ScalarAttributeType } from './attribute-value.js';
import { invalidParameters, LimitExceededException, ValidationException } from './errors.js';

export interface KeyAttribute {
  name: string;
  type: ScalarAttributeType;
}

/** A primary key: the partition (hash) key and, on composite keys, the sort (range) key. */
export interface KeySchema {
  hash: KeyAttribute;
  range?: KeyAttribute;
}

export interface Projection {
  type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  nonKeyAttributes: string[];
}

export interface IndexDefinition {
  /** The index's number within its table (its rows' `index_no`); never reused within a table. */
  no: number;
  name: string;
  kind: 'global' | 'local';
  key: KeySchema;
  projection: Projection;
  status: 'CREATING' | 'ACTIVE' | 'DELETING' | 'UPDATING';
  /** GSIs being built from the table's existing items. */
  backfilling?: boolean;
  provisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  createdAt: number;
}

export interface StreamSettings {
  enabled: boolean;
  viewType?: DDB.StreamViewType;
  /** The current stream's label (its creation time, ISO); undefined before the first stream. */
  label?: string;
}

/** What a table row's `definition` column holds. */
export interface TableDefinition {
  /** DescribeTable's `TableId`: a UUID of this table, not of its name. */
  tableId: string;
  attributeDefinitions: KeyAttribute[];
  key: KeySchema;
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  provisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  indexes: IndexDefinition[];
  nextIndexNo: number;
  stream: StreamSettings;
  tableClass: DDB.TableClass;
  deletionProtection: boolean;
  sse?: DDB.SSESpecification;
  /** `UpdateTimeToLive`'s attribute, while TTL is enabled. */
  ttlAttribute?: string;
  pointInTimeRecovery?: { enabledAt: number; recoveryPeriodInDays: number };
}

const MAX_LOCAL_INDEXES = 5;
const MAX_GLOBAL_INDEXES = 20;
/** DynamoDB's limit on attributes projected (INCLUDE) across all of a table's secondary indexes. */
const MAX_PROJECTED_ATTRIBUTES = 100;
const MAX_CAPACITY_UNITS = 1_000_000_000_000;

function keySchemaOf(
  elements: readonly DDB.KeySchemaElement[],
  definitions: ReadonlyMap<string, ScalarAttributeType>,
): KeySchema {
  const names = elements.map((e) => e.AttributeName!);
  if (names.some((name) => !definitions.has(name))) {
    throw invalidParameters(
      `Some index key attributes are not defined in AttributeDefinitions. Keys: [${names.join(', ')}], AttributeDefinitions: [${[...definitions.keys()].join(', ')}]`,
    );
  }
  if (names.length === 2 && names[0] === names[1]) {
    throw new ValidationException(
      'Both the Hash Key and the Range Key element in the KeySchema have the same name',
    );
  }
  if (elements[0]!.KeyType !== 'HASH') {
    throw new ValidationException('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  }
  if (elements[1] && elements[1].KeyType !== 'RANGE') {
    throw new ValidationException('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  }
  const attribute = (name: string): KeyAttribute => ({ name, type: definitions.get(name)! });
  return { hash: attribute(names[0]!), ...(names[1] ? { range: attribute(names[1]) } : {}) };
}

function projectionOf(projection: DDB.Projection | undefined): Projection {
  const type = projection?.ProjectionType;
  if (!type) throw invalidParameters('Unknown ProjectionType: null');
  if (projection.NonKeyAttributes && type !== 'INCLUDE') {
    throw invalidParameters(`ProjectionType is ${type}, but NonKeyAttributes is specified`);
  }
  return { type, nonKeyAttributes: projection.NonKeyAttributes ?? [] };
}

export function checkThroughput(throughput: DDB.ProvisionedThroughput): {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
} {
  for (const name of ['ReadCapacityUnits', 'WriteCapacityUnits'] as const) {
    const value = throughput[name]!;
    if (value > MAX_CAPACITY_UNITS)
      throw new ValidationException(`Given value ${value} for ${name} is out of bounds`);
  }
  return {
    ReadCapacityUnits: throughput.ReadCapacityUnits!,
    WriteCapacityUnits: throughput.WriteCapacityUnits!,
  };
}

function billingOf(
  input: DDB.CreateTableInput,
): Pick<TableDefinition, 'billingMode' | 'provisionedThroughput'> {
  if (input.BillingMode === 'PAY_PER_REQUEST') {
    if (input.ProvisionedThroughput) {
      throw invalidParameters(
        'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
    }
    return { billingMode: 'PAY_PER_REQUEST' };
  }
  const throughput = input.ProvisionedThroughput;
  if (!throughput?.ReadCapacityUnits || !throughput.WriteCapacityUnits) {
    throw invalidParameters(
      'ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
  }
  return { billingMode: 'PROVISIONED', provisionedThroughput: checkThroughput(throughput) };
}

/** Checks one GSI of CreateTable or UpdateTable's Create action. */
export function globalIndexOf(
  index: DDB.GlobalSecondaryIndex,
  definitions: ReadonlyMap<string, ScalarAttributeType>,
  billingMode: TableDefinition['billingMode'],
  no: number,
  now: number,
  status: IndexDefinition['status'],
): IndexDefinition {
  const key = keySchemaOf(index.KeySchema!, definitions);
  const projection = projectionOf(index.Projection);
  if (billingMode === 'PAY_PER_REQUEST' && index.ProvisionedThroughput) {
    throw invalidParameters(
      `ProvisionedThroughput should not be specified for index: ${index.IndexName} when BillingMode is PAY_PER_REQUEST`,
    );
  }
  if (billingMode === 'PROVISIONED' && !index.ProvisionedThroughput) {
    throw invalidParameters(`ProvisionedThroughput must be specified for index: ${index.IndexName}`);
  }
  return {
    no,
    name: index.IndexName!,
    kind: 'global',
    key,
    projection,
    status,
    ...(index.ProvisionedThroughput
      ? { provisionedThroughput: checkThroughput(index.ProvisionedThroughput) }
      : {}),
    createdAt: now,
  };
}

export function attributeDefinitionsOf(
  input: readonly DDB.AttributeDefinition[],
): Map<string, ScalarAttributeType> {
  const definitions = new Map<string, ScalarAttributeType>();
  for (const definition of input) {
    if (definitions.has(definition.AttributeName!)) {
      throw invalidParameters(`Duplicate AttributeName in AttributeDefinitions: ${definition.AttributeName}`);
    }
    definitions.set(definition.AttributeName!, definition.AttributeType as ScalarAttributeType);
  }
  return definitions;
}

/** Every attribute some key of the table or its indexes uses. */
export function keyAttributeNames(definition: Pick<TableDefinition, 'key' | 'indexes'>): Set<string> {
  const names = new Set<string>();
  for (const key of [definition.key, ...definition.indexes.map((index) => index.key)]) {
    names.add(key.hash.name);
    if (key.range) names.add(key.range.name);
  }
  return names;
}

/** Attribute definitions must be exactly the key attributes of the table and its indexes. */
export function checkAttributeDefinitionsUsed(
  definitions: ReadonlyMap<string, ScalarAttributeType>,
  used: ReadonlySet<string>,
): void {
  if (definitions.size !== used.size || [...definitions.keys()].some((name) => !used.has(name))) {
    throw invalidParameters(
      'Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  }
}

export function checkProjectedAttributeLimit(indexes: readonly IndexDefinition[]): void {
  const projected = new Set(indexes.flatMap((index) => index.projection.nonKeyAttributes));
  if (projected.size > MAX_PROJECTED_ATTRIBUTES) {
    throw new LimitExceededException(
      `The number of projected attributes in all secondary indexes exceeds the limit of ${MAX_PROJECTED_ATTRIBUTES}`,
    );
  }
}

export function tableDefinitionOf(input: DDB.CreateTableInput, now: number): TableDefinition {
  const billing = billingOf(input);
  const definitions = attributeDefinitionsOf(input.AttributeDefinitions!);
  if (input.KeySchema!.length > definitions.size) {
    throw new ValidationException('Invalid KeySchema: Some index key attribute have no definition');
  }
  const key = keySchemaOf(input.KeySchema!, definitions);
  const indexes: IndexDefinition[] = [];
  const names = new Set<string>();
  const addIndex = (index: IndexDefinition) => {
    if (names.has(index.name)) throw invalidParameters(`Duplicate index name: ${index.name}`);
    names.add(index.name);
    indexes.push(index);
  };
  const locals = input.LocalSecondaryIndexes;
  if (locals) {
    if (locals.length === 0) throw invalidParameters('List of LocalSecondaryIndexes is empty');
    if (!key.range) {
      throw invalidParameters(
        'Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
      );
    }
    for (const local of locals) {
      const indexKey = keySchemaOf(local.KeySchema!, definitions);
      if (!indexKey.range) {
        throw invalidParameters(`Index KeySchema does not have a range key for index: ${local.IndexName}`);
      }
      if (indexKey.hash.name !== key.hash.name) {
        throw invalidParameters(
          `Index KeySchema does not have the same leading hash key as table KeySchema for index: ${local.IndexName}. index hash key: ${indexKey.hash.name}, table hash key: ${key.hash.name}`,
        );
      }
      addIndex({
        no: indexes.length + 1,
        name: local.IndexName!,
        kind: 'local',
        key: indexKey,
        projection: projectionOf(local.Projection),
        status: 'ACTIVE',
        createdAt: now,
      });
    }
    if (locals.length > MAX_LOCAL_INDEXES) {
      throw invalidParameters(
        `Number of LocalSecondaryIndexes exceeds per-table limit of ${MAX_LOCAL_INDEXES}`,
      );
    }
  }
  const globals = input.GlobalSecondaryIndexes;
  if (globals) {
    if (globals.length === 0) throw invalidParameters('List of GlobalSecondaryIndexes is empty');
    for (const global of globals) {
      addIndex(globalIndexOf(global, definitions, billing.billingMode, indexes.length + 1, now, 'ACTIVE'));
    }
    if (globals.length > MAX_GLOBAL_INDEXES) {
      throw invalidParameters(
        `GlobalSecondaryIndex count exceeds the per-table limit of ${MAX_GLOBAL_INDEXES}`,
      );
    }
  }
  checkAttributeDefinitionsUsed(definitions, keyAttributeNames({ key, indexes }));
  checkProjectedAttributeLimit(indexes);
  const stream = input.StreamSpecification;
  if (stream?.StreamEnabled && !stream.StreamViewType) {
    throw new ValidationException(
      'StreamSpecification.StreamViewType must be specified when streams are enabled',
    );
  }
  return {
    tableId: randomUUID(),
    attributeDefinitions: [...definitions].map(([name, type]) => ({ name, type })),
    key,
    ...billing,
    indexes,
    nextIndexNo: indexes.length + 1,
    stream: {
      enabled: stream?.StreamEnabled ?? false,
      ...(stream?.StreamEnabled ? { viewType: stream.StreamViewType } : {}),
    },
    tableClass: input.TableClass ?? 'STANDARD',
    deletionProtection: input.DeletionProtectionEnabled ?? false,
    ...(input.SSESpecification ? { sse: input.SSESpecification } : {}),
  };
}
