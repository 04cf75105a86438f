/**
 * Queues: create (idempotent for equal attributes), look up by URL or ARN, attributes with their
 * counters, redrive wiring, purge with its 60-second cooldown, tags, deletion with its 60-second
 * name quarantine.
 */
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import {
  checkAttributes,
  computedAttributes,
  defaultAttributes,
  firstDifference,
  mergeAttributes,
  parseRedriveAllowPolicy,
  settingsOf,
  type QueueAttributes,
  type QueueSettings,
} from './attributes.js';
import {
  InvalidAttributeName,
  InvalidParameterValue,
  PurgeQueueInProgress,
  QueueDeletedRecently,
  QueueNameExists,
  invalidParameter,
  queueDoesNotExist,
} from './errors.js';
import { checkQueueName, parseQueueArn, parseQueueUrl, queueArn, queueUrl } from './names.js';
import { queueQueries, type QueueRow } from './tables.js';
import { messageQueries } from './message-tables.js';

export interface Queue {
  id: number;
  row: QueueRow;
  name: string;
  fifo: boolean;
  arn: string;
  attributes: QueueAttributes;
  settings: QueueSettings;
}

type Where = Pick<RequestContext, 'accountId' | 'region'>;

const cooldownMs = 60_000;
/**
 * How long the message operations may use a queue they looked up. Changes made on this node
 * drop the entry at once; another node's show within this time — as on AWS, where a deleted
 * queue may take sends for a while and attribute changes take time to propagate.
 */
const cacheMs = 1000;
const cacheLimit = 10_000;
const maxTags = 50;

function asQueue(row: QueueRow): Queue {
  const attributes = JSON.parse(row.attributes) as QueueAttributes;
  return {
    id: row.id,
    row,
    name: row.name,
    fifo: row.fifo === 1,
    arn: queueArn(row.region, row.account_id, row.name),
    attributes,
    settings: settingsOf(attributes),
  };
}

export class Queues {
  private readonly cache = new Map<string, { queue: Queue; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly endpoint: () => string,
  ) {}

  url(queue: Queue): string {
    return queueUrl(this.endpoint(), queue.row.account_id, queue.name);
  }

  async create(
    at: Where,
    name: string,
    requested: QueueAttributes = {},
    tags: Record<string, string> = {},
  ): Promise<Queue> {
    const fifo = requested.FifoQueue === 'true';
    if (requested.FifoQueue === 'false' && name.endsWith('.fifo')) checkQueueName(name, true);
    checkQueueName(name, fifo);
    const changes = checkAttributes(requested, fifo, true);
    if (Object.keys(tags).length > maxTags)
      throw new InvalidParameterValue(`Too many tags added for queue ${name}.`);
    const now = this.clock.now();
    return this.store.transaction(async (tx) => {
      const existing = await queueQueries.byName(tx, at.accountId, at.region, name);
      if (existing) {
        const queue = asQueue(existing);
        const differs = firstDifference(queue.attributes, changes);
        if (differs) {
          throw new QueueNameExists(
            `A queue already exists with the same name and a different value for attribute ${differs}`,
          );
        }
        return queue;
      }
      if (await queueQueries.deletedSince(tx, at.accountId, at.region, name, now - cooldownMs)) {
        throw new QueueDeletedRecently(
          'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
        );
      }
      const attributes = mergeAttributes(defaultAttributes(fifo), changes);
      const targetArn = await this.checkRedrive(
        tx,
        at,
        queueArn(at.region, at.accountId, name),
        fifo,
        attributes,
      );
      const row = {
        account_id: at.accountId,
        region: at.region,
        name,
        fifo: fifo ? 1 : 0,
        attributes: JSON.stringify(attributes),
        tags: JSON.stringify(tags),
        dead_letter_target_arn: targetArn,
        created_at: now,
        modified_at: now,
      };
      const { id } = (await queueQueries.insert(tx, row))!;
      return asQueue({ ...row, id, purged_at: null });
    });
  }

