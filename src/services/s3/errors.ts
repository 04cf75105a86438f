/**
 * S3's errors, with the codes, statuses, messages and extra elements S3 writes
 * (`<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message>
 * <BucketName>photos</BucketName>…`). Codes without a shape in the model carry their status here.
 */
import { errorType, ServiceError } from '../../protocol/errors.js';

const NoSuchBucket = errorType('NoSuchBucket', 404);
const NoSuchKey = errorType('NoSuchKey', 404);
const NoSuchUpload = errorType('NoSuchUpload', 404);
const NoSuchVersion = errorType('NoSuchVersion', 404);
const BucketAlreadyExists = errorType('BucketAlreadyExists', 409);
const BucketAlreadyOwnedByYou = errorType('BucketAlreadyOwnedByYou', 409);
const BucketNotEmpty = errorType('BucketNotEmpty', 409);
const InvalidBucketName = errorType('InvalidBucketName', 400);
export const InvalidArgument = errorType('InvalidArgument', 400);
export const InvalidRequest = errorType('InvalidRequest', 400);
const InvalidRange = errorType('InvalidRange', 416);
const PreconditionFailed = errorType('PreconditionFailed', 412);
const InvalidDigest = errorType('InvalidDigest', 400);
const BadDigest = errorType('BadDigest', 400);
const KeyTooLongError = errorType('KeyTooLongError', 400);
const MetadataTooLarge = errorType('MetadataTooLarge', 400);
const EntityTooLarge = errorType('EntityTooLarge', 400);
const EntityTooSmall = errorType('EntityTooSmall', 400);
const InvalidPart = errorType('InvalidPart', 400);
const InvalidPartOrder = errorType('InvalidPartOrder', 400);
const MalformedXML = errorType('MalformedXML', 400);
const InvalidLocationConstraint = errorType('InvalidLocationConstraint', 400);
const IllegalLocationConstraintException = errorType('IllegalLocationConstraintException', 400);
const MethodNotAllowed = errorType('MethodNotAllowed', 405);

export const noSuchBucket = (bucket: string) =>
  new NoSuchBucket('The specified bucket does not exist', { BucketName: bucket });

export const noSuchKey = (key: string) => new NoSuchKey('The specified key does not exist.', { Key: key });

export const noSuchVersion = (key: string, versionId: string) =>
  new NoSuchVersion('The specified version does not exist.', { Key: key, VersionId: versionId });

export const noSuchUpload = (uploadId: string) =>
  new NoSuchUpload(
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: uploadId },
  );

export const bucketAlreadyExists = (bucket: string) =>
  new BucketAlreadyExists(
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    { BucketName: bucket },
  );

export const bucketAlreadyOwnedByYou = (bucket: string) =>
  new BucketAlreadyOwnedByYou(
    'Your previous request to create the named bucket succeeded and you already own it.',
    { BucketName: bucket },
  );

export const bucketNotEmpty = (bucket: string) =>
  new BucketNotEmpty('The bucket you tried to delete is not empty', { BucketName: bucket });

export const invalidBucketName = (bucket: string) =>
  new InvalidBucketName('The specified bucket is not valid.', { BucketName: bucket });

export const invalidLocationConstraint = (constraint: string) =>
  new InvalidLocationConstraint('The specified location-constraint is not valid', {
    LocationConstraint: constraint,
  });

/** A bucket created on a regional endpoint must be in that endpoint's region. */
export const illegalLocationConstraint = (constraint: string | undefined) =>
  new IllegalLocationConstraintException(
    `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
  );

export const invalidRange = (requested: string, size: number) =>
  new InvalidRange('The requested range is not satisfiable', {
    RangeRequested: requested,
    ActualObjectSize: size,
  });

export const preconditionFailed = (condition: string) =>
  new PreconditionFailed('At least one of the pre-conditions you specified did not hold', {
    Condition: condition,
  });

/** 304: no body, and the validators of the object as it is. */
export const notModified = (headers: Record<string, string>) =>
  new ServiceError('NotModified', 'Not Modified', { status: 304, headers });

export const invalidDigest = (contentMd5: string) =>
  new InvalidDigest('The Content-MD5 you specified was invalid.', { 'Content-MD5': contentMd5 });

export const badDigest = (expected: string, calculated: string) =>
  new BadDigest('The Content-MD5 you specified did not match what we received.', {
    ExpectedDigest: expected,
    CalculatedDigest: calculated,
  });

/** `CRC32`, `SHA256` …: the algorithm as S3 names it in this message. */
export const badChecksum = (algorithm: string) =>
  new BadDigest(`The ${algorithm} you specified did not match the calculated checksum.`);

export const keyTooLong = (size: number) =>
  new KeyTooLongError('Your key is too long', { Size: size, MaxSizeAllowed: 1024 });

export const metadataTooLarge = (size: number) =>
  new MetadataTooLarge('Your metadata headers exceed the maximum allowed metadata size', {
    Size: size,
    MaxSizeAllowed: 2048,
  });

export const entityTooLarge = (size: number, max: number) =>
  new EntityTooLarge('Your proposed upload exceeds the maximum allowed size', {
    ProposedSize: size,
    MaxSizeAllowed: max,
  });

export const entityTooSmall = (size: number, partNumber: number, etag: string) =>
  new EntityTooSmall('Your proposed upload is smaller than the minimum allowed size', {
    ProposedSize: size,
    MinSizeAllowed: 5 * 1024 * 1024,
    PartNumber: partNumber,
    ETag: etag,
  });

export const invalidPart = (uploadId: string, partNumber: number, etag: string | undefined) =>
  new InvalidPart(
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    { UploadId: uploadId, PartNumber: partNumber, ...(etag === undefined ? {} : { ETag: etag }) },
  );

export const invalidPartOrder = (uploadId: string) =>
  new InvalidPartOrder(
    'The list of parts was not in ascending order. Parts must be ordered by part number.',
    {
      UploadId: uploadId,
    },
  );

export const malformedXml = () =>
  new MalformedXML(
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

export const methodNotAllowed = (method: string, resourceType: string) =>
  new MethodNotAllowed('The specified method is not allowed against this resource.', {
    Method: method,
    ResourceType: resourceType,
  });

export const invalidArgument = (message: string, name: string, value: string) =>
  new InvalidArgument(message, { ArgumentName: name, ArgumentValue: value });
