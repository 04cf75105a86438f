/**
 * Queue names, URLs, ARNs and receipt handles, pure. A queue URL is `<endpoint>/<account>/<name>`;
 * an incoming URL is resolved by its path alone, so any host a client used reaches the queue.
 */
import type { WireRequest } from '../../protocol/wire.js';
import { buildArn, parseArn } from '../arn.js';
import { InvalidAddress, InvalidParameterValue, invalidReceiptHandle, queueDoesNotExist } from './errors.js';

export interface QueueName {
  accountId: string;
  name: string;
}

export function checkQueueName(name: string, fifo: boolean): void {
  const base = fifo ? name.slice(0, -'.fifo'.length) : name;
  const valid = /^[A-Za-z0-9_-]+$/.test(base) && name.length <= 80 && (!fifo || name.endsWith('.fifo'));
  if (valid) return;
  throw new InvalidParameterValue(
    fifo
      ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
      : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
  );
}

export function queueUrl(endpoint: string, accountId: string, name: string): string {
  return `${endpoint}/${accountId}/${name}`;
}

export function queueArn(region: string, accountId: string, name: string): string {
  return buildArn({ service: 'sqs', region, accountId, resource: name });
}

/**
 * The account and name a QueueUrl points at. Like AWS, a bare queue name is accepted too (in the
 * caller's account); anything else that is not a URL is `InvalidAddress`.
 */
export function parseQueueUrl(url: string, callerAccount: string): QueueName {
  if (/^[A-Za-z0-9_-]+(\.fifo)?$/.test(url)) return { accountId: callerAccount, name: url };
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    throw new InvalidAddress(`The address ${url} is not valid for this endpoint.`);
  }
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length !== 2 || !/^\d{12}$/.test(parts[0]!)) throw queueDoesNotExist();
  return { accountId: parts[0]!, name: decodeURIComponent(parts[1]!) };
}

/** The queue an `arn:aws:sqs:<region>:<account>:<name>` names, or undefined for another kind of ARN. */
export function parseQueueArn(arn: string): (QueueName & { region: string }) | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sqs' || !parsed.resource || parsed.resource.includes(':'))
    return undefined;
  return { accountId: parsed.accountId, region: parsed.region, name: parsed.resource };
}

/** What a receipt handle identifies: the queue, the message row and which receive handed it out. */
export interface Receipt {
  queueId: number;
  seq: number;
  token: string;
}

export function encodeReceipt(receipt: Receipt): string {
  return Buffer.from(`sqs1:${receipt.queueId}:${receipt.seq}:${receipt.token}`, 'utf8').toString('base64');
}

export function decodeReceipt(handle: string): Receipt {
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(handle) ? Buffer.from(handle, 'base64').toString('utf8') : '';
  const m = /^sqs1:(\d+):(\d+):([0-9a-f]{16})$/.exec(text);
  if (!m) throw invalidReceiptHandle(handle);
  return { queueId: Number(m[1]), seq: Number(m[2]), token: m[3]! };
}

/** Operations that act on one queue, whose query requests may name it by the URL they are posted to. */
const queueOperations = new Set([
  'AddPermission',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'DeleteMessage',
  'DeleteMessageBatch',
  'DeleteQueue',
  'GetQueueAttributes',
  'ListDeadLetterSourceQueues',
  'ListQueueTags',
  'PurgeQueue',
  'ReceiveMessage',
  'RemovePermission',
  'SendMessage',
  'SendMessageBatch',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
]);

/** `QueueUrl` of a request posted to `/<account>/<name>` (older SDKs send it nowhere else). */
export function queueUrlFromPath(operation: string, request: WireRequest): { QueueUrl: string } | undefined {
  if (!queueOperations.has(operation) || !/^\/\d{12}\/[A-Za-z0-9_.-]+$/.test(request.path)) return undefined;
  return { QueueUrl: `http://${request.headers.host ?? 'localhost'}${request.path}` };
}
