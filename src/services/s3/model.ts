/**
 * The S3 model as Stratus serves it. botocore's S3 model leaves out what its clients never need
 * from it but a server does: which of the operations sharing `PUT /{Bucket}/{Key+}` a request
 * calls (PutObject, CopyObject, UploadPart, UploadPartCopy — told apart by `uploadId`,
 * `partNumber` and `x-amz-copy-source`), the XML namespace, and the root element of each answer
 * (`ListBucketResult` …). They are restored here as data, so the generic rest-xml protocol serves
 * S3. Deprecated operations that share a URI with their successor are dropped, so the successor
 * answers (`GetBucketLifecycleConfiguration`, not `GetBucketLifecycle`).
 */
import { loadServiceModel, type ServiceModel } from '../../protocol/model.js';

/** Operation → the query parameters and headers its requests carry beside method and URI. */
const discriminators: Record<string, { query?: string; headers?: string[] }> = {
  AbortMultipartUpload: { query: 'uploadId' },
  CompleteMultipartUpload: { query: 'uploadId' },
  CopyObject: { headers: ['x-amz-copy-source'] },
  ListParts: { query: 'uploadId' },
  UploadPart: { query: 'partNumber&uploadId' },
  UploadPartCopy: { query: 'partNumber&uploadId', headers: ['x-amz-copy-source'] },
};

/** Output shape → the root element S3 writes it under. */
const documentRoots: Record<string, string> = {
  CompleteMultipartUploadOutput: 'CompleteMultipartUploadResult',
  CreateMultipartUploadOutput: 'InitiateMultipartUploadResult',
  DeleteObjectsOutput: 'DeleteResult',
  GetBucketAccelerateConfigurationOutput: 'AccelerateConfiguration',
  GetBucketAclOutput: 'AccessControlPolicy',
  GetBucketCorsOutput: 'CORSConfiguration',
  GetBucketLocationOutput: 'LocationConstraint',
  GetBucketTaggingOutput: 'Tagging',
  GetBucketVersioningOutput: 'VersioningConfiguration',
  GetObjectAclOutput: 'AccessControlPolicy',
  GetObjectAttributesOutput: 'GetObjectAttributesResponse',
  GetObjectTaggingOutput: 'Tagging',
  ListBucketsOutput: 'ListAllMyBucketsResult',
  ListMultipartUploadsOutput: 'ListMultipartUploadsResult',
  ListObjectVersionsOutput: 'ListVersionsResult',
  ListObjectsOutput: 'ListBucketResult',
  ListObjectsV2Output: 'ListBucketResult',
  ListPartsOutput: 'ListPartsResult',
};

const superseded = [
  'GetBucketLifecycle',
  'PutBucketLifecycle',
  'GetBucketNotification',
  'PutBucketNotification',
  'ListDirectoryBuckets',
];

export const s3Namespace = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function loadS3Model(): ServiceModel {
  const model = loadServiceModel('s3');
  model.metadata.xmlNamespace = s3Namespace;
  for (const name of superseded) delete model.operations[name];
  for (const [name, { query, headers }] of Object.entries(discriminators)) {
    const http = model.operations[name]!.http;
    if (query) http.requestUri = `${http.requestUri}?${query}`;
    if (headers) http.requiredHeaders = headers;
  }
  for (const [name, root] of Object.entries(documentRoots)) {
    const shape = model.shapes[name];
    if (!shape) throw new Error(`S3 model has no shape ${name}`);
    shape.locationName = root;
  }
  return model;
}
