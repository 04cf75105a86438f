/**
 * API Gateway's errors, named as in its models (v1 and v2 share the names), so the SDK raises the
 * matching exception class. Messages are AWS's own where AWS's are known.
 */
import { errorType } from '../../protocol/errors.js';

export const BadRequestException = errorType('BadRequestException', 400);
export const NotFoundException = errorType('NotFoundException', 404);
export const ConflictException = errorType('ConflictException', 409);
export const LimitExceededException = errorType('LimitExceededException', 429);

export const invalidApi = (accountId: string, id: string) =>
  new NotFoundException(`Invalid API identifier specified ${accountId}:${id}`);
export const invalidResource = () => new NotFoundException('Invalid Resource identifier specified');
export const invalidMethod = () => new NotFoundException('Invalid Method identifier specified');
export const invalidIntegration = () => new NotFoundException('Invalid Integration identifier specified');
export const invalidStatusCode = () => new NotFoundException('Invalid Response status code specified');
export const invalidStage = () => new NotFoundException('Invalid Stage identifier specified');
export const invalidDeployment = () => new NotFoundException('Invalid Deployment identifier specified');
