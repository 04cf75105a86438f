import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  CheckIfPhoneNumberIsOptedOutCommand,
  GetSMSAttributesCommand,
  InvalidParameterException,
  SetSMSAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';

import { ManualClock } from '../src/engine/clock.js';
import { serviceDefinitions } from '../src/services/registry.js';
import { snsService } from '../src/services/sns/definition.js';
import { startSnsTest, type SnsTest } from './support/sns.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import {
  eventually,
  rejects,
  startRecordingEndpoint,
  verifySnsSignature,
  type RecordingEndpoint,
} from './support/sns-endpoint.js';

describe('SNS deliveries to HTTP and SMS endpoints', () => {
  let stratus: TestStratus;
  let sns: SNSClient;
  let endpoint: RecordingEndpoint;
  const clock = new ManualClock(Date.UTC(2026, 11, 2, 8, 0, 0));

  let test: SnsTest;
  let topic: SnsTest['topic'];

  beforeAll(async () => {
    ({ stratus, sns, topic } = test = await startSnsTest(clock));
    endpoint = await startRecordingEndpoint();
  });
  afterAll(async () => {
    await test?.close();
    await endpoint?.close();
  });

  const bodies = (path: string) =>
    endpoint.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, string>);

  /** Subscribes `<endpoint>/<path>` and confirms it the way a subscriber does: GET SubscribeURL. */
  async function confirmedHttp(topicArn: string, path: string, attributes?: Record<string, string>) {
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'http',
        Endpoint: `${endpoint.url}${path}`,
        Attributes: attributes,
      }),
    );
    const confirmation = await eventually(
      () => bodies(path).find((b) => b['Type'] === 'SubscriptionConfirmation'),
      'a confirmation',
    );
    const answer = await fetch(confirmation['SubscribeURL']!);
    expect(answer.status).toBe(200);
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(await answer.text())![1]!;
    return { arn, confirmation };
  }

  it('HTTP: sends a signed SubscriptionConfirmation; a GET of SubscribeURL confirms; notifications are signed (v1 and v2)', async () => {
    const arn = await topic('http-signed');
    const subscribed = await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: `${endpoint.url}/signed` }),
    );
    expect(subscribed.SubscriptionArn).toBe('pending confirmation');
    const request = await eventually(
      () => endpoint.received.find((r) => r.path === '/signed'),
      'the confirmation POST',
    );
    expect(request.method).toBe('POST');
    expect(request.headers['x-amz-sns-message-type']).toBe('SubscriptionConfirmation');
    expect(request.headers['x-amz-sns-topic-arn']).toBe(arn);
    expect(request.headers['content-type']).toBe('text/plain; charset=UTF-8');
    const confirmation = JSON.parse(request.body) as Record<string, string>;
    expect(confirmation).toMatchObject({
      Type: 'SubscriptionConfirmation',
      TopicArn: arn,
      SignatureVersion: '1',
    });
    expect(confirmation['Token']).toMatch(/^[0-9a-f]{256}$/);
    expect(confirmation['SubscribeURL']).toBe(
      `${stratus.url}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(arn)}&Token=${confirmation['Token']}`,
    );
    expect(confirmation['SigningCertURL']).toMatch(
      new RegExp(`^${stratus.url}/_stratus/sns/SimpleNotificationService-[0-9a-f]{32}\\.pem$`),
    );
    expect(await verifySnsSignature(confirmation)).toBe(true);
    expect(await verifySnsSignature({ ...confirmation, Token: 'forged' })).toBe(false);

    const confirmed = await fetch(confirmation['SubscribeURL']!);
    const subscriptionArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(await confirmed.text())![1]!;
    expect(subscriptionArn).toMatch(new RegExp(`^${arn}:`));
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn })))
      .Attributes!;
    expect(attrs['PendingConfirmation']).toBe('false');
    expect(JSON.parse(attrs['EffectiveDeliveryPolicy']!).healthyRetryPolicy.numRetries).toBe(3);

    const published = await sns.send(
      new PublishCommand({
        TopicArn: arn,
        Message: 'hello',
        Subject: 'Greeting',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'greeting' },
          size: { DataType: 'Number', StringValue: '3' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      }),
    );
    const note = await eventually(
      () => bodies('/signed').find((b) => b['Type'] === 'Notification'),
      'the notification',
    );
    const noteRequest = endpoint.received.find(
      (r) => r.path === '/signed' && r.body.includes('"Notification"'),
    )!;
    expect(noteRequest.headers['x-amz-sns-subscription-arn']).toBe(subscriptionArn);
    expect(noteRequest.headers['x-amz-sns-message-id']).toBe(published.MessageId);
    expect(note).toMatchObject({
      Type: 'Notification',
      MessageId: published.MessageId,
      TopicArn: arn,
      Subject: 'Greeting',
      Message: 'hello',
      Timestamp: new Date(clock.now()).toISOString(),
      SignatureVersion: '1',
      UnsubscribeURL: `${stratus.url}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`,
      MessageAttributes: {
        kind: { Type: 'String', Value: 'greeting' },
        size: { Type: 'Number', Value: '3' },
        blob: { Type: 'Binary', Value: Buffer.from([1, 2, 3]).toString('base64') },
      },
    });
    expect(await verifySnsSignature(note)).toBe(true);
    expect(await verifySnsSignature({ ...note, Message: 'tampered' })).toBe(false);

    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: arn,
        AttributeName: 'SignatureVersion',
        AttributeValue: '2',
      }),
    );
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'sha256 please' }));
    const v2 = await eventually(
      () => bodies('/signed').find((b) => b['Message'] === 'sha256 please'),
      'the v2 notification',
    );
    expect(v2['SignatureVersion']).toBe('2');
    expect(v2['Subject']).toBeUndefined();
    expect(await verifySnsSignature(v2)).toBe(true);
  });

  it('HTTP: a GET of UnsubscribeURL unsubscribes, and nothing more is delivered', async () => {
    const arn = await topic('http-unsubscribe');
    await confirmedHttp(arn, '/leaving');
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'before' }));
    const note = await eventually(
      () => bodies('/leaving').find((b) => b['Message'] === 'before'),
      'the notification',
    );
    expect((await fetch(note['UnsubscribeURL']!)).status).toBe(200);
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    expect(listed.Subscriptions).toEqual([]);
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'after' }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bodies('/leaving').map((b) => b['Message'])).not.toContain('after');
  });

  it("HTTP: SubscribeURL and UnsubscribeURL work without a signature for any account's topic", async () => {
    const other = new SNSClient({
      ...stratus.clientConfig,
      credentials: { accessKeyId: '222222222222', secretAccessKey: 'x' },
    });
    try {
      const arn = (await other.send(new CreateTopicCommand({ Name: 'elsewhere' }))).TopicArn!;
      expect(arn).toContain(':222222222222:');
      await other.send(
        new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: `${endpoint.url}/elsewhere` }),
      );
      const confirmation = await eventually(() => bodies('/elsewhere')[0], 'the confirmation');
      expect((await fetch(confirmation['SubscribeURL']!)).status).toBe(200);
      await other.send(new PublishCommand({ TopicArn: arn, Message: 'hello from 2222' }));
      const note = await eventually(
        () => bodies('/elsewhere').find((b) => b['Type'] === 'Notification'),
        'the notification',
      );
      expect((await fetch(note['UnsubscribeURL']!)).status).toBe(200);
      expect(
        (await other.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions,
      ).toEqual([]);
    } finally {
      other.destroy();
    }
  });

  it('HTTP: ConfirmSubscription with the token confirms too; a wrong token is refused', async () => {
    const arn = await topic('http-confirm-api');
    await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: `${endpoint.url}/api-confirm` }),
    );
    const confirmation = await eventually(() => bodies('/api-confirm')[0], 'the confirmation');
    const wrong = await sns
      .send(new ConfirmSubscriptionCommand({ TopicArn: arn, Token: 'f'.repeat(256) }))
      .catch((e: unknown) => e as Error);
    expect(wrong).toBeInstanceOf(InvalidParameterException);
    expect((wrong as Error).message).toBe('Invalid parameter: Token');
    const { SubscriptionArn } = await sns.send(
      new ConfirmSubscriptionCommand({
        TopicArn: arn,
        Token: confirmation['Token'],
        AuthenticateOnUnsubscribe: 'true',
      }),
    );
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    expect(attrs).toMatchObject({ PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'true' });
  });

  it('HTTP: credentials in the endpoint URL are sent as basic auth', async () => {
    const arn = await topic('http-basic-auth');
    const withAuth = endpoint.url.replace('http://', 'http://hook:s%3Acret@');
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: `${withAuth}/basic` }));
    const request = await eventually(
      () => endpoint.received.find((r) => r.path === '/basic'),
      'the confirmation',
    );
    expect(request.headers['authorization']).toBe(`Basic ${Buffer.from('hook:s:cret').toString('base64')}`);
  });

  it('HTTP: RawMessageDelivery posts the bare message with x-amz-sns-rawdelivery', async () => {
    const arn = await topic('http-raw');
    const { arn: sub } = await confirmedHttp(arn, '/raw');
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: sub,
        AttributeName: 'RawMessageDelivery',
        AttributeValue: 'true',
      }),
    );
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'just this' }));
    const raw = await eventually(
      () => endpoint.received.find((r) => r.path === '/raw' && r.body === 'just this'),
      'the raw POST',
    );
    expect(raw.headers['x-amz-sns-rawdelivery']).toBe('true');
    expect(raw.headers['x-amz-sns-message-type']).toBe('Notification');
  });

  it('filter policies on attributes and on the body decide which subscriptions get a message', async () => {
    const arn = await topic('filtered');
    await confirmedHttp(arn, '/red', {
      FilterPolicy: JSON.stringify({ color: ['red'], size: [{ numeric: ['>', 10] }] }),
    });
    await confirmedHttp(arn, '/body', {
      FilterPolicy: JSON.stringify({ order: { status: [{ prefix: 'ship' }] } }),
      FilterPolicyScope: 'MessageBody',
    });
    await confirmedHttp(arn, '/all');
    const publish = (Message: string, color?: string, size?: number) =>
      sns.send(
        new PublishCommand({
          TopicArn: arn,
          Message,
          MessageAttributes: {
            ...(color ? { color: { DataType: 'String', StringValue: color } } : {}),
            ...(size !== undefined ? { size: { DataType: 'Number', StringValue: String(size) } } : {}),
          },
        }),
      );
    await publish('big red', 'red', 11);
    await publish('small red', 'red', 10);
    await publish('big blue', 'blue', 50);
    await publish(JSON.stringify({ order: { status: 'shipped' } }));
    await publish(JSON.stringify({ order: { status: 'placed' } }), 'red', 99);
    const notes = (path: string) =>
      bodies(path)
        .filter((b) => b['Type'] === 'Notification')
        .map((b) => b['Message']);
    await eventually(() => notes('/all').length === 5, 'every message at the unfiltered endpoint');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(notes('/red').sort()).toEqual(['big red', JSON.stringify({ order: { status: 'placed' } })].sort());
    expect(notes('/body')).toEqual([JSON.stringify({ order: { status: 'shipped' } })]);
  });

  it('MessageStructure json sends each protocol its own message', async () => {
    const arn = await topic('structured');
    await confirmedHttp(arn, '/structured');
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sms', Endpoint: '+15555550100' }));
    await sns.send(
      new PublishCommand({
        TopicArn: arn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'fallback', http: 'for http', sms: 'for sms' }),
      }),
    );
    const note = await eventually(
      () => bodies('/structured').find((b) => b['Type'] === 'Notification'),
      'the http message',
    );
    expect(note['Message']).toBe('for http');
    const sms = await eventually(async () => {
      const outbox = (await (
        await fetch(`${stratus.url}/_stratus/sns/sms-messages?phoneNumber=%2B15555550100`)
      ).json()) as {
        messages: { Message: string; TopicArn?: string }[];
      };
      return outbox.messages.length > 0 && outbox.messages;
    }, 'the SMS');
    expect(sms).toMatchObject([{ Message: 'for sms', TopicArn: arn }]);
  });

  it('SMS: Publish with PhoneNumber lands in the outbox; a malformed number is refused', async () => {
    await sns.send(
      new SetSMSAttributesCommand({
        attributes: { DefaultSMSType: 'Transactional', DefaultSenderID: 'Stratus' },
      }),
    );
    expect(
      (await sns.send(new GetSMSAttributesCommand({ attributes: ['DefaultSMSType'] }))).attributes,
    ).toEqual({
      DefaultSMSType: 'Transactional',
    });
    await rejects(
      sns.send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Urgent' } })),
      InvalidParameterException,
      'Invalid parameter: DefaultSMSType Reason: must be Promotional or Transactional',
    );
    expect(
      (await sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+14155550123' }))).isOptedOut,
    ).toBe(false);
    const { MessageId } = await sns.send(
      new PublishCommand({
        PhoneNumber: '+14155550123',
        Message: 'Your code is 123456',
        MessageAttributes: { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'MyApp' } },
      }),
    );
    const outbox = (await (
      await fetch(`${stratus.url}/_stratus/sns/sms-messages?phoneNumber=%2B14155550123`)
    ).json()) as {
      messages: unknown[];
    };
    expect(outbox.messages).toMatchObject([
      {
        MessageId,
        PhoneNumber: '+14155550123',
        Message: 'Your code is 123456',
        MessageAttributes: { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'MyApp' } },
      },
    ]);
    const err = await sns
      .send(new PublishCommand({ PhoneNumber: 'call me', Message: 'x' }))
      .catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(InvalidParameterException);
  });

  it('HTTP retries follow the delivery policy on 5xx, then give up; a 4xx is not retried', async () => {
    const arn = await topic('retries');
    const { arn: sub } = await confirmedHttp(arn, '/flaky');
    const policy = {
      healthyRetryPolicy: { numRetries: 2, minDelayTarget: 5, maxDelayTarget: 5, numNoDelayRetries: 0 },
    };
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: sub,
        AttributeName: 'DeliveryPolicy',
        AttributeValue: JSON.stringify(policy),
      }),
    );
    const attempts = () =>
      endpoint.received.filter((r) => r.path === '/flaky' && r.body.includes('flaky message')).length;
    endpoint.answerWith(500, 503, 500);
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'flaky message' }));
    await eventually(() => attempts() === 1, 'the first attempt');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(attempts()).toBe(1);
    clock.advance(5_000);
    await eventually(() => attempts() === 2, 'the first retry');
    clock.advance(5_000);
    await eventually(() => attempts() === 3, 'the second retry');
    clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(attempts()).toBe(3);
    endpoint.answerWith(404);
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'flaky message 404' }));
    await eventually(
      () => endpoint.received.some((r) => r.body.includes('flaky message 404')),
      'the 404 attempt',
    );
    clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(endpoint.received.filter((r) => r.body.includes('flaky message 404'))).toHaveLength(1);
  });
});

