/**
 * One delivery attempt per protocol. SQS, Lambda and SES are reached through their public
 * operations (`ServiceCaller`), HTTP/S endpoints over the network. A failed attempt throws a
 * `DeliveryFailure` saying whether SNS would retry it: server-side trouble (5xx, 429, timeouts,
 * refused connections, a service not running) is retried; client-side errors (a queue or function
 * that does not exist, a 4xx from an endpoint) go straight to the dead-letter queue.
 */
import type { Clock } from '../../engine/clock.js';
import { isServiceError } from '../../protocol/errors.js';
import type { Store } from '../../storage/store.js';
import { parseArn } from '../arn.js';
import type { ServiceCaller } from '../service.js';
import { effectiveSubscriptionPolicy } from './delivery-policy.js';
import { envelope, lambdaEvent, type Delivery, type EnvelopeUrls, type StoredAttribute } from './envelope.js';
import type { MessageSigner } from './signing.js';
import { subscriptionAttributes } from './subscriptions.js';
import { smsQueries, type SubscriptionRow, type TopicRow } from './tables.js';
import { topicAttributes } from './topics.js';

export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface SenderDeps {
  store: Store;
  clock: Clock;
  services: ServiceCaller;
  signer: MessageSigner;
  endpointUrl: () => string;
  httpTimeoutMs: number;
}

