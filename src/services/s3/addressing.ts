/**
 * Path-style and virtual-hosted requests. A bucket is named either by the first path segment
 * (`127.0.0.1:4566/photos/cat.png`) or by the Host (`photos.s3.localhost:4566/cat.png`,
 * `photos.s3.us-east-1.amazonaws.com`, and `photos.localhost:4566`, which is what an SDK builds
 * from the endpoint `http://localhost:4566` without `forcePathStyle`). Requests are served in
 * their path-style form, which the model's URIs describe.
 */
import type { WireRequest } from '../../protocol/wire.js';

/** `s3`, `s3-us-west-2` (the legacy regional form); not `s3-website…` or `s3-control`. */
const s3Label = /^s3(-[a-z]{2}(-[a-z]+)+-\d+)?$/;

/** The bucket a host name names, if it is a virtual-hosted S3 host. */
export function bucketFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  const labels = hostname.split('.');
  // The last `s3` label: bucket names may contain dots (`my.bucket.s3.localhost`).
  for (let i = labels.length - 1; i > 0; i--) {
    if (s3Label.test(labels[i]!)) return labels.slice(0, i).join('.');
  }
  if (labels.length === 2 && labels[1] === 'localhost' && labels[0] !== 's3') return labels[0];
  return undefined;
}

/** Whether the host is an S3 host naming a bucket (`photos.s3.localhost`). */
export function isVirtualHostedS3(hostname: string): boolean {
  const labels = hostname.toLowerCase().split('.');
  return labels.slice(1).some((label) => s3Label.test(label));
}

/** The request as path-style: the Host's bucket becomes the first path segment. */
export function pathStyle(request: WireRequest): WireRequest {
  const bucket = bucketFromHost(request.headers['host']);
  if (bucket === undefined) return request;
  return { ...request, path: `/${bucket}${request.path}` };
}
