/**
 * Amazon SNS operations: topics, subscriptions, Publish / PublishBatch and tags. Each method names
 * the AWS operation and hands over to the topic, subscription and publishing modules; deliveries
 * are durable work items done by the delivery worker.
 *
 * Differences from AWS (docs/differences.md): topic policies decide what other accounts may do
 * (accounts, SNS actions and the SourceOwner/SourceAccount conditions are understood; IAM
 * policies are not evaluated); KMS encryption, delivery-status logging, message archiving and
 * data-protection policies are accepted as attributes and otherwise ignored; mobile push
 * (platform applications), Firehose and the SMS sandbox are not served, and no number is ever
 * opted out; SMS messages are recorded in an outbox (`GET /_stratus/sns/sms-messages`), never
 * sent; email goes to Stratus's SES outbox; SubscribeURL and UnsubscribeURL point at Stratus and,
 * like any other call, need a signature when `--require-auth` is on. `TargetArn` may name a topic
 * (not a mobile endpoint).
 */
import type * as SNS from '@aws-sdk/client-sns';
import type { RequestContext } from '../service.js';
import {
  BatchEntryIdsNotDistinctException,
  BatchRequestTooLongException,
  EmptyBatchRequestException,
  invalidParameter,
  InvalidBatchEntryIdException,
  TooManyEntriesInBatchRequestException,
} from './errors.js';
import { maxMessageBytes, type Publisher } from './publish.js';
import { pendingArn, subscriptionArnOf, type Subscriptions } from './subscriptions.js';
import { subscriptionQueries, topicQueries, type SubscriptionRow } from './tables.js';
import type { SmsSettings } from './sms.js';
import type { Topics } from './topics.js';
import type { Store } from '../../storage/store.js';

const pageSize = 100;
const maxBatchEntries = 10;

export interface SnsModules {
  store: Store;
  sms: SmsSettings;
  topics: Topics;
  subscriptions: Subscriptions;
  publisher: Publisher;
}

const token = (value: string | number) => Buffer.from(String(value)).toString('base64url');
function fromToken(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const decoded = Buffer.from(value, 'base64url').toString('utf8');
  if (!decoded || token(decoded) !== value) throw invalidParameter('NextToken');
  return decoded;
}

function listed(row: SubscriptionRow): SNS.Subscription {
  return {
    SubscriptionArn: subscriptionArnOf(row),
    Owner: row.account_id,
    Protocol: row.protocol,
    Endpoint: row.endpoint,
    TopicArn: row.topic_arn,
  };
}

export class SnsProvider {
  constructor(private readonly m: SnsModules) {}

