/**
 * Lambda's control plane through the real SDK client (and one aws CLI run): functions, versions,
 * aliases, layers, concurrency, policies, tags, event-invoke configs, and Lambda's errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand,
  DeleteLayerVersionCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetAccountSettingsCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetPolicyCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvalidParameterValueException,
  LambdaClient,
  LambdaServiceException,
  ListAliasesCommand,
  ListFunctionEventInvokeConfigsCommand,
  ListFunctionsCommand,
  ListLayerVersionsCommand,
  ListLayersCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListTagsCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  ProvisionedConcurrencyConfigNotFoundException,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  RemovePermissionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionEventInvokeConfigCommand,
  type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { ManualClock } from '../src/engine/clock.js';
import { serviceDefinitions } from '../src/services/registry.js';
import { CodeStore } from '../src/services/lambda/code.js';
import { lambdaService } from '../src/services/lambda/definition.js';
import { functionSpecFor, resolveInvocationTarget } from '../src/services/lambda/invocation-target.js';
import { BlobStore } from '../src/storage/blobs.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const t0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const account = '000000000000';
const at = { accountId: account, region: 'us-east-1' };
const role = `arn:aws:iam::${account}:role/lambda-role`;
const arnOf = (name: string, qualifier?: string) =>
  `arn:aws:lambda:us-east-1:${account}:function:${name}${qualifier ? `:${qualifier}` : ''}`;

type ZipEntry = string | Buffer | { content: string | Buffer | Readable; mode?: number; size?: number };

function zipOf(files: Record<string, ZipEntry>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, entry] of Object.entries(files)) {
    const spec = typeof entry === 'string' || Buffer.isBuffer(entry) ? { content: entry } : entry;
    const options = { mode: spec.mode ?? 0o100644, compressionLevel: 1 };
    if (spec.content instanceof Readable)
      zip.addReadStream(spec.content, name, { ...options, size: spec.size! });
    else zip.addBuffer(Buffer.from(spec.content), name, options);
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

function zeros(size: number): Readable {
  let left = size;
  const chunk = Buffer.alloc(1 << 20);
  return new Readable({
    read() {
      const n = Math.min(left, chunk.length);
      left -= n;
      this.push(n > 0 ? chunk.subarray(0, n) : null);
    },
  });
}

const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const sha256Base64 = (data: Buffer) => createHash('sha256').update(data).digest('base64');

/** Asserts the SDK raised `type` (a class, or an error name for errors outside Lambda's model) with `message`. */
async function expectError(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  message: string | RegExp,
  name?: string,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  if (name) expect((error as Error).name).toBe(name);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
}

