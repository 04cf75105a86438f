/**
 * Topics: creation (idempotent by name, as SNS is), attributes — the ones a caller sets, stored,
 * and the ones SNS computes (Owner, Policy, subscription counts, EffectiveDeliveryPolicy) — and tags.
 */
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import { buildArn, parseArn } from '../arn.js';
import { effectiveTopicDeliveryPolicy, retryPolicyProblem, type RetryPolicy } from './delivery-policy.js';
import {
  AuthorizationErrorException,
  invalidParameter,
  NotFoundException,
  ResourceNotFoundException,
  TagLimitExceededException,
  topicNotFound,
} from './errors.js';
import { topicQueries, type Region, type TopicRow } from './tables.js';
import { permissionStatement, policyAllows, type PolicyDocument } from './topic-policy.js';

/** Attributes a caller may set (CreateTopic, SetTopicAttributes); everything else is computed. */
const settableAttributes = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'ContentBasedDeduplication',
  'FifoThroughputScope',
  'ArchivePolicy',
  'DataProtectionPolicy',
  ...['Application', 'Firehose', 'HTTP', 'Lambda', 'SQS'].flatMap((p) => [
    `${p}SuccessFeedbackRoleArn`,
    `${p}SuccessFeedbackSampleRate`,
    `${p}FailureFeedbackRoleArn`,
  ]),
]);

const maxTags = 50;

/** Actions AddPermission may grant. */
const delegableActions = new Set([
  'GetTopicAttributes',
  'SetTopicAttributes',
  'AddPermission',
  'RemovePermission',
  'DeleteTopic',
  'Subscribe',
  'ListSubscriptionsByTopic',
  'Publish',
]);

export type Tags = Record<string, string>;

export function topicAttributes(row: TopicRow): Record<string, string> {
  return JSON.parse(row.attributes) as Record<string, string>;
}

export function defaultTopicPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

export class Topics {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async create(at: Region, name: string, attributes: Record<string, string>, tags: Tags): Promise<string> {
    const fifoTopic = attributes['FifoTopic'];
    if (fifoTopic !== undefined && fifoTopic !== 'true' && fifoTopic !== 'false')
      throw invalidParameter('FifoTopic');
    const fifo = fifoTopic === 'true';
    const valid = (fifo ? /^[A-Za-z0-9_-]{1,251}\.fifo$/ : /^[A-Za-z0-9_-]{1,256}$/).test(name);
    if (!valid) throw invalidParameter('Topic Name');
    const own = { ...attributes };
    delete own['FifoTopic'];
    checkAttributes(own, fifo);
    checkTags(tags);
    const arn = buildArn({ service: 'sns', region: at.region, accountId: at.accountId, resource: name });
    return this.store.transaction(async (tx) => {
      const existing = await topicQueries.get(tx, arn);
      if (existing) {
        const current = topicAttributes(existing);
        if (Object.entries(own).some(([key, value]) => current[key] !== value)) {
          throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
        }
        const currentTags = JSON.parse(existing.tags) as Tags;
        if (Object.keys(tags).length > 0 && !sameTags(currentTags, tags)) {
          throw invalidParameter('Tags Reason: Topic already exists with different tags');
        }
        return arn;
      }
      await topicQueries.insert(tx, {
        arn,
        account_id: at.accountId,
        region: at.region,
        name,
        fifo: fifo ? 1 : 0,
        attributes: JSON.stringify(own),
        tags: JSON.stringify(tags),
        created_at: this.clock.now(),
      });
      return arn;
    });
  }

