/**
 * STS GetCallerIdentity through the AWS SDK: which account a caller lands in, and the ARN AWS
 * reports for an account's root principal.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startTestStratus, type TestStratus } from './support/stratus.js';

function stsClient(stratus: TestStratus, accessKeyId = 'test'): STSClient {
  return new STSClient({ ...stratus.clientConfig, credentials: { accessKeyId, secretAccessKey: 'test' } });
}

describe('STS GetCallerIdentity with the default account', () => {
  let stratus: TestStratus;
  beforeAll(async () => {
    stratus = await startTestStratus();
  });
  afterAll(() => stratus.close());

  it('answers the default account 000000000000 for access key `test`', async () => {
    const identity = await stsClient(stratus).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('000000000000');
    expect(identity.UserId).toBe('000000000000');
    expect(identity.Arn).toBe('arn:aws:iam::000000000000:root');
  });

  it('selects the account named by a 12-digit access key', async () => {
    const identity = await stsClient(stratus, '123456789012').send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('123456789012');
    expect(identity.Arn).toBe('arn:aws:iam::123456789012:root');
  });

  it('puts any other unknown key in the default account', async () => {
    const identity = await stsClient(stratus, 'AKIAIOSFODNN7EXAMPLE').send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('000000000000');
  });

  it('reports a request id in the response metadata', async () => {
    const identity = await stsClient(stratus).send(new GetCallerIdentityCommand({}));
    expect(identity.$metadata.httpStatusCode).toBe(200);
    expect(identity.$metadata.requestId).toMatch(/\S+/);
  });
});

describe('STS GetCallerIdentity with the accountId option', () => {
  let stratus: TestStratus;
  beforeAll(async () => {
    stratus = await startTestStratus({ accountId: '444455556666' });
  });
  afterAll(() => stratus.close());

  it('answers the configured default account and its root ARN arn:aws:iam::<account>:root', async () => {
    const identity = await stsClient(stratus).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('444455556666');
    expect(identity.Arn).toBe('arn:aws:iam::444455556666:root');
  });

  it('still lets a 12-digit access key choose its own account', async () => {
    const identity = await stsClient(stratus, '210987654321').send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('210987654321');
    expect(identity.Arn).toBe('arn:aws:iam::210987654321:root');
  });
});