describe('SNS HTTP/S delivery timeouts', () => {
  let stratus: TestStratus;
  let sns: SNSClient;
  let endpoint: RecordingEndpoint;
  const clock = new ManualClock(Date.UTC(2026, 11, 2, 9, 0, 0));

  beforeAll(async () => {
    // An endpoint gets 300 ms instead of SNS's 15 seconds, so the test need not wait.
    const services = serviceDefinitions.map((d) =>
      d.name === 'sns' ? snsService({ httpTimeoutMs: 300 }) : d,
    );
    stratus = await startTestStratus({ clock, services });
    sns = new SNSClient(stratus.clientConfig);
    endpoint = await startRecordingEndpoint();
  });
  afterAll(async () => {
    sns?.destroy();
    await stratus?.close();
    await endpoint?.close();
  });

  it('an endpoint that does not answer in time is retried after the policy delay', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'slow' }))).TopicArn!;
    const policy = { healthyRetryPolicy: { numRetries: 1, minDelayTarget: 30, maxDelayTarget: 30 } };
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'http',
        Endpoint: `${endpoint.url}/slow`,
        Attributes: { DeliveryPolicy: JSON.stringify(policy) },
      }),
    );
    const confirmation = await eventually(() => endpoint.received[0], 'the confirmation');
    await fetch((JSON.parse(confirmation.body) as { SubscribeURL: string }).SubscribeURL);
    endpoint.answerWith(0);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'are you there' }));
    const attempts = () => endpoint.received.filter((r) => r.body.includes('are you there')).length;
    await eventually(() => attempts() === 1, 'the first attempt');
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(attempts()).toBe(1);
    clock.advance(30_000);
    await eventually(() => attempts() === 2, 'the retry after 30 s');
  });
});
