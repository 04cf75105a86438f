/**
 * SNS through the other clients users reach for: the `aws` CLI (every binary available, see
 * support/aws-cli.ts) and Python's boto3 (skipped when `python3 -c "import boto3"` fails).
 */
import { execFile, execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliVariants, awsOk, cliTimeoutMs, runAws } from './support/aws-cli.js';
import {
  eventually,
  startRecordingEndpoint,
  verifySnsSignature,
  type RecordingEndpoint,
} from './support/sns-endpoint.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const stepTimeoutMs = 2 * cliTimeoutMs + 10_000;

let stratus: TestStratus;
let endpoint: RecordingEndpoint;
beforeAll(async () => {
  stratus = await startTestStratus();
  endpoint = await startRecordingEndpoint();
});
afterAll(async () => {
  await stratus?.close();
  await endpoint?.close();
});

for (const variant of awsCliVariants) {
  describe.concurrent(`aws CLI sns: ${variant.name}`, () => {
    const skip = variant.binary === undefined;
    const step = (name: string, fn: () => Promise<void>) =>
      it.sequential(name, { skip, timeout: stepTimeoutMs }, fn);
    const ok = <T = Record<string, unknown>>(args: string[]) => awsOk<T>(variant.binary!, stratus.url, args);
    const name = `cli-${variant.tag}`;
    let topicArn = '';

    step('create-topic, subscribe an SMS number, publish with attributes, read the outbox', async () => {
      ({ TopicArn: topicArn } = await ok<{ TopicArn: string }>([
        'sns',
        'create-topic',
        '--name',
        name,
        '--attributes',
        'DisplayName=CLI',
      ]));
      expect(topicArn).toBe(`arn:aws:sns:us-east-1:000000000000:${name}`);
      const phone = variant.tag === 'debian' ? '+15555550001' : '+15555550002';
      const sub = await ok<{ SubscriptionArn: string }>([
        'sns',
        'subscribe',
        '--topic-arn',
        topicArn,
        '--protocol',
        'sms',
        '--notification-endpoint',
        phone,
        '--attributes',
        JSON.stringify({ FilterPolicy: JSON.stringify({ level: ['high'] }) }),
      ]);
      expect(sub.SubscriptionArn).toMatch(new RegExp(`^${topicArn}:`));
      const published = await ok<{ MessageId: string }>([
        'sns',
        'publish',
        '--topic-arn',
        topicArn,
        '--message',
        'from the CLI',
        '--message-attributes',
        JSON.stringify({ level: { DataType: 'String', StringValue: 'high' } }),
      ]);
      await ok([
        'sns',
        'publish',
        '--topic-arn',
        topicArn,
        '--message',
        'filtered out',
        '--message-attributes',
        JSON.stringify({ level: { DataType: 'String', StringValue: 'low' } }),
      ]);
      const messages = await eventually(async () => {
        const outbox = (await (
          await fetch(`${stratus.url}/_stratus/sns/sms-messages?phoneNumber=${encodeURIComponent(phone)}`)
        ).json()) as {
          messages: { MessageId: string; Message: string }[];
        };
        return outbox.messages.length > 0 && outbox.messages;
      }, 'the SMS');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(messages).toMatchObject([{ MessageId: published.MessageId, Message: 'from the CLI' }]);
    });

    step('get-topic-attributes, list-subscriptions-by-topic and tags', async () => {
      const { Attributes } = await ok<{ Attributes: Record<string, string> }>([
        'sns',
        'get-topic-attributes',
        '--topic-arn',
        topicArn,
      ]);
      expect(Attributes).toMatchObject({
        TopicArn: topicArn,
        DisplayName: 'CLI',
        SubscriptionsConfirmed: '1',
      });
      const { Subscriptions } = await ok<{ Subscriptions: { Protocol: string }[] }>([
        'sns',
        'list-subscriptions-by-topic',
        '--topic-arn',
        topicArn,
      ]);
      expect(Subscriptions.map((s) => s.Protocol)).toEqual(['sms']);
      await ok(['sns', 'tag-resource', '--resource-arn', topicArn, '--tags', 'Key=team,Value=cli']);
      const { Tags } = await ok<{ Tags: unknown[] }>([
        'sns',
        'list-tags-for-resource',
        '--resource-arn',
        topicArn,
      ]);
      expect(Tags).toEqual([{ Key: 'team', Value: 'cli' }]);
    });

    step('a missing topic exits non-zero with NotFound', async () => {
      const result = await runAws(variant.binary!, [
        'sns',
        'get-topic-attributes',
        '--topic-arn',
        `arn:aws:sns:us-east-1:000000000000:${name}-missing`,
        '--endpoint-url',
        stratus.url,
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('(NotFound)');
      expect(result.stderr).toContain('Topic does not exist');
    });
  });
}

function hasBoto3(): boolean {
  try {
    execFileSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const botoScript = `
import json, os, sys
import boto3
from botocore.exceptions import ClientError
sns = boto3.client("sns", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
arn = sns.create_topic(Name="boto3-topic", Attributes={"SignatureVersion": "2"})["TopicArn"]
sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=os.environ["HOOK"])
out = {"arn": arn}
try:
    sns.get_topic_attributes(TopicArn=arn + "-missing")
except ClientError as e:
    out["error"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"],
                    "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
print(json.dumps(out))
`;

const botoConfirm = `
import json, os
import boto3
sns = boto3.client("sns", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
confirmed = sns.confirm_subscription(TopicArn=os.environ["TOPIC"], Token=os.environ["TOKEN"])
batch = sns.publish_batch(TopicArn=os.environ["TOPIC"], PublishBatchRequestEntries=[
    {"Id": "a", "Message": "from boto3", "Subject": "Boto",
     "MessageAttributes": {"n": {"DataType": "Number", "StringValue": "42"}}},
    {"Id": "b", "Message": ""},
])
print(json.dumps({"arn": confirmed["SubscriptionArn"], "ok": [s["Id"] for s in batch["Successful"]],
                  "failed": batch["Failed"]}))
`;

function python<T>(script: string, env: Record<string, string>): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      'python3',
      ['-c', script],
      { env: { ...process.env, ...env }, timeout: cliTimeoutMs },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`python3 failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as T);
      },
    );
  });
}

describe('boto3 sns', () => {
  it(
    'creates a topic, subscribes an HTTP endpoint, confirms it, publishes a batch, and raises NotFound',
    { skip: !hasBoto3(), timeout: 2 * cliTimeoutMs },
    async () => {
      const hook = `${endpoint.url}/boto3`;
      const first = await python<{ arn: string; error: { code: string; message: string; status: number } }>(
        botoScript,
        {
          ENDPOINT: stratus.url,
          HOOK: hook,
        },
      );
      expect(first.error).toEqual({ code: 'NotFound', message: 'Topic does not exist', status: 404 });
      const confirmation = await eventually(
        () => endpoint.received.find((r) => r.path === '/boto3'),
        'the confirmation',
      );
      const { Token } = JSON.parse(confirmation.body) as { Token: string };
      const second = await python<{ arn: string; ok: string[]; failed: { Id: string; Code: string }[] }>(
        botoConfirm,
        {
          ENDPOINT: stratus.url,
          TOPIC: first.arn,
          TOKEN: Token,
        },
      );
      expect(second.arn).toMatch(new RegExp(`^${first.arn}:`));
      expect(second.ok).toEqual(['a']);
      expect(second.failed).toMatchObject([{ Id: 'b', Code: 'InvalidParameter', SenderFault: true }]);
      const note = await eventually(
        () =>
          endpoint.received
            .filter((r) => r.path === '/boto3')
            .map((r) => JSON.parse(r.body) as Record<string, string>)
            .find((b) => b['Type'] === 'Notification'),
        'the notification',
      );
      expect(note).toMatchObject({ Message: 'from boto3', Subject: 'Boto', SignatureVersion: '2' });
      expect(await verifySnsSignature(note)).toBe(true);
    },
  );
});
