import { ServiceError } from '../../protocol/errors.js';
import type { Violation } from '../../protocol/validate.js';
import type { ServiceDefinition } from '../service.js';
import { isVirtualHostedS3, pathStyle } from './addressing.js';
import { BlobPins, BodyWriter } from './bodies.js';
import { BucketSettings } from './bucket-settings.js';
import { Buckets } from './buckets.js';
import { CorsRoute } from './cors-route.js';
import { invalidArgument, invalidLocationConstraint } from './errors.js';
import type { ObjectChangeRecorder } from './object-changes.js';
import { loadS3Model } from './model.js';
import { MultipartUploads } from './multipart.js';
import { Objects } from './objects.js';
import { S3Provider } from './provider.js';
import { objectBlobInUse, referencedObjectBlobs, s3Migrations, s3Tables } from './tables.js';

/** What S3 answers for a request the model's constraints refuse. */
function s3ValidationError(violations: readonly Violation[]): ServiceError {
  const first = violations[0]!;
  if (first.path.endsWith('locationConstraint')) return invalidLocationConstraint(String(first.value));
  if (first.kind === 'required' && /^(delete|multipartUpload|tagging|.*Configuration)$/.test(first.path)) {
    return new ServiceError('MissingRequestBodyError', 'Request Body is empty', { status: 400 });
  }
  return invalidArgument(`${first.member}: ${first.constraint}`, first.member, String(first.value ?? ''));
}

/** Until event notifications exist, a change is recorded nowhere (object-changes.ts is the seam). */
const unrecorded: ObjectChangeRecorder = async () => {};

export const s3: ServiceDefinition = {
  name: 's3',
  model: loadS3Model(),
  migrations: s3Migrations,
  tables: s3Tables,
  streamsPayloads: true,
  claimsHost: isVirtualHostedS3,
  pathStyle,
  referencedBlobs: referencedObjectBlobs,
  blobInUse: objectBlobInUse,
  validationError: s3ValidationError,
  create({ store, clock, blobs, releaseBlobs, endpointUrl }) {
    const model = s3.model;
    const pins = new BlobPins();
    const release = (hashes: string[]) => releaseBlobs(hashes);
    const buckets = new Buckets(store, clock);
    const objects = new Objects(store, clock, buckets, release, unrecorded);
    const writer = new BodyWriter(blobs, pins, release);
    const settings = new BucketSettings(store, buckets);
    const cors = new CorsRoute(store, settings, model);
    const multipart = new MultipartUploads(
      store,
      clock,
      blobs,
      buckets,
      objects,
      writer,
      pins,
      release,
      endpointUrl,
    );
    return {
      provider: new S3Provider({
        store,
        clock,
        blobs,
        buckets,
        settings,
        objects,
        multipart,
        writer,
        pins,
        releaseBlobs: release,
      }),
      pinnedBlobs: () => pins.held(),
      edgeRoutes: [cors],
      answerHeaders: (request) => cors.answerHeaders(request),
    };
  },
};