  /** The queue a QueueUrl names; `QueueDoesNotExist` when there is none. */
  async resolve(at: Where, url: string, db: Queryable = this.store): Promise<Queue> {
    const { accountId, name } = parseQueueUrl(url, at.accountId);
    const row = await queueQueries.byName(db, accountId, at.region, name);
    if (!row) throw queueDoesNotExist();
    return asQueue(row);
  }

  /** `resolve` for the message operations (send, receive, delete …), through a short-lived cache. */
  async forMessages(at: Where, url: string): Promise<Queue> {
    const { accountId, name } = parseQueueUrl(url, at.accountId);
    const key = `${accountId}/${at.region}/${name}`;
    const now = performance.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.queue;
    const row = await queueQueries.byName(this.store, accountId, at.region, name);
    if (!row) throw queueDoesNotExist();
    if (this.cache.size >= cacheLimit) this.cache.clear();
    const queue = asQueue(row);
    this.cache.set(key, { queue, until: now + cacheMs });
    return queue;
  }

  /** Every queue may have changed (a reset, a snapshot load): look them all up again. */
  forgetAll(): void {
    this.cache.clear();
  }

  private forget(queue: Pick<QueueRow, 'account_id' | 'region' | 'name'>): void {
    this.cache.delete(`${queue.account_id}/${queue.region}/${queue.name}`);
  }

  async byArn(arn: string, db: Queryable = this.store): Promise<Queue | undefined> {
    const parsed = parseQueueArn(arn);
    if (!parsed) return undefined;
    const row = await queueQueries.byName(db, parsed.accountId, parsed.region, parsed.name);
    return row ? asQueue(row) : undefined;
  }

  async byName(at: Where, name: string, ownerAccount?: string): Promise<Queue> {
    const row = await queueQueries.byName(this.store, ownerAccount ?? at.accountId, at.region, name);
    if (!row) throw queueDoesNotExist();
    return asQueue(row);
  }

