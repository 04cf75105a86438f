import { describe, expect, it } from 'vitest';
import { checkTargetArns } from './vpc-links.js';

describe('checkTargetArns', () => {
  it('takes network load balancer ARNs of any partition', () => {
    expect(() =>
      checkTargetArns([
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/a/1',
        'arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/net/b/2',
      ]),
    ).not.toThrow();
  });

  it('refuses none, application load balancers and other ARNs', () => {
    expect(() => checkTargetArns([])).toThrow('Target ARNs must not be empty');
    expect(() => checkTargetArns(undefined)).toThrow('Target ARNs must not be empty');
    expect(() =>
      checkTargetArns(['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1']),
    ).toThrow('Invalid network load balancer ARN');
  });
});
