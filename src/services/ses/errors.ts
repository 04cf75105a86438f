/**
 * SES's errors, named after the error shapes of its models so the SDKs raise the matching
 * exception classes. The two APIs word the same failure differently: v1 answers a bad parameter
 * with `InvalidParameterValue` (a code its model does not list), v2 with `BadRequestException`.
 */
import { ServiceError, errorType } from '../../protocol/errors.js';

export type Api = 'ses' | 'sesv2';

export const MessageRejected = errorType('MessageRejected');
/** v1: wire code `AlreadyExists`. */
export const AlreadyExistsException = errorType('AlreadyExistsException');
/** v1: wire code `TemplateDoesNotExist`. */
export const TemplateDoesNotExistException = errorType('TemplateDoesNotExistException');
/** v1: wire codes `MissingRenderingAttribute` and `InvalidRenderingParameter`. */
export const MissingRenderingAttributeException = errorType('MissingRenderingAttributeException');
export const InvalidRenderingParameterException = errorType('InvalidRenderingParameterException');
export const BadRequestException = errorType('BadRequestException');
export const NotFoundException = errorType('NotFoundException', 404);
export const InvalidNextTokenException = errorType('InvalidNextTokenException');

export function invalidParameter(api: Api, message: string): ServiceError {
  return api === 'ses'
    ? new ServiceError('InvalidParameterValue', message, { status: 400 })
    : new BadRequestException(message);
}

export function notVerified(region: string, identities: readonly string[]): ServiceError {
  return new MessageRejected(
    `Email address is not verified. The following identities failed the check in region ${region.toUpperCase()}: ${identities.join(', ')}`,
  );
}

export const missingAttributeMessage = (name: string) =>
  `Attribute '${name}' is not present in the rendering data.`;
