/**
 * CloudWatch's errors, named like the model's error shapes (the protocol layer sends their wire
 * codes: `InvalidParameterValue`, `MissingParameter` …), and how constraint violations become them.
 */
import { errorType, type ServiceError } from '../../protocol/errors.js';
import { validationMessage, type Violation } from '../../protocol/validate.js';
import type { ParameterError } from './statistics.js';

export const InvalidParameterValueException = errorType('InvalidParameterValueException');
export const InvalidParameterCombinationException = errorType('InvalidParameterCombinationException');
export const MissingRequiredParameterException = errorType('MissingRequiredParameterException');
export const InvalidNextToken = errorType('InvalidNextToken');
/** GetMetricData's errors: the model lists none, and AWS answers the query-protocol `ValidationError`. */
export const ValidationError = errorType('ValidationError');

/** A ParameterError from the statistics module, as the error GetMetricStatistics throws. */
export function parameterError(error: ParameterError): ServiceError {
  return error.code === 'InvalidParameterCombination'
    ? new InvalidParameterCombinationException(error.message)
    : new InvalidParameterValueException(error.message);
}

/** `metricData.1.member.metricName` → `MetricData.member.1.MetricName`, the query form AWS names parameters in. */
export function parameterPath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('.')) {
    if (segment === 'member' && /^\d+$/.test(out[out.length - 1] ?? '')) {
      out.splice(out.length - 1, 0, 'member');
    } else {
      out.push(segment.charAt(0).toUpperCase() + segment.slice(1));
    }
  }
  return out.join('.');
}

/**
 * A missing required member answers `MissingParameter` ("The parameter Namespace is required."),
 * any other broken constraint `InvalidParameterValue` with AWS's validation text.
 */
export function cloudwatchValidationError(violations: readonly Violation[]): ServiceError {
  const missing = violations.find((v) => v.kind === 'required');
  if (missing) {
    return new MissingRequiredParameterException(`The parameter ${parameterPath(missing.path)} is required.`);
  }
  return new InvalidParameterValueException(validationMessage(violations));
}