describe('Lambda control plane', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let handlerZip: Buffer;
  let otherZip: Buffer;
  const clock = new ManualClock(t0);

  beforeAll(async () => {
    // CreateFunction takes requests up to 70167211 bytes (a 50 MB zip in base64 JSON).
    stratus = await startTestStratus({ clock, maxRequestBytes: 80 * 1024 * 1024 });
    lambda = new LambdaClient(stratus.clientConfig);
    handlerZip = await zipOf({ 'index.js': 'exports.handler = async () => "v1";' });
    otherZip = await zipOf({ 'index.js': 'exports.handler = async () => "v2";' });
  });
  afterAll(async () => {
    lambda?.destroy();
    await stratus?.close();
  });

  const create = (name: string, extra: Partial<CreateFunctionCommandInput> = {}) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Role: role,
        Handler: 'index.handler',
        Code: { ZipFile: handlerZip },
        ...extra,
      }),
    );
  const revisionOf = async (name: string, qualifier?: string) =>
    (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: qualifier })))
      .RevisionId!;

  describe('functions', () => {
    it('CreateFunction answers Pending; GetFunction then shows Active, a new RevisionId and where the code downloads from', async () => {
      const created = await create('hello', { Description: 'greets', Tags: { team: 'core' } });
      expect(created).toMatchObject({
        FunctionName: 'hello',
        FunctionArn: arnOf('hello'),
        Runtime: 'nodejs20.x',
        Role: role,
        Handler: 'index.handler',
        Description: 'greets',
        Timeout: 3,
        MemorySize: 128,
        Version: '$LATEST',
        CodeSize: handlerZip.length,
        CodeSha256: sha256Base64(handlerZip),
        LastModified: '2026-11-01T12:00:00.000+0000',
        State: 'Pending',
        StateReason: 'The function is being created.',
        StateReasonCode: 'Creating',
        PackageType: 'Zip',
        Architectures: ['x86_64'],
        EphemeralStorage: { Size: 512 },
        TracingConfig: { Mode: 'PassThrough' },
        LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/hello' },
      });
      expect(created.LastUpdateStatus).toBeUndefined();
      expect(created.RevisionId).toMatch(/^[0-9a-f-]{36}$/);

      const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'hello' }));
      expect(got.Configuration).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
      expect(got.Configuration!.RevisionId).not.toBe(created.RevisionId);
      expect(got.Code).toEqual({
        RepositoryType: 'S3',
        Location: `${stratus.url}/_stratus/lambda/code/${sha256Hex(handlerZip)}`,
      });
      expect(got.Tags).toEqual({ team: 'core' });
      expect(got.Concurrency).toBeUndefined();
      const download = await fetch(got.Code!.Location!);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/zip');
      expect(Buffer.from(await download.arrayBuffer()).equals(handlerZip)).toBe(true);
      const unknown = await fetch(`${stratus.url}/_stratus/lambda/code/${'0'.repeat(64)}`);
      expect(unknown.status).toBe(404);
      await unknown.arrayBuffer();
    });

    it('extracts the package once per content with unix modes kept: an executable bootstrap stays executable', async () => {
      const zip = await zipOf({
        bootstrap: { content: '#!/bin/sh\necho hi\n', mode: 0o100755 },
        'lib/data.txt': { content: 'data', mode: 0o100640 },
        'lib/current': { content: 'data.txt', mode: 0o120777 },
      });
      await create('custom', { Runtime: 'provided.al2023', Handler: 'main', Code: { ZipFile: zip } });
      const dir = join(stratus.dataDir, 'lambda', 'code', sha256Hex(zip));
      expect(statSync(join(dir, 'bootstrap')).mode & 0o777).toBe(0o755);
      expect(statSync(join(dir, 'lib', 'data.txt')).mode & 0o777).toBe(0o640);
      expect(lstatSync(join(dir, 'lib', 'current')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(dir, 'lib', 'current'))).toBe('data.txt');
      expect(readFileSync(join(dir, 'lib', 'current'), 'utf8')).toBe('data');
    });

    it('refuses a package whose entries would be written outside its directory', async () => {
      const zip = await zipOf({ 'xx/escaped.txt': 'owned' });
      const evil = Buffer.from(
        zip.toString('latin1').replaceAll('xx/escaped.txt', '../escaped.txt'),
        'latin1',
      );
      await expectError(
        create('escape', { Code: { ZipFile: evil } }),
        InvalidParameterValueException,
        'Could not unzip uploaded file. Please check your file, then try to upload again.',
      );
      expect(existsSync(join(stratus.dataDir, 'lambda', 'escaped.txt'))).toBe(false);
      await expectError(
        create('not-a-zip', { Code: { ZipFile: Buffer.from('plain text') } }),
        InvalidParameterValueException,
        'Could not unzip uploaded file. Please check your file, then try to upload again.',
      );
    });

    it('names functions by name, partial ARN or full ARN, with the qualifier in the ARN or as a parameter', async () => {
      for (const FunctionName of [
        'hello',
        `${account}:function:hello`,
        arnOf('hello'),
        arnOf('hello', '$LATEST'),
      ]) {
        const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
        expect(config.FunctionName).toBe('hello');
      }
      const qualified = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: 'hello:$LATEST' }),
      );
      expect(qualified.FunctionArn).toBe(arnOf('hello', '$LATEST'));
      await expectError(
        lambda.send(new GetFunctionCommand({ FunctionName: arnOf('hello', '1'), Qualifier: '2' })),
        InvalidParameterValueException,
        'The derived qualifier from the function name does not match the specified qualifier.',
      );
      await expectError(
        lambda.send(
          new GetFunctionCommand({ FunctionName: `arn:aws:lambda:eu-west-1:${account}:function:hello` }),
        ),
        ResourceNotFoundException,
        "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
      );
    });

    it('refuses a duplicate name and reports a missing function by ARN', async () => {
      await expectError(create('hello'), ResourceConflictException, 'Function already exist: hello');
      await expectError(
        lambda.send(new GetFunctionCommand({ FunctionName: 'missing' })),
        ResourceNotFoundException,
        `Function not found: ${arnOf('missing')}`,
      );
      await expectError(
        lambda.send(new GetFunctionCommand({ FunctionName: 'missing', Qualifier: '3' })),
        ResourceNotFoundException,
        `Function not found: ${arnOf('missing', '3')}`,
      );
      await expectError(
        lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'missing', ZipFile: handlerZip })),
        ResourceNotFoundException,
        `Function not found: ${arnOf('missing')}`,
      );
    });

    it('refuses runtimes Lambda retired, does not know, or this host cannot run, naming what is missing', async () => {
      await expectError(
        create('java-fn', { Runtime: 'java21' }),
        InvalidParameterValueException,
        'java21 needs a Java runtime, which Stratus does not ship; package the function for provided.al2023 with a bootstrap executable instead',
      );
      await expectError(
        create('dotnet-fn', { Runtime: 'dotnet8' }),
        InvalidParameterValueException,
        /^dotnet8 needs a \.NET runtime, which Stratus does not ship/,
      );
      await expectError(
        create('ruby-fn', { Runtime: 'ruby3.3' }),
        InvalidParameterValueException,
        /^ruby3\.3 needs a Ruby runtime, which Stratus does not ship/,
      );
      await expectError(
        create('old-fn', { Runtime: 'nodejs12.x' }),
        InvalidParameterValueException,
        'The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.',
      );
      await expectError(
        create('cobol-fn', { Runtime: 'cobol85' as never }),
        InvalidParameterValueException,
        /^Value cobol85 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[nodejs20\.x, python3\.14, .*\] or be a valid ARN$/,
      );
      await expectError(
        lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'hello', Runtime: 'java17' })),
        InvalidParameterValueException,
        /^java17 needs a Java runtime/,
      );
    });

    it('checks settings the way Lambda does: sizes, limits, environment, handler, package type', async () => {
      const validation = (promise: Promise<unknown>, message: string) =>
        expectError(promise, LambdaServiceException, message, 'ValidationException');
      await validation(
        create('mem', { MemorySize: 10241 }),
        "1 validation error detected: Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240",
      );
      await validation(
        create('mem', { MemorySize: 64 }),
        "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
      );
      await validation(
        create('slow', { Timeout: 901 }),
        "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
      );
      await validation(
        create('tmp', { EphemeralStorage: { Size: 10241 } }),
        "1 validation error detected: Value '10241' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value less than or equal to 10240",
      );
      await expectError(
        create('env', { Environment: { Variables: { AWS_REGION: 'eu-west-1', OK: '1' } } }),
        InvalidParameterValueException,
        'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION',
      );
      const big = { LARGE_VAR: 'x'.repeat(4096) };
      await expectError(
        create('env', { Environment: { Variables: big } }),
        InvalidParameterValueException,
        `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(big)}`,
      );
      await expectError(
        create('no-handler', { Handler: undefined }),
        InvalidParameterValueException,
        'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
      );
      await expectError(
        create('image', { PackageType: 'Image', Code: { ImageUri: 'repo/image:latest' } }),
        InvalidParameterValueException,
        /PackageType Image \(container images\) is not supported/,
      );
      await expectError(
        create('a'.repeat(65)),
        InvalidParameterValueException,
        `1 validation error detected: Value '${'a'.repeat(65)}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
      );
      const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
      await expectError(
        create('tagged', { Tags: tags }),
        InvalidParameterValueException,
        'Number of tags exceeds resource tag limit.',
      );
      await expectError(
        create('layered', { Layers: [`arn:aws:lambda:us-east-1:${account}:layer:nope:1`] }),
        InvalidParameterValueException,
        `Layer version arn:aws:lambda:us-east-1:${account}:layer:nope:1 does not exist.`,
      );
      const six = Array.from({ length: 6 }, (_, i) => `arn:aws:lambda:us-east-1:${account}:layer:l${i}:1`);
      await expectError(
        create('layered', { Layers: six }),
        InvalidParameterValueException,
        'Cannot reference more than 5 layers.',
      );
    });

    it('refuses a zip over 50 MB and code over 250 MB unzipped with Lambda’s errors', async () => {
      await expectError(
        create('huge', { Code: { ZipFile: Buffer.alloc(52_428_801, 1) } }),
        LambdaServiceException,
        'Zipped size must be smaller than 52428800 bytes',
        'RequestEntityTooLargeException',
      );
      const bomb = await zipOf({ 'big.bin': { content: zeros(262_144_001), size: 262_144_001 } });
      await expectError(
        create('unzipped', { Code: { ZipFile: bomb } }),
        InvalidParameterValueException,
        'Unzipped size must be smaller than 262144000 bytes',
      );
    });

    it('pages ListFunctions with Marker/MaxItems and lists every version with FunctionVersion=ALL', async () => {
      const names = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
      for (const name of names) await create(name);
      await lambda.send(new PublishVersionCommand({ FunctionName: 'page-b' }));
      const seen: string[] = [];
      let Marker: string | undefined;
      do {
        const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker }));
        expect(page.Functions!.length).toBeLessThanOrEqual(2);
        for (const f of page.Functions!) {
          expect(f.State).toBeUndefined();
          expect(f.FunctionArn).toBe(arnOf(f.FunctionName!));
          seen.push(f.FunctionName!);
        }
        Marker = page.NextMarker;
      } while (Marker);
      expect(seen.filter((n) => n.startsWith('page-'))).toEqual(names);
      expect(new Set(seen).size).toBe(seen.length);

      const all = await lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL', MaxItems: 50 }));
      const pageB = all.Functions!.filter((f) => f.FunctionName === 'page-b').map((f) => f.FunctionArn);
      expect(pageB).toEqual([arnOf('page-b', '$LATEST'), arnOf('page-b', '1')]);
    });

    it('updates code and configuration under RevisionId preconditions', async () => {
      await create('updatable');
      const revision = await revisionOf('updatable');
      await expectError(
        lambda.send(
          new UpdateFunctionCodeCommand({
            FunctionName: 'updatable',
            ZipFile: otherZip,
            RevisionId: 'stale',
          }),
        ),
        PreconditionFailedException,
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      );
      clock.advance(60_000);
      const updated = await lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'updatable', ZipFile: otherZip, RevisionId: revision }),
      );
      expect(updated).toMatchObject({
        CodeSha256: sha256Base64(otherZip),
        CodeSize: otherZip.length,
        LastModified: '2026-11-01T12:01:00.000+0000',
        State: 'Active',
        LastUpdateStatus: 'InProgress',
        LastUpdateStatusReason: 'The function is being created.',
        LastUpdateStatusReasonCode: 'Creating',
      });
      const afterCode = await revisionOf('updatable');
      expect(afterCode).not.toBe(revision);
      await expectError(
        lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: 'updatable',
            MemorySize: 256,
            RevisionId: revision,
          }),
        ),
        PreconditionFailedException,
        /^The Revision Id provided does not match the latest Revision Id/,
      );
      const configured = await lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'updatable',
          RevisionId: afterCode,
          MemorySize: 256,
          Timeout: 30,
          Description: 'updated',
          Handler: 'index.other',
          Environment: { Variables: { STAGE: 'test' } },
        }),
      );
      expect(configured).toMatchObject({
        MemorySize: 256,
        Timeout: 30,
        Description: 'updated',
        Handler: 'index.other',
        Environment: { Variables: { STAGE: 'test' } },
        CodeSha256: sha256Base64(otherZip),
        LastUpdateStatus: 'InProgress',
      });
      const read = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'updatable' }));
      expect(read).toMatchObject({ MemorySize: 256, LastUpdateStatus: 'Successful', State: 'Active' });
    });

    it('deletes a function with everything it owns; its package goes once no function uses it', async () => {
      const zip = await zipOf({ 'only-here.js': 'exports.handler = async () => 1;' });
      await create('doomed', { Code: { ZipFile: zip }, Handler: 'only-here.handler' });
      await create('sibling', { Code: { ZipFile: zip }, Handler: 'only-here.handler' });
      const dir = join(stratus.dataDir, 'lambda', 'code', sha256Hex(zip));
      expect(existsSync(dir)).toBe(true);
      await lambda.send(new DeleteFunctionCommand({ FunctionName: 'sibling' }));
      expect(existsSync(dir)).toBe(true);
      const deleted = await lambda.send(new DeleteFunctionCommand({ FunctionName: arnOf('doomed') }));
      expect(deleted.StatusCode).toBe(204);
      await expectError(
        lambda.send(new GetFunctionCommand({ FunctionName: 'doomed' })),
        ResourceNotFoundException,
        `Function not found: ${arnOf('doomed')}`,
      );
      expect(existsSync(dir)).toBe(false);
      await expectError(
        lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed' })),
        ResourceNotFoundException,
        `Function not found: ${arnOf('doomed')}`,
      );
    });
  });

  describe('versions and aliases', () => {
    it('publishes $LATEST as numbered versions, and publishing it unchanged returns the last version', async () => {
      await create('versioned', { Description: 'first' });
      const v1 = await lambda.send(
        new PublishVersionCommand({ FunctionName: 'versioned', Description: 'release 1' }),
      );
      expect(v1).toMatchObject({
        Version: '1',
        FunctionArn: arnOf('versioned', '1'),
        Description: 'release 1',
        CodeSha256: sha256Base64(handlerZip),
        State: 'Active',
        LastUpdateStatus: 'Successful',
      });
      const again = await lambda.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
      expect(again.Version).toBe('1');
      expect(again.RevisionId).toBe(v1.RevisionId);

      await expectError(
        lambda.send(new PublishVersionCommand({ FunctionName: 'versioned', CodeSha256: 'bogus' })),
        InvalidParameterValueException,
        `CodeSHA256 (bogus) is different from current CodeSHA256 in $LATEST (${sha256Base64(handlerZip)}). Please try again with the CodeSHA256 in $LATEST.`,
      );
      await expectError(
        lambda.send(new PublishVersionCommand({ FunctionName: 'versioned', RevisionId: 'stale' })),
        PreconditionFailedException,
        /^The Revision Id provided does not match the latest Revision Id/,
      );
      const v2 = await lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'versioned', ZipFile: otherZip, Publish: true }),
      );
      expect(v2).toMatchObject({
        Version: '2',
        FunctionArn: arnOf('versioned', '2'),
        CodeSha256: sha256Base64(otherZip),
      });

      const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'versioned' }));
      expect(versions.Versions!.map((v) => [v.Version, v.FunctionArn])).toEqual([
        ['$LATEST', arnOf('versioned', '$LATEST')],
        ['1', arnOf('versioned', '1')],
        ['2', arnOf('versioned', '2')],
      ]);
      const paged = await lambda.send(
        new ListVersionsByFunctionCommand({ FunctionName: 'versioned', MaxItems: 2 }),
      );
      const rest = await lambda.send(
        new ListVersionsByFunctionCommand({ FunctionName: 'versioned', Marker: paged.NextMarker }),
      );
      expect([...paged.Versions!, ...rest.Versions!].map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);

      const old = await lambda.send(new GetFunctionCommand({ FunctionName: 'versioned', Qualifier: '1' }));
      expect(old.Configuration).toMatchObject({ Version: '1', CodeSha256: sha256Base64(handlerZip) });
      expect(old.Code!.Location).toContain(sha256Hex(handlerZip));

      const published = await create('published-at-create', { Publish: true });
      expect(published).toMatchObject({ Version: '1', State: 'Pending' });
    });

    it('manages aliases with weighted routing to one additional version', async () => {
      const live = await lambda.send(
        new CreateAliasCommand({
          FunctionName: 'versioned',
          Name: 'live',
          FunctionVersion: '1',
          Description: 'production',
          RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
        }),
      );
      expect(live).toMatchObject({
        AliasArn: arnOf('versioned', 'live'),
        Name: 'live',
        FunctionVersion: '1',
        Description: 'production',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
      });
      const { $metadata: _created, ...expected } = live;
      expect(
        await lambda.send(new GetAliasCommand({ FunctionName: 'versioned', Name: 'live' })),
      ).toMatchObject(expected);
      const viaAlias = await lambda.send(
        new GetFunctionCommand({ FunctionName: 'versioned', Qualifier: 'live' }),
      );
      expect(viaAlias.Configuration).toMatchObject({ FunctionArn: arnOf('versioned', 'live'), Version: '1' });

      await expectError(
        lambda.send(
          new CreateAliasCommand({ FunctionName: 'versioned', Name: 'live', FunctionVersion: '1' }),
        ),
        ResourceConflictException,
        `Alias already exists: ${arnOf('versioned', 'live')}`,
      );
      const routing = (weights: Record<string, number>, FunctionVersion = '1') =>
        lambda.send(
          new CreateAliasCommand({
            FunctionName: 'versioned',
            Name: 'canary',
            FunctionVersion,
            RoutingConfig: { AdditionalVersionWeights: weights },
          }),
        );
      await expectError(
        routing({ '1': 0.1, '2': 0.1 }, '$LATEST'),
        InvalidParameterValueException,
        'Number of items in AdditionalVersionWeights cannot be greater than 1',
      );
      await expectError(
        routing({ '1': 0.5 }),
        InvalidParameterValueException,
        'Invalid function version 1. Function version 1 is already included in routing configuration.',
      );
      await expectError(
        routing({ '1': 0.5 }, '$LATEST'),
        InvalidParameterValueException,
        '$LATEST is not supported for an alias pointing to more than 1 version',
      );
      await expectError(
        routing({ '9': 0.5 }),
        ResourceNotFoundException,
        `Function not found: ${arnOf('versioned', '9')}`,
      );
      await expectError(
        routing({ '2': 1.5 }),
        LambdaServiceException,
        /failed to satisfy constraint/,
        'ValidationException',
      );
      await expectError(
        lambda.send(
          new CreateAliasCommand({ FunctionName: 'versioned', Name: 'later', FunctionVersion: '7' }),
        ),
        ResourceNotFoundException,
        `Function not found: ${arnOf('versioned', '7')}`,
      );
      await expectError(
        lambda.send(new GetAliasCommand({ FunctionName: 'versioned', Name: 'nope' })),
        ResourceNotFoundException,
        `Cannot find alias arn: ${arnOf('versioned', 'nope')}`,
      );

      await expectError(
        lambda.send(
          new UpdateAliasCommand({
            FunctionName: 'versioned',
            Name: 'live',
            FunctionVersion: '2',
            RevisionId: 'stale',
          }),
        ),
        PreconditionFailedException,
        /^The Revision Id provided does not match the latest Revision Id/,
      );
      const moved = await lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'versioned',
          Name: 'live',
          FunctionVersion: '2',
          RevisionId: live.RevisionId,
          RoutingConfig: { AdditionalVersionWeights: {} },
        }),
      );
      expect(moved).toMatchObject({ FunctionVersion: '2', Description: 'production' });
      expect(moved.RoutingConfig).toBeUndefined();
      expect(moved.RevisionId).not.toBe(live.RevisionId);
      await expectError(
        lambda.send(
          new UpdateAliasCommand({ FunctionName: 'versioned', Name: 'nope', FunctionVersion: '2' }),
        ),
        ResourceNotFoundException,
        `Alias not found: ${arnOf('versioned', 'nope')}`,
      );

      await lambda.send(
        new CreateAliasCommand({ FunctionName: 'versioned', Name: 'beta', FunctionVersion: '$LATEST' }),
      );
      const all = await lambda.send(new ListAliasesCommand({ FunctionName: 'versioned' }));
      expect(all.Aliases!.map((a) => a.Name)).toEqual(['beta', 'live']);
      const onTwo = await lambda.send(
        new ListAliasesCommand({ FunctionName: 'versioned', FunctionVersion: '2' }),
      );
      expect(onTwo.Aliases!.map((a) => a.Name)).toEqual(['live']);
      await lambda.send(new DeleteAliasCommand({ FunctionName: 'versioned', Name: 'beta' }));
      expect(
        (await lambda.send(new ListAliasesCommand({ FunctionName: 'versioned' }))).Aliases!.map(
          (a) => a.Name,
        ),
      ).toEqual(['live']);
    });

    it('resolves invocation targets: versions, aliases, weighted routing, and the FunctionSpec the engine runs', async () => {
      await lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'versioned',
          Name: 'live',
          FunctionVersion: '1',
          RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } },
        }),
      );
      const low = await resolveInvocationTarget(stratus.store, at, 'versioned', 'live', () => 0.1);
      expect(low).toMatchObject({ executedVersion: '2', invokedFunctionArn: arnOf('versioned', 'live') });
      expect(low.alias?.name).toBe('live');
      const high = await resolveInvocationTarget(
        stratus.store,
        at,
        arnOf('versioned', 'live'),
        undefined,
        () => 0.9,
      );
      expect(high.executedVersion).toBe('1');
      const latest = await resolveInvocationTarget(stratus.store, at, 'versioned');
      expect(latest).toMatchObject({ executedVersion: '$LATEST', invokedFunctionArn: arnOf('versioned') });
      const pinned = await resolveInvocationTarget(stratus.store, at, `${account}:function:versioned:1`);
      expect(pinned.executedVersion).toBe('1');
      await expect(resolveInvocationTarget(stratus.store, at, 'versioned', 'gone')).rejects.toThrow(
        `Function not found: ${arnOf('versioned', 'gone')}`,
      );

      const code = new CodeStore(
        new BlobStore(join(stratus.dataDir, 'blobs')),
        join(stratus.dataDir, 'lambda', 'code'),
      );
      const spec = await functionSpecFor(high, { code, endpointUrl: stratus.url });
      expect(spec).toMatchObject({
        functionName: 'versioned',
        version: '1',
        functionArn: arnOf('versioned'),
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        memoryMb: 128,
        timeoutSeconds: 3,
        ephemeralStorageMb: 512,
        environment: {},
        layerDirs: [],
        logGroupName: '/aws/lambda/versioned',
        accountId: account,
        region: 'us-east-1',
        endpointUrl: stratus.url,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      expect(spec.key).toMatch(new RegExp(`^${arnOf('versioned', '1').replaceAll('$', '\\$')}#`));
      expect(readFileSync(join(spec.codeDir, 'index.js'), 'utf8')).toContain('"v1"');
      const latestSpec = await functionSpecFor(latest, { code, endpointUrl: stratus.url });
      expect(readFileSync(join(latestSpec.codeDir, 'index.js'), 'utf8')).toContain('"v2"');
      expect(latestSpec.key).not.toBe(spec.key);
    });

    it('deletes a published version unless an alias references it; $LATEST only with the function', async () => {
      await expectError(
        lambda.send(new DeleteFunctionCommand({ FunctionName: 'versioned', Qualifier: '2' })),
        ResourceConflictException,
        'Unable to delete version because the following aliases reference it: [live]',
      );
      await expectError(
        lambda.send(new DeleteFunctionCommand({ FunctionName: 'versioned', Qualifier: '$LATEST' })),
        InvalidParameterValueException,
        '$LATEST version cannot be deleted without deleting the function.',
      );
      await lambda.send(new DeleteAliasCommand({ FunctionName: 'versioned', Name: 'live' }));
      await lambda.send(new DeleteFunctionCommand({ FunctionName: 'versioned', Qualifier: '1' }));
      await lambda.send(new DeleteFunctionCommand({ FunctionName: 'versioned', Qualifier: '1' }));
      await expectError(
        lambda.send(new GetFunctionCommand({ FunctionName: 'versioned', Qualifier: '1' })),
        ResourceNotFoundException,
        `Function not found: ${arnOf('versioned', '1')}`,
      );
      const left = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'versioned' }));
      expect(left.Versions!.map((v) => v.Version)).toEqual(['$LATEST', '2']);
      // Version numbers are never reused.
      await lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'versioned', Description: 'third' }),
      );
      expect((await lambda.send(new PublishVersionCommand({ FunctionName: 'versioned' }))).Version).toBe('3');
    });
  });

  describe('layers', () => {
    const layerArn = (name: string) => `arn:aws:lambda:us-east-1:${account}:layer:${name}`;

    it('publishes, reads, lists and deletes layer versions, never reusing a number', async () => {
      const v1Zip = await zipOf({ 'nodejs/node_modules/util/index.js': 'module.exports = 1;' });
      const v1 = await lambda.send(
        new PublishLayerVersionCommand({
          LayerName: 'shared',
          Description: 'utils',
          Content: { ZipFile: v1Zip },
          CompatibleRuntimes: ['nodejs20.x', 'nodejs22.x'],
          CompatibleArchitectures: ['x86_64'],
          LicenseInfo: 'MIT',
        }),
      );
      expect(v1).toMatchObject({
        LayerArn: layerArn('shared'),
        LayerVersionArn: `${layerArn('shared')}:1`,
        Version: 1,
        Description: 'utils',
        CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/) as unknown,
        CompatibleRuntimes: ['nodejs20.x', 'nodejs22.x'],
        CompatibleArchitectures: ['x86_64'],
        LicenseInfo: 'MIT',
        Content: {
          CodeSha256: sha256Base64(v1Zip),
          CodeSize: v1Zip.length,
          Location: `${stratus.url}/_stratus/lambda/code/${sha256Hex(v1Zip)}`,
        },
      });
      const v2Zip = await zipOf({ 'python/util.py': 'X = 2' });
      await lambda.send(
        new PublishLayerVersionCommand({
          LayerName: 'shared',
          Content: { ZipFile: v2Zip },
          CompatibleRuntimes: ['python3.12'],
        }),
      );
      expect(
        (await lambda.send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }))).Version,
      ).toBe(1);
      expect(
        (await lambda.send(new GetLayerVersionCommand({ LayerName: layerArn('shared'), VersionNumber: 2 })))
          .Version,
      ).toBe(2);
      expect(
        (await lambda.send(new GetLayerVersionByArnCommand({ Arn: `${layerArn('shared')}:1` }))).Description,
      ).toBe('utils');

      const layers = await lambda.send(new ListLayersCommand({}));
      expect(layers.Layers!.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version])).toEqual([
        ['shared', 2],
      ]);
      const forNode = await lambda.send(new ListLayersCommand({ CompatibleRuntime: 'nodejs20.x' }));
      expect(forNode.Layers![0]!.LatestMatchingVersion!.Version).toBe(1);
      const versions = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'shared' }));
      expect(versions.LayerVersions!.map((v) => v.Version)).toEqual([2, 1]);
      const firstPage = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'shared', MaxItems: 1 }));
      const secondPage = await lambda.send(
        new ListLayerVersionsCommand({ LayerName: 'shared', MaxItems: 1, Marker: firstPage.NextMarker }),
      );
      expect([...firstPage.LayerVersions!, ...secondPage.LayerVersions!].map((v) => v.Version)).toEqual([
        2, 1,
      ]);

      // A function keeps using a layer version after it is deleted.
      await create('with-layer', { Layers: [`${layerArn('shared')}:1`] });
      await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }));
      await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 }));
      await expectError(
        lambda.send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 1 })),
        ResourceNotFoundException,
        'The resource you requested does not exist.',
      );
      await expectError(
        lambda.send(new GetLayerVersionCommand({ LayerName: 'shared', VersionNumber: 0 })),
        InvalidParameterValueException,
        'Layer Version Cannot be less than 1',
      );
      const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'with-layer' }));
      expect(fn.Layers).toEqual([{ Arn: `${layerArn('shared')}:1`, CodeSize: v1Zip.length }]);
      const target = await resolveInvocationTarget(stratus.store, at, 'with-layer');
      const code = new CodeStore(
        new BlobStore(join(stratus.dataDir, 'blobs')),
        join(stratus.dataDir, 'lambda', 'code'),
      );
      const spec = await functionSpecFor(target, { code, endpointUrl: stratus.url });
      expect(readFileSync(join(spec.layerDirs[0]!, 'nodejs/node_modules/util/index.js'), 'utf8')).toContain(
        '1',
      );

      const v3 = await lambda.send(
        new PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: v1Zip } }),
      );
      expect(v3.Version).toBe(3);
    });

    it('refuses two versions of one layer, layers from another region, and more than 250 MB with layers', async () => {
      await expectError(
        create('two-versions', { Layers: [`${layerArn('shared')}:2`, `${layerArn('shared')}:3`] }),
        InvalidParameterValueException,
        `Two different versions of the same layer are not allowed to be referenced in the same function. ${layerArn('shared')}:2 and ${layerArn('shared')}:3 are versions of the same layer.`,
      );
      await expectError(
        create('other-region', { Layers: [`arn:aws:lambda:eu-west-1:${account}:layer:shared:2`] }),
        InvalidParameterValueException,
        'Layers are not in the same region as the function. Layers are expected to be in region us-east-1.',
      );
      const heavy = await zipOf({ 'data.bin': { content: zeros(200_000_000), size: 200_000_000 } });
      const layer = await lambda.send(
        new PublishLayerVersionCommand({ LayerName: 'heavy', Content: { ZipFile: heavy } }),
      );
      const code = await zipOf({ 'index.js': { content: zeros(70_000_000), size: 70_000_000 } });
      await expectError(
        create('too-heavy', { Code: { ZipFile: code }, Layers: [layer.LayerVersionArn!] }),
        InvalidParameterValueException,
        `Unzipped size must be smaller than ${262_144_000 - 200_000_000} bytes`,
      );
    });
  });

  describe('resource policies and tags', () => {
    it('adds and removes permissions and returns the policy document', async () => {
      await create('guarded');
      await lambda.send(new PublishVersionCommand({ FunctionName: 'guarded' }));
      await lambda.send(
        new CreateAliasCommand({ FunctionName: 'guarded', Name: 'prod', FunctionVersion: '1' }),
      );
      const before = await revisionOf('guarded');
      const added = await lambda.send(
        new AddPermissionCommand({
          FunctionName: 'guarded',
          StatementId: 's3-invoke',
          Action: 'lambda:InvokeFunction',
          Principal: 's3.amazonaws.com',
          SourceArn: 'arn:aws:s3:::uploads',
          SourceAccount: account,
        }),
      );
      const statement = {
        Sid: 's3-invoke',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: arnOf('guarded'),
        Condition: {
          StringEquals: { 'AWS:SourceAccount': account },
          ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' },
        },
      };
      expect(JSON.parse(added.Statement!)).toEqual(statement);
      const after = await revisionOf('guarded');
      expect(after).not.toBe(before);
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: 'guarded',
          StatementId: 'account',
          Action: 'lambda:GetFunction',
          Principal: '111122223333',
        }),
      );
      const policy = await lambda.send(new GetPolicyCommand({ FunctionName: 'guarded' }));
      expect(JSON.parse(policy.Policy!)).toEqual({
        Version: '2012-10-17',
        Id: 'default',
        Statement: [
          statement,
          {
            Sid: 'account',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 'lambda:GetFunction',
            Resource: arnOf('guarded'),
          },
        ],
      });
      expect(policy.RevisionId).toBe(await revisionOf('guarded'));

      await expectError(
        lambda.send(
          new AddPermissionCommand({
            FunctionName: 'guarded',
            StatementId: 's3-invoke',
            Action: 'lambda:InvokeFunction',
            Principal: '*',
          }),
        ),
        ResourceConflictException,
        'The statement id (s3-invoke) provided already exists. Please provide a new statement id, or remove the existing statement.',
      );
      await expectError(
        lambda.send(
          new AddPermissionCommand({
            FunctionName: 'guarded',
            StatementId: 'x',
            Action: 'lambda:InvokeFunction',
            Principal: 'someone',
          }),
        ),
        InvalidParameterValueException,
        'The provided principal was invalid. Please check the principal and try again.',
      );
      await expectError(
        lambda.send(
          new AddPermissionCommand({
            FunctionName: 'guarded',
            Qualifier: '$LATEST',
            StatementId: 'x',
            Action: 'lambda:InvokeFunction',
            Principal: '*',
          }),
        ),
        InvalidParameterValueException,
        'We currently do not support adding policies for $LATEST.',
      );
      await expectError(
        lambda.send(
          new AddPermissionCommand({
            FunctionName: 'guarded',
            StatementId: 'x',
            Action: 'lambda:InvokeFunction',
            Principal: '*',
            RevisionId: 'stale',
          }),
        ),
        PreconditionFailedException,
        'The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id',
      );

      const aliasBefore = (await lambda.send(new GetAliasCommand({ FunctionName: 'guarded', Name: 'prod' })))
        .RevisionId;
      await lambda.send(
        new AddPermissionCommand({
          FunctionName: 'guarded:prod',
          StatementId: 'api',
          Action: 'lambda:InvokeFunction',
          Principal: 'apigateway.amazonaws.com',
        }),
      );
      const aliasPolicy = await lambda.send(
        new GetPolicyCommand({ FunctionName: 'guarded', Qualifier: 'prod' }),
      );
      expect(JSON.parse(aliasPolicy.Policy!).Statement[0].Resource).toBe(arnOf('guarded', 'prod'));
      expect(aliasPolicy.RevisionId).not.toBe(aliasBefore);
      await expectError(
        lambda.send(new GetPolicyCommand({ FunctionName: 'guarded', Qualifier: '1' })),
        ResourceNotFoundException,
        'The resource you requested does not exist.',
      );

      await lambda.send(new RemovePermissionCommand({ FunctionName: 'guarded', StatementId: 's3-invoke' }));
      await expectError(
        lambda.send(new RemovePermissionCommand({ FunctionName: 'guarded', StatementId: 's3-invoke' })),
        ResourceNotFoundException,
        'Statement s3-invoke is not found in resource policy.',
      );
      await lambda.send(new RemovePermissionCommand({ FunctionName: 'guarded', StatementId: 'account' }));
      await expectError(
        lambda.send(new GetPolicyCommand({ FunctionName: 'guarded' })),
        ResourceNotFoundException,
        'The resource you requested does not exist.',
      );
      await expectError(
        lambda.send(new RemovePermissionCommand({ FunctionName: 'guarded', StatementId: 'account' })),
        ResourceNotFoundException,
        'No policy is associated with the given resource.',
      );
      await expectError(
        lambda.send(new RemovePermissionCommand({ FunctionName: 'nobody', StatementId: 'x' })),
        ResourceNotFoundException,
        `No policy found for: ${arnOf('nobody')}`,
      );
    });

    it('tags functions by ARN, not their versions or aliases', async () => {
      const arn = arnOf('guarded');
      const before = await revisionOf('guarded');
      await lambda.send(new TagResourceCommand({ Resource: arn, Tags: { env: 'dev', owner: 'me' } }));
      expect((await lambda.send(new ListTagsCommand({ Resource: arn }))).Tags).toEqual({
        env: 'dev',
        owner: 'me',
      });
      expect(await revisionOf('guarded')).not.toBe(before);
      await lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['owner'] }));
      expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'guarded' }))).Tags).toEqual({
        env: 'dev',
      });
      await expectError(
        lambda.send(new TagResourceCommand({ Resource: arnOf('guarded', 'prod'), Tags: { a: 'b' } })),
        InvalidParameterValueException,
        'Tags on function aliases and versions are not supported. Please specify a function ARN.',
      );
      const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, 'v']));
      await expectError(
        lambda.send(new TagResourceCommand({ Resource: arn, Tags: many })),
        InvalidParameterValueException,
        'Number of tags exceeds resource tag limit.',
      );
      await expectError(
        lambda.send(new ListTagsCommand({ Resource: arnOf('nobody') })),
        ResourceNotFoundException,
        `Function not found: ${arnOf('nobody')}`,
      );
    });
  });

  describe('event invoke configs', () => {
    it('puts, updates, reads, lists and deletes retry and destination settings', async () => {
      await create('async-fn');
      await create('async-target');
      const put = await lambda.send(
        new PutFunctionEventInvokeConfigCommand({
          FunctionName: 'async-fn',
          MaximumRetryAttempts: 1,
          DestinationConfig: { OnFailure: { Destination: `arn:aws:sqs:us-east-1:${account}:dlq` } },
        }),
      );
      expect(put).toMatchObject({
        FunctionArn: arnOf('async-fn', '$LATEST'),
        MaximumRetryAttempts: 1,
        DestinationConfig: {
          OnSuccess: {},
          OnFailure: { Destination: `arn:aws:sqs:us-east-1:${account}:dlq` },
        },
      });
      expect(put.LastModified).toEqual(new Date(clock.now()));
      const updated = await lambda.send(
        new UpdateFunctionEventInvokeConfigCommand({
          FunctionName: 'async-fn',
          MaximumEventAgeInSeconds: 3600,
          DestinationConfig: { OnSuccess: { Destination: arnOf('async-target') } },
        }),
      );
      expect(updated).toMatchObject({
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnSuccess: { Destination: arnOf('async-target') }, OnFailure: {} },
      });
      expect(
        await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn' })),
      ).toMatchObject({
        MaximumEventAgeInSeconds: 3600,
      });
      const listed = await lambda.send(
        new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'async-fn' }),
      );
      expect(listed.FunctionEventInvokeConfigs!.map((c) => c.FunctionArn)).toEqual([
        arnOf('async-fn', '$LATEST'),
      ]);

      await expectError(
        lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn' })),
        InvalidParameterValueException,
        'You must specify at least one of error handling or destination setting.',
      );
      await expectError(
        lambda.send(
          new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn', MaximumRetryAttempts: 3 }),
        ),
        LambdaServiceException,
        "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2",
        'ValidationException',
      );
      await expectError(
        lambda.send(
          new PutFunctionEventInvokeConfigCommand({
            FunctionName: 'async-fn',
            DestinationConfig: { OnSuccess: { Destination: arnOf('async-fn') } },
          }),
        ),
        InvalidParameterValueException,
        "You can't specify the function as a destination for itself.",
      );
      await expectError(
        lambda.send(
          new PutFunctionEventInvokeConfigCommand({
            FunctionName: 'async-fn',
            Qualifier: '9',
            MaximumRetryAttempts: 0,
          }),
        ),
        ResourceNotFoundException,
        "The function doesn't exist.",
      );
      await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn' }));
      await expectError(
        lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn' })),
        ResourceNotFoundException,
        `The function ${arnOf('async-fn', '$LATEST')} doesn't have an EventInvokeConfig`,
      );
    });
  });

  describe('aws CLI', () => {
    const pathAws = (process.env.PATH ?? '')
      .split(delimiter)
      .map((dir) => join(dir, 'aws'))
      .find((path) => {
        try {
          accessSync(path, constants.X_OK);
          return true;
        } catch {
          return false;
        }
      });

    const aws = (args: string[]) =>
      new Promise<string>((resolve, reject) => {
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
        execFile(
          pathAws!,
          [...args, '--endpoint-url', stratus.url, '--output', 'json'],
          {
            env: {
              ...env,
              AWS_ACCESS_KEY_ID: 'test',
              AWS_SECRET_ACCESS_KEY: 'test',
              AWS_DEFAULT_REGION: 'us-east-1',
              AWS_CONFIG_FILE: '/dev/null',
              AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
              AWS_PAGER: '',
            },
            timeout: 60_000,
          },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        );
      });

    it(
      'create-function --zip-file fileb:// and list-functions',
      { skip: !pathAws, timeout: 130_000 },
      async () => {
        const zipPath = join(stratus.dataDir, 'cli-function.zip');
        writeFileSync(zipPath, handlerZip);
        const created = JSON.parse(
          await aws([
            'lambda',
            'create-function',
            '--function-name',
            'from-cli',
            '--runtime',
            'python3.12',
            '--role',
            role,
            '--handler',
            'app.handler',
            '--zip-file',
            `fileb://${zipPath}`,
          ]),
        ) as { FunctionArn: string; CodeSha256: string; State: string };
        expect(created).toMatchObject({
          FunctionArn: arnOf('from-cli'),
          CodeSha256: sha256Base64(handlerZip),
          State: 'Pending',
        });
        const listed = JSON.parse(await aws(['lambda', 'list-functions'])) as {
          Functions: { FunctionName: string }[];
        };
        expect(listed.Functions.map((f) => f.FunctionName)).toContain('from-cli');
      },
    );
  });
});

