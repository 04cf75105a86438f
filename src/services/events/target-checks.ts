/**
 * One PutTargets entry checked on its own, as EventBridge reports a bad target in FailedEntries
 * while the good ones are put: its ARN, its input (only one of `Input`, `InputPath` and
 * `InputTransformer`, each well-formed), FIFO queues' message group, and the dead-letter queue.
 * Pure.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import { parseArn } from '../arn.js';
import { parseJsonPath } from './json-path.js';

export interface TargetFailure {
  TargetId: string;
  ErrorCode: string;
  ErrorMessage: string;
}

export function checkTarget(target: EventBridge.Target): TargetFailure | undefined {
  const id = target.Id!;
  const fail = (message: string): TargetFailure => ({
    TargetId: id,
    ErrorCode: 'ValidationException',
    ErrorMessage: message,
  });
  const arn = parseArn(target.Arn!);
  if (!arn)
    return fail(`Parameter ${target.Arn} is not valid. Reason: Provided Arn is not in correct format.`);
  const inputs = [target.Input, target.InputPath, target.InputTransformer].filter((x) => x !== undefined);
  if (inputs.length > 1) {
    return fail(`Only one of Input, InputPath, or InputTransformer must be provided for target ${id}.`);
  }
  if (target.Input !== undefined && !isJson(target.Input)) {
    return fail(`Parameter Input is not valid. Reason: Input for target ${id} is not valid JSON.`);
  }
  if (target.InputPath !== undefined && !parseJsonPath(target.InputPath)) {
    return fail(`Parameter InputPath is not valid. Reason: ${target.InputPath} is not a valid JSON path.`);
  }
  for (const [name, path] of Object.entries(target.InputTransformer?.InputPathsMap ?? {})) {
    if (!parseJsonPath(path)) {
      return fail(
        `Parameter InputTransformer.InputPathsMap is not valid. Reason: ${path} for ${name} is not a valid JSON path.`,
      );
    }
  }
  if (arn.service === 'sqs' && arn.resource.endsWith('.fifo') && !target.SqsParameters?.MessageGroupId) {
    return fail(`Parameter(s) SqsParameters must be specified for target: ${id}.`);
  }
  const dlq = target.DeadLetterConfig?.Arn;
  if (dlq !== undefined && parseArn(dlq)?.service !== 'sqs') {
    return fail(
      `Parameter DeadLetterConfig.Arn is not valid. Reason: ${dlq} is not an Amazon SQS queue ARN.`,
    );
  }
  return undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
