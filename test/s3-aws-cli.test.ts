/**
 * S3 through the tools people use: `aws s3 mb/cp/ls/sync/presign/rm/rb` (every CLI binary
 * available, see support/aws-cli.ts) and boto3's `upload_file` / `download_file`, whose large files
 * go up and down in parts, in threads.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliVariants, cliTimeoutMs, runAws } from './support/aws-cli.js';
import { pythonsWithBoto3, runPythonJson } from './support/boto3.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const stepTimeoutMs = 2 * cliTimeoutMs + 10_000;
const big = randomBytes(20 * 1024 * 1024);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let stratus: TestStratus;
let work: string;
beforeAll(async () => {
  stratus = await startTestStratus();
  work = mkdtempSync(join(tmpdir(), 'stratus-s3-cli-'));
});
afterAll(async () => {
  await stratus?.close();
  rmSync(work, { recursive: true, force: true });
});

for (const variant of awsCliVariants) {
  describe.concurrent(`aws s3: ${variant.name}`, () => {
    const skip = variant.binary === undefined;
    const step = (name: string, fn: () => Promise<void>) =>
      it.sequential(name, { skip, timeout: stepTimeoutMs }, fn);
    const aws = async (args: string[]) => {
      const result = await runAws(variant.binary!, [...args, '--endpoint-url', stratus.url]);
      if (result.code !== 0)
        throw new Error(`aws ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
      return result.stdout;
    };
    const bucket = `cli-${variant.tag}`;
    const local = () => join(work, variant.tag);

    step('mb makes a bucket', async () => {
      mkdirSync(join(local(), 'site', 'css'), { recursive: true });
      expect(await aws(['s3', 'mb', `s3://${bucket}`])).toContain(`make_bucket: ${bucket}`);
    });

    step('cp uploads a small file and a 20 MB one (in parts), ls lists them', async () => {
      writeFileSync(join(local(), 'hello world.txt'), 'hello from the CLI\n');
      writeFileSync(join(local(), 'big.bin'), big);
      await aws(['s3', 'cp', join(local(), 'hello world.txt'), `s3://${bucket}/docs/hello world.txt`]);
      await aws(['s3', 'cp', join(local(), 'big.bin'), `s3://${bucket}/big.bin`]);
      const listing = await aws(['s3', 'ls', `s3://${bucket}`, '--recursive']);
      expect(listing).toMatch(/\s20971520 big\.bin/);
      expect(listing).toMatch(/\s19 docs\/hello world\.txt/);
      expect(await aws(['s3', 'ls', `s3://${bucket}/`])).toMatch(/PRE docs\//);
    });

    step('cp downloads the 20 MB object byte for byte', async () => {
      await aws(['s3', 'cp', `s3://${bucket}/big.bin`, join(local(), 'big.out')]);
      expect(sha256(readFileSync(join(local(), 'big.out')))).toBe(sha256(big));
    });

    step('sync uploads a tree, then only what changed', async () => {
      writeFileSync(join(local(), 'site', 'index.html'), '<h1>hi</h1>');
      writeFileSync(join(local(), 'site', 'css', 'a b.css'), 'body {}');
      const first = await aws(['s3', 'sync', join(local(), 'site'), `s3://${bucket}/site`]);
      expect(first).toContain('upload:');
      expect(await aws(['s3', 'sync', join(local(), 'site'), `s3://${bucket}/site`])).toBe('');
      writeFileSync(join(local(), 'site', 'index.html'), '<h1>hello again</h1>');
      const again = await aws(['s3', 'sync', join(local(), 'site'), `s3://${bucket}/site`]);
      expect(again).toContain('index.html');
      expect(again).not.toContain('a b.css');
      const listing = await aws(['s3', 'ls', `s3://${bucket}/site/`, '--recursive']);
      expect(listing).toContain('site/css/a b.css');
    });

    step('presign gives a URL anyone can GET', async () => {
      const url = (
        await aws(['s3', 'presign', `s3://${bucket}/docs/hello world.txt`, '--expires-in', '60'])
      ).trim();
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('hello from the CLI\n');
    });

    step('rm --recursive empties the bucket and rb removes it', async () => {
      await aws(['s3', 'rm', `s3://${bucket}`, '--recursive']);
      expect(await aws(['s3', 'ls', `s3://${bucket}`, '--recursive'])).toBe('');
      expect(await aws(['s3', 'rb', `s3://${bucket}`])).toContain(`remove_bucket: ${bucket}`);
    });
  });
}

const boto3Script = `
import boto3, hashlib, json, sys
from botocore.config import Config
from boto3.s3.transfer import TransferConfig
endpoint, bucket, source, target = sys.argv[1:5]
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id='test',
                  aws_secret_access_key='test', config=Config(s3={'addressing_style': 'path'}))
s3.create_bucket(Bucket=bucket)
transfer = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024, max_concurrency=4)
s3.upload_file(source, bucket, 'data/big.bin', Config=transfer)
head = s3.head_object(Bucket=bucket, Key='data/big.bin')
s3.download_file(bucket, 'data/big.bin', target, Config=transfer)
with open(target, 'rb') as f:
    digest = hashlib.sha256(f.read()).hexdigest()
print(json.dumps({'etag': head['ETag'], 'size': head['ContentLength'], 'sha256': digest}))
`;

describe('boto3', () => {
  const pythons = pythonsWithBoto3();
  it.skipIf(pythons.length === 0).each(pythons)(
    'upload_file and download_file move 20 MB in threaded parts (%s)',
    async (python) => {
      const source = join(work, `boto3-${sha256(Buffer.from(python)).slice(0, 8)}.bin`);
      writeFileSync(source, big);
      const bucket = `boto3-${sha256(Buffer.from(python)).slice(0, 8)}`;
      const result = await runPythonJson<{ etag: string; size: number; sha256: string }>(
        python,
        boto3Script,
        [stratus.url, bucket, source, `${source}.out`],
      );
      expect(result.size).toBe(big.length);
      expect(result.etag).toMatch(/^"[0-9a-f]{32}-3"$/);
      expect(result.sha256).toBe(sha256(big));
    },
    60_000,
  );
});
