import { gunzipSync } from 'node:zlib';
import { RequestEntityTooLarge, SerializationException } from '../protocol/errors.js';
import type { WireRequest } from '../protocol/wire.js';

/** The most a compressed request body may expand to. */
const maxDecodedBodyBytes = 16 * 1024 * 1024;

/**
 * Operations the model marks `requestcompression` (CloudWatch PutMetricData) arrive gzipped from
 * the SDKs and CLI once past 10 KiB. SigV4 signs the compressed bytes, so this runs after
 * authentication.
 */
export function decodeContentEncoding(request: WireRequest): WireRequest {
  if (request.headers['content-encoding']?.trim().toLowerCase() !== 'gzip') return request;
  try {
    return { ...request, body: gunzipSync(request.body, { maxOutputLength: maxDecodedBodyBytes }) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RequestEntityTooLarge(`Request must be smaller than ${maxDecodedBodyBytes} bytes.`);
    }
    throw new SerializationException('The request body is not valid gzip.');
  }
}
