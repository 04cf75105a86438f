/**
 * One delivery attempt per target type, and the dead-letter message after the last. Lambda (an
 * asynchronous Invoke, as EventBridge invokes functions), SQS (in batches, sqs-batcher.ts; FIFO
 * queues with the target's message group and the event id as deduplication id) and SNS are
 * reached through their public operations; Step Functions through its wire protocol, so it works
 * once a Step Functions service runs (until then its targets fail); another bus by routing the
 * event there; API destinations over HTTP. A failure is a DeliveryFailure saying whether to retry.
 */
import { BoundedMap } from '../../engine/bounded-map.js';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import { parseArn } from '../arn.js';
import type { ServiceCaller } from '../service.js';
import type { ApiInvoker } from './api-invoke.js';
import { targetKind } from './arns.js';
import type { EventEnvelope } from './envelope.js';
import { classify, DeliveryFailure } from './failures.js';
import { targetInput } from './input-transformer.js';
import type { Outbox, TargetDelivery } from './outbox.js';
import type { ExhaustedCondition } from './retry-policy.js';
import type { Router } from './routing.js';
import { SqsBatcher, type QueueMessage } from './sqs-batcher.js';

export interface SenderDeps {
  store: Store;
  clock: Clock;
  services: ServiceCaller;
  router: Router;
  outbox: Outbox;
  api: ApiInvoker;
}

export class Senders {
  /**
   * Queue URLs by ARN: a URL is fixed by the queue's name and account, so it is asked for once.
   * Deliveries waiting for the same answer go on in the order they asked, which keeps a batch of
   * deliveries to one FIFO queue in order.
   */
  private readonly queueUrls = new BoundedMap<string, Promise<string>>(1000);

  private readonly batcher: SqsBatcher;

  constructor(private readonly deps: SenderDeps) {
    this.batcher = new SqsBatcher(deps.services);
  }

  async send(delivery: TargetDelivery): Promise<void> {
    const arn = delivery.target.Arn!;
    const kind = targetKind(arn);
    if (kind === 'event-bus') return this.toBus(delivery);
    const input = this.input(delivery);
    switch (kind) {
      case 'lambda':
        return this.call(arn, 'lambda', 'Invoke', {
          FunctionName: arn,
          InvocationType: 'Event',
          Payload: Buffer.from(input),
        });
      case 'sqs':
        return this.toQueue(arn, input, delivery);
      case 'sns':
        return this.call(arn, 'sns', 'Publish', {
          TopicArn: arn,
          Message: input,
          ...this.fifo(arn, delivery),
        });
      case 'api-destination':
        return this.deps.api.invoke(delivery, input);
      case 'states':
        return this.toStateMachine(arn, input);
      default:
        throw new DeliveryFailure('INVALID_PARAMETER', `Stratus does not deliver events to ${arn}.`, false);
    }
  }

