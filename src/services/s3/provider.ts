/**
 * Amazon S3 operations. Object bodies stream both ways: PutObject's from the socket into the blob
 * store (checked against Content-MD5 and the `x-amz-checksum-*` the client sent, in a header or a
 * trailer), GetObject's from the blob store to the socket. Bytes first, then the row: an object
 * is visible only once whole.
 *
 * Differences from AWS: bucket policies, ACLs and public access blocks are not enforced (another
 * account's bucket is AccessDenied, your own always open); no server-side encryption (SSE headers
 * are accepted and ignored); every storage class reads back at once; no default CRC64NVME
 * checksum is added to objects uploaded without one; bucket names are unique per Stratus, not per
 * partition.
 */
import type * as S3 from '@aws-sdk/client-s3';
import type { RequestContext } from '../service.js';
import { malformedXml } from './errors.js';
import { listObjectsV1, listObjectsV2 } from './list-objects.js';
import { listObjectVersions } from './list-versions.js';
import type { S3Modules } from './modules.js';
import { listMultipartUploads, listParts } from './multipart-listing.js';
import { readHeaders } from './object-reads.js';
import { copyObject, putObject } from './object-writes.js';
import { versionIdOf } from './objects.js';
import { ownerOf } from './responses.js';
import { tagSetOf } from './bucket-settings.js';
import { dropBucketUploads } from './upload-tables.js';

export class S3Provider {
  constructor(private readonly m: S3Modules) {}

  async CreateBucket(input: S3.CreateBucketRequest, at: RequestContext): Promise<S3.CreateBucketOutput> {
    const bucket = await this.m.buckets.create(
      at,
      input.Bucket!,
      input.CreateBucketConfiguration?.LocationConstraint,
    );
    return { Location: `/${bucket.name}` };
  }

  async HeadBucket(input: S3.HeadBucketRequest, at: RequestContext): Promise<S3.HeadBucketOutput> {
    const bucket = await this.m.buckets.require(at, input.Bucket!);
    return { BucketRegion: bucket.region, AccessPointAlias: false };
  }

  async GetBucketLocation(
    input: S3.GetBucketLocationRequest,
    at: RequestContext,
  ): Promise<S3.GetBucketLocationOutput> {
    const bucket = await this.m.buckets.require(at, input.Bucket!);
    return {
      LocationConstraint:
        bucket.region === 'us-east-1' ? undefined : (bucket.region as S3.BucketLocationConstraint),
    };
  }

  async DeleteBucket(input: S3.DeleteBucketRequest, at: RequestContext): Promise<void> {
    await this.m.releaseBlobs(await this.m.buckets.delete(at, input.Bucket!, dropBucketUploads));
  }

  async ListBuckets(input: S3.ListBucketsRequest, at: RequestContext): Promise<S3.ListBucketsOutput> {
    const page = await this.m.buckets.list(
      at,
      input.Prefix ?? '',
      input.ContinuationToken,
      input.MaxBuckets ?? 10_000,
    );
    return {
      Buckets: page.buckets.map((b) => ({
        Name: b.name,
        CreationDate: new Date(b.created_at),
        BucketRegion: b.region,
      })),
      Owner: ownerOf(at.accountId),
      ContinuationToken: page.next,
      Prefix: input.Prefix,
    };
  }

  PutObject(input: S3.PutObjectRequest, at: RequestContext): Promise<S3.PutObjectOutput> {
    return putObject(this.m, input, at);
  }

  async GetObject(input: S3.GetObjectRequest, at: RequestContext): Promise<S3.GetObjectOutput> {
    const { bucket, row } = await this.m.objects.find(at, input.Bucket!, input.Key!, input.VersionId);
    const { headers, range } = readHeaders(input, bucket, row);
    return { ...headers, Body: this.m.blobs.stream(row.blob!, range) } as S3.GetObjectOutput;
  }

  async HeadObject(input: S3.HeadObjectRequest, at: RequestContext): Promise<S3.HeadObjectOutput> {
    const { bucket, row } = await this.m.objects.find(at, input.Bucket!, input.Key!, input.VersionId);
    return readHeaders(input, bucket, row).headers;
  }

  async DeleteObject(input: S3.DeleteObjectRequest, at: RequestContext): Promise<S3.DeleteObjectOutput> {
    const { bucket, deletions } = await this.m.objects.delete(at, input.Bucket!, [
      { key: input.Key!, versionId: input.VersionId },
    ]);
    const [done] = deletions;
    if (bucket.versioning === null) return {};
    return { VersionId: done?.versionId, DeleteMarker: done?.deleteMarker };
  }