  /**
   * A topic the caller may use for `action`: SNS's NotFound when it does not exist in that
   * region; AuthorizationError when it belongs to another account and its policy (the default
   * one admits the owner only; AddPermission admits others) does not allow the action.
   */
  async get(db: Queryable, at: Region, arn: string, action: string): Promise<TopicRow> {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== 'sns' || !parsed.resource) throw invalidParameter('TopicArn');
    const row = await topicQueries.get(db, arn);
    if (!row || row.region !== at.region) throw topicNotFound();
    if (row.account_id !== at.accountId && !policyAllows(policyOf(row), at.accountId, action)) {
      throw new AuthorizationErrorException(
        `User: arn:aws:iam::${at.accountId}:root is not authorized to perform: SNS:${action} on resource: ${arn} because no resource-based policy allows the SNS:${action} action`,
      );
    }
    return row;
  }

  async delete(at: Region, arn: string): Promise<void> {
    try {
      await this.get(this.store, at, arn, 'DeleteTopic');
    } catch (err) {
      // Deleting a topic that does not exist succeeds, as in SNS.
      if (err instanceof NotFoundException) return;
      throw err;
    }
    await topicQueries.delete(this.store, arn);
  }

  async attributes(at: Region, arn: string): Promise<Record<string, string>> {
    const row = await this.get(this.store, at, arn, 'GetTopicAttributes');
    const own = topicAttributes(row);
    const counts = await topicQueries.subscriptionCounts(this.store, arn);
    return {
      TopicArn: row.arn,
      Owner: row.account_id,
      Policy: defaultTopicPolicy(row.arn, row.account_id),
      DisplayName: '',
      SubscriptionsConfirmed: String(counts.confirmed),
      SubscriptionsPending: String(counts.pending),
      SubscriptionsDeleted: String(row.subscriptions_deleted),
      EffectiveDeliveryPolicy: effectiveTopicDeliveryPolicy(own['DeliveryPolicy']),
      ...(row.fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : {}),
      ...own,
    };
  }

  async setAttribute(at: Region, arn: string, name: string, value: string | undefined): Promise<void> {
    await this.store.transaction(async (tx) => {
      const row = await this.get(tx, at, arn, 'SetTopicAttributes');
      if (!settableAttributes.has(name)) throw invalidParameter('AttributeName');
      const own = topicAttributes(row);
      if (value === undefined || value === '') delete own[name];
      else {
        checkAttributes({ [name]: value }, row.fifo === 1);
        own[name] = value;
      }
      await topicQueries.setAttributes(tx, arn, JSON.stringify(own));
    });
  }

  /** Adds a labelled statement to the topic's policy; only the owner may. */
  async addPermission(
    at: Region,
    arn: string,
    label: string,
    accounts: string[],
    actions: string[],
  ): Promise<void> {
    await this.store.transaction(async (tx) => {
      const row = await this.owned(tx, at, arn, 'AddPermission');
      const unknown = actions.find((a) => !delegableActions.has(a));
      if (unknown !== undefined) throw invalidParameter('Policy statement action out of service scope!');
      const policy = policyOf(row);
      if (policy.Statement.some((s) => s.Sid === label)) throw invalidParameter('Statement already exists');
      policy.Statement.push(permissionStatement(arn, label, accounts, actions));
      await topicQueries.setAttributes(
        tx,
        arn,
        JSON.stringify({ ...topicAttributes(row), Policy: JSON.stringify(policy) }),
      );
    });
  }

  async removePermission(at: Region, arn: string, label: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const row = await this.owned(tx, at, arn, 'RemovePermission');
      const policy = policyOf(row);
      policy.Statement = policy.Statement.filter((s) => s.Sid !== label);
      await topicQueries.setAttributes(
        tx,
        arn,
        JSON.stringify({ ...topicAttributes(row), Policy: JSON.stringify(policy) }),
      );
    });
  }

  /** Changing a topic's policy is its owner's business, whatever the policy says. */
  private async owned(db: Queryable, at: Region, arn: string, action: string): Promise<TopicRow> {
    const row = await this.get(db, at, arn, action);
    if (row.account_id !== at.accountId) {
      throw new AuthorizationErrorException(
        `User: arn:aws:iam::${at.accountId}:root is not authorized to perform: SNS:${action} on resource: ${arn}`,
      );
    }
    return row;
  }

  async tags(at: Region, arn: string): Promise<Tags> {
    return JSON.parse((await this.taggable(this.store, at, arn)).tags) as Tags;
  }

  async tag(at: Region, arn: string, tags: Tags): Promise<void> {
    await this.store.transaction(async (tx) => {
      const row = await this.taggable(tx, at, arn);
      const merged = { ...(JSON.parse(row.tags) as Tags), ...tags };
      if (Object.keys(merged).length > maxTags) {
        throw new TagLimitExceededException('Could not complete request: tag quota of per resource exceeded');
      }
      await topicQueries.setTags(tx, arn, JSON.stringify(merged));
    });
  }

  async untag(at: Region, arn: string, keys: string[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      const row = await this.taggable(tx, at, arn);
      const tags = JSON.parse(row.tags) as Tags;
      for (const key of keys) delete tags[key];
      await topicQueries.setTags(tx, arn, JSON.stringify(tags));
    });
  }

  /** Tag operations answer ResourceNotFound, not NotFound, for a missing topic. */
  private async taggable(db: Queryable, at: Region, arn: string): Promise<TopicRow> {
    const row = await topicQueries.get(db, arn);
    if (!row || row.account_id !== at.accountId || row.region !== at.region) {
      throw new ResourceNotFoundException('Resource does not exist');
    }
    return row;
  }
}

/** The topic's policy: the one set, or SNS's default. */
function policyOf(row: TopicRow): PolicyDocument {
  return JSON.parse(
    topicAttributes(row)['Policy'] ?? defaultTopicPolicy(row.arn, row.account_id),
  ) as PolicyDocument;
}

function checkAttributes(attributes: Record<string, string>, fifo: boolean): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!settableAttributes.has(name)) throw invalidParameter(`Attributes Reason: Unknown attribute ${name}`);
    if (name === 'ContentBasedDeduplication') {
      if (!fifo) {
        throw invalidParameter(
          'ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics',
        );
      }
      if (value !== 'true' && value !== 'false') throw invalidParameter('ContentBasedDeduplication');
    }
    if (name === 'SignatureVersion' && value !== '1' && value !== '2') {
      throw invalidParameter('SignatureVersion');
    }
    if (name === 'Policy' || name === 'DeliveryPolicy') {
      try {
        JSON.parse(value);
      } catch {
        throw invalidParameter(`${name}: failed to parse JSON`);
      }
    }
    if (name === 'DeliveryPolicy') {
      const http = (JSON.parse(value) as { http?: { defaultHealthyRetryPolicy?: Partial<RetryPolicy> } })
        .http;
      const problem = http?.defaultHealthyRetryPolicy && retryPolicyProblem(http.defaultHealthyRetryPolicy);
      if (problem) throw invalidParameter(`DeliveryPolicy: ${problem}`);
    }
  }
}

function checkTags(tags: Tags): void {
  if (Object.keys(tags).length > maxTags) {
    throw new TagLimitExceededException('Could not complete request: tag quota of per resource exceeded');
  }
}

function sameTags(a: Tags, b: Tags): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
