import { describe, expect, it } from 'vitest';
import { evaluatePolicy, methodArn } from './policy.js';

const arn = methodArn(
  { region: 'us-east-1', accountId: '123', apiId: 'abc', stage: 'prod' },
  'GET',
  '/pets/1',
);

const policy = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });

describe('evaluatePolicy', () => {
  it.each([
    [
      'an allow of the ARN',
      policy({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: arn }),
      'allow',
    ],
    [
      'an allow by wildcard',
      policy({
        Effect: 'Allow',
        Action: 'execute-api:*',
        Resource: 'arn:aws:execute-api:us-east-1:123:abc/*/GET/*',
      }),
      'allow',
    ],
    [
      'an allow of another method',
      policy({
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Resource: 'arn:aws:execute-api:us-east-1:123:abc/prod/POST/*',
      }),
      'deny',
    ],
    [
      'a deny beside an allow',
      policy(
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: [arn] },
      ),
      'explicit-deny',
    ],
    [
      'a single statement object',
      { Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' } },
      'allow',
    ],
  ])('%s', (_, document, decision) => {
    expect(evaluatePolicy(document, arn)).toBe(decision);
  });

  it('finds no policy in what is not one', () => {
    expect(evaluatePolicy('Allow', arn)).toBeUndefined();
    expect(evaluatePolicy({ Statement: [] }, arn)).toBeUndefined();
  });

  it('makes method ARNs as API Gateway does', () => {
    expect(arn).toBe('arn:aws:execute-api:us-east-1:123:abc/prod/GET/pets/1');
  });
});
