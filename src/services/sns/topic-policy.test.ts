import { describe, expect, it } from 'vitest';
import {
  permissionStatement,
  policyAllows,
  type PolicyDocument,
  type PolicyStatement,
} from './topic-policy.js';
import { defaultTopicPolicy } from './topics.js';

const arn = 'arn:aws:sns:us-east-1:000000000000:t';
const policy = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

describe('policyAllows', () => {
  it.each<[string, PolicyDocument, string, string, boolean]>([
    [
      'the default policy admits only its owner',
      JSON.parse(defaultTopicPolicy(arn, '000000000000')),
      '111111111111',
      'Publish',
      false,
    ],
    [
      'the default policy, for the owner',
      JSON.parse(defaultTopicPolicy(arn, '000000000000')),
      '000000000000',
      'Publish',
      true,
    ],
    [
      'an account id principal',
      policy({ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'SNS:Publish' }),
      '111111111111',
      'Publish',
      true,
    ],
    [
      'a root ARN principal in a list',
      policy({
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::111111111111:root'] },
        Action: ['SNS:Subscribe', 'SNS:Publish'],
      }),
      '111111111111',
      'Publish',
      true,
    ],
    [
      'another action',
      policy({ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'SNS:Subscribe' }),
      '111111111111',
      'Publish',
      false,
    ],
    [
      'sns:* in any case',
      policy({ Effect: 'Allow', Principal: '*', Action: 'sns:*' }),
      '111111111111',
      'DeleteTopic',
      true,
    ],
    [
      'a Deny wins over an Allow',
      policy(
        { Effect: 'Allow', Principal: '*', Action: '*' },
        { Effect: 'Deny', Principal: { AWS: '111111111111' }, Action: 'SNS:Publish' },
      ),
      '111111111111',
      'Publish',
      false,
    ],
    [
      'SourceAccount naming the caller',
      policy({
        Effect: 'Allow',
        Principal: '*',
        Action: 'SNS:Publish',
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      }),
      '111111111111',
      'Publish',
      true,
    ],
    [
      'an unknown condition never applies',
      policy({
        Effect: 'Allow',
        Principal: '*',
        Action: 'SNS:Publish',
        Condition: { ArnLike: { 'aws:SourceArn': '*' } },
      }),
      '111111111111',
      'Publish',
      false,
    ],
    [
      'no principal at all',
      policy({ Effect: 'Allow', Action: 'SNS:Publish' }),
      '111111111111',
      'Publish',
      false,
    ],
  ])('%s', (_name, document, account, action, allowed) => {
    expect(policyAllows(document, account, action)).toBe(allowed);
  });

  it("AddPermission's statement grants exactly the listed accounts and actions", () => {
    const statement = permissionStatement(arn, 'grant', ['111111111111'], ['Publish', 'Subscribe']);
    expect(statement).toEqual({
      Sid: 'grant',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
      Action: ['SNS:Publish', 'SNS:Subscribe'],
      Resource: arn,
    });
    expect(policyAllows(policy(statement), '111111111111', 'Subscribe')).toBe(true);
    expect(policyAllows(policy(statement), '111111111111', 'DeleteTopic')).toBe(false);
    expect(policyAllows(policy(statement), '222222222222', 'Publish')).toBe(false);
  });
});
