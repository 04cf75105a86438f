/**
 * SigV4 authentication as AWS does it: with `requireAuth` only configured keys with a valid
 * signature inside the 15-minute window get in, and each protocol family answers failures with
 * its own error codes (awsJson `InvalidSignatureException`…, query `SignatureDoesNotMatch`…). In
 * the default loopback mode any well-formed request gets in. Every failure leaves the server
 * answering.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ManualClock } from '../src/engine/clock.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const primary = { accessKeyId: 'AKIDPRIMARY', secretAccessKey: 'primary-secret', accountId: '000000000000' };
const other = { accessKeyId: 'AKIDOTHERACCOUNT', secretAccessKey: 'other-secret', accountId: '111122223333' };
type Key = { accessKeyId: string; secretAccessKey: string };

const logsTarget = 'Logs_20140328';
const logsJson = 'application/x-amz-json-1.1';
const form = 'application/x-www-form-urlencoded';
const callerIdentityForm = 'Action=GetCallerIdentity&Version=2011-06-15';
const minutes = 60_000;

function logsClient(stratus: TestStratus, key: Key): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ ...stratus.clientConfig, credentials: key });
}

function stsClient(stratus: TestStratus, key: Key): STSClient {
  return new STSClient({ ...stratus.clientConfig, credentials: key });
}

/** The error a promise rejects with (fails the test if it resolves). */
async function failure(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

function signer(key: Key, service: string): SignatureV4 {
  return new SignatureV4({
    credentials: key,
    region: 'us-east-1',
    service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
}

interface SignedCall {
  key: Key;
  service: 'logs' | 'sts';
  headers: Record<string, string>;
  body: string;
  signingDate?: Date;
  /** Applied to the body after signing. */
  tamper?: (body: string) => string;
  /** Sign `x-amz-content-sha256` as well (as S3 clients do). */
  contentSha256?: boolean;
}

/** Signs a POST / with the SDK's own signer and sends it with fetch. */
async function signedPost(stratus: TestStratus, call: SignedCall): Promise<Response> {
  const url = new URL(stratus.url);
  const request: HttpRequest = {
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: { host: url.host, ...call.headers },
    body: call.body,
  };
  const s = new SignatureV4({
    credentials: call.key,
    region: 'us-east-1',
    service: call.service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: call.contentSha256 ?? false,
  });
  const signed = await s.sign(request, { signingDate: call.signingDate ?? new Date() });
  const headers = { ...signed.headers };
  delete headers['host'];
  return fetch(`${stratus.url}/`, {
    method: 'POST',
    headers,
    body: call.tamper ? call.tamper(call.body) : call.body,
  });
}

function logsCall(operation: string, body: object, key: Key): SignedCall {
  return {
    key,
    service: 'logs',
    headers: { 'content-type': logsJson, 'x-amz-target': `${logsTarget}.${operation}` },
    body: JSON.stringify(body),
  };
}

function stsCall(key: Key): SignedCall {
  return { key, service: 'sts', headers: { 'content-type': form }, body: callerIdentityForm };
}

/** A presigned GET /?Action=GetCallerIdentity&Version=2011-06-15 URL. */
async function presignedCallerIdentity(
  stratus: TestStratus,
  key: Key,
  options: { signingDate?: Date; expiresIn: number },
): Promise<string> {
  const url = new URL(stratus.url);
  const presigned = await signer(key, 'sts').presign(
    {
      method: 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: url.host },
    },
    { signingDate: options.signingDate ?? new Date(), expiresIn: options.expiresIn },
  );
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(presigned.query ?? {})) query.set(name, String(value));
  return `${stratus.url}/?${query.toString()}`;
}

async function jsonError(response: Response): Promise<{ __type: string; message: string }> {
  return (await response.json()) as { __type: string; message: string };
}

function xmlCode(xml: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
}

async function expectHealthy(stratus: TestStratus): Promise<void> {
  const response = await fetch(`${stratus.url}/_stratus/health`);
  expect(response.status).toBe(200);
  expect(((await response.json()) as { status: string }).status).toBe('ok');
}

describe('SigV4 with requireAuth and configured keys', () => {
  let stratus: TestStratus;
  beforeAll(async () => {
    stratus = await startTestStratus({ requireAuth: true, credentials: [primary, other] });
  });
  afterEach(() => expectHealthy(stratus));
  afterAll(() => stratus.close());

  describe('valid signatures', () => {
    it('lets a configured key call CloudWatch Logs through the SDK', async () => {
      const logs = logsClient(stratus, primary);
      await logs.send(new CreateLogGroupCommand({ logGroupName: 'auth/primary' }));
      const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));
      expect(logGroups?.map((g) => g.logGroupName)).toContain('auth/primary');
    });

    it('lets a configured key call STS GetCallerIdentity through the SDK', async () => {
      const identity = await stsClient(stratus, primary).send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe('000000000000');
      expect(identity.Arn).toBe('arn:aws:iam::000000000000:root');
    });

    it('puts a key configured for account 111122223333 in that account', async () => {
      const identity = await stsClient(stratus, other).send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe('111122223333');
      expect(identity.Arn).toBe('arn:aws:iam::111122223333:root');
    });

    it("keeps each account's log groups apart", async () => {
      await logsClient(stratus, other).send(new CreateLogGroupCommand({ logGroupName: 'auth/other' }));
      const mine = await logsClient(stratus, primary).send(new DescribeLogGroupsCommand({}));
      const theirs = await logsClient(stratus, other).send(new DescribeLogGroupsCommand({}));
      expect(mine.logGroups?.map((g) => g.logGroupName)).not.toContain('auth/other');
      expect(theirs.logGroups?.map((g) => g.logGroupName)).toEqual(['auth/other']);
      expect(theirs.logGroups?.[0]?.arn).toContain(':111122223333:');
    });

    it('accepts a request signed by hand with the SDK signer', async () => {
      const response = await signedPost(stratus, logsCall('DescribeLogGroups', {}, primary));
      expect(response.status).toBe(200);
      const sts = await signedPost(stratus, stsCall(other));
      expect(sts.status).toBe(200);
      expect(await sts.text()).toContain('<Account>111122223333</Account>');
    });
  });

  describe('wrong secret', () => {
    const wrong = { accessKeyId: primary.accessKeyId, secretAccessKey: 'not-the-secret' };

    it('CloudWatch Logs (awsJson) answers InvalidSignatureException', async () => {
      const err = await failure(logsClient(stratus, wrong).send(new DescribeLogGroupsCommand({})));
      expect(err.name).toBe('InvalidSignatureException');
      expect(err.message).toMatch(/signature we calculated does not match/);
      expect(err.$metadata?.httpStatusCode).toBe(400);
    });

    it('STS (query) answers SignatureDoesNotMatch', async () => {
      const err = await failure(stsClient(stratus, wrong).send(new GetCallerIdentityCommand({})));
      expect(err.name).toBe('SignatureDoesNotMatch');
      expect(err.$metadata?.httpStatusCode).toBe(403);
    });
  });

  describe('unknown access key', () => {
    const unknown = { accessKeyId: 'AKIDNOBODYKNOWS', secretAccessKey: 'whatever' };

    it('CloudWatch Logs answers UnrecognizedClientException', async () => {
      const err = await failure(logsClient(stratus, unknown).send(new DescribeLogGroupsCommand({})));
      expect(err.name).toBe('UnrecognizedClientException');
      expect(err.message).toBe('The security token included in the request is invalid.');
      expect(err.$metadata?.httpStatusCode).toBe(400);
    });

    it('STS answers InvalidClientTokenId', async () => {
      const err = await failure(stsClient(stratus, unknown).send(new GetCallerIdentityCommand({})));
      expect(err.name).toBe('InvalidClientTokenId');
      expect(err.$metadata?.httpStatusCode).toBe(403);
    });

    it('the default `test` key is not configured, so it is unknown too', async () => {
      const err = await failure(
        stsClient(stratus, { accessKeyId: 'test', secretAccessKey: 'test' }).send(
          new GetCallerIdentityCommand({}),
        ),
      );
      expect(err.name).toBe('InvalidClientTokenId');
    });
  });

  describe('unsigned requests', () => {
    it('CloudWatch Logs (awsJson) answers MissingAuthenticationTokenException', async () => {
      const response = await fetch(`${stratus.url}/`, {
        method: 'POST',
        headers: { 'content-type': logsJson, 'x-amz-target': `${logsTarget}.DescribeLogGroups` },
        body: '{}',
      });
      expect(response.status).toBe(400);
      expect((await jsonError(response)).__type).toBe('MissingAuthenticationTokenException');
    });

    it('STS (query) answers MissingAuthenticationToken in XML', async () => {
      const response = await fetch(`${stratus.url}/`, {
        method: 'POST',
        headers: { 'content-type': form },
        body: callerIdentityForm,
      });
      expect(response.status).toBe(403);
      const xml = await response.text();
      expect(xmlCode(xml)).toBe('MissingAuthenticationToken');
      expect(xml).toContain('<Type>Sender</Type>');
    });

    it('an unsigned GET with Action in the query string is refused as well', async () => {
      const response = await fetch(`${stratus.url}/?${callerIdentityForm}`);
      expect(response.status).toBe(403);
      expect(xmlCode(await response.text())).toBe('MissingAuthenticationToken');
    });
  });

  describe('signing time outside the 15-minute window', () => {
    it('CloudWatch Logs rejects a signature made 20 minutes ago with "Signature expired"', async () => {
      const response = await signedPost(stratus, {
        ...logsCall('DescribeLogGroups', {}, primary),
        signingDate: new Date(Date.now() - 20 * minutes),
      });
      expect(response.status).toBe(400);
      const error = await jsonError(response);
      expect(error.__type).toBe('InvalidSignatureException');
      expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z/);
    });

    it('CloudWatch Logs rejects a signature dated 20 minutes ahead', async () => {
      const response = await signedPost(stratus, {
        ...logsCall('DescribeLogGroups', {}, primary),
        signingDate: new Date(Date.now() + 20 * minutes),
      });
      const error = await jsonError(response);
      expect(error.__type).toBe('InvalidSignatureException');
      expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now later than/);
    });

    it('STS rejects a signature made 20 minutes ago with SignatureDoesNotMatch "Signature expired"', async () => {
      const response = await signedPost(stratus, {
        ...stsCall(primary),
        signingDate: new Date(Date.now() - 20 * minutes),
      });
      expect(response.status).toBe(403);
      const xml = await response.text();
      expect(xmlCode(xml)).toBe('SignatureDoesNotMatch');
      expect(xml).toContain('Signature expired');
    });

    it('accepts a signature 10 minutes old (inside the window)', async () => {
      const response = await signedPost(stratus, {
        ...logsCall('DescribeLogGroups', {}, primary),
        signingDate: new Date(Date.now() - 10 * minutes),
      });
      expect(response.status).toBe(200);
    });
  });

  describe('presigned URLs', () => {
    it('a presigned STS GetCallerIdentity URL works with a plain GET', async () => {
      const url = await presignedCallerIdentity(stratus, other, { expiresIn: 300 });
      const response = await fetch(url);
      expect(response.status).toBe(200);
      const xml = await response.text();
      expect(xml).toContain('<GetCallerIdentityResponse');
      expect(xml).toContain('<Account>111122223333</Account>');
    });

    it('an expired presigned URL is rejected', async () => {
      const url = await presignedCallerIdentity(stratus, primary, {
        signingDate: new Date(Date.now() - 10 * minutes),
        expiresIn: 60,
      });
      const response = await fetch(url);
      expect(response.status).toBe(403);
      const xml = await response.text();
      expect(xmlCode(xml)).toBe('SignatureDoesNotMatch');
      expect(xml).toMatch(/expired/i);
    });

    it('a presigned URL whose query was altered is rejected', async () => {
      const url = await presignedCallerIdentity(stratus, primary, { expiresIn: 300 });
      const response = await fetch(url.replace('Version=2011-06-15', 'Version=2011-06-16'));
      expect(response.status).toBe(403);
      expect(xmlCode(await response.text())).toBe('SignatureDoesNotMatch');
    });

    it('a presigned URL from an unknown key is rejected with InvalidClientTokenId', async () => {
      const url = await presignedCallerIdentity(
        stratus,
        { accessKeyId: 'AKIDNOBODYKNOWS', secretAccessKey: 'x' },
        { expiresIn: 300 },
      );
      const response = await fetch(url);
      expect(xmlCode(await response.text())).toBe('InvalidClientTokenId');
    });
  });

  describe('tampering', () => {
    it('CloudWatch Logs rejects a body changed after signing', async () => {
      const response = await signedPost(stratus, {
        ...logsCall('CreateLogGroup', { logGroupName: 'auth/signed' }, primary),
        tamper: (body) => body.replace('auth/signed', 'auth/forged'),
      });
      expect(response.status).toBe(400);
      expect((await jsonError(response)).__type).toBe('InvalidSignatureException');
      const { logGroups } = await logsClient(stratus, primary).send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: 'auth/forged' }),
      );
      expect(logGroups).toEqual([]);
    });

    it('rejects a changed body even when x-amz-content-sha256 carries the original hash', async () => {
      const response = await signedPost(stratus, {
        ...logsCall('CreateLogGroup', { logGroupName: 'auth/hashed' }, primary),
        contentSha256: true,
        tamper: (body) => body.replace('auth/hashed', 'auth/forged2'),
      });
      expect((await jsonError(response)).__type).toBe('InvalidSignatureException');
    });

    it('STS rejects a form body changed after signing', async () => {
      const response = await signedPost(stratus, {
        ...stsCall(primary),
        tamper: (body) => `${body}&Extra=1`,
      });
      expect(response.status).toBe(403);
      expect(xmlCode(await response.text())).toBe('SignatureDoesNotMatch');
    });

    it('rejects a request whose signed X-Amz-Target was changed', async () => {
      const url = new URL(stratus.url);
      const signed = await signer(primary, 'logs').sign(
        {
          method: 'POST',
          protocol: 'http:',
          hostname: url.hostname,
          port: Number(url.port),
          path: '/',
          query: {},
          headers: {
            host: url.host,
            'content-type': logsJson,
            'x-amz-target': `${logsTarget}.DescribeLogGroups`,
          },
          body: '{}',
        },
        { signingDate: new Date() },
      );
      const headers: Record<string, string> = {
        ...signed.headers,
        'x-amz-target': `${logsTarget}.DescribeLogStreams`,
      };
      delete headers['host'];
      const response = await fetch(`${stratus.url}/`, { method: 'POST', headers, body: '{}' });
      expect((await jsonError(response)).__type).toBe('InvalidSignatureException');
    });
  });

  describe('malformed Authorization header', () => {
    it('CloudWatch Logs answers IncompleteSignatureException', async () => {
      const response = await fetch(`${stratus.url}/`, {
        method: 'POST',
        headers: {
          'content-type': logsJson,
          'x-amz-target': `${logsTarget}.DescribeLogGroups`,
          authorization: 'AWS4-HMAC-SHA256 Credential=nonsense',
        },
        body: '{}',
      });
      expect(response.status).toBe(400);
      expect((await jsonError(response)).__type).toBe('IncompleteSignatureException');
    });

    it('STS answers IncompleteSignature', async () => {
      const response = await fetch(`${stratus.url}/`, {
        method: 'POST',
        headers: { 'content-type': form, authorization: 'Bearer abc' },
        body: callerIdentityForm,
      });
      expect(response.status).toBe(400);
      expect(xmlCode(await response.text())).toBe('IncompleteSignature');
    });
  });
});

