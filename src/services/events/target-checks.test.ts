import { describe, expect, it } from 'vitest';
import { checkTarget } from './target-checks.js';

const queue = 'arn:aws:sqs:us-east-1:000000000000:orders';

describe('PutTargets entries', () => {
  it('takes a well-formed target', () => {
    expect(checkTarget({ Id: 't', Arn: queue })).toBeUndefined();
    expect(
      checkTarget({
        Id: 't',
        Arn: `${queue}.fifo`,
        SqsParameters: { MessageGroupId: 'g' },
        InputTransformer: { InputPathsMap: { id: '$.id' }, InputTemplate: '<id>' },
        DeadLetterConfig: { Arn: `${queue}-dlq` },
        RetryPolicy: { MaximumRetryAttempts: 3 },
      }),
    ).toBeUndefined();
  });

  it.each([
    [
      { Arn: 'not-an-arn' },
      'Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.',
    ],
    [{ Arn: queue, Input: '{}', InputPath: '$' }, 'Only one of Input, InputPath, or InputTransformer'],
    [{ Arn: queue, Input: '{oops' }, 'Parameter Input is not valid.'],
    [{ Arn: queue, InputPath: 'detail' }, 'Parameter InputPath is not valid.'],
    [
      { Arn: queue, InputTransformer: { InputPathsMap: { a: 'x' }, InputTemplate: '<a>' } },
      'Parameter InputTransformer.InputPathsMap is not valid.',
    ],
    [{ Arn: `${queue}.fifo` }, 'Parameter(s) SqsParameters must be specified for target: t.'],
    [
      { Arn: queue, DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:000000000000:topic' } },
      'Parameter DeadLetterConfig.Arn is not valid.',
    ],
  ])('reports %j', (target, message) => {
    const failure = checkTarget({ Id: 't', ...target });
    expect(failure).toMatchObject({ TargetId: 't', ErrorCode: 'ValidationException' });
    expect(failure!.ErrorMessage).toContain(message);
  });
});
