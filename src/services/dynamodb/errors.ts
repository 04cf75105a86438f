/**
 * DynamoDB's errors, named like the model's error shapes, and the messages DynamoDB gives.
 * `ValidationException` is not an error shape of the model (it is Coral's common validation
 * error); DynamoDB sends it as a 400 all the same.
 */
import { errorType } from '../../protocol/errors.js';

export const ValidationException = errorType('ValidationException');
export const ResourceNotFoundException = errorType('ResourceNotFoundException');
export const ResourceInUseException = errorType('ResourceInUseException');
export const ConditionalCheckFailedException = errorType('ConditionalCheckFailedException');
export const TransactionCanceledException = errorType('TransactionCanceledException');
export const TransactionConflictException = errorType('TransactionConflictException');
export const TransactionInProgressException = errorType('TransactionInProgressException');
export const IdempotentParameterMismatchException = errorType('IdempotentParameterMismatchException');
export const LimitExceededException = errorType('LimitExceededException');
export const ItemCollectionSizeLimitExceededException = errorType('ItemCollectionSizeLimitExceededException');
export const BackupNotFoundException = errorType('BackupNotFoundException');
export const BackupInUseException = errorType('BackupInUseException');
export const TableAlreadyExistsException = errorType('TableAlreadyExistsException');
export const TableNotFoundException = errorType('TableNotFoundException');
export const TableInUseException = errorType('TableInUseException');
export const ContinuousBackupsUnavailableException = errorType('ContinuousBackupsUnavailableException');
export const PointInTimeRecoveryUnavailableException = errorType('PointInTimeRecoveryUnavailableException');
export const InvalidRestoreTimeException = errorType('InvalidRestoreTimeException');
export const DuplicateItemException = errorType('DuplicateItemException');

/** What an operation on a table that does not exist (or no longer does) answers. */
export const tableNotFound = () => new ResourceNotFoundException('Requested resource not found');

/** Item operations on a missing table name it as the resource. */
export const nonExistentTable = () =>
  new ResourceNotFoundException('Cannot do operations on a non-existent table');

export const invalidParameters = (detail: string) =>
  new ValidationException(`One or more parameter values were invalid: ${detail}`);

export const conditionFailed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException('The conditional request failed', item ? { Item: item } : undefined);
