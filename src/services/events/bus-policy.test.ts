import { describe, expect, it } from 'vitest';
import { putPermission, removePermission } from './bus-policy.js';

const bus = { arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default', region: 'us-east-1' };

describe('event bus policies', () => {
  it('adds a statement per PutPermission, replacing one with the same id', () => {
    let policy = putPermission(
      undefined,
      { Action: 'events:PutEvents', Principal: '111111111111', StatementId: 'one' },
      bus,
    );
    policy = putPermission(
      policy,
      {
        Action: 'events:PutEvents',
        Principal: '*',
        StatementId: 'org',
        Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1234567890' },
      },
      bus,
    );
    policy = putPermission(
      policy,
      { Action: 'events:PutEvents', Principal: '222222222222', StatementId: 'one' },
      bus,
    );
    expect(JSON.parse(policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'org',
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: bus.arn,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' } },
        },
        {
          Sid: 'one',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::222222222222:root' },
          Action: 'events:PutEvents',
          Resource: bus.arn,
        },
      ],
    });
  });

  it('takes a whole policy as given', () => {
    const text = '{"Version":"2012-10-17","Statement":[{"Sid":"x","Effect":"Allow"}]}';
    expect(putPermission(undefined, { Policy: text }, bus)).toBe(text);
    expect(() => putPermission(undefined, { Policy: '{' }, bus)).toThrow('This policy contains invalid Json');
  });

  it('refuses what PutPermission refuses', () => {
    const p = { Action: 'events:PutEvents', StatementId: 's' };
    expect(() => putPermission(undefined, p, bus)).toThrow('Parameter Principal must be specified.');
    expect(() => putPermission(undefined, { ...p, Principal: 'me' }, bus)).toThrow("at 'principal'");
    expect(() =>
      putPermission(undefined, { ...p, Principal: '111111111111', Action: 'events:*' }, bus),
    ).toThrow("Provided value in parameter 'action' is not supported.");
    expect(() =>
      putPermission(
        undefined,
        { ...p, Principal: '111111111111', Condition: { Type: 'StringEquals', Key: 'k', Value: 'v' } },
        bus,
      ),
    ).toThrow("must be '*'");
  });

  it('removes statements by id, and the policy with the last one', () => {
    const policy = putPermission(
      undefined,
      { Action: 'events:PutEvents', Principal: '111111111111', StatementId: 'one' },
      bus,
    );
    expect(() => removePermission(policy, 'two')).toThrow('Statement with the provided id does not exist.');
    expect(removePermission(policy, 'one')).toBeUndefined();
    expect(() => removePermission(undefined, 'one')).toThrow('EventBus does not have a policy.');
  });
});
