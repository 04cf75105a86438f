/**
 * STS: who is calling. Differences from AWS: every caller is its account's root principal until
 * IAM users and roles arrive with the IAM service.
 */
import type {
  GetAccessKeyInfoRequest,
  GetAccessKeyInfoResponse,
  GetCallerIdentityResponse,
} from '@aws-sdk/client-sts';
import type { RequestContext } from '../service.js';
import { buildArn } from '../arn.js';

export class StsProvider {
  GetCallerIdentity(_input: unknown, context: RequestContext): GetCallerIdentityResponse {
    return {
      UserId: context.accountId,
      Account: context.accountId,
      Arn: buildArn({ service: 'iam', region: '', accountId: context.accountId, resource: 'root' }),
    };
  }

  GetAccessKeyInfo(input: GetAccessKeyInfoRequest, context: RequestContext): GetAccessKeyInfoResponse {
    const account = /^\d{12}$/.test(input.AccessKeyId!) ? input.AccessKeyId : context.accountId;
    return { Account: account };
  }
}
