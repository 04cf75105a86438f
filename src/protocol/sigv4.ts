/**
 * AWS Signature Version 4: reads the signature a request carries (Authorization header or presigned
 * query) and checks it by signing the same request again with the AWS SDK's own signer
 * (`@smithy/signature-v4`), so the canonical request is built exactly as clients build it.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { WireRequest } from './wire.js';

export interface SigV4Claim {
  accessKeyId: string;
  /** yyyymmdd of the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** When the request says it was signed. */
  signedAt: Date | undefined;
  /** Presigned URLs only: seconds the signature stays valid. */
  expiresIn: number | undefined;
  presigned: boolean;
  sessionToken: string | undefined;
}

const authorizationPattern =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/i;
const credentialPattern = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

/** `20261124T042656Z` → Date. */
export function parseAmzDate(value: string | undefined): Date | undefined {
  const m = value && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/** The signature a request carries; `undefined` when it carries none; `'malformed'` when it is unreadable. */
export function readSigV4Claim(request: WireRequest): SigV4Claim | 'malformed' | undefined {
  const authorization = request.headers['authorization'];
  if (authorization !== undefined) {
    const m = authorizationPattern.exec(authorization);
    if (!m) return 'malformed';
    const signedAt = parseAmzDate(request.headers['x-amz-date']) ?? dateHeader(request.headers['date']);
    return {
      accessKeyId: m[1]!,
      scopeDate: m[2]!,
      region: m[3]!,
      service: m[4]!,
      signedHeaders: m[5]!.toLowerCase().split(';'),
      signature: m[6]!.toLowerCase(),
      signedAt,
      expiresIn: undefined,
      presigned: false,
      sessionToken: request.headers['x-amz-security-token'],
    };
  }
  const credential = request.query['X-Amz-Credential']?.[0];
  if (credential === undefined) return undefined;
  const m = credentialPattern.exec(credential);
  const signature = request.query['X-Amz-Signature']?.[0];
  const signedHeaders = request.query['X-Amz-SignedHeaders']?.[0];
  if (!m || !signature || !signedHeaders) return 'malformed';
  const expires = Number(request.query['X-Amz-Expires']?.[0] ?? 'NaN');
  return {
    accessKeyId: m[1]!,
    scopeDate: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: signedHeaders.toLowerCase().split(';'),
    signature: signature.toLowerCase(),
    signedAt: parseAmzDate(request.query['X-Amz-Date']?.[0]),
    expiresIn: Number.isFinite(expires) ? expires : undefined,
    presigned: true,
    sessionToken: request.query['X-Amz-Security-Token']?.[0],
  };
}

function dateHeader(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Query parameters the presigner adds itself; they are left out of the request handed to it. */
const presignParameters = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
]);

/** What a presigned URL says about itself, not headers it carries for the request. */
const presignOwnParameters = new Set(
  [...presignParameters].map((name) => name.toLowerCase()).concat('x-amz-security-token'),
);

/**
 * A presigned request with the `x-amz-*` headers its URL carries as query parameters (the
 * presigner hoists them there: `x-amz-content-sha256`, `x-amz-checksum-crc32`, `x-amz-acl` …)
 * put back among its headers, as the service reads them. Headers sent as headers win.
 */
export function withPresignedHeaders(
  request: WireRequest,
  claim: SigV4Claim | 'malformed' | undefined,
): WireRequest {
  if (typeof claim !== 'object' || !claim.presigned) return request;
  const headers = { ...request.headers };
  for (const [name, values] of Object.entries(request.query)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-') && !presignOwnParameters.has(lower)) headers[lower] ??= values[0]!;
  }
  return { ...request, headers };
}

/**
 * The SDK's own SigV4 signer with the settings Stratus signs and checks with: SHA-256, no
 * checksum of its own (a declared payload hash is checked here, not by the signer).
 */
export function sigV4Signer(options: {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region: string;
  service: string;
  /** False only for S3, whose paths are signed as sent. */
  uriEscapePath?: boolean;
}): SignatureV4 {
  return new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: options.uriEscapePath ?? true,
    applyChecksum: false,
  });
}

