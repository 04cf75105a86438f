/**
 * Subscriptions: Subscribe (idempotent per topic, protocol and endpoint), the confirmation
 * handshake for HTTP/S and email endpoints (a token sent to the endpoint, confirmed by
 * ConfirmSubscription or a GET of SubscribeURL), attributes and their validation, Unsubscribe.
 * SQS, Lambda and SMS endpoints are confirmed at once, as for same-account endpoints in AWS.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import { parseArn } from '../arn.js';
import { effectiveSubscriptionPolicy, retryPolicyProblem, type RetryPolicy } from './delivery-policy.js';
import { confirmationText } from './envelope.js';
import { invalidParameter, subscriptionNotFound, topicNotFound } from './errors.js';
import { compileFilterPolicy, FilterPolicyError, type FilterPolicyScope } from './filter-policy.js';
import type { DeliveryOutbox } from './outbox.js';
import {
  subscriptionQueries,
  topicQueries,
  type Region,
  type SubscriptionFields,
  type SubscriptionRow,
  type TopicRow,
} from './tables.js';
import { topicAttributes, type Topics } from './topics.js';

export const pendingArn = 'pending confirmation';
const tokenLifetimeMs = 3 * 24 * 3600 * 1000;

const settableAttributes = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);
const needsConfirmation = new Set(['http', 'https', 'email', 'email-json']);
const rawCapable = new Set(['sqs', 'http', 'https', 'firehose']);

export function subscriptionAttributes(row: SubscriptionRow): Record<string, string> {
  return JSON.parse(row.attributes) as Record<string, string>;
}

export function subscriptionArnOf(row: SubscriptionRow): string {
  return row.pending ? 'PendingConfirmation' : row.arn;
}

export class Subscriptions {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly topics: Topics,
    private readonly outbox: DeliveryOutbox,
  ) {}

  async subscribe(
    at: Region,
    input: {
      topicArn: string;
      protocol: string;
      endpoint?: string;
      attributes: Record<string, string>;
      returnArn: boolean;
    },
  ): Promise<string> {
    const protocol = input.protocol.toLowerCase();
    const arn = await this.store.transaction(async (tx) => {
      const topic = await this.topics.get(tx, at, input.topicArn, 'Subscribe');
      const endpoint = checkEndpoint(protocol, input.endpoint, topic);
      checkAttributes(protocol, input.attributes);
      const existing = await subscriptionQueries.find(tx, topic.arn, protocol, endpoint);
      if (existing) {
        const current = subscriptionAttributes(existing);
        if (Object.entries(input.attributes).some(([key, value]) => current[key] !== value)) {
          throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
        }
        if (existing.pending) await this.sendConfirmation(tx, existing, existing.token!);
        return existing;
      }
      const pending = needsConfirmation.has(protocol);
      const row: Omit<SubscriptionFields, 'id'> = {
        arn: `${topic.arn}:${randomUUID()}`,
        topic_arn: topic.arn,
        account_id: at.accountId,
        region: at.region,
        protocol,
        endpoint,
        attributes: JSON.stringify(input.attributes),
        pending: pending ? 1 : 0,
        authenticated: pending ? 0 : 1,
        token: pending ? randomBytes(128).toString('hex') : null,
        token_expires_at: pending ? this.clock.now() + tokenLifetimeMs : null,
        created_at: this.clock.now(),
      };
      await subscriptionQueries.insert(tx, row);
      if (pending) await this.sendConfirmation(tx, row, row.token!);
      return row;
    });
    this.outbox.committed();
    return arn.pending && !input.returnArn ? pendingArn : arn.arn;
  }

  private async sendConfirmation(
    tx: Queryable,
    row: Omit<SubscriptionFields, 'id'>,
    token: string,
  ): Promise<void> {
    if (row.token_expires_at !== null && row.token_expires_at <= this.clock.now()) {
      token = randomBytes(128).toString('hex');
      await subscriptionQueries.setToken(tx, row.arn, token, this.clock.now() + tokenLifetimeMs);
    }
    await this.outbox.add(tx, {
      kind: 'SubscriptionConfirmation',
      at: { accountId: row.account_id, region: row.region },
      topicArn: row.topic_arn,
      subscriptionArn: row.arn,
      messageId: randomUUID(),
      message: confirmationText(row.topic_arn),
      attributes: {},
      timestamp: this.clock.now(),
      token,
    });
  }

  /**
   * The token is the credential: whoever holds it may confirm (the endpoint's GET of SubscribeURL
   * carries no signature), whatever account or region the request names.
   */
  async confirm(topicArn: string, token: string, authenticateOnUnsubscribe: boolean): Promise<string> {
    return this.store.transaction(async (tx) => {
      if (!(await topicQueries.get(tx, topicArn))) throw topicNotFound();
      const row = await subscriptionQueries.byToken(tx, topicArn, token);
      if (!row || (row.pending && (row.token_expires_at ?? 0) <= this.clock.now()))
        throw invalidParameter('Token');
      if (row.pending) await subscriptionQueries.confirm(tx, row.arn, authenticateOnUnsubscribe);
      return row.arn;
    });
  }

  async get(db: Queryable, at: Region, arn: string): Promise<SubscriptionRow> {
    const parsed = parseArn(arn);
    if (!parsed || parsed.service !== 'sns') throw invalidParameter('SubscriptionArn');
    const row = await subscriptionQueries.get(db, arn);
    if (!row || row.account_id !== at.accountId || row.region !== at.region) throw subscriptionNotFound();
    return row;
  }

  /**
   * The subscriber may unsubscribe; so may anyone holding the ARN (an UnsubscribeURL) unless the
   * subscription was confirmed with AuthenticateOnUnsubscribe, as in SNS.
   */
  async unsubscribe(at: Region, arn: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const found = parseArn(arn)?.service === 'sns' ? await subscriptionQueries.get(tx, arn) : undefined;
      const row = found && found.authenticated === 0 ? found : await this.get(tx, at, arn);
      await subscriptionQueries.delete(tx, row.arn);
      await topicQueries.countDeleted(tx, row.topic_arn);
    });
  }

  async attributes(at: Region, arn: string): Promise<Record<string, string>> {
    const row = await this.get(this.store, at, arn);
    const own = subscriptionAttributes(row);
    const http = row.protocol === 'http' || row.protocol === 'https';
    const topic = http ? await topicQueries.get(this.store, row.topic_arn) : undefined;
    return {
      SubscriptionArn: row.arn,
      TopicArn: row.topic_arn,
      Owner: row.account_id,
      SubscriptionPrincipal: `arn:aws:iam::${row.account_id}:root`,
      Protocol: row.protocol,
      Endpoint: row.endpoint,
      ConfirmationWasAuthenticated: String(row.authenticated === 1),
      PendingConfirmation: String(row.pending === 1),
      RawMessageDelivery: 'false',
      ...(own['FilterPolicy'] ? { FilterPolicyScope: 'MessageAttributes' } : {}),
      ...(topic
        ? {
            EffectiveDeliveryPolicy: JSON.stringify(
              effectiveSubscriptionPolicy(topicAttributes(topic)['DeliveryPolicy'], own['DeliveryPolicy']),
            ),
          }
        : {}),
      ...own,
    };
  }

  async setAttribute(at: Region, arn: string, name: string, value: string | undefined): Promise<void> {
    await this.store.transaction(async (tx) => {
      const row = await this.get(tx, at, arn);
      if (!settableAttributes.has(name)) throw invalidParameter('AttributeName');
      const own = subscriptionAttributes(row);
      if (value === undefined || value === '') delete own[name];
      else own[name] = value;
      checkAttributes(row.protocol, own);
      await subscriptionQueries.setAttributes(tx, arn, JSON.stringify(own));
    });
  }
}

