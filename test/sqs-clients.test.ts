/**
 * SQS through the other clients users run: the `aws` CLI (Debian's v2 speaks the query protocol
 * for SQS, a newer v1 on PATH speaks JSON) and Python's boto3 (Debian's python3-boto3 speaks
 * query too, a newer one on PATH JSON) — every one that is installed.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliVariants, awsOk, cliTimeoutMs, runAws } from './support/aws-cli.js';
import { pythonsWithBoto3, runPythonJson } from './support/boto3.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const stepTimeoutMs = 2 * cliTimeoutMs + 10_000;

let stratus: TestStratus;
beforeAll(async () => {
  stratus = await startTestStratus();
});
afterAll(() => stratus?.close());

for (const variant of awsCliVariants) {
  describe.concurrent(`SQS with the aws CLI: ${variant.name}`, () => {
    const skip = variant.binary === undefined;
    const step = (name: string, fn: () => Promise<void>) =>
      it.sequential(name, { skip, timeout: stepTimeoutMs }, fn);
    const ok = <T = Record<string, unknown>>(args: string[]) => awsOk<T>(variant.binary!, stratus.url, args);
    const name = `cli-${variant.tag}`;
    let url = '';

    step('create-queue with attributes answers the queue URL', async () => {
      const out = await ok<{ QueueUrl: string }>([
        'sqs',
        'create-queue',
        '--queue-name',
        name,
        '--attributes',
        'VisibilityTimeout=7,DelaySeconds=0',
      ]);
      url = out.QueueUrl;
      expect(url).toBe(`${stratus.url}/000000000000/${name}`);
      const attrs = await ok<{ Attributes: Record<string, string> }>([
        'sqs',
        'get-queue-attributes',
        '--queue-url',
        url,
        '--attribute-names',
        'All',
      ]);
      expect(attrs.Attributes).toMatchObject({
        VisibilityTimeout: '7',
        QueueArn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      });
    });

    step(
      'send-message, receive-message and delete-message round-trip a message with attributes',
      async () => {
        const sent = await ok<{
          MessageId: string;
          MD5OfMessageBody: string;
          MD5OfMessageAttributes: string;
        }>([
          'sqs',
          'send-message',
          '--queue-url',
          url,
          '--message-body',
          'from the CLI',
          '--message-attributes',
          '{"kind":{"DataType":"String","StringValue":"cli"},"n":{"DataType":"Number","StringValue":"3"}}',
        ]);
        expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('from the CLI').digest('hex'));
        const got = await ok<{
          Messages: {
            MessageId: string;
            Body: string;
            ReceiptHandle: string;
            Attributes: Record<string, string>;
            MessageAttributes: Record<string, { StringValue: string }>;
            MD5OfMessageAttributes: string;
          }[];
        }>([
          'sqs',
          'receive-message',
          '--queue-url',
          url,
          '--attribute-names',
          'All',
          '--message-attribute-names',
          'All',
          '--max-number-of-messages',
          '10',
        ]);
        expect(got.Messages).toHaveLength(1);
        const m = got.Messages[0]!;
        expect(m).toMatchObject({
          MessageId: sent.MessageId,
          Body: 'from the CLI',
          MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
        });
        expect(m.Attributes.ApproximateReceiveCount).toBe('1');
        expect(m.MessageAttributes.kind!.StringValue).toBe('cli');
        expect(
          await ok(['sqs', 'delete-message', '--queue-url', url, '--receipt-handle', m.ReceiptHandle]),
        ).toEqual({});
      },
    );

    step('send-message-batch reports each entry', async () => {
      const out = await ok<{ Successful: { Id: string }[]; Failed?: { Id: string; Code: string }[] }>([
        'sqs',
        'send-message-batch',
        '--queue-url',
        url,
        '--entries',
        'Id=a,MessageBody=first',
        'Id=b,MessageBody=second,DelaySeconds=901',
      ]);
      expect(out.Successful.map((s) => s.Id)).toEqual(['a']);
      expect(out.Failed).toEqual([expect.objectContaining({ Id: 'b', Code: 'InvalidParameterValue' })]);
    });

    step('a FIFO queue takes a group and deduplication id', async () => {
      const fifo = await ok<{ QueueUrl: string }>([
        'sqs',
        'create-queue',
        '--queue-name',
        `${name}.fifo`,
        '--attributes',
        'FifoQueue=true',
      ]);
      const args = ['sqs', 'send-message', '--queue-url', fifo.QueueUrl, '--message-body', 'once'];
      const first = await ok<{ MessageId: string; SequenceNumber: string }>([
        ...args,
        '--message-group-id',
        'g',
        '--message-deduplication-id',
        'd',
      ]);
      const again = await ok<{ MessageId: string }>([
        ...args,
        '--message-group-id',
        'g',
        '--message-deduplication-id',
        'd',
      ]);
      expect(again.MessageId).toBe(first.MessageId);
      expect(first.SequenceNumber).toMatch(/^\d+$/);
    });

    step('a missing queue fails with the SQS error code and message', async () => {
      const result = await runAws(variant.binary!, [
        'sqs',
        'get-queue-url',
        '--queue-name',
        'no-such-queue',
        '--endpoint-url',
        stratus.url,
      ]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/AWS\.SimpleQueueService\.NonExistentQueue|QueueDoesNotExist/);
      expect(result.stderr).toContain('The specified queue does not exist');
    });
  });
}

const pythons = pythonsWithBoto3();

const boto3Script = `
import sys, json, hashlib, struct, boto3, botocore
endpoint = sys.argv[1]
sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
url = sqs.create_queue(QueueName=sys.argv[2], Attributes={"VisibilityTimeout": "9"})["QueueUrl"]
attrs = {"colour": {"DataType": "String", "StringValue": "red"},
         "raw": {"DataType": "Binary", "BinaryValue": b"\\x00\\xff"}}
sent = sqs.send_message(QueueUrl=url, MessageBody="from boto3", MessageAttributes=attrs)
def field(b): return struct.pack(">I", len(b)) + b
digest = hashlib.md5()
for name in sorted(attrs):
    a = attrs[name]
    digest.update(field(name.encode()) + field(a["DataType"].encode()))
    if "BinaryValue" in a: digest.update(b"\\x02" + field(a["BinaryValue"]))
    else: digest.update(b"\\x01" + field(a["StringValue"].encode()))
got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
                          AttributeNames=["All"])["Messages"]
sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
after = sqs.receive_message(QueueUrl=url).get("Messages", [])
try:
    sqs.get_queue_url(QueueName="missing")
    error = None
except botocore.exceptions.ClientError as e:
    error = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"],
             "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
             "modeled": isinstance(e, sqs.exceptions.QueueDoesNotExist)}
print(json.dumps({"url": url, "sent": sent["MD5OfMessageAttributes"], "expected": digest.hexdigest(),
                  "body": got[0]["Body"], "received": got[0]["MD5OfMessageAttributes"],
                  "raw": list(got[0]["MessageAttributes"]["raw"]["BinaryValue"]),
                  "count": got[0]["Attributes"]["ApproximateReceiveCount"], "after": len(after), "error": error}))
`;

describe('SQS with boto3', () => {
  // Reported as a skipped test, not a passing one, on a machine without boto3.
  if (pythons.length === 0) it.skip('no python3 with boto3 found', () => {});
  for (const [index, python] of pythons.entries()) {
    it(`round-trips a message and its attributes with ${python}`, { timeout: 60_000 }, async () => {
      const result = await runPythonJson(python, boto3Script, [stratus.url, `boto3-${index}`]);
      expect(result).toMatchObject({
        url: `${stratus.url}/000000000000/boto3-${index}`,
        body: 'from boto3',
        raw: [0, 255],
        count: '1',
        after: 0,
        error: {
          code: 'AWS.SimpleQueueService.NonExistentQueue',
          message: 'The specified queue does not exist.',
          status: 400,
          modeled: true,
        },
      });
      expect(result.sent).toBe(result.expected);
      expect(result.received).toBe(result.expected);
    });
  }
});