  async delete(at: Where, url: string): Promise<void> {
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      const { row } = await this.resolve(at, url, tx);
      await queueQueries.delete(tx, row, now);
      this.forget(row);
    });
  }

  async list(at: Where, prefix: string, after: string, limit: number): Promise<Queue[]> {
    return (await queueQueries.list(this.store, at.accountId, at.region, prefix, after, limit)).map(asQueue);
  }

  async deadLetterSources(at: Where, url: string): Promise<Queue[]> {
    const queue = await this.resolve(at, url);
    return (await queueQueries.deadLetterSources(this.store, queue.arn)).map(asQueue);
  }

  async getAttributes(at: Where, url: string, names: readonly string[]): Promise<QueueAttributes> {
    const queue = await this.resolve(at, url);
    const all = names.includes('All');
    const wanted = new Set(names);
    const fifoNames = ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];
    if (!queue.fifo) {
      const refused = names.find((n) => fifoNames.includes(n));
      if (refused) throw new InvalidAttributeName(`Unknown Attribute ${refused}.`);
    }
    const out: QueueAttributes = {};
    for (const [name, value] of Object.entries(queue.attributes))
      if (all || wanted.has(name)) out[name] = value;
    const computed = computedAttributes.filter((n) => all || wanted.has(n));
    if (computed.length === 0) return out;
    const now = this.clock.now();
    const counts = await messageQueries.counts(
      this.store,
      queue.id,
      now,
      now - queue.settings.retentionSeconds * 1000,
    );
    const values: Record<(typeof computedAttributes)[number], string> = {
      ApproximateNumberOfMessages: String(counts?.visible ?? 0),
      ApproximateNumberOfMessagesNotVisible: String(counts?.in_flight ?? 0),
      ApproximateNumberOfMessagesDelayed: String(counts?.delayed ?? 0),
      CreatedTimestamp: String(Math.floor(queue.row.created_at / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.row.modified_at / 1000)),
      QueueArn: queue.arn,
    };
    for (const name of computed) out[name] = values[name];
    return out;
  }

  async setAttributes(at: Where, url: string, requested: QueueAttributes): Promise<void> {
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      const queue = await this.resolve(at, url, tx);
      const changes = checkAttributes(requested, queue.fifo, false);
      const attributes = mergeAttributes(queue.attributes, changes);
      const targetArn = await this.checkRedrive(tx, at, queue.arn, queue.fifo, attributes);
      await queueQueries.updateAttributes(tx, queue.id, JSON.stringify(attributes), targetArn, now);
      this.forget(queue.row);
    });
  }

  /** Rewrites the queue's Policy (AddPermission / RemovePermission); undefined removes it. */
  async changePolicy(
    at: Where,
    url: string,
    change: (policy: string | undefined, arn: string) => string | undefined,
  ) {
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      const queue = await this.resolve(at, url, tx);
      const attributes = { ...queue.attributes };
      const policy = change(attributes.Policy, queue.arn);
      if (policy === undefined) delete attributes.Policy;
      else attributes.Policy = policy;
      await queueQueries.updateAttributes(
        tx,
        queue.id,
        JSON.stringify(attributes),
        queue.row.dead_letter_target_arn,
        now,
      );
    });
  }

  /** Deletes every message sent before now, at most once per 60 seconds per queue. */
  async purge(at: Where, url: string): Promise<void> {
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      const queue = await this.resolve(at, url, tx);
      const { changes } = await queueQueries.markPurged(tx, queue.id, now, cooldownMs);
      if (changes === 0) {
        throw new PurgeQueueInProgress(
          `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`,
        );
      }
      await messageQueries.purge(tx, queue.id, now);
    });
  }

  async tags(at: Where, url: string): Promise<Record<string, string>> {
    return JSON.parse((await this.resolve(at, url)).row.tags) as Record<string, string>;
  }

  async changeTags(
    at: Where,
    url: string,
    add: Record<string, string>,
    remove: readonly string[],
  ): Promise<void> {
    await this.store.transaction(async (tx) => {
      const queue = await this.resolve(at, url, tx);
      const tags = { ...(JSON.parse(queue.row.tags) as Record<string, string>), ...add };
      for (const key of remove) delete tags[key];
      if (Object.keys(tags).length > maxTags) {
        throw new InvalidParameterValue(`Too many tags added for queue ${queue.name}.`);
      }
      await queueQueries.updateTags(tx, queue.id, JSON.stringify(tags));
    });
  }

  /**
   * A RedrivePolicy must name an existing queue of the same kind, in the same account and region,
   * whose RedriveAllowPolicy admits this queue. Returns the target ARN to index, or null.
   */
  private async checkRedrive(
    db: Queryable,
    at: Where,
    sourceArn: string,
    fifo: boolean,
    attributes: QueueAttributes,
  ): Promise<string | null> {
    const policy = attributes.RedrivePolicy;
    const redrive = settingsOf(attributes).redrive;
    if (!policy || !redrive) return null;
    const fail = (reason: string) => invalidParameter('RedrivePolicy', policy, reason);
    const target = parseQueueArn(redrive.deadLetterTargetArn);
    if (!target || target.accountId !== at.accountId || target.region !== at.region) {
      throw fail('Dead-letter target must be in the same account and region as the source queue.');
    }
    const row = await queueQueries.byName(db, target.accountId, target.region, target.name);
    if (!row) throw fail('Dead letter target does not exist.');
    const dlq = asQueue(row);
    if (dlq.fifo !== fifo) throw fail('Dead-letter queue must be same type of queue as the source.');
    const allow = dlq.attributes.RedriveAllowPolicy
      ? parseRedriveAllowPolicy(dlq.attributes.RedriveAllowPolicy)
      : undefined;
    const allowed =
      !allow ||
      allow instanceof Error ||
      allow.redrivePermission === 'allowAll' ||
      (allow.redrivePermission === 'byQueue' && (allow.sourceQueueArns ?? []).includes(sourceArn));
    if (!allowed) throw fail(`Queue ${dlq.arn} does not allow this queue to use it as a dead-letter queue.`);
    return dlq.arn;
  }
}