function checkEndpoint(protocol: string, endpoint: string | undefined, topic: TopicRow): string {
  if (!endpoint) throw invalidParameter('Endpoint');
  const arn = parseArn(endpoint);
  switch (protocol) {
    case 'http':
    case 'https':
      if (!endpoint.toLowerCase().startsWith(`${protocol}://`)) {
        throw invalidParameter('Endpoint must match the specified protocol');
      }
      break;
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(endpoint)) throw invalidParameter('Email address');
      break;
    case 'sqs':
      if (arn?.service !== 'sqs' || !arn.resource) throw invalidParameter('SQS endpoint ARN');
      if (!topic.fifo && arn.resource.endsWith('.fifo')) {
        throw invalidParameter(
          'Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
        );
      }
      break;
    case 'lambda':
      if (arn?.service !== 'lambda' || !arn.resource.startsWith('function:')) {
        throw invalidParameter('Lambda endpoint ARN');
      }
      break;
    case 'sms': {
      const number = endpoint.replace(/[\s()-]/g, '');
      if (!/^\+?[1-9][0-9]{3,14}$/.test(number)) throw invalidParameter('SMS endpoint');
      return number.startsWith('+') ? number : `+${number}`;
    }
    default:
      throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  }
  if (topic.fifo && (protocol !== 'sqs' || !arn!.resource.endsWith('.fifo'))) {
    throw invalidParameter(`Invalid protocol type: ${protocol}. FIFO topics deliver only to SQS FIFO queues`);
  }
  return endpoint;
}

