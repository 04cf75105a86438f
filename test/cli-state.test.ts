/**
 * `stratus reset` and `stratus snapshot` as a user runs them, against a Stratus started with
 * `--require-auth`: the CLI signs its calls to `/_stratus/` with the configured key; unsigned
 * calls and other keys are refused there, health alone stays open, and Lambda's `Code.Location`
 * is a presigned URL that downloads without signing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientsOf, invoke, populate, populatedState, readState, type Clients } from './support/state.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { runStratus } from './support/stratus-cli.js';

const key = { accessKeyId: 'AKIASTATETEST', secretAccessKey: 'state-secret', accountId: '000000000000' };

describe('stratus reset and snapshot with --require-auth', () => {
  let stratus: TestStratus;
  let c: Clients;
  let dir: string;
  const signedAs = (accessKeyId: string, secretAccessKey: string) => ({
    AWS_ENDPOINT_URL: stratus.url,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
  });
  const run = (...args: string[]) => runStratus(args, signedAs(key.accessKeyId, key.secretAccessKey));
  /** The state, read with the configured key (the SDK signs). */
  const state = () => readState(c, stratus, { signed: key });

  beforeAll(async () => {
    stratus = await startTestStratus({ requireAuth: true, credentials: [key] });
    stratus.clientConfig.credentials = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    c = clientsOf(stratus);
    dir = mkdtempSync(join(tmpdir(), 'stratus-cli-state-'));
  });
  afterAll(async () => {
    c?.destroy();
    await stratus?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    expect((await run('reset')).code).toBe(0);
    await populate(c);
  });

  it('refuses unsigned calls to every /_stratus/ endpoint but health, with AWS-shaped errors', async () => {
    expect((await fetch(`${stratus.url}/_stratus/health`)).status).toBe(200);
    for (const [method, path] of [
      ['POST', '/_stratus/reset'],
      ['POST', '/_stratus/snapshot'],
      ['PUT', '/_stratus/snapshot'],
      ['GET', '/_stratus/ses/messages'],
      ['DELETE', '/_stratus/ses/messages'],
      ['GET', '/_stratus/lambda/usage'],
      ['GET', '/_stratus/sns/sms-messages'],
    ] as const) {
      const response = await fetch(`${stratus.url}${path}`, { method });
      expect({ path, method, status: response.status, body: await response.json() }).toEqual({
        path,
        method,
        status: 403,
        body: {
          __type: 'MissingAuthenticationTokenException',
          message: 'Request is missing Authentication Token',
        },
      });
    }
    expect(await state()).toEqual(populatedState);
  });

  it('resets what the configured key signs for, by service or all', async () => {
    const one = await run('reset', '--service', 'sqs');
    expect(one).toMatchObject({ code: 0, stderr: '' });
    expect(one.stdout).toMatch(/^Reset sqs in [\d.]+ ms:\n\nWiped +Rows\nsqs_queues +2\nsqs_messages +3\n/);
    expect(await state()).toEqual({ ...populatedState, queues: [] });

    const all = await run('reset');
    expect(all.stdout).toMatch(/^Reset every service in [\d.]+ ms:\n/);
    expect(all.stdout).toContain('lambda_functions');
    const again = await run('reset', '--service', 'sns,ses', '--service', 'logs');
    expect(again.stdout).toMatch(/^Reset logs, sns, ses, sesv2 in [\d.]+ ms: there was nothing to wipe\.\n$/);
  });

  it('refuses other keys and bad signatures, and unknown services as a usage error', async () => {
    const stranger = await runStratus(['reset'], signedAs('AKIASTRANGER', key.secretAccessKey));
    expect(stranger).toMatchObject({ code: 1, stdout: '' });
    expect(stranger.stderr).toBe(
      'stratus reset: UnrecognizedClientException: The security token included in the request is invalid.\n',
    );
    const forged = await runStratus(['reset'], signedAs(key.accessKeyId, 'not-the-secret'));
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(
      /^stratus reset: InvalidSignatureException: The request signature we calculated/,
    );
    const unknown = await run('reset', '--service', 'dynamo');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "stratus reset: ValidationException: Unknown service 'dynamo'; valid names: logs, sts, cloudwatch, lambda, sqs, sns, ses, sesv2, dynamodb, dynamodbstreams, apigateway, apigatewayv2, apigatewaymanagementapi, events, scheduler, s3\n",
    );
    expect(await state()).toEqual(populatedState);
  });

  it('saves and loads snapshots, signed, streaming the file both ways', async () => {
    const file = join(dir, 'fixture.snapshot');
    const saved = await run('snapshot', 'save', file);
    expect(saved).toMatchObject({ code: 0, stderr: '' });
    expect(saved.stdout).toMatch(
      new RegExp(`^Saved the state of ${stratus.url} to ${file} \\(\\d+(\\.\\d)? kB\\)\\.\\n$`),
    );
    await run('reset');
    const loaded = await run('snapshot', 'load', file);
    expect(loaded).toMatchObject({ code: 0, stderr: '' });
    expect(loaded.stdout).toMatch(
      /^Loaded .*fixture\.snapshot \(Stratus [\d.]+, taken .*\) in \d+ ms: \d+ rows in \d+ tables, 2 blobs\.\n$/,
    );
    expect(await state()).toEqual(populatedState);
    expect(await invoke(c.lambda, 'counter')).toEqual({ count: 1 });

    const stranger = await runStratus(['snapshot', 'load', file], signedAs('AKIASTRANGER', 'x'));
    expect(stranger.stderr).toMatch(/^stratus snapshot: UnrecognizedClientException/);
    const damaged = join(dir, 'damaged.snapshot');
    writeFileSync(damaged, 'not a snapshot');
    const refused = await run('snapshot', 'load', damaged);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^stratus snapshot: InvalidSnapshot: The snapshot is not a gzip file/);
    expect((await run('snapshot', 'load', join(dir, 'missing'))).code).toBe(2);
    expect((await run('snapshot', 'frob', file)).stderr).toMatch(/takes 'save' or 'load', not 'frob'/);
    expect((await run('snapshot', 'save')).stderr).toMatch(/Missing FILE: stratus snapshot save\|load FILE/);
    // Refused loads changed nothing (the invocation above added its own log group and metrics).
    const { logGroups, metrics, ...rest } = await state();
    expect(logGroups).toEqual(['/app/test', '/aws/lambda/counter']);
    expect(metrics).toContain('App/Orders');
    expect(rest).toMatchObject({
      queues: populatedState.queues,
      functions: ['counter'],
      outbox: ['Your order'],
    });
  });

  it('signs stratus mail and stratus cost too', async () => {
    const mail = await run('mail');
    expect(mail).toMatchObject({ code: 0, stderr: '' });
    expect(mail.stdout).toContain('Subject: Your order');
    await invoke(c.lambda, 'counter');
    const cost = await run('cost');
    expect(cost).toMatchObject({ code: 0, stderr: '' });
    expect(cost.stdout).toContain('counter');
  });

  it("hands out Lambda's Code.Location presigned: it downloads unsigned, and only as given", async () => {
    const location = (await c.lambda.send(new GetFunctionCommand({ FunctionName: 'counter' }))).Code!
      .Location!;
    const url = new URL(location);
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIASTATETEST\/\d{8}\/us-east-1\/lambda\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    expect((await fetch(`${url.origin}${url.pathname}`)).status).toBe(403);
    const tampered = new URL(url);
    tampered.searchParams.set('X-Amz-Expires', '601');
    expect((await fetch(tampered)).status).toBe(403);
  });
});
