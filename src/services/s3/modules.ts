/** S3's domain modules over one Stratus context: what the provider and its helpers work with. */
import type { Clock } from '../../engine/clock.js';
import type { BlobStore } from '../../storage/blobs.js';
import type { Store } from '../../storage/store.js';
import type { BlobPins, BodyWriter } from './bodies.js';
import type { BucketSettings } from './bucket-settings.js';
import type { Buckets } from './buckets.js';
import type { MultipartUploads } from './multipart.js';
import type { Objects } from './objects.js';

export interface S3Modules {
  store: Store;
  clock: Clock;
  blobs: BlobStore;
  buckets: Buckets;
  settings: BucketSettings;
  objects: Objects;
  multipart: MultipartUploads;
  writer: BodyWriter;
  pins: BlobPins;
  releaseBlobs(hashes: string[]): Promise<void>;
}
