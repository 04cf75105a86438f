/**
 * The rules every *Batch operation shares: 1 to 10 entries, distinct ids of alphanumerics,
 * hyphens and underscores, and per-entry failures reported as `BatchResultErrorEntry`s with
 * the query error code.
 */
import type * as SQS from '@aws-sdk/client-sqs';
import type { ServiceError } from '../../protocol/errors.js';
import {
  BatchEntryIdsNotDistinct,
  BatchRequestTooLong,
  EmptyBatchRequest,
  InvalidBatchEntryId,
  TooManyEntriesInBatchRequest,
} from './errors.js';
import { queryErrorCode } from './model.js';

/** A SendMessageBatch's bodies and attributes together: 1 MiB, the same as one message. */
export const maxBatchBytes = 1_048_576;

export function checkBatch(entries: readonly { Id?: string }[] | undefined, entryName: string): void {
  const list = entries ?? [];
  if (list.length === 0)
    throw new EmptyBatchRequest(`There should be at least one ${entryName} in the request.`);
  if (list.length > 10) {
    throw new TooManyEntriesInBatchRequest(
      `Maximum number of entries per request are 10. You have sent ${list.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const { Id: id = '' } of list) {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
      throw new InvalidBatchEntryId(
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (seen.has(id)) throw new BatchEntryIdsNotDistinct(`Id ${id} repeated.`);
    seen.add(id);
  }
}

/** SendMessageBatch's total: bodies plus attribute names, types and values. */
export function checkBatchSize(bytes: number): void {
  if (bytes > maxBatchBytes) {
    throw new BatchRequestTooLong(
      `Batch requests cannot be longer than ${maxBatchBytes} bytes. You have sent ${bytes} bytes.`,
    );
  }
}

export function batchError(id: string, error: ServiceError): SQS.BatchResultErrorEntry {
  return { Id: id, SenderFault: error.senderFault, Code: queryErrorCode(error.code), Message: error.message };
}

/** What one SendMessageBatch entry counts towards the batch limit. */
export function entryBytes(entry: SQS.SendMessageBatchRequestEntry): number {
  let bytes = Buffer.byteLength(entry.MessageBody ?? '', 'utf8');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    bytes += value.BinaryValue ? value.BinaryValue.length : Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}