function checkAttributes(protocol: string, attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (!settableAttributes.has(name)) throw invalidParameter(`Attributes Reason: Unknown attribute ${name}`);
    if (name === 'RawMessageDelivery') {
      if (value !== 'true' && value !== 'false') {
        throw invalidParameter(
          `Attributes Reason: RawMessageDelivery: Invalid value [${value}]. Must be true or false.`,
        );
      }
      if (value === 'true' && !rawCapable.has(protocol)) {
        throw invalidParameter(
          `Attributes Reason: Delivery protocol [${protocol}] does not support raw message delivery.`,
        );
      }
    }
    if (name === 'FilterPolicyScope' && value !== 'MessageAttributes' && value !== 'MessageBody') {
      throw invalidParameter(
        `Attributes Reason: FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`,
      );
    }
    if (name === 'DeliveryPolicy') checkDeliveryPolicy(protocol, value);
    if (name === 'RedrivePolicy') checkRedrivePolicy(value);
  }
  if (attributes['FilterPolicy'] !== undefined) {
    const scope = (attributes['FilterPolicyScope'] ?? 'MessageAttributes') as FilterPolicyScope;
    try {
      compileFilterPolicy(attributes['FilterPolicy'], scope);
    } catch (err) {
      if (err instanceof FilterPolicyError) throw invalidParameter(`FilterPolicy: ${err.message}`);
      throw err;
    }
  }
}

function checkDeliveryPolicy(protocol: string, value: string): void {
  if (protocol !== 'http' && protocol !== 'https') {
    throw invalidParameter('DeliveryPolicy: Delivery policy can only be set for HTTP/S subscriptions');
  }
  let policy: { healthyRetryPolicy?: Partial<RetryPolicy> };
  try {
    policy = JSON.parse(value) as typeof policy;
  } catch {
    throw invalidParameter('DeliveryPolicy: failed to parse JSON');
  }
  const problem = policy.healthyRetryPolicy && retryPolicyProblem(policy.healthyRetryPolicy);
  if (problem) throw invalidParameter(`DeliveryPolicy: ${problem}`);
}

function checkRedrivePolicy(value: string): void {
  let policy: { deadLetterTargetArn?: unknown };
  try {
    policy = JSON.parse(value) as typeof policy;
  } catch {
    throw invalidParameter('RedrivePolicy: failed to parse JSON');
  }
  const target =
    typeof policy.deadLetterTargetArn === 'string' ? parseArn(policy.deadLetterTargetArn) : undefined;
  if (target?.service !== 'sqs' || !target.resource) {
    throw invalidParameter('RedrivePolicy: deadLetterTargetArn is an invalid arn');
  }
}
