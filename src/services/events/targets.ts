/**
 * PutTargets, RemoveTargets and ListTargetsByRule. Each target is kept as given (its definition
 * is what a delivery needs: input, retry policy, dead-letter queue, parameters); a bad entry is
 * reported in FailedEntries while the others are put. A rule has at most five targets.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { Store } from '../../storage/store.js';
import type { Region } from './arns.js';
import { LimitExceededException } from './errors.js';
import { afterToken, defaultPageSize, page } from './paging.js';
import type { Rules } from './rules.js';
import { checkTarget, type TargetFailure } from './target-checks.js';
import { busQueries, targetQueries } from './tables.js';

const maxTargetsPerRule = 5;

export class Targets {
  constructor(
    private readonly store: Store,
    private readonly rules: Rules,
  ) {}

  async put(at: Region, input: EventBridge.PutTargetsRequest): Promise<EventBridge.PutTargetsResponse> {
    const failed: TargetFailure[] = [];
    const valid: EventBridge.Target[] = [];
    for (const target of input.Targets!) {
      const failure = checkTarget(target);
      if (failure) failed.push(failure);
      else valid.push(target);
    }
    await this.store.transaction(async (tx) => {
      const { bus, rule } = await this.rules.get(tx, at, input.Rule!, input.EventBusName);
      const ids = new Set((await targetQueries.ofRule(tx, rule.arn)).map((t) => t.target_id));
      for (const target of valid) ids.add(target.Id!);
      if (ids.size > maxTargetsPerRule) {
        throw new LimitExceededException('The requested resource exceeds the maximum number allowed.');
      }
      for (const target of valid) {
        await targetQueries.put(tx, {
          rule_arn: rule.arn,
          target_id: target.Id!,
          arn: target.Arn!,
          definition: JSON.stringify(target),
        });
      }
      if (valid.length > 0) await busQueries.bumpVersion(tx, bus.arn);
    });
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  async remove(
    at: Region,
    input: EventBridge.RemoveTargetsRequest,
  ): Promise<EventBridge.RemoveTargetsResponse> {
    const failed: EventBridge.RemoveTargetsResultEntry[] = [];
    await this.store.transaction(async (tx) => {
      const { bus, rule } = await this.rules.get(tx, at, input.Rule!, input.EventBusName);
      for (const id of input.Ids!) {
        if ((await targetQueries.delete(tx, rule.arn, id)).changes > 0) continue;
        failed.push({
          TargetId: id,
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: `Rule '${rule.name}' does not have a target with the Id '${id}'.`,
        });
      }
      await busQueries.bumpVersion(tx, bus.arn);
    });
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  async list(
    at: Region,
    input: EventBridge.ListTargetsByRuleRequest,
  ): Promise<EventBridge.ListTargetsByRuleResponse> {
    const { rule } = await this.rules.get(this.store, at, input.Rule!, input.EventBusName);
    const after = afterToken(input.NextToken);
    const rows = (await targetQueries.ofRule(this.store, rule.arn)).filter((t) => t.target_id > after);
    const { items, NextToken } = page(rows, input.Limit ?? defaultPageSize, (t) => t.target_id);
    return {
      Targets: items.map((t) => JSON.parse(t.definition) as EventBridge.Target),
      ...(NextToken ? { NextToken } : {}),
    };
  }
}
