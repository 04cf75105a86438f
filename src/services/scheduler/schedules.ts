/**
 * Schedules and schedule groups: create, read, update, delete and list, and the group's tags.
 * Every account and region has the `default` group, whose row is written when first needed. A
 * schedule's settings are kept as one JSON definition; its next due time, computed here from them
 * (timing.ts), is what the firing side (firing.ts) claims.
 */
import type * as Scheduler from '@aws-sdk/client-scheduler';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import { buildArn, parseArn } from '../arn.js';
import type { Region } from '../events/arns.js';
import { afterToken, defaultPageSize, page } from '../events/paging.js';
import { ConflictException, groupNotFound, scheduleNotFound, ValidationException } from './errors.js';
import { groupQueries, scheduleQueries, type GroupRow, type ScheduleRow } from './tables.js';
import { nextDue, parseTiming, validZone, type ScheduleWindow } from './timing.js';

export const defaultGroup = 'default';

/** What a schedule keeps: CreateSchedule's input without its names, dates as milliseconds. */
export interface Definition {
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  StartDate?: number;
  EndDate?: number;
  FlexibleTimeWindow: Scheduler.FlexibleTimeWindow;
  ActionAfterCompletion?: string;
  Description?: string;
  KmsKeyArn?: string;
  Target: Scheduler.Target;
}

export const groupArn = (at: Region, name: string) =>
  buildArn({ service: 'scheduler', ...at, resource: `schedule-group/${name}` });
const scheduleArn = (at: Region, group: string, name: string) =>
  buildArn({ service: 'scheduler', ...at, resource: `schedule/${group}/${name}` });

/** When a schedule's rate counts from and the window it runs in. */
export function windowOf(definition: Definition, anchor: number): ScheduleWindow {
  return {
    timing: parseTiming(definition.ScheduleExpression)!,
    zone: definition.ScheduleExpressionTimezone ?? 'UTC',
    anchor: definition.StartDate ?? anchor,
    start: definition.StartDate,
    end: definition.EndDate,
  };
}

type ScheduleInput = Scheduler.CreateScheduleInput | Scheduler.UpdateScheduleInput;

