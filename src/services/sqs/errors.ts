/**
 * SQS's errors, named like the model's error shapes (the protocol layer sends their query codes:
 * `AWS.SimpleQueueService.NonExistentQueue` …), plus the two common query errors SQS answers
 * for bad parameters, and how constraint violations become them.
 */
import { errorType, type ServiceError } from '../../protocol/errors.js';
import type { Violation } from '../../protocol/validate.js';

export const QueueDoesNotExist = errorType('QueueDoesNotExist');
export const QueueNameExists = errorType('QueueNameExists');
export const QueueDeletedRecently = errorType('QueueDeletedRecently');
export const InvalidAttributeName = errorType('InvalidAttributeName');
export const InvalidAttributeValue = errorType('InvalidAttributeValue');
export const InvalidMessageContents = errorType('InvalidMessageContents');
export const ReceiptHandleIsInvalid = errorType('ReceiptHandleIsInvalid', 404);
export const MessageNotInflight = errorType('MessageNotInflight');
export const PurgeQueueInProgress = errorType('PurgeQueueInProgress', 403);
export const EmptyBatchRequest = errorType('EmptyBatchRequest');
export const TooManyEntriesInBatchRequest = errorType('TooManyEntriesInBatchRequest');
export const BatchEntryIdsNotDistinct = errorType('BatchEntryIdsNotDistinct');
export const InvalidBatchEntryId = errorType('InvalidBatchEntryId');
export const BatchRequestTooLong = errorType('BatchRequestTooLong');
export const UnsupportedOperation = errorType('UnsupportedOperation');
export const ResourceNotFoundException = errorType('ResourceNotFoundException', 404);
export const InvalidAddress = errorType('InvalidAddress', 404);
export const OverLimit = errorType('OverLimit', 403);
/** Not in the model: SQS's generic answer to a parameter value it refuses. */
export const InvalidParameterValue = errorType('InvalidParameterValue');
export const MissingParameter = errorType('MissingParameter');

export const queueDoesNotExist = () => new QueueDoesNotExist('The specified queue does not exist.');

export const invalidReceiptHandle = (handle: string) =>
  new ReceiptHandleIsInvalid(`The input receipt handle "${handle}" is not a valid receipt handle.`);

/** `Value 11 for parameter MaxNumberOfMessages is invalid. Reason: …` */
export const invalidParameter = (name: string, value: unknown, reason: string) =>
  new InvalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);

/** A missing required member answers `MissingParameter`, any other broken constraint `InvalidParameterValue`. */
export function sqsValidationError(violations: readonly Violation[]): ServiceError {
  const missing = violations.find((v) => v.kind === 'required');
  if (missing) return new MissingParameter(`The request must contain the parameter ${missing.member}.`);
  const first = violations[0]!;
  return new InvalidParameterValue(
    `Value ${String(first.value)} for parameter ${first.member} is invalid. Reason: ${first.constraint}.`,
  );
}
