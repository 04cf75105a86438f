/**
 * Rules: PutRule (which creates or replaces), DescribeRule, ListRules, Enable/DisableRule,
 * DeleteRule and ListRuleNamesByTarget. A rule matches events with its EventPattern (compiled by
 * the shared pattern module, so PutRule refuses what EventBridge refuses) or runs on its
 * ScheduleExpression, whose syntax is checked here and which the scheduler fires.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { Clock } from '../../engine/clock.js';
import { compilePattern, InvalidPatternError } from '../../patterns/index.js';
import type { Queryable, Store } from '../../storage/store.js';
import { busRef, defaultBus, ruleArn, type Region } from './arns.js';
import type { Buses } from './buses.js';
import { invalidPattern, ruleNotFound, ValidationException } from './errors.js';
import { afterToken, defaultPageSize, page } from './paging.js';
import { parseScheduleExpression } from './schedule-expression.js';
import { firstDue } from './scheduled-rules.js';
import { busQueries, ruleQueries, targetQueries, type BusRow, type RuleRow } from './tables.js';
import { tagsFrom } from './tags.js';

/** Checks a pattern as EventBridge does, throwing its InvalidEventPatternException. */
export function checkPattern(pattern: string): void {
  try {
    compilePattern(pattern);
  } catch (err) {
    if (err instanceof InvalidPatternError) throw invalidPattern(err.message);
    throw err;
  }
}

export class Rules {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly buses: Buses,
    /** Called once a change to a rule's schedule has committed. */
    private readonly scheduleChanged: () => void = () => undefined,
  ) {}

  /** A bus's rule by name; ResourceNotFoundException for a missing bus or rule. */
  async get(db: Queryable, at: Region, name: string, busName: string | undefined) {
    const bus = await this.buses.get(db, busName, at);
    const rule = await ruleQueries.get(db, bus.arn, name);
    if (!rule) throw ruleNotFound(name, bus.name);
    return { bus, rule };
  }

  async put(at: Region, input: EventBridge.PutRuleRequest): Promise<EventBridge.PutRuleResponse> {
    const { EventPattern: pattern, ScheduleExpression: schedule } = input;
    if (pattern === undefined && schedule === undefined) {
      throw new ValidationException('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    if (schedule !== undefined) {
      if (busRef(input.EventBusName, at).name !== defaultBus) {
        throw new ValidationException('ScheduleExpression is supported only on the default event bus.');
      }
      if (!parseScheduleExpression(schedule)) {
        throw new ValidationException('Parameter ScheduleExpression is not valid.');
      }
    }
    const response = await this.store.transaction(async (tx) => {
      const bus = await this.buses.get(tx, input.EventBusName, at);
      if (pattern !== undefined) checkPattern(pattern);
      const arn = ruleArn(busRef(bus.arn, at), input.Name!);
      const existing = await ruleQueries.get(tx, bus.arn, input.Name!);
      const state = input.State ?? 'ENABLED';
      // Putting a rule again with the same schedule keeps its timing; a new schedule starts now.
      const unchanged =
        existing?.next_due_at != null &&
        existing.schedule_expression === (schedule ?? null) &&
        state !== 'DISABLED';
      // PutRule replaces the rule: what it leaves out is cleared, not kept (tags excepted).
      await ruleQueries.upsert(tx, {
        arn,
        bus_arn: bus.arn,
        name: input.Name!,
        event_pattern: pattern ?? null,
        schedule_expression: schedule ?? null,
        state,
        description: input.Description ?? null,
        role_arn: input.RoleArn ?? null,
        tags: JSON.stringify({ ...(existing ? JSON.parse(existing.tags) : {}), ...tagsFrom(input.Tags) }),
        created_at: existing?.created_at ?? this.clock.now(),
        next_due_at: unchanged ? existing.next_due_at : firstDue(schedule ?? null, state, this.clock.now()),
      });
      await busQueries.bumpVersion(tx, bus.arn);
      return { RuleArn: arn };
    });
    if (schedule !== undefined || input.State !== undefined) this.scheduleChanged();
    return response;
  }

  async describe(at: Region, name: string, busName?: string): Promise<EventBridge.DescribeRuleResponse> {
    const { bus, rule } = await this.get(this.store, at, name, busName);
    return { ...described(rule, bus), CreatedBy: bus.account_id };
  }

  async list(at: Region, input: EventBridge.ListRulesRequest): Promise<EventBridge.ListRulesResponse> {
    const bus = await this.buses.get(this.store, input.EventBusName, at);
    const limit = input.Limit ?? defaultPageSize;
    const rows = await ruleQueries.list(
      this.store,
      bus.arn,
      input.NamePrefix ?? '',
      afterToken(input.NextToken),
      limit + 1,
    );
    const { items, NextToken } = page(rows, limit, (rule) => rule.name);
    return { Rules: items.map((rule) => described(rule, bus)), ...(NextToken ? { NextToken } : {}) };
  }

  async setState(at: Region, name: string, busName: string | undefined, state: 'ENABLED' | 'DISABLED') {
    await this.store.transaction(async (tx) => {
      const { bus, rule } = await this.get(tx, at, name, busName);
      // Enabling a disabled scheduled rule starts its schedule afresh from now.
      const nextDueAt =
        state === 'ENABLED' && rule.state !== 'DISABLED'
          ? rule.next_due_at
          : firstDue(rule.schedule_expression, state, this.clock.now());
      await ruleQueries.setState(tx, rule.arn, state, nextDueAt);
      await busQueries.bumpVersion(tx, bus.arn);
    });
    this.scheduleChanged();
  }

  /** Deletes a rule (none there is no error); one with targets only with `force`. */
  async delete(at: Region, input: EventBridge.DeleteRuleRequest): Promise<void> {
    await this.store.transaction(async (tx) => {
      const bus = await this.buses.get(tx, input.EventBusName, at);
      const rule = await ruleQueries.get(tx, bus.arn, input.Name!);
      if (!rule) return;
      if (!input.Force && (await targetQueries.count(tx, rule.arn)) > 0) {
        throw new ValidationException("Rule can't be deleted since it has targets.");
      }
      await ruleQueries.delete(tx, rule.arn);
      await busQueries.bumpVersion(tx, bus.arn);
    });
  }

  async namesByTarget(
    at: Region,
    input: EventBridge.ListRuleNamesByTargetRequest,
  ): Promise<EventBridge.ListRuleNamesByTargetResponse> {
    const bus = await this.buses.get(this.store, input.EventBusName, at);
    const limit = input.Limit ?? defaultPageSize;
    const rows = await ruleQueries.namesByTarget(
      this.store,
      bus.arn,
      input.TargetArn!,
      afterToken(input.NextToken),
      limit + 1,
    );
    const { items, NextToken } = page(rows, limit, (row) => row.name);
    return { RuleNames: items.map((row) => row.name), ...(NextToken ? { NextToken } : {}) };
  }
}

function described(rule: RuleRow, bus: BusRow): EventBridge.Rule {
  return {
    Name: rule.name,
    Arn: rule.arn,
    ...(rule.event_pattern !== null ? { EventPattern: rule.event_pattern } : {}),
    ...(rule.schedule_expression !== null ? { ScheduleExpression: rule.schedule_expression } : {}),
    State: rule.state as EventBridge.RuleState,
    ...(rule.description !== null ? { Description: rule.description } : {}),
    ...(rule.role_arn !== null ? { RoleArn: rule.role_arn } : {}),
    EventBusName: bus.name,
  };
}