/**
 * Where a request's body is when its signature is checked: in `request` (`buffered`), or not read
 * yet — streamed to disk unchecked, so its hash must be declared `UNSIGNED-PAYLOAD`
 * (`unsigned-stream`), or checked against what its `x-amz-content-sha256` declares as it streams
 * (`checked-as-streamed`: a hex hash, or chunk signatures chained to this signature).
 */
export type BodyCheck = 'buffered' | 'unsigned-stream' | 'checked-as-streamed';

/**
 * Signs the request again with `secretAccessKey` and compares signatures in constant time.
 * `uriEscapePath` is false only for S3, whose paths are signed as sent.
 */
export async function verifySigV4(
  request: WireRequest,
  claim: SigV4Claim,
  secretAccessKey: string,
  options: { uriEscapePath: boolean; body?: BodyCheck },
): Promise<boolean> {
  if (!claim.signedAt) return false;
  const body = options.body ?? 'buffered';
  const signer = sigV4Signer({
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey },
    region: claim.region,
    service: claim.service,
    uriEscapePath: options.uriEscapePath,
  });
  const signed = new Set(claim.signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(request.query)) {
    if (claim.presigned && presignParameters.has(name)) continue;
    query[name] = values.length === 1 ? values[0]! : values;
  }
  const [path] = request.path.split('?');
  const base = {
    method: request.method,
    protocol: 'http:',
    hostname: headers['host'] ?? '',
    path: path!,
    query,
  };
  let expected: string | undefined;
  if (claim.presigned) {
    // A presigned URL signs no body: S3 uses UNSIGNED-PAYLOAD, every other service the empty hash.
    if (!options.uriEscapePath) headers['x-amz-content-sha256'] ??= 'UNSIGNED-PAYLOAD';
    const presigned = await signer.presign(
      { ...base, headers, body: undefined },
      {
        signingDate: claim.signedAt,
        expiresIn: claim.expiresIn,
        signableHeaders: signed,
        unsignableHeaders: new Set(['x-amz-content-sha256'].filter((h) => !signed.has(h))),
        unhoistableHeaders: new Set(Object.keys(headers)),
      },
    );
    expected = presigned.query?.['X-Amz-Signature'] as string | undefined;
  } else {
    // The signer trusts a signed x-amz-content-sha256 as the payload hash, so check it is the body's:
    // outside S3 always, in S3 unless it names a non-hash mode (UNSIGNED-PAYLOAD, STREAMING-…).
    const declared = headers['x-amz-content-sha256'];
    if (body === 'unsigned-stream') {
      if (declared !== 'UNSIGNED-PAYLOAD') return false;
    } else if (body === 'checked-as-streamed') {
      // S3 requires the declaration: without it the signature would say nothing of the body.
      if (declared === undefined) return false;
    } else if (declared !== undefined && (options.uriEscapePath || /^[0-9a-f]{64}$/i.test(declared))) {
      if (declared.toLowerCase() !== createHash('sha256').update(request.body).digest('hex')) return false;
    }
    const resigned = await signer.sign(
      { ...base, headers, body: body === 'buffered' && request.body.length > 0 ? request.body : undefined },
      {
        signingDate: claim.signedAt,
        signableHeaders: signed,
        unsignableHeaders: new Set(['x-amz-date', 'x-amz-security-token'].filter((h) => !signed.has(h))),
      },
    );
    expected = /Signature=([0-9a-f]+)/.exec(resigned.headers['authorization'] ?? '')?.[1];
  }
  if (!expected || expected.length !== claim.signature.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(claim.signature));
}

/**
 * A presigned GET URL for `url`, valid `expiresIn` seconds from `signingDate`: what Stratus hands
 * out where AWS hands out a presigned S3 URL (Lambda's `Code.Location`), so the holder downloads
 * without signing while `--require-auth` checks every other request.
 */
export async function presignUrl(
  url: URL,
  credentials: { accessKeyId: string; secretAccessKey: string },
  options: { region: string; service: string; expiresIn: number; signingDate: Date },
): Promise<string> {
  const signer = sigV4Signer({ credentials, region: options.region, service: options.service });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host },
    },
    { signingDate: options.signingDate, expiresIn: options.expiresIn },
  );
  const signed = new URL(url);
  for (const [name, value] of Object.entries(presigned.query ?? {}))
    signed.searchParams.set(name, String(value));
  return signed.toString();
}