const emailSource = 'no-reply@sns.amazonaws.com';
/** SNS mails come from the topic's DisplayName, when it has one. */
function emailSender(topic: TopicRow): string {
  const name = (topicAttributes(topic)['DisplayName'] ?? '').replace(/["\\\r\n]/g, '');
  return name ? `"${name}" <${emailSource}>` : emailSource;
}
const emailFooter = (unsubscribeUrl: string) =>
  `\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n${unsubscribeUrl}\n\nPlease do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support`;

export class Senders {
  constructor(private readonly deps: SenderDeps) {}

  async send(delivery: Delivery, subscription: SubscriptionRow, topic: TopicRow): Promise<void> {
    const raw = subscriptionAttributes(subscription)['RawMessageDelivery'] === 'true';
    switch (subscription.protocol) {
      case 'sqs':
        return this.toQueue(subscription.endpoint, delivery, topic, raw);
      case 'lambda':
        return this.toFunction(subscription.endpoint, delivery, topic);
      case 'http':
      case 'https':
        return this.toHttp(subscription, delivery, topic, raw);
      case 'email':
      case 'email-json':
        return this.toEmail(subscription, delivery, topic);
      case 'sms':
        await smsQueries.insert(this.deps.store, delivery.at, {
          message_id: delivery.messageId,
          phone_number: subscription.endpoint,
          message: delivery.message,
          topic_arn: delivery.topicArn,
          subscription_arn: subscription.arn,
          attributes: JSON.stringify(delivery.attributes),
          created_at: this.deps.clock.now(),
        });
        return;
      default:
        throw new DeliveryFailure(`protocol ${subscription.protocol} is not delivered by Stratus`, false);
    }
  }

  /** Sends a message that exhausted its retries to the subscription's dead-letter queue. */
  async toDeadLetterQueue(
    queueArn: string,
    delivery: Delivery,
    subscription: SubscriptionRow,
    topic: TopicRow,
  ) {
    const raw = subscriptionAttributes(subscription)['RawMessageDelivery'] === 'true';
    await this.toQueue(queueArn, delivery, topic, raw);
  }

  private async body(delivery: Delivery, topic: TopicRow): Promise<Record<string, unknown>> {
    const version = topicAttributes(topic)['SignatureVersion'] ?? '1';
    return envelope(delivery, await this.urls(delivery), version, await this.deps.signer.signer(version));
  }

  private async urls(delivery: Delivery): Promise<EnvelopeUrls> {
    const base = this.deps.endpointUrl();
    const { certId } = await this.deps.signer.load();
    const actionUrl =
      delivery.kind === 'SubscriptionConfirmation'
        ? `${base}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(delivery.topicArn)}&Token=${delivery.token!}`
        : `${base}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(delivery.subscriptionArn)}`;
    return { signingCertUrl: `${base}/_stratus/sns/SimpleNotificationService-${certId}.pem`, actionUrl };
  }

  private async toQueue(queueArn: string, delivery: Delivery, topic: TopicRow, raw: boolean): Promise<void> {
    const arn = parseArn(queueArn)!;
    const at = { accountId: arn.accountId, region: arn.region };
    const fifo = arn.resource.endsWith('.fifo');
    await this.call(async () => {
      const { QueueUrl } = await this.deps.services.call<{ QueueUrl: string }>(
        'sqs',
        'GetQueueUrl',
        { QueueName: arn.resource, QueueOwnerAWSAccountId: arn.accountId },
        at,
      );
      await this.deps.services.call(
        'sqs',
        'SendMessage',
        {
          QueueUrl,
          MessageBody: raw ? delivery.message : JSON.stringify(await this.body(delivery, topic)),
          ...(raw && Object.keys(delivery.attributes).length > 0
            ? { MessageAttributes: sqsAttributes(delivery.attributes) }
            : {}),
          ...(fifo && delivery.messageGroupId ? { MessageGroupId: delivery.messageGroupId } : {}),
          ...(fifo && delivery.messageDeduplicationId
            ? { MessageDeduplicationId: delivery.messageDeduplicationId }
            : {}),
        },
        at,
      );
    });
  }

  private async toFunction(functionArn: string, delivery: Delivery, topic: TopicRow): Promise<void> {
    const arn = parseArn(functionArn)!;
    const version = topicAttributes(topic)['SignatureVersion'] ?? '1';
    const event = lambdaEvent(
      delivery,
      await this.urls(delivery),
      version,
      await this.deps.signer.signer(version),
    );
    await this.call(() =>
      this.deps.services.call(
        'lambda',
        'Invoke',
        { FunctionName: functionArn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) },
        { accountId: arn.accountId, region: arn.region },
      ),
    );
  }

  private async toHttp(
    subscription: SubscriptionRow,
    delivery: Delivery,
    topic: TopicRow,
    raw: boolean,
  ): Promise<void> {
    const policy = effectiveSubscriptionPolicy(
      topicAttributes(topic)['DeliveryPolicy'],
      subscriptionAttributes(subscription)['DeliveryPolicy'],
    );
    const notification = delivery.kind === 'Notification';
    const rawBody = raw && notification;
    const headers: Record<string, string> = {
      'content-type': policy.requestPolicy.headerContentType,
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': delivery.kind,
      'x-amz-sns-message-id': delivery.messageId,
      'x-amz-sns-topic-arn': delivery.topicArn,
      ...(notification ? { 'x-amz-sns-subscription-arn': subscription.arn } : {}),
      ...(rawBody ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
    };
    const body = rawBody ? delivery.message : JSON.stringify(await this.body(delivery, topic));
    let response: Response;
    try {
      const { url, authorization } = withoutCredentials(subscription.endpoint);
      response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, ...(authorization ? { authorization } : {}) },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.deps.httpTimeoutMs),
      });
      await response.arrayBuffer();
    } catch (err) {
      throw new DeliveryFailure(`POST ${subscription.endpoint} failed: ${(err as Error).message}`, true);
    }
    if (response.status >= 200 && response.status < 300) return;
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
    throw new DeliveryFailure(`POST ${subscription.endpoint} answered ${response.status}`, retryable);
  }

  private async toEmail(subscription: SubscriptionRow, delivery: Delivery, topic: TopicRow): Promise<void> {
    const urls = await this.urls(delivery);
    const confirmation = delivery.kind === 'SubscriptionConfirmation';
    let subject: string;
    let text: string;
    if (subscription.protocol === 'email-json') {
      subject = confirmation ? 'AWS Notification - Subscription Confirmation' : 'AWS Notification Message';
      text = JSON.stringify(await this.body(delivery, topic));
    } else if (confirmation) {
      subject = 'AWS Notification - Subscription Confirmation';
      text = `You have chosen to subscribe to the topic: \n${delivery.topicArn}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n${urls.actionUrl}\n\nPlease do not reply directly to this email. If you wish to remove yourself from receiving all future SNS subscription confirmation requests please send an email to sns-opt-out`;
    } else {
      subject = delivery.subject ?? 'AWS Notification Message';
      text = delivery.message + emailFooter(urls.actionUrl);
    }
    await this.call(() =>
      this.deps.services.call(
        'ses',
        'SendEmail',
        {
          Source: emailSender(topic),
          Destination: { ToAddresses: [subscription.endpoint] },
          Message: { Subject: { Data: subject }, Body: { Text: { Data: text } } },
        },
        delivery.at,
      ),
    );
  }

  /** Runs a call to another service, classifying its failure the way SNS does. */
  private async call(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (isServiceError(err)) {
        const retryable = !err.senderFault || err.status === 429;
        throw new DeliveryFailure(`${err.code}: ${err.message}`, retryable);
      }
      throw new DeliveryFailure((err as Error).message, true);
    }
  }
}

function sqsAttributes(attributes: Record<string, StoredAttribute>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] =
      a.BinaryValue !== undefined
        ? { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, 'base64') }
        : { DataType: a.DataType, StringValue: a.StringValue };
  }
  return out;
}

/**
 * `https://user:password@host/…` endpoints get HTTP basic auth, as SNS gives them; fetch refuses
 * credentials inside a URL, so they travel in the Authorization header.
 */
function withoutCredentials(endpoint: string): { url: string; authorization?: string } {
  const url = new URL(endpoint);
  if (!url.username && !url.password) return { url: endpoint };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.toString(), authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}
