/**
 * Decides who a request comes from. On a loopback bind without `--require-auth`, any well-formed
 * request gets in (as local AWS tools do) and its access key only selects the account; otherwise
 * only configured keys with a valid SigV4 signature inside the clock-skew window do. The errors
 * are each protocol family's own (`UnrecognizedClientException`, `InvalidClientTokenId`,
 * `InvalidAccessKeyId` …).
 */
import type { Credential, StratusConfig } from '../config.js';
import type { Clock } from '../engine/clock.js';
import { ServiceError } from '../protocol/errors.js';
import type { ProtocolName } from '../protocol/model.js';
import { readSigV4Claim, verifySigV4, type BodyCheck, type SigV4Claim } from '../protocol/sigv4.js';
import { signingKey, type ChunkSigning } from '../protocol/sigv4-streaming.js';
import type { WireRequest } from '../protocol/wire.js';

export interface Principal {
  accountId: string;
  accessKeyId: string;
  region: string;
}

/** AWS accepts signatures up to 15 minutes away from its own clock. */
export const clockSkewMs = 15 * 60 * 1000;
const maxPresignSeconds = 7 * 24 * 3600;

type Failure = 'missing' | 'malformed' | 'unknownKey' | 'badSignature' | 'expired';

/** A refused signature: why, and the words that go with it (an expiry's times). */
interface Refusal {
  failure: Failure;
  detail: string;
  /** What S3 adds to its error (an expired URL's times). */
  fields?: Record<string, unknown>;
}

/**
 * What an edge route learns of a request's signature: who signed it, or why it is refused
 * (`wrongService`: signed for another service, whose name is the detail).
 */
export type EdgeSigner = Principal | { failure: Failure | 'wrongService'; detail: string };

/** AWS's words for an access key it does not know. */
export const invalidToken = 'The security token included in the request is invalid.';
/** AWS's words for a signature that is not the request's (S3 has its own). */
export const signatureMismatch =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The error each protocol family answers a failed authentication with. */
function authError(
  protocol: ProtocolName,
  failure: Failure,
  detail: string,
  fields?: Record<string, unknown>,
): ServiceError {
  const family = protocol === 'query' ? 'query' : protocol === 'rest-xml' ? 's3' : 'json';
  const codes: Record<typeof family, Record<Failure, [string, string]>> = {
    json: {
      missing: ['MissingAuthenticationTokenException', 'Request is missing Authentication Token'],
      malformed: ['IncompleteSignatureException', detail],
      unknownKey: ['UnrecognizedClientException', invalidToken],
      badSignature: ['InvalidSignatureException', signatureMismatch],
      expired: ['InvalidSignatureException', detail],
    },
    query: {
      missing: ['MissingAuthenticationToken', 'Request is missing Authentication Token'],
      malformed: ['IncompleteSignature', detail],
      unknownKey: ['InvalidClientTokenId', invalidToken],
      badSignature: ['SignatureDoesNotMatch', signatureMismatch],
      expired: ['SignatureDoesNotMatch', detail],
    },
    s3: {
      missing: ['AccessDenied', 'Access Denied'],
      malformed: ['AuthorizationHeaderMalformed', detail],
      unknownKey: ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'],
      badSignature: [
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      ],
      expired: ['AccessDenied', detail],
    },
  };
  const [code, message] = codes[family][failure];
  // awsJson services (DynamoDB, Logs, Cognito …) answer every authentication failure with 400.
  const status = protocol === 'json' || (failure === 'malformed' && family !== 's3') ? 400 : 403;
  return new ServiceError(code, message, { status, fields: family === 's3' ? fields : undefined });
}

