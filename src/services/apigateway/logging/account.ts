/**
 * `GetAccount` and `UpdateAccount`: API Gateway's settings for an account in a region. Of them,
 * `cloudwatchRoleArn` is kept (`replace /cloudwatchRoleArn`): the role through which AWS writes a
 * REST or WebSocket API's logs, without which a stage may not turn access logging on. The
 * account's throttle, features and API key version are AWS's defaults and cannot be changed.
 *
 * Differences from AWS: Stratus has no IAM, so the role is checked to be a role ARN of the
 * account, not to exist, trust `apigateway.amazonaws.com` or carry the logging policy.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Queryable, Store } from '../../../storage/store.js';
import { parseArn } from '../../arn.js';
import { BadRequestException } from '../errors.js';
import { applyPatch } from '../patch.js';
import type { ApiPlace } from '../tables.js';
import { accountQueries } from './tables.js';

interface StoredAccount {
  cloudwatchRoleArn?: string;
}

/** An API Gateway account's limits in every region (`throttleSettings`), as AWS reports them. */
const ACCOUNT_DEFAULTS = {
  throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
  features: ['UsagePlans'],
  apiKeyVersion: '4',
} as const;

export const roleWithoutPermissions = () =>
  new BadRequestException(
    'The role ARN does not have required permissions configured. Please grant trust permission for API Gateway and add the required role policy.',
  );

function accountOutput(stored: StoredAccount): APIGW.Account {
  return {
    ...(stored.cloudwatchRoleArn ? { cloudwatchRoleArn: stored.cloudwatchRoleArn } : {}),
    throttleSettings: { ...ACCOUNT_DEFAULTS.throttleSettings },
    features: [...ACCOUNT_DEFAULTS.features],
    apiKeyVersion: ACCOUNT_DEFAULTS.apiKeyVersion,
  };
}

/** An IAM role of the account itself: `arn:aws:iam::123456789012:role/name`. */
function checkRole(roleArn: string, at: ApiPlace): void {
  const arn = parseArn(roleArn);
  const isRole =
    arn?.service === 'iam' &&
    arn.region === '' &&
    arn.accountId === at.accountId &&
    /^role\/.+/.test(arn.resource);
  if (!isRole) throw roleWithoutPermissions();
}

async function storedAccount(db: Queryable, at: ApiPlace): Promise<StoredAccount> {
  const row = await accountQueries.find(db, at);
  return row ? (JSON.parse(row.document) as StoredAccount) : {};
}

export class AccountSettings {
  constructor(private readonly store: Store) {}

  async get(at: ApiPlace): Promise<APIGW.Account> {
    return accountOutput(await storedAccount(this.store, at));
  }

  async update(input: APIGW.UpdateAccountRequest, at: ApiPlace): Promise<APIGW.Account> {
    return this.store.transaction(async (tx) => {
      const account = applyPatch(await storedAccount(tx, at), input.patchOperations ?? [], {
        '/cloudwatchRoleArn': 'string',
      });
      // An empty value clears the role, as `remove` does.
      if (account.cloudwatchRoleArn === '') delete account.cloudwatchRoleArn;
      if (account.cloudwatchRoleArn !== undefined) checkRole(account.cloudwatchRoleArn, at);
      await accountQueries.put(tx, at, JSON.stringify(account));
      return accountOutput(account);
    });
  }
}

/** The account's CloudWatch Logs role, if one is set. */
export async function cloudWatchRoleArn(db: Queryable, at: ApiPlace): Promise<string | undefined> {
  return (await storedAccount(db, at)).cloudwatchRoleArn;
}
