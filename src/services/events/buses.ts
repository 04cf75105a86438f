/**
 * Event buses: the default bus every account and region has (its row is written the first time
 * anything names it), custom buses, and their resource policies. A bus is named by name in the
 * caller's account and region, or by ARN.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import { busRef, defaultBus, type Region } from './arns.js';
import { putPermission, removePermission } from './bus-policy.js';
import {
  busNotFound,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ValidationException,
} from './errors.js';
import { afterToken, defaultPageSize, page } from './paging.js';
import { busQueries, type BusRow } from './tables.js';
import { tagsFrom } from './tags.js';

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
const parsed = <T>(text: string | null): T | undefined =>
  text === null ? undefined : (JSON.parse(text) as T);

export class Buses {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The bus a request names; ResourceNotFoundException when there is none. */
  async get(db: Queryable, nameOrArn: string | undefined, at: Region): Promise<BusRow> {
    const ref = busRef(nameOrArn, at);
    const bus = await busQueries.get(db, ref.arn);
    if (bus) return bus;
    if (ref.name !== defaultBus) throw busNotFound(ref.name);
    const now = this.clock.now();
    await busQueries.ensure(db, {
      arn: ref.arn,
      account_id: ref.accountId,
      region: ref.region,
      name: ref.name,
      description: null,
      kms_key_identifier: null,
      dead_letter_config: null,
      log_config: null,
      policy: null,
      tags: '{}',
      created_at: now,
      modified_at: now,
    });
    return (await busQueries.get(db, ref.arn))!;
  }

  async create(
    at: Region,
    input: EventBridge.CreateEventBusRequest,
  ): Promise<EventBridge.CreateEventBusResponse> {
    const name = input.Name!;
    if (input.EventSourceName !== undefined) {
      throw new ResourceNotFoundException(`Event source ${input.EventSourceName} does not exist.`);
    }
    if (name.includes('/')) throw new ValidationException("Event bus name must not contain '/'.");
    const ref = busRef(name, at);
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      if (name === defaultBus || (await busQueries.get(tx, ref.arn))) {
        throw new ResourceAlreadyExistsException(`Event bus ${name} already exists.`);
      }
      await busQueries.ensure(tx, {
        arn: ref.arn,
        account_id: at.accountId,
        region: at.region,
        name,
        description: input.Description ?? null,
        kms_key_identifier: input.KmsKeyIdentifier ?? null,
        dead_letter_config: json(input.DeadLetterConfig),
        log_config: json(input.LogConfig),
        policy: null,
        tags: JSON.stringify(tagsFrom(input.Tags)),
        created_at: now,
        modified_at: now,
      });
    });
    return {
      EventBusArn: ref.arn,
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      ...(input.KmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: input.KmsKeyIdentifier } : {}),
      ...(input.DeadLetterConfig !== undefined ? { DeadLetterConfig: input.DeadLetterConfig } : {}),
      ...(input.LogConfig !== undefined ? { LogConfig: input.LogConfig } : {}),
    };
  }

  async describe(at: Region, nameOrArn: string | undefined): Promise<EventBridge.DescribeEventBusResponse> {
    const bus = await this.get(this.store, nameOrArn, at);
    return {
      ...listed(bus),
      ...optional('KmsKeyIdentifier', bus.kms_key_identifier ?? undefined),
      ...optional('DeadLetterConfig', parsed<EventBridge.DeadLetterConfig>(bus.dead_letter_config)),
      ...optional('LogConfig', parsed<EventBridge.LogConfig>(bus.log_config)),
    };
  }

  async list(
    at: Region,
    input: EventBridge.ListEventBusesRequest,
  ): Promise<EventBridge.ListEventBusesResponse> {
    await this.get(this.store, undefined, at);
    const limit = input.Limit ?? defaultPageSize;
    const rows = await busQueries.list(
      this.store,
      at,
      input.NamePrefix ?? '',
      afterToken(input.NextToken),
      limit + 1,
    );
    const { items, NextToken } = page(rows, limit, (bus) => bus.name);
    return { EventBuses: items.map(listed), ...(NextToken ? { NextToken } : {}) };
  }

  async update(
    at: Region,
    input: EventBridge.UpdateEventBusRequest,
  ): Promise<EventBridge.UpdateEventBusResponse> {
    const bus = await this.store.transaction(async (tx) => {
      const current = await this.get(tx, input.Name, at);
      const next: BusRow = {
        ...current,
        description: input.Description ?? current.description,
        kms_key_identifier: input.KmsKeyIdentifier ?? current.kms_key_identifier,
        dead_letter_config: input.DeadLetterConfig
          ? json(input.DeadLetterConfig)
          : current.dead_letter_config,
        log_config: input.LogConfig ? json(input.LogConfig) : current.log_config,
        modified_at: this.clock.now(),
      };
      await busQueries.update(tx, next);
      return next;
    });
    return {
      Arn: bus.arn,
      Name: bus.name,
      ...optional('Description', bus.description ?? undefined),
      ...optional('KmsKeyIdentifier', bus.kms_key_identifier ?? undefined),
      ...optional('DeadLetterConfig', parsed<EventBridge.DeadLetterConfig>(bus.dead_letter_config)),
      ...optional('LogConfig', parsed<EventBridge.LogConfig>(bus.log_config)),
    };
  }

  /** Deletes a custom bus with its rules, targets and archives; a bus that is not there is no error. */
  async delete(at: Region, name: string): Promise<void> {
    if (name === defaultBus) throw new ValidationException('Cannot delete event bus default.');
    await busQueries.delete(this.store, busRef(name, at).arn);
  }

  async putPermission(at: Region, input: EventBridge.PutPermissionRequest): Promise<void> {
    await this.changePolicy(at, input.EventBusName, (bus) =>
      putPermission(bus.policy ?? undefined, input, bus),
    );
  }

  async removePermission(at: Region, input: EventBridge.RemovePermissionRequest): Promise<void> {
    await this.changePolicy(at, input.EventBusName, (bus) => {
      if (input.RemoveAllPermissions) return undefined;
      if (input.StatementId === undefined) {
        throw new ValidationException('Parameter StatementId must be specified.');
      }
      return removePermission(bus.policy ?? undefined, input.StatementId);
    });
  }

  private async changePolicy(
    at: Region,
    name: string | undefined,
    change: (bus: BusRow) => string | undefined,
  ): Promise<void> {
    await this.store.transaction(async (tx) => {
      const bus = await this.get(tx, name, at);
      await busQueries.update(tx, { ...bus, policy: change(bus) ?? null, modified_at: this.clock.now() });
    });
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function listed(bus: BusRow): EventBridge.EventBus {
  return {
    Name: bus.name,
    Arn: bus.arn,
    ...optional('Description', bus.description ?? undefined),
    ...optional('Policy', bus.policy ?? undefined),
    CreationTime: new Date(bus.created_at),
    LastModifiedTime: new Date(bus.modified_at),
  };
}