  async DeleteObjects(input: S3.DeleteObjectsRequest, at: RequestContext): Promise<S3.DeleteObjectsOutput> {
    const targets = input.Delete?.Objects ?? [];
    if (targets.length === 0 || targets.length > 1000) throw malformedXml();
    const { deletions } = await this.m.objects.delete(
      at,
      input.Bucket!,
      targets.map((t) => ({ key: t.Key!, versionId: t.VersionId })),
    );
    const deleted = deletions.map((d, i) => ({
      Key: d.key,
      VersionId: targets[i]!.VersionId,
      ...(d.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: d.versionId } : {}),
    }));
    return { Deleted: input.Delete?.Quiet ? undefined : deleted };
  }

  CopyObject(input: S3.CopyObjectRequest, at: RequestContext): Promise<S3.CopyObjectOutput> {
    return copyObject(this.m, input, at);
  }

  CreateMultipartUpload(
    input: S3.CreateMultipartUploadRequest,
    at: RequestContext,
  ): Promise<S3.CreateMultipartUploadOutput> {
    return this.m.multipart.create(at, input);
  }

  UploadPart(input: S3.UploadPartRequest, at: RequestContext): Promise<S3.UploadPartOutput> {
    return this.m.multipart.uploadPart(at, input);
  }

  UploadPartCopy(input: S3.UploadPartCopyRequest, at: RequestContext): Promise<S3.UploadPartCopyOutput> {
    return this.m.multipart.uploadPartCopy(at, input);
  }

  CompleteMultipartUpload(
    input: S3.CompleteMultipartUploadRequest,
    at: RequestContext,
  ): Promise<S3.CompleteMultipartUploadOutput> {
    return this.m.multipart.complete(at, input);
  }

  AbortMultipartUpload(
    input: S3.AbortMultipartUploadRequest,
    at: RequestContext,
  ): Promise<S3.AbortMultipartUploadOutput> {
    return this.m.multipart.abort(at, input);
  }

  async ListParts(input: S3.ListPartsRequest, at: RequestContext): Promise<S3.ListPartsOutput> {
    const { bucket, upload } = await this.m.multipart.require(at, input.Bucket!, input.Key!, input.UploadId!);
    return listParts(this.m.store, this.m.multipart, upload, bucket, input);
  }

  async ListMultipartUploads(
    input: S3.ListMultipartUploadsRequest,
    at: RequestContext,
  ): Promise<S3.ListMultipartUploadsOutput> {
    return listMultipartUploads(this.m.store, await this.m.buckets.require(at, input.Bucket!), input);
  }

  async ListObjectsV2(input: S3.ListObjectsV2Request, at: RequestContext): Promise<S3.ListObjectsV2Output> {
    const bucket = await this.m.buckets.require(at, input.Bucket!);
    return listObjectsV2(this.m.store, bucket, input);
  }

  async ListObjects(input: S3.ListObjectsRequest, at: RequestContext): Promise<S3.ListObjectsOutput> {
    const bucket = await this.m.buckets.require(at, input.Bucket!);
    return listObjectsV1(this.m.store, bucket, input);
  }

  async PutBucketVersioning(input: S3.PutBucketVersioningRequest, at: RequestContext): Promise<void> {
    await this.m.settings.putVersioning(at, input.Bucket!, input.VersioningConfiguration!);
  }

  GetBucketVersioning(
    input: S3.GetBucketVersioningRequest,
    at: RequestContext,
  ): Promise<S3.GetBucketVersioningOutput> {
    return this.m.settings.versioning(at, input.Bucket!);
  }

  async ListObjectVersions(
    input: S3.ListObjectVersionsRequest,
    at: RequestContext,
  ): Promise<S3.ListObjectVersionsOutput> {
    return listObjectVersions(this.m.store, await this.m.buckets.require(at, input.Bucket!), input);
  }

  async PutBucketTagging(input: S3.PutBucketTaggingRequest, at: RequestContext): Promise<void> {
    await this.m.settings.putTagging(at, input.Bucket!, input.Tagging!);
  }

  GetBucketTagging(
    input: S3.GetBucketTaggingRequest,
    at: RequestContext,
  ): Promise<S3.GetBucketTaggingOutput> {
    return this.m.settings.tagging(at, input.Bucket!);
  }

  async DeleteBucketTagging(input: S3.DeleteBucketTaggingRequest, at: RequestContext): Promise<void> {
    await this.m.settings.delete(at, input.Bucket!, 'tagging');
  }

  async PutBucketCors(input: S3.PutBucketCorsRequest, at: RequestContext): Promise<void> {
    await this.m.settings.putCors(at, input.Bucket!, input.CORSConfiguration!);
  }

  GetBucketCors(input: S3.GetBucketCorsRequest, at: RequestContext): Promise<S3.GetBucketCorsOutput> {
    return this.m.settings.cors(at, input.Bucket!);
  }

  async DeleteBucketCors(input: S3.DeleteBucketCorsRequest, at: RequestContext): Promise<void> {
    await this.m.settings.delete(at, input.Bucket!, 'cors');
  }

  async PutObjectTagging(
    input: S3.PutObjectTaggingRequest,
    at: RequestContext,
  ): Promise<S3.PutObjectTaggingOutput> {
    const { bucket, row } = await this.m.objects.setTags(
      at,
      input.Bucket!,
      input.Key!,
      input.VersionId,
      input.Tagging!.TagSet ?? [],
    );
    return { VersionId: versionIdOf(bucket, row) };
  }

  async GetObjectTagging(
    input: S3.GetObjectTaggingRequest,
    at: RequestContext,
  ): Promise<S3.GetObjectTaggingOutput> {
    const { bucket, row } = await this.m.objects.find(at, input.Bucket!, input.Key!, input.VersionId);
    const tags = row.tags ? (JSON.parse(row.tags) as Record<string, string>) : {};
    return { VersionId: versionIdOf(bucket, row), TagSet: tagSetOf(tags) };
  }

  async DeleteObjectTagging(
    input: S3.DeleteObjectTaggingRequest,
    at: RequestContext,
  ): Promise<S3.DeleteObjectTaggingOutput> {
    const { bucket, row } = await this.m.objects.setTags(at, input.Bucket!, input.Key!, input.VersionId, []);
    return { VersionId: versionIdOf(bucket, row) };
  }
}
