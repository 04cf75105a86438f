/** SNS's errors, named after the model's error shapes so the SDK raises the matching exception class. */
import { errorType } from '../../protocol/errors.js';

export const InvalidParameterException = errorType('InvalidParameterException');
export const NotFoundException = errorType('NotFoundException');
export const ResourceNotFoundException = errorType('ResourceNotFoundException');
export const AuthorizationErrorException = errorType('AuthorizationErrorException');
export const TagLimitExceededException = errorType('TagLimitExceededException');
export const EmptyBatchRequestException = errorType('EmptyBatchRequestException');
export const TooManyEntriesInBatchRequestException = errorType('TooManyEntriesInBatchRequestException');
export const BatchEntryIdsNotDistinctException = errorType('BatchEntryIdsNotDistinctException');
export const BatchRequestTooLongException = errorType('BatchRequestTooLongException');
export const InvalidBatchEntryIdException = errorType('InvalidBatchEntryIdException');

/** SNS words most client mistakes as "Invalid parameter: <what>". */
export const invalidParameter = (what: string) => new InvalidParameterException(`Invalid parameter: ${what}`);
export const topicNotFound = () => new NotFoundException('Topic does not exist');
export const subscriptionNotFound = () => new NotFoundException('Subscription does not exist');