export class Schedules {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Called once a change to a schedule's timing has committed. */
    private readonly changed: () => void,
  ) {}

  async create(at: Region, input: Scheduler.CreateScheduleInput): Promise<Scheduler.CreateScheduleOutput> {
    const definition = checked(input);
    const group = input.GroupName ?? defaultGroup;
    const now = this.clock.now();
    const arn = scheduleArn(at, group, input.Name!);
    await this.store.transaction(async (tx) => {
      await this.group(tx, at, group);
      const inserted = await scheduleQueries.insert(tx, {
        arn,
        account_id: at.accountId,
        region: at.region,
        group_name: group,
        name: input.Name!,
        definition: JSON.stringify(definition),
        state: input.State ?? 'ENABLED',
        next_due_at: firstDue(definition, input.State ?? 'ENABLED', now),
        created_at: now,
        modified_at: now,
      });
      if (!inserted) throw new ConflictException(`Schedule ${input.Name} already exists.`);
    });
    this.changed();
    return { ScheduleArn: arn };
  }

  async update(at: Region, input: Scheduler.UpdateScheduleInput): Promise<Scheduler.UpdateScheduleOutput> {
    const definition = checked(input);
    const now = this.clock.now();
    const arn = await this.store.transaction(async (tx) => {
      const row = await this.get(tx, at, input.GroupName, input.Name!);
      const state = input.State ?? 'ENABLED';
      await scheduleQueries.update(tx, {
        ...row,
        definition: JSON.stringify(definition),
        state,
        next_due_at: firstDue(definition, state, now),
        modified_at: now,
      });
      return row.arn;
    });
    this.changed();
    return { ScheduleArn: arn };
  }

  async describe(at: Region, group: string | undefined, name: string): Promise<Scheduler.GetScheduleOutput> {
    const row = await this.get(this.store, at, group, name);
    const { StartDate, EndDate, ...definition } = JSON.parse(row.definition) as Definition;
    return {
      Arn: row.arn,
      Name: row.name,
      GroupName: row.group_name,
      State: row.state as Scheduler.ScheduleState,
      CreationDate: new Date(row.created_at),
      LastModificationDate: new Date(row.modified_at),
      ...definition,
      ...(StartDate !== undefined ? { StartDate: new Date(StartDate) } : {}),
      ...(EndDate !== undefined ? { EndDate: new Date(EndDate) } : {}),
      ActionAfterCompletion: (definition.ActionAfterCompletion ?? 'NONE') as Scheduler.ActionAfterCompletion,
    };
  }

  async delete(at: Region, group: string | undefined, name: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      await scheduleQueries.delete(tx, (await this.get(tx, at, group, name)).arn);
    });
  }

  async list(at: Region, input: Scheduler.ListSchedulesInput): Promise<Scheduler.ListSchedulesOutput> {
    const limit = input.MaxResults ?? defaultPageSize;
    if (input.GroupName !== undefined) await this.group(this.store, at, input.GroupName);
    const rows = await scheduleQueries.list(
      this.store,
      at,
      {
        prefix: input.NamePrefix ?? '',
        ...(input.GroupName !== undefined ? { group: input.GroupName } : {}),
        ...(input.State !== undefined ? { state: input.State } : {}),
      },
      afterToken(input.NextToken),
      limit + 1,
    );
    const { items, NextToken } = page(rows, limit, (row) => `${row.group_name}/${row.name}`);
    return {
      Schedules: items.map((row) => ({
        Arn: row.arn,
        Name: row.name,
        GroupName: row.group_name,
        State: row.state as Scheduler.ScheduleState,
        CreationDate: new Date(row.created_at),
        LastModificationDate: new Date(row.modified_at),
        Target: { Arn: (JSON.parse(row.definition) as Definition).Target.Arn },
      })),
      ...(NextToken ? { NextToken } : {}),
    };
  }

  async createGroup(at: Region, input: Scheduler.CreateScheduleGroupInput) {
    const now = this.clock.now();
    const arn = groupArn(at, input.Name!);
    const tags = Object.fromEntries((input.Tags ?? []).map((tag) => [tag.Key!, tag.Value!]));
    await this.ensureDefault(this.store, at);
    const inserted = await groupQueries.insert(this.store, groupRow(at, input.Name!, now, tags));
    if (!inserted) throw new ConflictException(`Schedule group ${input.Name} already exists.`);
    return { ScheduleGroupArn: arn };
  }

  async describeGroup(at: Region, name: string): Promise<Scheduler.GetScheduleGroupOutput> {
    return groupSummary(await this.group(this.store, at, name));
  }

  async deleteGroup(at: Region, name: string): Promise<void> {
    if (name === defaultGroup) throw new ValidationException('The default schedule group cannot be deleted.');
    await this.store.transaction(async (tx) => {
      const group = await this.group(tx, at, name);
      await scheduleQueries.deleteGroup(tx, at, name);
      await groupQueries.delete(tx, group.arn);
    });
  }

  async listGroups(
    at: Region,
    input: Scheduler.ListScheduleGroupsInput,
  ): Promise<Scheduler.ListScheduleGroupsOutput> {
    await this.ensureDefault(this.store, at);
    const limit = input.MaxResults ?? defaultPageSize;
    const rows = await groupQueries.list(
      this.store,
      at,
      input.NamePrefix ?? '',
      afterToken(input.NextToken),
      limit + 1,
    );
    const { items, NextToken } = page(rows, limit, (row) => row.name);
    return { ScheduleGroups: items.map(groupSummary), ...(NextToken ? { NextToken } : {}) };
  }

  /** A group's tags by its ARN (schedules carry no tags in the Scheduler). */
  async tags(arn: string, change?: (tags: Record<string, string>) => void): Promise<Scheduler.Tag[]> {
    const parsed = parseArn(arn);
    const name = parsed?.resource.replace(/^schedule-group\//, '') ?? arn;
    if (parsed?.resource.startsWith('schedule-group/')) await this.ensureDefault(this.store, parsed);
    const row = await groupQueries.byArn(this.store, arn);
    if (!row) throw groupNotFound(name);
    const tags = JSON.parse(row.tags) as Record<string, string>;
    if (change) {
      change(tags);
      await groupQueries.setTags(this.store, arn, JSON.stringify(tags));
    }
    return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  }

  private async get(
    db: Queryable,
    at: Region,
    group: string | undefined,
    name: string,
  ): Promise<ScheduleRow> {
    const row = await scheduleQueries.get(db, at, group ?? defaultGroup, name);
    if (!row) {
      await this.group(db, at, group ?? defaultGroup);
      throw scheduleNotFound(name);
    }
    return row;
  }

  private async group(db: Queryable, at: Region, name: string): Promise<GroupRow> {
    if (name === defaultGroup) await this.ensureDefault(db, at);
    const group = await groupQueries.get(db, at, name);
    if (!group) throw groupNotFound(name);
    return group;
  }

  private async ensureDefault(db: Queryable, at: Region): Promise<void> {
    if (!(await groupQueries.get(db, at, defaultGroup))) {
      await groupQueries.insert(db, groupRow(at, defaultGroup, this.clock.now(), {}));
    }
  }
}