describe('Lambda concurrency and account settings', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let zip: Buffer;

  beforeAll(async () => {
    // The account's concurrency limit is configurable; 300 here.
    const services = [
      ...serviceDefinitions.filter((s) => s.name !== 'lambda'),
      lambdaService({ concurrentExecutions: 300 }),
    ];
    stratus = await startTestStratus({ services });
    lambda = new LambdaClient(stratus.clientConfig);
    zip = await zipOf({ 'index.py': 'def handler(event, context):\n    return 1\n' });
    for (const name of ['first', 'second']) {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'python3.12',
          Role: role,
          Handler: 'index.handler',
          Code: { ZipFile: zip },
        }),
      );
      await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    }
  });
  afterAll(async () => {
    lambda?.destroy();
    await stratus?.close();
  });

  const settings = () => lambda.send(new GetAccountSettingsCommand({}));

  it('reports the account limits and usage', async () => {
    const { AccountLimit, AccountUsage } = await settings();
    expect(AccountLimit).toEqual({
      TotalCodeSize: 80_530_636_800,
      CodeSizeUnzipped: 262_144_000,
      CodeSizeZipped: 52_428_800,
      ConcurrentExecutions: 300,
      UnreservedConcurrentExecutions: 300,
    });
    // Each version counts: $LATEST and version 1 of two functions.
    expect(AccountUsage).toEqual({ TotalCodeSize: 4 * zip.length, FunctionCount: 2 });
  });

  it('reserves concurrency while at least 100 stays unreserved', async () => {
    expect(
      await lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: 'first', ReservedConcurrentExecutions: 150 }),
      ),
    ).toMatchObject({
      ReservedConcurrentExecutions: 150,
    });
    expect((await settings()).AccountLimit!.UnreservedConcurrentExecutions).toBe(150);
    expect(
      (await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'first' })))
        .ReservedConcurrentExecutions,
    ).toBe(150);
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'first' }))).Concurrency).toEqual({
      ReservedConcurrentExecutions: 150,
    });
    await expectError(
      lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: 'second', ReservedConcurrentExecutions: 51 }),
      ),
      InvalidParameterValueException,
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    );
    // Replacing a function's own reservation does not count it twice.
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'first', ReservedConcurrentExecutions: 200 }),
    );
    await expectError(
      lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: 'first:1', ReservedConcurrentExecutions: 5 }),
      ),
      InvalidParameterValueException,
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    );
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'first' }));
    expect(
      await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'first' })),
    ).not.toHaveProperty('ReservedConcurrentExecutions');
    expect((await settings()).AccountLimit!.UnreservedConcurrentExecutions).toBe(300);
  });

  it('configures provisioned concurrency on versions and aliases, not on $LATEST', async () => {
    await expectError(
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: 'first',
          Qualifier: '$LATEST',
          ProvisionedConcurrentExecutions: 2,
        }),
      ),
      InvalidParameterValueException,
      'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
    );
    await expectError(
      lambda.send(
        new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'first', Qualifier: '$LATEST' }),
      ),
      InvalidParameterValueException,
      'The function resource provided must be an alias or a published version.',
    );
    await expectError(
      lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'first', Qualifier: '1' })),
      ProvisionedConcurrencyConfigNotFoundException,
      'No Provisioned Concurrency Config found for this function',
    );
    const put = await lambda.send(
      new PutProvisionedConcurrencyConfigCommand({
        FunctionName: 'first',
        Qualifier: '1',
        ProvisionedConcurrentExecutions: 5,
      }),
    );
    expect(put).toMatchObject({
      RequestedProvisionedConcurrentExecutions: 5,
      AllocatedProvisionedConcurrentExecutions: 0,
      Status: 'IN_PROGRESS',
    });
    expect(
      await lambda.send(
        new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'first', Qualifier: '1' }),
      ),
    ).toMatchObject({
      RequestedProvisionedConcurrentExecutions: 5,
      AllocatedProvisionedConcurrentExecutions: 5,
      Status: 'READY',
    });
    expect((await settings()).AccountLimit!.UnreservedConcurrentExecutions).toBe(295);

    await lambda.send(new CreateAliasCommand({ FunctionName: 'first', Name: 'live', FunctionVersion: '1' }));
    await expectError(
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: 'first',
          Qualifier: 'live',
          ProvisionedConcurrentExecutions: 1,
        }),
      ),
      ResourceConflictException,
      "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
    );
    await expectError(
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: 'first',
          Qualifier: 'ghost',
          ProvisionedConcurrentExecutions: 1,
        }),
      ),
      ResourceNotFoundException,
      `Cannot find alias arn: ${arnOf('first', 'ghost')}`,
    );
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'second', ReservedConcurrentExecutions: 3 }),
    );
    await expectError(
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: 'second',
          Qualifier: '1',
          ProvisionedConcurrentExecutions: 4,
        }),
      ),
      InvalidParameterValueException,
      'Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function',
    );
    await expectError(
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: 'first',
          Qualifier: '1',
          ProvisionedConcurrentExecutions: 200,
        }),
      ),
      InvalidParameterValueException,
      "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    );
    const listed = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'first' }));
    expect(listed.ProvisionedConcurrencyConfigs!.map((c) => c.FunctionArn)).toEqual([arnOf('first', '1')]);
    await expectError(
      lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: 'first', ReservedConcurrentExecutions: 4 }),
      ),
      InvalidParameterValueException,
      " ReservedConcurrentExecutions  4 should not be lower than function's total provisioned concurrency [5].",
    );

    await lambda.send(
      new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'first', Qualifier: '1' }),
    );
    await lambda.send(
      new PutProvisionedConcurrencyConfigCommand({
        FunctionName: 'first',
        Qualifier: 'live',
        ProvisionedConcurrentExecutions: 2,
      }),
    );
    await expectError(
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: 'first',
          Qualifier: '1',
          ProvisionedConcurrentExecutions: 1,
        }),
      ),
      ResourceConflictException,
      'Version is pointed by a Provisioned Concurrency alias',
    );
  });
});