  /** The event, as it came, to the target's dead-letter queue with EventBridge's attributes. */
  async deadLetter(
    delivery: TargetDelivery,
    failure: DeliveryFailure,
    exhausted: ExhaustedCondition | undefined,
  ): Promise<void> {
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    await this.toQueue(delivery.target.DeadLetterConfig!.Arn!, delivery.event, delivery, {
      RULE_ARN: attribute(delivery.ruleArn),
      TARGET_ARN: attribute(delivery.target.Arn!),
      ERROR_CODE: attribute(failure.code),
      ERROR_MESSAGE: attribute(failure.message.slice(0, 1024)),
      ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: attribute(exhausted) } : {}),
      RETRY_ATTEMPTS: attribute(String(delivery.retries)),
    });
  }

  private input(delivery: TargetDelivery): string {
    const { target } = delivery;
    if (target.InputPath === undefined && target.InputTransformer === undefined) {
      return target.Input ?? delivery.event;
    }
    return targetInput(target, JSON.parse(delivery.event) as EventEnvelope, delivery.event, {
      ruleArn: delivery.ruleArn,
      ruleName: delivery.ruleName,
      ingestionTime: new Date(delivery.ingestedAt).toISOString(),
    });
  }

  private fifo(arn: string, delivery: TargetDelivery) {
    if (!arn.endsWith('.fifo')) return {};
    return {
      MessageGroupId: delivery.target.SqsParameters?.MessageGroupId,
      MessageDeduplicationId: delivery.eventId,
    };
  }

  private async toQueue(
    queueArn: string,
    body: string,
    delivery: TargetDelivery,
    attributes?: QueueMessage['MessageAttributes'],
  ): Promise<void> {
    const arn = parseArn(queueArn)!;
    const at = { accountId: arn.accountId, region: arn.region };
    let queueUrl = this.queueUrls.get(queueArn);
    if (queueUrl === undefined) {
      queueUrl = this.deps.services
        .call<{ QueueUrl: string }>(
          'sqs',
          'GetQueueUrl',
          { QueueName: arn.resource, QueueOwnerAWSAccountId: arn.accountId },
          at,
        )
        .then((result) => result.QueueUrl);
      this.queueUrls.set(queueArn, queueUrl);
    }
    let url: string;
    try {
      url = await queueUrl;
    } catch (err) {
      this.queueUrls.delete(queueArn);
      throw classify(err);
    }
    await this.batcher.send(url, at, {
      MessageBody: body,
      ...(attributes ? { MessageAttributes: attributes } : this.fifo(queueArn, delivery)),
    });
  }

  private async call(arn: string, service: string, operation: string, input: object): Promise<void> {
    const parsed = parseArn(arn)!;
    try {
      await this.deps.services.call(service, operation, input, {
        accountId: parsed.accountId,
        region: parsed.region,
      });
    } catch (err) {
      throw classify(err);
    }
  }

  private async toStateMachine(arn: string, input: string): Promise<void> {
    const parsed = parseArn(arn)!;
    const response = await this.deps.services.callWire(
      {
        service: 'states',
        method: 'POST',
        path: '/',
        query: {},
        headers: {},
        body: Buffer.from(JSON.stringify({ stateMachineArn: arn, input })),
        action: 'StartExecution',
      },
      { accountId: parsed.accountId, region: parsed.region },
    );
    if (!response) {
      throw new DeliveryFailure('SDK_CLIENT_ERROR', 'Step Functions is not served by this Stratus.', false);
    }
    if (response.status >= 300) {
      const text = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body);
      const retryable = response.status >= 500 || response.status === 429;
      throw new DeliveryFailure(
        retryable ? 'INTERNAL_ERROR' : 'SDK_CLIENT_ERROR',
        text.slice(0, 1024),
        retryable,
      );
    }
  }

  /** Routes the event, as it is, on the target bus — refusing loops and a third account or region. */
  private async toBus(delivery: TargetDelivery): Promise<void> {
    const destination = delivery.target.Arn!;
    const chain = [...delivery.hops, delivery.busArn];
    if (chain.includes(destination)) {
      throw new DeliveryFailure('INVALID_PARAMETER', `The event already went through ${destination}.`, false);
    }
    const buses = [...chain, destination].map((arn) => parseArn(arn)!);
    if (new Set(buses.map((b) => b.accountId)).size > 2) {
      throw new DeliveryFailure(
        'THIRD_ACCOUNT_HOP_DETECTED',
        'The event would reach a third account.',
        false,
      );
    }
    if (new Set(buses.map((b) => b.region)).size > 2) {
      throw new DeliveryFailure('THIRD_REGION_HOP_DETECTED', 'The event would reach a third region.', false);
    }
    const event = JSON.parse(delivery.event) as EventEnvelope;
    const { store, clock, router, outbox } = this.deps;
    const queued = await store.transaction((tx) =>
      router.route(tx, destination, event, {
        ingestedAt: clock.now(),
        hops: chain,
        traceHeader: delivery.traceHeader,
      }),
    );
    if (queued > 0) outbox.committed();
  }
}
