/**
 * Object bodies stream: a 512 MB PutObject and GetObject through the SDK leave the server's
 * memory (its resident set, read from /proc) within 100 MB of what it was idle. The server runs
 * in a child process of its own so that only its memory is measured.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/storage/postgres.js';
import { startServer } from './support/processes.js';
import { testStoreUrl } from './support/stratus.js';

const size = 512 * 1024 * 1024;
const block = Buffer.alloc(1024 * 1024);
for (let i = 0; i < block.length; i++) block[i] = (i * 7919) % 251;

function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** `size` bytes of the repeated block, produced as read. */
function largeBody(): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      sent += block.length;
      this.push(block);
    },
  });
}

const platformHasProc = process.platform === 'linux';

describe.skipIf(!platformHasProc)('memory while streaming large objects', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-s3-memory-'));
  const storeUrl = testStoreUrl();
  let server: ChildProcess;
  let s3: S3Client;

  beforeAll(async () => {
    const started = await startServer('test/support/serve.ts', [dataDir, storeUrl ?? '']);
    server = started.child;
    s3 = new S3Client({
      endpoint: started.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      forcePathStyle: true,
      maxAttempts: 1,
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'large' }));
  });
  afterAll(async () => {
    s3?.destroy();
    server?.kill('SIGKILL');
    if (storeUrl) await (await PostgresStore.open({ url: storeUrl })).close({ dropSchema: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the server within 100 MB of idle through a 512 MB PutObject and GetObject', async () => {
    // Warm up: the first request loads code the big one would otherwise count.
    await s3.send(new PutObjectCommand({ Bucket: 'large', Key: 'small', Body: block }));
    await (
      await s3.send(new GetObjectCommand({ Bucket: 'large', Key: 'small' }))
    ).Body!.transformToByteArray();
    const idle = residentBytes(server.pid!);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(server.pid!))), 50);
    try {
      const put = await s3.send(
        new PutObjectCommand({ Bucket: 'large', Key: 'big.bin', Body: largeBody(), ContentLength: size }),
      );
      const expected = createHash('md5');
      for (let sent = 0; sent < size; sent += block.length) expected.update(block);
      expect(put.ETag).toBe(`"${expected.digest('hex')}"`);

      const got = await s3.send(new GetObjectCommand({ Bucket: 'large', Key: 'big.bin' }));
      expect(got.ContentLength).toBe(size);
      const received = createHash('md5');
      let bytes = 0;
      for await (const chunk of got.Body as Readable) {
        received.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
      expect(bytes).toBe(size);
      expect(`"${received.digest('hex')}"`).toBe(put.ETag);
    } finally {
      clearInterval(sampler);
    }
    expect(peak - idle).toBeLessThan(100 * 1024 * 1024);
  }, 300_000);
});
