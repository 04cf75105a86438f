import { describe, expect, it } from 'vitest';
import { bucketFromHost, isVirtualHostedS3, pathStyle } from './addressing.js';

describe('virtual-hosted buckets', () => {
  it.each([
    ['photos.s3.localhost:4566', 'photos'],
    ['my.dotted.bucket.s3.localhost', 'my.dotted.bucket'],
    ['photos.s3.us-east-1.amazonaws.com', 'photos'],
    ['photos.s3-us-west-2.amazonaws.com', 'photos'],
    ['photos.localhost:4566', 'photos'],
  ])('reads the bucket of %s', (host, bucket) => {
    expect(bucketFromHost(host)).toBe(bucket);
  });

  it.each([
    ['127.0.0.1:4566'],
    ['localhost:4566'],
    ['s3.localhost:4566'],
    ['s3.amazonaws.com'],
    ['host.docker.internal:4566'],
  ])('serves %s path-style', (host) => {
    expect(bucketFromHost(host)).toBeUndefined();
  });

  it('claims hosts with an s3 label after a bucket, not other services’', () => {
    expect(isVirtualHostedS3('photos.s3.localhost')).toBe(true);
    expect(isVirtualHostedS3('sqs.localhost')).toBe(false);
    expect(isVirtualHostedS3('abc123.execute-api.localhost')).toBe(false);
  });

  it('puts the Host’s bucket in front of the path', () => {
    const request = {
      method: 'GET',
      path: '/cats/a%20b.png',
      query: {},
      headers: { host: 'photos.s3.localhost:4566' },
      body: Buffer.alloc(0),
    };
    expect(pathStyle(request).path).toBe('/photos/cats/a%20b.png');
  });
});
