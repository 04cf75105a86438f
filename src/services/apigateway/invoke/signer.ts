/**
 * Who signed a call with SigV4 — an API Gateway method or route of authorization `AWS_IAM`, or a
 * Lambda function URL of auth type `AWS_IAM` — as the events hand it on: payload 1.0's
 * `requestContext.identity` and payload 2.0's `requestContext.authorizer.iam`. Stratus has no IAM
 * users or roles: the signer is its account's root, as STS's GetCallerIdentity answers for it, so
 * the caller and user ids are the account's number.
 */
import { buildArn } from '../../arn.js';

export interface Signer {
  accessKeyId: string;
  /** The account the signing key belongs to. */
  accountId: string;
}

const rootArn = (accountId: string) => buildArn({ service: 'iam', region: '', accountId, resource: 'root' });

/** The fields of payload 1.0's `requestContext.identity` a signature fills in. */
export function signerIdentity(signer: Signer): {
  accessKey: string;
  accountId: string;
  caller: string;
  user: string;
  userArn: string;
} {
  return {
    accessKey: signer.accessKeyId,
    accountId: signer.accountId,
    caller: signer.accountId,
    user: signer.accountId,
    userArn: rootArn(signer.accountId),
  };
}

/** Payload 2.0's `requestContext.authorizer` of a signed call. */
export function iamAuthorizerContext(signer: Signer): { iam: Record<string, unknown> } {
  return {
    iam: {
      accessKey: signer.accessKeyId,
      accountId: signer.accountId,
      callerId: signer.accountId,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: rootArn(signer.accountId),
      userId: signer.accountId,
    },
  };
}
