/**
 * What a malformed or unexpected request gets back, spoken to the server in raw HTTP: each wire
 * protocol answers with its own AWS error shape (awsJson `{"__type": …}`, query `<ErrorResponse>`),
 * the status AWS uses, and the server keeps answering afterwards. The SDK then sees the modelled
 * exception classes.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import {
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  CreateLogGroupCommand,
  DescribeLogStreamsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { STSClient, STSServiceException, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const maxRequestBytes = 1024;
const logsJson = 'application/x-amz-json-1.1';
const form = 'application/x-www-form-urlencoded';
/** A well-formed SigV4 header for STS: in the default (loopback) mode it is read, not checked. */
const stsAuthorization =
  'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abcdef';

interface AwsJsonError {
  __type: string;
  message: string;
}

describe('protocol errors in raw HTTP', () => {
  let stratus: TestStratus;
  beforeAll(async () => {
    stratus = await startTestStratus({ maxRequestBytes });
  });
  afterEach(async () => {
    const health = await fetch(`${stratus.url}/_stratus/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
  });
  afterAll(() => stratus.close());

  function logs(operation: string, body: string | Uint8Array): Promise<Response> {
    return fetch(`${stratus.url}/`, {
      method: 'POST',
      headers: { 'content-type': logsJson, 'x-amz-target': `Logs_20140328.${operation}` },
      body,
    });
  }

  async function expectJsonError(response: Response, status: number, type: string): Promise<AwsJsonError> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe(logsJson);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/\S/);
    const error = (await response.json()) as AwsJsonError;
    expect(error.__type).toBe(type);
    expect(typeof error.message).toBe('string');
    return error;
  }

  function sts(body: string, headers: Record<string, string> = { authorization: stsAuthorization }) {
    return fetch(`${stratus.url}/`, { method: 'POST', headers: { 'content-type': form, ...headers }, body });
  }

  async function expectXmlError(response: Response, status: number, code: string): Promise<string> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    const xml = await response.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<ErrorResponse/);
    expect(xml).toContain(`<Code>${code}</Code>`);
    expect(xml).toContain('<Type>Sender</Type>');
    expect(xml).toMatch(/<RequestId>[^<]+<\/RequestId>/);
    return xml;
  }

  describe('awsJson (CloudWatch Logs)', () => {
    it('a body that is not JSON is a 400 SerializationException', async () => {
      await expectJsonError(await logs('CreateLogGroup', '{"logGroupName": '), 400, 'SerializationException');
    });

    it('a number where the model says string is a 400 SerializationException', async () => {
      const error = await expectJsonError(
        await logs('CreateLogGroup', '{"logGroupName": 42}'),
        400,
        'SerializationException',
      );
      expect(error.message).toContain('logGroupName');
    });

    it('a JSON array where the input structure belongs is a 400 SerializationException', async () => {
      await expectJsonError(await logs('CreateLogGroup', '[]'), 400, 'SerializationException');
    });

    it('a wrongly typed nested member is a 400 SerializationException', async () => {
      const body = JSON.stringify({
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [{ timestamp: 'yesterday', message: 'm' }],
      });
      await expectJsonError(await logs('PutLogEvents', body), 400, 'SerializationException');
    });

    it("a missing required member is a 400 ValidationException with AWS's message", async () => {
      const error = await expectJsonError(await logs('CreateLogGroup', '{}'), 400, 'ValidationException');
      expect(error.message).toBe(
        "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null",
      );
    });

    it('an empty body counts as an empty input structure', async () => {
      const error = await expectJsonError(await logs('CreateLogGroup', ''), 400, 'ValidationException');
      expect(error.message).toContain("Value null at 'logGroupName'");
    });

    it('several violations are counted and listed in one ValidationException', async () => {
      const error = await expectJsonError(
        await logs('PutLogEvents', JSON.stringify({ logEvents: [] })),
        400,
        'ValidationException',
      );
      expect(error.message).toMatch(/^3 validation errors detected: /);
      expect(error.message).toContain("Value null at 'logGroupName' failed to satisfy constraint");
      expect(error.message).toContain("Value null at 'logStreamName' failed to satisfy constraint");
      expect(error.message).toContain(
        "at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    });

    it('an X-Amz-Target naming no operation of the service is a 400 UnknownOperationException', async () => {
      await expectJsonError(await logs('NoSuchOperation', '{}'), 400, 'UnknownOperationException');
    });

    it('an operation in the model that Stratus does not implement (StartQuery) is a 501 NotImplemented', async () => {
      const body = JSON.stringify({
        logGroupName: 'g',
        startTime: 1,
        endTime: 2,
        queryString: 'fields @message',
      });
      const error = await expectJsonError(await logs('StartQuery', body), 501, 'NotImplemented');
      expect(error.message).toContain('StartQuery');
    });

    it('a body of exactly maxRequestBytes is read', async () => {
      const json = JSON.stringify({ logGroupName: 'size/limit' });
      const body = json + ' '.repeat(maxRequestBytes - json.length);
      expect(Buffer.byteLength(body)).toBe(maxRequestBytes);
      const response = await logs('CreateLogGroup', body);
      expect(response.status).toBe(200);
    });

    it('a body over maxRequestBytes is a 413 RequestEntityTooLargeException', async () => {
      const body = JSON.stringify({ logGroupName: 'x'.repeat(maxRequestBytes) });
      const response = await logs('CreateLogGroup', body);
      expect(response.status).toBe(413);
      expect(((await response.json()) as AwsJsonError).__type).toBe('RequestEntityTooLargeException');
    });

    it('a chunked body (no Content-Length) that grows past maxRequestBytes is a 413 too', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(512));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(chunk);
          controller.close();
        },
      });
      const response = await fetch(`${stratus.url}/`, {
        method: 'POST',
        headers: { 'content-type': logsJson, 'x-amz-target': 'Logs_20140328.CreateLogGroup' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(413);
      await response.arrayBuffer();
    });
  });

  describe('requests no service claims', () => {
    it('an unknown REST path gets an AWS-shaped JSON error', async () => {
      const response = await fetch(`${stratus.url}/2099-01-01/nothing-here`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnknownService');
      const error = (await response.json()) as AwsJsonError;
      expect(error.__type).toBe('UnknownService');
      expect(error.message).toContain('/2099-01-01/nothing-here');
    });

    it('an X-Amz-Target of a service this server does not run gets an AWS-shaped JSON error', async () => {
      const response = await fetch(`${stratus.url}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AWSStepFunctions.ListStateMachines',
        },
        body: '{}',
      });
      expect(response.status).toBe(400);
      const error = (await response.json()) as AwsJsonError;
      expect(error.__type).toBe('UnknownService');
      expect(error.message).toContain('AWSStepFunctions.ListStateMachines');
    });

    it('a bare GET / gets an AWS-shaped JSON error', async () => {
      const response = await fetch(`${stratus.url}/`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as AwsJsonError).__type).toBe('UnknownService');
    });

    it('an unsigned form-encoded request whose Action no service has gets an XML error', async () => {
      const response = await sts('Action=NoSuchAction&Version=1999-01-01', {});
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(
        /<ErrorResponse><Error><Type>Sender<\/Type><Code>UnknownService<\/Code>/,
      );
    });

    it('an unsigned request with an unknown Action reaches the service its Version names', async () => {
      const xml = await expectXmlError(
        await sts('Action=NoSuchAction&Version=2011-06-15', {}),
        400,
        'InvalidAction',
      );
      expect(xml).toContain('The action NoSuchAction is not valid for this web service.');
    });

    it('an unknown /_stratus/ endpoint is a 404', async () => {
      const response = await fetch(`${stratus.url}/_stratus/nothing-here`);
      expect(response.status).toBe(404);
      await response.arrayBuffer();
    });
  });

  describe('query (STS)', () => {
    it('an unknown Action is a 400 InvalidAction in XML', async () => {
      const xml = await expectXmlError(
        await sts('Action=NoSuchAction&Version=2011-06-15'),
        400,
        'InvalidAction',
      );
      expect(xml).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
      expect(xml).toContain('NoSuchAction');
    });

    it('a request without Action is a 400 MissingAction in XML', async () => {
      await expectXmlError(await sts('Version=2011-06-15'), 400, 'MissingAction');
    });

    it('missing required parameters are a 400 ValidationError listing each', async () => {
      const xml = await expectXmlError(
        await sts('Action=AssumeRole&Version=2011-06-15'),
        400,
        'ValidationError',
      );
      expect(xml).toContain('2 validation errors detected: ');
      expect(xml).toContain('Value null at &apos;roleArn&apos; failed to satisfy constraint');
      expect(xml).toContain('Value null at &apos;roleSessionName&apos; failed to satisfy constraint');
    });

    it('a parameter out of range is a 400 ValidationError', async () => {
      const xml = await expectXmlError(
        await sts(
          'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr' +
            '&RoleSessionName=session&DurationSeconds=10',
        ),
        400,
        'ValidationError',
      );
      expect(xml).toContain('Member must have value greater than or equal to 900');
    });

    it('a parameter that is not a number where the model wants one is a 400 XML error', async () => {
      const response = await sts(
        'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr' +
          '&RoleSessionName=session&DurationSeconds=soon',
      );
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type>/);
    });

    it('GET with Action in the query string works like a form POST', async () => {
      const response = await fetch(`${stratus.url}/?Action=GetCallerIdentity&Version=2011-06-15`, {
        headers: { authorization: stsAuthorization },
      });
      expect(response.status).toBe(200);
      const xml = await response.text();
      expect(xml).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
      expect(xml).toContain('<GetCallerIdentityResult>');
      expect(xml).toContain('<Arn>arn:aws:iam::000000000000:root</Arn>');
    });
  });

  describe('exception classes the SDK sees', () => {
    it('DescribeLogStreams on a missing group throws the modelled ResourceNotFoundException', async () => {
      const client = new CloudWatchLogsClient(stratus.clientConfig);
      const err = await client.send(new DescribeLogStreamsCommand({ logGroupName: 'no/such/group' })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ResourceNotFoundException);
      expect(err).toBeInstanceOf(CloudWatchLogsServiceException);
      const notFound = err as ResourceNotFoundException;
      expect(notFound.$fault).toBe('client');
      expect(notFound.$metadata.httpStatusCode).toBe(400);
      expect(notFound.message).toMatch(/does not exist/);
    });

    it('creating an existing group throws ResourceAlreadyExistsException', async () => {
      const client = new CloudWatchLogsClient(stratus.clientConfig);
      await client.send(new CreateLogGroupCommand({ logGroupName: 'twice' }));
      const err = await client
        .send(new CreateLogGroupCommand({ logGroupName: 'twice' }))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ResourceAlreadyExistsException);
    });

    it('a validation failure reaches the SDK as ValidationException', async () => {
      const client = new CloudWatchLogsClient(stratus.clientConfig);
      const err = await client
        .send(new CreateLogGroupCommand({ logGroupName: '' }))
        .catch((e: unknown) => e as CloudWatchLogsServiceException);
      expect(err).toBeInstanceOf(CloudWatchLogsServiceException);
      expect((err as CloudWatchLogsServiceException).name).toBe('ValidationException');
      expect((err as CloudWatchLogsServiceException).message).toContain(
        'Member must have length greater than or equal to 1',
      );
    });

    it('an unimplemented STS operation reaches the SDK as a 501 server fault', async () => {
      const client = new STSClient(stratus.clientConfig);
      const err = await client
        .send(
          new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 'session' }),
        )
        .catch((e: unknown) => e as STSServiceException);
      expect(err).toBeInstanceOf(STSServiceException);
      expect((err as STSServiceException).name).toBe('NotImplemented');
      expect((err as STSServiceException).$fault).toBe('server');
      expect((err as STSServiceException).$metadata.httpStatusCode).toBe(501);
    });
  });
});
