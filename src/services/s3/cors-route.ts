/**
 * CORS at the edge: a browser's preflight (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method`, never signed) is answered from the bucket's CORS rules before
 * any AWS routing, and every answer to a request with an `Origin` the rules admit carries the
 * headers that let the page read it. A bucket without rules refuses every preflight, as S3 does.
 */
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../protocol/errors.js';
import type { ServiceModel } from '../../protocol/model.js';
import { restXmlProtocol } from '../../protocol/rest-xml.js';
import type { WireRequest, WireResponse } from '../../protocol/wire.js';
import type { Store } from '../../storage/store.js';
import type { EdgeRequest, EdgeResponse, EdgeRoute } from '../service.js';
import { bucketFromHost } from './addressing.js';
import type { BucketSettings } from './bucket-settings.js';
import { corsHeaders, matchCorsRule, requestedHeaders } from './cors.js';
import { noSuchBucket } from './errors.js';
import { bucketQueries } from './tables.js';

const notAllowed =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

/** The bucket a request names, by Host or first path segment, and whether it names an object. */
function target(request: WireRequest): { bucket: string; object: boolean } | undefined {
  const fromHost = bucketFromHost(request.headers['host']);
  const segments = request.path.split('/').slice(1);
  if (fromHost !== undefined) return { bucket: fromHost, object: segments.join('/') !== '' };
  if (!segments[0]) return undefined;
  try {
    return { bucket: decodeURIComponent(segments[0]), object: segments.slice(1).join('/') !== '' };
  } catch {
    return undefined;
  }
}

export class CorsRoute implements EdgeRoute {
  readonly maxBodyBytes = 64 * 1024;

  constructor(
    private readonly store: Store,
    private readonly settings: BucketSettings,
    private readonly model: ServiceModel,
  ) {}

  accepts(request: WireRequest): boolean {
    return (
      request.method === 'OPTIONS' &&
      request.headers['origin'] !== undefined &&
      request.headers['access-control-request-method'] !== undefined &&
      target(request) !== undefined
    );
  }

  tooLarge(): WireResponse {
    return this.error(
      new ServiceError('MaxMessageLengthExceeded', 'Your request was too big.', { status: 400 }),
    );
  }

  async handle(request: EdgeRequest): Promise<EdgeResponse> {
    const { bucket: name, object } = target(request)!;
    const method = request.headers['access-control-request-method']!;
    const refused = (message: string) =>
      this.error(
        new ServiceError('AccessForbidden', message, {
          status: 403,
          fields: { Method: method, ResourceType: object ? 'OBJECT' : 'BUCKET' },
        }),
      );
    const bucket = await bucketQueries.byName(this.store, name);
    if (!bucket) return this.error(noSuchBucket(name));
    const rules = await this.settings.corsRules(bucket.id);
    if (!rules) return refused('CORSResponse: CORS is not enabled for this bucket.');
    const origin = request.headers['origin']!;
    const headers = requestedHeaders(request.headers['access-control-request-headers']);
    const rule = matchCorsRule(rules, origin, method, headers);
    if (!rule) return refused(notAllowed);
    return { status: 200, headers: corsHeaders(rule, origin, { headers }), body: '' };
  }

  /** The CORS headers of an answer to `request` (path-style), when its Origin is admitted. */
  async answerHeaders(request: WireRequest): Promise<Record<string, string>> {
    const origin = request.headers['origin'];
    const named = target(request);
    if (origin === undefined || !named) return {};
    const bucket = await bucketQueries.byName(this.store, named.bucket);
    const rules = bucket && (await this.settings.corsRules(bucket.id));
    const rule = rules && matchCorsRule(rules, origin, request.method);
    return rule ? corsHeaders(rule, origin) : {};
  }

  private error(error: ServiceError): WireResponse {
    return restXmlProtocol.serializeError(this.model, error, { requestId: randomUUID() });
  }
}