describe("SigV4 time checks against the server host's clock (ManualClock)", () => {
  const clock = new ManualClock(Date.now());
  let stratus: TestStratus;
  beforeAll(async () => {
    stratus = await startTestStratus({ requireAuth: true, credentials: [primary], hostClock: clock });
  });
  afterEach(() => expectHealthy(stratus));
  afterAll(() => stratus.close());

  it('an SDK call is rejected with "Signature expired" when the server clock is 20 minutes ahead', async () => {
    clock.set(Date.now() + 20 * minutes);
    const err = await failure(logsClient(stratus, primary).send(new DescribeLogGroupsCommand({})));
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.message).toMatch(/^Signature expired: .* is now earlier than .*\(\d{8}T\d{6}Z - 15 min\.\)$/);
    const stsErr = await failure(stsClient(stratus, primary).send(new GetCallerIdentityCommand({})));
    expect(stsErr.name).toBe('SignatureDoesNotMatch');
    expect(stsErr.message).toMatch(/^Signature expired/);
  });

  it('the same SDK call passes once the clocks agree again', async () => {
    clock.set(Date.now());
    const identity = await stsClient(stratus, primary).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('000000000000');
  });

  it('a presigned URL works until X-Amz-Expires seconds have passed on the server clock', async () => {
    const signedAt = new Date();
    clock.set(signedAt.getTime());
    const url = await presignedCallerIdentity(stratus, primary, { signingDate: signedAt, expiresIn: 60 });
    clock.advance(59_000);
    expect((await fetch(url)).status).toBe(200);
    clock.advance(2_000);
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/expired/i);
  });
});

