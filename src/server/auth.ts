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
import { verifySigV4, type BodyCheck, type SigV4Claim } from '../protocol/sigv4.js';
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

const invalidToken = 'The security token included in the request is invalid.';
const mismatch =
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
      badSignature: ['InvalidSignatureException', mismatch],
      expired: ['InvalidSignatureException', detail],
    },
    query: {
      missing: ['MissingAuthenticationToken', 'Request is missing Authentication Token'],
      malformed: ['IncompleteSignature', detail],
      unknownKey: ['InvalidClientTokenId', invalidToken],
      badSignature: ['SignatureDoesNotMatch', mismatch],
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
    if (!this.config.requireAuth) {
      const accessKeyId = claim?.accessKeyId ?? 'anonymous';
      return {
        accountId: this.accountFor(accessKeyId),
        accessKeyId,
        region: claim?.region ?? this.config.region,
      };
    }
    if (!claim) throw authError(protocol, 'missing', '');
    const credential = this.keys.get(claim.accessKeyId);
    if (!credential) throw authError(protocol, 'unknownKey', '');
    this.checkTime(claim, protocol);
    const valid = await verifySigV4(request, claim, credential.secretAccessKey, { uriEscapePath, body });
    if (!valid) throw authError(protocol, 'badSignature', '');
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

  private checkTime(claim: SigV4Claim, protocol: ProtocolName): void {
    const now = this.clock.now();
    if (!claim.signedAt) throw authError(protocol, 'malformed', 'The request must carry X-Amz-Date.');
    const signedAt = claim.signedAt.getTime();
    if (claim.presigned) {
      const expiresIn = claim.expiresIn ?? 0;
      if (expiresIn < 1 || expiresIn > maxPresignSeconds) {
        throw authError(protocol, 'malformed', 'X-Amz-Expires must be between 1 and 604800 seconds.');
      }
      if (now > signedAt + expiresIn * 1000) {
        // S3 says when the URL expired and what time it is.
        throw authError(protocol, 'expired', 'Request has expired', {
          'X-Amz-Expires': expiresIn,
          Expires: new Date(signedAt + expiresIn * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          ServerTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        });
      }
      if (signedAt - now > clockSkewMs) throw authError(protocol, 'expired', 'Request is not yet valid');
      return;
    }
    if (Math.abs(now - signedAt) > clockSkewMs) {
      const nowDate = new Date(now);
      const bound = new Date(signedAt < now ? now - clockSkewMs : now + clockSkewMs);
      const relation = signedAt < now ? 'earlier' : 'later';
      throw authError(
        protocol,
        'expired',
        `Signature expired: ${amzDate(claim.signedAt)} is now ${relation} than ${amzDate(bound)} (${amzDate(nowDate)} ${signedAt < now ? '-' : '+'} 15 min.)`,
      );
    }
  }
}