  async CreateTopic(input: SNS.CreateTopicInput, at: RequestContext): Promise<SNS.CreateTopicResponse> {
    const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key!, t.Value!]));
    return { TopicArn: await this.m.topics.create(at, input.Name!, input.Attributes ?? {}, tags) };
  }

  async DeleteTopic(input: SNS.DeleteTopicInput, at: RequestContext): Promise<void> {
    await this.m.topics.delete(at, input.TopicArn!);
  }

  async ListTopics(input: SNS.ListTopicsInput, at: RequestContext): Promise<SNS.ListTopicsResponse> {
    const rows = await topicQueries.list(this.m.store, at, fromToken(input.NextToken) ?? '', pageSize + 1);
    const page = rows.slice(0, pageSize);
    return {
      Topics: page.map((row) => ({ TopicArn: row.arn })),
      ...(rows.length > pageSize ? { NextToken: token(page.at(-1)!.arn) } : {}),
    };
  }

  async GetTopicAttributes(
    input: SNS.GetTopicAttributesInput,
    at: RequestContext,
  ): Promise<SNS.GetTopicAttributesResponse> {
    return { Attributes: await this.m.topics.attributes(at, input.TopicArn!) };
  }

  async SetTopicAttributes(input: SNS.SetTopicAttributesInput, at: RequestContext): Promise<void> {
    await this.m.topics.setAttribute(at, input.TopicArn!, input.AttributeName!, input.AttributeValue);
  }

  async Subscribe(input: SNS.SubscribeInput, at: RequestContext): Promise<SNS.SubscribeResponse> {
    const arn = await this.m.subscriptions.subscribe(at, {
      topicArn: input.TopicArn!,
      protocol: input.Protocol!,
      ...(input.Endpoint !== undefined ? { endpoint: input.Endpoint } : {}),
      attributes: input.Attributes ?? {},
      returnArn: input.ReturnSubscriptionArn ?? false,
    });
    return { SubscriptionArn: arn };
  }

  async ConfirmSubscription(
    input: SNS.ConfirmSubscriptionInput,
    _at: RequestContext,
  ): Promise<SNS.ConfirmSubscriptionResponse> {
    const arn = await this.m.subscriptions.confirm(
      input.TopicArn!,
      input.Token!,
      input.AuthenticateOnUnsubscribe === 'true',
    );
    return { SubscriptionArn: arn };
  }

  async Unsubscribe(input: SNS.UnsubscribeInput, at: RequestContext): Promise<void> {
    if (input.SubscriptionArn === pendingArn) throw invalidParameter('SubscriptionArn');
    await this.m.subscriptions.unsubscribe(at, input.SubscriptionArn!);
  }

  async ListSubscriptions(
    input: SNS.ListSubscriptionsInput,
    at: RequestContext,
  ): Promise<SNS.ListSubscriptionsResponse> {
    const after = Number(fromToken(input.NextToken) ?? 0);
    const rows = await subscriptionQueries.pageOfRegion(this.m.store, at, after, pageSize + 1);
    return this.subscriptionPage(rows);
  }

  async ListSubscriptionsByTopic(
    input: SNS.ListSubscriptionsByTopicInput,
    at: RequestContext,
  ): Promise<SNS.ListSubscriptionsByTopicResponse> {
    const topic = await this.m.topics.get(this.m.store, at, input.TopicArn!, 'ListSubscriptionsByTopic');
    const after = Number(fromToken(input.NextToken) ?? 0);
    return this.subscriptionPage(
      await subscriptionQueries.pageOfTopic(this.m.store, topic.arn, after, pageSize + 1),
    );
  }

  private subscriptionPage(rows: SubscriptionRow[]): SNS.ListSubscriptionsResponse {
    const page = rows.slice(0, pageSize);
    return {
      Subscriptions: page.map(listed),
      ...(rows.length > pageSize ? { NextToken: token(page.at(-1)!.id) } : {}),
    };
  }

  async GetSubscriptionAttributes(
    input: SNS.GetSubscriptionAttributesInput,
    at: RequestContext,
  ): Promise<SNS.GetSubscriptionAttributesResponse> {
    return { Attributes: await this.m.subscriptions.attributes(at, input.SubscriptionArn!) };
  }

  async SetSubscriptionAttributes(
    input: SNS.SetSubscriptionAttributesInput,
    at: RequestContext,
  ): Promise<void> {
    await this.m.subscriptions.setAttribute(
      at,
      input.SubscriptionArn!,
      input.AttributeName!,
      input.AttributeValue,
    );
  }

  async Publish(input: SNS.PublishInput, at: RequestContext): Promise<SNS.PublishResponse> {
    if (input.PhoneNumber !== undefined) {
      if (input.TopicArn !== undefined || input.TargetArn !== undefined) {
        throw invalidParameter('Only one of TopicArn, TargetArn or PhoneNumber may be given');
      }
      return this.m.publisher.publishSms(at, input.PhoneNumber, input);
    }
    const topicArn = input.TopicArn ?? input.TargetArn;
    if (topicArn === undefined)
      throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    return this.m.publisher.publish(at, topicArn, input);
  }

  async PublishBatch(input: SNS.PublishBatchInput, at: RequestContext): Promise<SNS.PublishBatchResponse> {
    const entries = input.PublishBatchRequestEntries ?? [];
    if (entries.length === 0)
      throw new EmptyBatchRequestException("The batch request doesn't contain any entries");
    if (entries.length > maxBatchEntries) {
      throw new TooManyEntriesInBatchRequestException(
        'The batch request contains more entries than permissible.',
      );
    }
    const ids = new Set<string>();
    let bytes = 0;
    for (const entry of entries) {
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(entry.Id ?? '')) {
        throw new InvalidBatchEntryIdException(
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        );
      }
      if (ids.has(entry.Id!)) {
        throw new BatchEntryIdsNotDistinctException(
          'Two or more batch entries in the request have the same Id.',
        );
      }
      ids.add(entry.Id!);
      bytes += Buffer.byteLength(entry.Message ?? '');
    }
    if (bytes > maxMessageBytes) {
      throw new BatchRequestTooLongException(
        'The length of all the messages put together is more than the limit.',
      );
    }
    return this.m.publisher.publishBatch(at, input.TopicArn!, entries);
  }

  async AddPermission(input: SNS.AddPermissionInput, at: RequestContext): Promise<void> {
    await this.m.topics.addPermission(
      at,
      input.TopicArn!,
      input.Label!,
      input.AWSAccountId!,
      input.ActionName!,
    );
  }

  async RemovePermission(input: SNS.RemovePermissionInput, at: RequestContext): Promise<void> {
    await this.m.topics.removePermission(at, input.TopicArn!, input.Label!);
  }

  async SetSMSAttributes(
    input: SNS.SetSMSAttributesInput,
    at: RequestContext,
  ): Promise<SNS.SetSMSAttributesResponse> {
    await this.m.sms.set(at, input.attributes ?? {});
    return {};
  }

  async GetSMSAttributes(
    input: SNS.GetSMSAttributesInput,
    at: RequestContext,
  ): Promise<SNS.GetSMSAttributesResponse> {
    return { attributes: await this.m.sms.get(at, input.attributes) };
  }

  async CheckIfPhoneNumberIsOptedOut(): Promise<SNS.CheckIfPhoneNumberIsOptedOutResponse> {
    return { isOptedOut: false };
  }

  async ListPhoneNumbersOptedOut(): Promise<SNS.ListPhoneNumbersOptedOutResponse> {
    return { phoneNumbers: [] };
  }

  async OptInPhoneNumber(): Promise<SNS.OptInPhoneNumberResponse> {
    return {};
  }

  async TagResource(input: SNS.TagResourceRequest, at: RequestContext): Promise<SNS.TagResourceResponse> {
    await this.m.topics.tag(
      at,
      input.ResourceArn!,
      Object.fromEntries(input.Tags!.map((t) => [t.Key!, t.Value!])),
    );
    return {};
  }

  async UntagResource(
    input: SNS.UntagResourceRequest,
    at: RequestContext,
  ): Promise<SNS.UntagResourceResponse> {
    await this.m.topics.untag(at, input.ResourceArn!, input.TagKeys!);
    return {};
  }

  async ListTagsForResource(
    input: SNS.ListTagsForResourceRequest,
    at: RequestContext,
  ): Promise<SNS.ListTagsForResourceResponse> {
    const tags = await this.m.topics.tags(at, input.ResourceArn!);
    return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
  }
}
