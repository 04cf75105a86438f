/**
 * Tags of event buses and rules — the resources EventBridge tags — kept as a JSON object on the
 * resource's row and named by its ARN.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { Queryable, Store } from '../../storage/store.js';
import { parseArn } from '../arn.js';
import { defaultBus } from './arns.js';
import type { Buses } from './buses.js';
import { ResourceNotFoundException, ruleNotFound } from './errors.js';
import { busQueries, ruleQueries } from './tables.js';

export type Tags = Record<string, string>;

export const tagsFrom = (list: readonly EventBridge.Tag[] | undefined): Tags =>
  Object.fromEntries((list ?? []).map((t) => [t.Key!, t.Value!]));

export const tagList = (tags: Tags): EventBridge.Tag[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export class Tagging {
  constructor(
    private readonly store: Store,
    private readonly buses: Buses,
  ) {}

  async list(arn: string): Promise<Tags> {
    return JSON.parse((await this.resource(arn)).tags) as Tags;
  }

  async tag(arn: string, tags: Tags): Promise<void> {
    await this.change(arn, (current) => ({ ...current, ...tags }));
  }

  async untag(arn: string, keys: readonly string[]): Promise<void> {
    await this.change(arn, (current) =>
      Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key))),
    );
  }

  private async change(arn: string, next: (tags: Tags) => Tags): Promise<void> {
    await this.store.transaction(async (tx) => {
      const found = await this.resource(arn, tx);
      const tags = JSON.stringify(next(JSON.parse(found.tags) as Tags));
      if (found.kind === 'rule') await ruleQueries.setTags(tx, arn, tags);
      else await busQueries.update(tx, { ...found.bus, tags });
    });
  }

  private async resource(arn: string, db: Queryable = this.store) {
    const parsed = parseArn(arn);
    const resource = parsed?.resource ?? '';
    if (resource.startsWith('rule/')) {
      const rule = await ruleQueries.byArn(db, arn);
      const parts = resource.split('/');
      if (!rule) throw ruleNotFound(parts.at(-1)!, parts.length > 2 ? parts[1]! : defaultBus);
      return { kind: 'rule' as const, tags: rule.tags };
    }
    if (resource.startsWith('event-bus/')) {
      const bus = await this.buses.get(db, arn, parsed!);
      return { kind: 'bus' as const, tags: bus.tags, bus };
    }
    throw new ResourceNotFoundException(`Resource ${arn} does not exist.`);
  }
}