function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export class Authenticator {
  private readonly keys: Map<string, Credential>;

  constructor(
    private readonly config: StratusConfig,
    private readonly clock: Clock,
  ) {
    this.keys = new Map(config.credentials.map((c) => [c.accessKeyId, c]));
  }

  /** The account a key belongs to: a configured key's, a 12-digit key's own number, else the default. */
  accountFor(accessKeyId: string): string {
    const known = this.keys.get(accessKeyId);
    if (known) return known.accountId;
    return /^\d{12}$/.test(accessKeyId) ? accessKeyId : this.config.accountId;
  }

  /** `body`: whether the body is in `request`, or streams and how it is checked (see `BodyCheck`). */
  async authenticate(
    request: WireRequest,
    claim: SigV4Claim | 'malformed' | undefined,
    protocol: ProtocolName,
    uriEscapePath: boolean,
    body: BodyCheck = 'buffered',
  ): Promise<Principal> {
    if (claim === 'malformed') {
      throw authError(
        protocol,
        'malformed',
        'Authorization header requires Credential, SignedHeaders and Signature.',
      );
    }
    if (!this.config.requireAuth) return this.anyone(claim);
    if (!claim) throw authError(protocol, 'missing', '');
    const checked = await this.check(request, claim, { uriEscapePath, body, skewMs: clockSkewMs });
    if ('failure' in checked) throw authError(protocol, checked.failure, checked.detail, checked.fields);
    return checked;
  }

  /**
   * Who signed a request that an edge route wants signed for `service` (a function URL or an API
   * Gateway method of auth type AWS_IAM). The AWS API's rules, `--require-auth` deciding whether
   * the signature is checked, except that a request must carry one for the right service:
   * without, it never gets in. `skewMs` is the service's own window (API Gateway's is 5 minutes).
   */
  async signerOf(request: WireRequest, service: string, skewMs = clockSkewMs): Promise<EdgeSigner> {
    const claim = readSigV4Claim(request);
    if (claim === undefined) return { failure: 'missing', detail: '' };
    if (claim === 'malformed') return { failure: 'malformed', detail: '' };
    if (claim.service !== service) return { failure: 'wrongService', detail: claim.service };
    if (!this.config.requireAuth) return this.anyone(claim);
    return this.check(request, claim, { uriEscapePath: true, body: 'buffered', skewMs });
  }

  /** Without `--require-auth` the key only selects the account. */
  private anyone(claim: SigV4Claim | undefined): Principal {
    const accessKeyId = claim?.accessKeyId ?? 'anonymous';
    return {
      accountId: this.accountFor(accessKeyId),
      accessKeyId,
      region: claim?.region ?? this.config.region,
    };
  }

  private async check(
    request: WireRequest,
    claim: SigV4Claim,
    options: { uriEscapePath: boolean; body: BodyCheck; skewMs: number },
  ): Promise<Principal | Refusal> {
    const credential = this.keys.get(claim.accessKeyId);
    if (!credential) return { failure: 'unknownKey', detail: '' };
    const late = this.lateness(claim, options.skewMs);
    if (late) return late;
    const valid = await verifySigV4(request, claim, credential.secretAccessKey, {
      uriEscapePath: options.uriEscapePath,
      body: options.body,
    });
    if (!valid) return { failure: 'badSignature', detail: '' };
    return { accountId: credential.accountId, accessKeyId: claim.accessKeyId, region: claim.region };
  }

  /**
   * What checking the chunk signatures of a header-signed streamed body needs, once `authenticate`
   * has accepted its seed signature. Undefined where signatures are not checked (a loopback bind
   * without `--require-auth`, where any key gets in and its secret is unknown).
   */
  chunkSigning(request: WireRequest, claim: SigV4Claim | 'malformed' | undefined): ChunkSigning | undefined {
    if (!this.config.requireAuth || typeof claim !== 'object' || claim.presigned || !claim.signedAt)
      return undefined;
    const credential = this.keys.get(claim.accessKeyId);
    if (!credential) return undefined;
    return {
      key: signingKey(credential.secretAccessKey, claim.scopeDate, claim.region, claim.service),
      amzDate: request.headers['x-amz-date'] ?? amzDate(claim.signedAt),
      scope: `${claim.scopeDate}/${claim.region}/${claim.service}/aws4_request`,
      seedSignature: claim.signature,
    };
  }

  /** Why the signature's time is refused, if it is. */
  private lateness(claim: SigV4Claim, skewMs: number): Refusal | undefined {
    const now = this.clock.now();
    if (!claim.signedAt) return { failure: 'malformed', detail: 'The request must carry X-Amz-Date.' };
    const signedAt = claim.signedAt.getTime();
    if (claim.presigned) {
      const expiresIn = claim.expiresIn ?? 0;
      if (expiresIn < 1 || expiresIn > maxPresignSeconds) {
        return { failure: 'malformed', detail: 'X-Amz-Expires must be between 1 and 604800 seconds.' };
      }
      if (now > signedAt + expiresIn * 1000) {
        // S3 says when the URL expired and what time it is.
        return {
          failure: 'expired',
          detail: 'Request has expired',
          fields: {
            'X-Amz-Expires': expiresIn,
            Expires: new Date(signedAt + expiresIn * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            ServerTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          },
        };
      }
      if (signedAt - now > skewMs) return { failure: 'expired', detail: 'Request is not yet valid' };
      return undefined;
    }
    if (Math.abs(now - signedAt) <= skewMs) return undefined;
    const nowDate = new Date(now);
    const bound = new Date(signedAt < now ? now - skewMs : now + skewMs);
    const relation = signedAt < now ? 'earlier' : 'later';
    return {
      failure: 'expired',
      detail: `Signature expired: ${amzDate(claim.signedAt)} is now ${relation} than ${amzDate(bound)} (${amzDate(nowDate)} ${signedAt < now ? '-' : '+'} ${skewMs / 60_000} min.)`,
    };
  }
}