function groupRow(at: Region, name: string, now: number, tags: Record<string, string>): GroupRow {
  return {
    arn: groupArn(at, name),
    account_id: at.accountId,
    region: at.region,
    name,
    tags: JSON.stringify(tags),
    created_at: now,
    modified_at: now,
  };
}

function groupSummary(row: GroupRow): Scheduler.ScheduleGroupSummary {
  return {
    Arn: row.arn,
    Name: row.name,
    State: 'ACTIVE',
    CreationDate: new Date(row.created_at),
    LastModificationDate: new Date(row.modified_at),
  };
}

/** When a schedule created or updated at `now` is first due; null when disabled or never. */
function firstDue(definition: Definition, state: string, now: number): number | null {
  if (state === 'DISABLED') return null;
  // `now - 1`: a rate without StartDate starts at once, as the Scheduler does.
  return nextDue(windowOf(definition, now), now - 1) ?? null;
}

function checked(input: ScheduleInput): Definition {
  const expression = input.ScheduleExpression!;
  const timing = parseTiming(expression);
  if (!timing) throw new ValidationException(`Invalid Schedule Expression ${expression}.`);
  const zone = input.ScheduleExpressionTimezone;
  if (zone !== undefined && !validZone(zone)) {
    throw new ValidationException(`Invalid Schedule Expression Timezone ${zone}.`);
  }
  const window = input.FlexibleTimeWindow!;
  if (window.Mode === 'FLEXIBLE' && window.MaximumWindowInMinutes === undefined) {
    throw new ValidationException('MaximumWindowInMinutes is required when Mode is FLEXIBLE.');
  }
  if (input.StartDate && input.EndDate && input.StartDate >= input.EndDate) {
    throw new ValidationException('The StartDate must come before the EndDate.');
  }
  return {
    ScheduleExpression: expression,
    ...(zone !== undefined ? { ScheduleExpressionTimezone: zone } : {}),
    ...(input.StartDate ? { StartDate: input.StartDate.getTime() } : {}),
    ...(input.EndDate ? { EndDate: input.EndDate.getTime() } : {}),
    FlexibleTimeWindow: window,
    ...(input.ActionAfterCompletion !== undefined
      ? { ActionAfterCompletion: input.ActionAfterCompletion }
      : {}),
    ...(input.Description !== undefined ? { Description: input.Description } : {}),
    ...(input.KmsKeyArn !== undefined ? { KmsKeyArn: input.KmsKeyArn } : {}),
    Target: input.Target!,
  };
}
