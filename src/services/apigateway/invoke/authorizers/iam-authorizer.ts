/**
 * `AWS_IAM` authorization of REST API methods and HTTP API routes: the call must carry a SigV4
 * signature for `execute-api` (an Authorization header or a presigned query) made with a key
 * Stratus knows, dated within API Gateway's 5 minutes. The check is the AWS API's (see
 * server/auth.ts): with `--require-auth` the signature is verified; without, any well-formed
 * signature for `execute-api` gets in and its key only selects the account, as for every AWS API
 * call — but an unsigned call never does. Stratus has no IAM policies: a signer is allowed
 * `execute-api:Invoke` on every API.
 *
 * Refusals are API Gateway's, all `403` with a `message`: no signature is `Missing
 * Authentication Token` (an HTTP API's `Forbidden`), an unreadable Authorization header
 * `IncompleteSignatureException`, an unknown key `The security token included in the request is
 * invalid.`, a wrong signature or scope or an expired one `InvalidSignatureException`.
 */
import type { WireRequest } from '../../../../protocol/wire.js';
import { invalidToken, signatureMismatch, type Authenticator } from '../../../../server/auth.js';
import type { EdgeResponse } from '../../../service.js';
import { gatewayResponse } from '../gateway-responses.js';
import type { Signer } from '../signer.js';

/** How far a signature's date may be from now (`Signature expired: … - 5 min.`). */
const SKEW_MS = 5 * 60_000;

export type IamOutcome = { kind: 'signed'; signer: Signer } | { kind: 'refused'; response: EdgeResponse };

/**
 * Why a signature cannot be read. For an Authorization header, what API Gateway lists as missing
 * from it, then the header itself; for a presigned query, what the check found.
 */
function incompleteSignature(request: WireRequest, detail: string): string {
  const header = request.headers['authorization'];
  const lacks =
    header === undefined
      ? []
      : [
          ...['Credential', 'Signature', 'SignedHeaders']
            .filter((name) => !new RegExp(`\\b${name}=`).test(header))
            .map((name) => `Authorization header requires '${name}' parameter.`),
          ...(request.headers['x-amz-date'] === undefined && request.headers['date'] === undefined
            ? ["Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."]
            : []),
        ];
  if (lacks.length > 0) return `${lacks.join(' ')} Authorization=${header}`;
  return detail || 'The request signature is incomplete.';
}

export class IamAuthorizer {
  constructor(private readonly authenticator: Authenticator) {}

  async authorize(
    request: WireRequest | undefined,
    api: 'REST' | 'HTTP',
    requestId: string,
  ): Promise<IamOutcome> {
    const signed = request
      ? await this.authenticator.signerOf(request, 'execute-api', SKEW_MS)
      : ({ failure: 'missing', detail: '' } as const);
    if (!('failure' in signed)) {
      return { kind: 'signed', signer: { accessKeyId: signed.accessKeyId, accountId: signed.accountId } };
    }
    const refuse = (message: string, errorType: string): IamOutcome => ({
      kind: 'refused',
      response: gatewayResponse(403, message, errorType, requestId),
    });
    switch (signed.failure) {
      case 'missing':
        return api === 'REST'
          ? refuse('Missing Authentication Token', 'MissingAuthenticationTokenException')
          : refuse('Forbidden', 'ForbiddenException');
      case 'malformed':
        return refuse(incompleteSignature(request!, signed.detail), 'IncompleteSignatureException');
      case 'wrongService':
        return refuse(
          "Credential should be scoped to correct service: 'execute-api'. ",
          'InvalidSignatureException',
        );
      case 'unknownKey':
        return refuse(invalidToken, 'AccessDeniedException');
      case 'badSignature':
        return refuse(signatureMismatch, 'InvalidSignatureException');
      case 'expired':
        return refuse(signed.detail, 'InvalidSignatureException');
    }
  }
}