describe('SigV4 in the default loopback mode (no requireAuth)', () => {
  let stratus: TestStratus;
  beforeAll(async () => {
    stratus = await startTestStratus();
  });
  afterEach(() => expectHealthy(stratus));
  afterAll(() => stratus.close());

  it('accepts a signature made with the wrong secret', async () => {
    const wrong = { accessKeyId: 'test', secretAccessKey: 'definitely-wrong' };
    const { logGroups } = await logsClient(stratus, wrong).send(new DescribeLogGroupsCommand({}));
    expect(logGroups).toEqual([]);
    const identity = await stsClient(stratus, wrong).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('000000000000');
  });

  it('accepts a signature from 20 minutes ago', async () => {
    const response = await signedPost(stratus, {
      ...logsCall('DescribeLogGroups', {}, { accessKeyId: 'test', secretAccessKey: 'test' }),
      signingDate: new Date(Date.now() - 20 * minutes),
    });
    expect(response.status).toBe(200);
  });

  it('accepts an unsigned request', async () => {
    const response = await fetch(`${stratus.url}/`, {
      method: 'POST',
      headers: { 'content-type': form },
      body: callerIdentityForm,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<Account>000000000000</Account>');
  });

  it('still answers a malformed Authorization header with IncompleteSignatureException', async () => {
    const response = await fetch(`${stratus.url}/`, {
      method: 'POST',
      headers: {
        'content-type': logsJson,
        'x-amz-target': `${logsTarget}.DescribeLogGroups`,
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/logs/aws4_request',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    const error = await jsonError(response);
    expect(error.__type).toBe('IncompleteSignatureException');
    expect(error.message).toMatch(/Credential, SignedHeaders and Signature/);
  });

  it('and a malformed Authorization header on a query request with IncompleteSignature', async () => {
    const response = await fetch(`${stratus.url}/`, {
      method: 'POST',
      headers: { 'content-type': form, authorization: 'AWS4-HMAC-SHA256 garbage' },
      body: callerIdentityForm,
    });
    expect(response.status).toBe(400);
    expect(xmlCode(await response.text())).toBe('IncompleteSignature');
  });
});
