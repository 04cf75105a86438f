/**
 * Concurrency, as Lambda accounts for it per account and region: a pool of `ConcurrentExecutions`
 * of which at least 100 stay unreserved. A function claims its reserved concurrency when it has
 * one, else the sum of its provisioned concurrency; provisioned concurrency (on versions and
 * aliases only) must fit within the function's reservation.
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import type { Queryable } from '../../storage/store.js';
import { functionArn, lambdaTimestamp, qualifierKind, type Region } from './arns.js';
import { codeLimits } from './code.js';
import {
  aliasNotFound,
  minimumUnreservedConcurrency,
  notify,
  resolveQualifier,
  type LambdaContext,
} from './context.js';
import {
  InvalidParameterValueException,
  ProvisionedConcurrencyConfigNotFoundException,
  ResourceConflictException,
} from './errors.js';
import { pageOf } from './paging.js';
import { accountQueries, provisionedQueries, type ProvisionedRow } from './settings-tables.js';
import { aliasQueries, functionQueries, type FunctionRow } from './tables.js';

const defaultPageSize = 50;

function refuseLatest(qualifier: string, message: string): void {
  if (qualifier === '$LATEST') throw new InvalidParameterValueException(message);
}

const belowMinimum = (what: string) =>
  new InvalidParameterValueException(
    `Specified ${what} for function decreases account's UnreservedConcurrentExecution below its minimum value of [${minimumUnreservedConcurrency}].`,
  );

export class Concurrency {
  constructor(private readonly ctx: LambdaContext) {}

  async accountSettings(at: Region): Promise<Lambda.GetAccountSettingsResponse> {
    const db = this.ctx.store;
    return {
      AccountLimit: {
        TotalCodeSize: codeLimits.totalStorage,
        CodeSizeUnzipped: codeLimits.unzipped,
        CodeSizeZipped: codeLimits.zipped,
        ConcurrentExecutions: this.ctx.settings.concurrentExecutions,
        UnreservedConcurrentExecutions: this.ctx.settings.concurrentExecutions - (await claimed(db, at)),
      },
      AccountUsage: {
        TotalCodeSize: await accountQueries.totalCodeSize(db, at),
        FunctionCount: await accountQueries.functionCount(db, at),
      },
    };
  }

  async putReserved(at: Region, fn: FunctionRow, reserved: number): Promise<Lambda.Concurrency> {
    await this.ctx.store.transaction(async (tx) => {
      const others = await claimed(tx, at, fn.id);
      if (this.ctx.settings.concurrentExecutions - others - reserved < minimumUnreservedConcurrency) {
        throw belowMinimum('ReservedConcurrentExecutions');
      }
      const provisioned = sum(await provisionedQueries.all(tx, fn.id));
      if (provisioned > reserved) {
        throw new InvalidParameterValueException(
          ` ReservedConcurrentExecutions  ${reserved} should not be lower than function's total provisioned concurrency [${provisioned}].`,
        );
      }
      await functionQueries.setReservedConcurrency(tx, fn.id, reserved);
    });
    return { ReservedConcurrentExecutions: reserved };
  }

  getReserved(fn: FunctionRow): Lambda.GetFunctionConcurrencyResponse {
    return fn.reserved_concurrency !== null ? { ReservedConcurrentExecutions: fn.reserved_concurrency } : {};
  }

  async deleteReserved(fn: FunctionRow): Promise<void> {
    await functionQueries.setReservedConcurrency(this.ctx.store, fn.id, null);
  }

  async putProvisioned(
    at: Region,
    fn: FunctionRow,
    qualifier: string,
    requested: number,
  ): Promise<Lambda.PutProvisionedConcurrencyConfigResponse> {
    refuseLatest(
      qualifier,
      'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
    );
    const lastModified = this.ctx.clock.now();
    const version = await this.ctx.store.transaction(async (tx) => {
      const { version } = await resolveQualifier(tx, at, fn, qualifier, aliasNotFound);
      await checkOverlap(tx, fn, qualifier, version.version);
      const configs = await provisionedQueries.all(tx, fn.id);
      const others = sum(configs.filter((c) => c.qualifier !== qualifier));
      const current = (await functionQueries.byName(tx, at, fn.name))!;
      if (current.reserved_concurrency !== null) {
        if (current.reserved_concurrency < others + requested) {
          throw new InvalidParameterValueException(
            'Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function',
          );
        }
      } else if (
        this.ctx.settings.concurrentExecutions - (await claimed(tx, at, fn.id)) - (others + requested) <
        minimumUnreservedConcurrency
      ) {
        throw belowMinimum('ConcurrentExecutions');
      }
      await provisionedQueries.put(tx, {
        function_id: fn.id,
        qualifier,
        requested,
        last_modified: lastModified,
      });
      return version.version;
    });
    notify(this.ctx, { kind: 'provisionedConcurrency', at, functionName: fn.name, version, requested });
    return {
      RequestedProvisionedConcurrentExecutions: requested,
      AvailableProvisionedConcurrentExecutions: 0,
      AllocatedProvisionedConcurrentExecutions: 0,
      Status: 'IN_PROGRESS',
      LastModified: lambdaTimestamp(lastModified),
    };
  }

  async getProvisioned(
    at: Region,
    fn: FunctionRow,
    qualifier: string,
  ): Promise<Lambda.GetProvisionedConcurrencyConfigResponse> {
    refuseLatest(qualifier, 'The function resource provided must be an alias or a published version.');
    await resolveQualifier(this.ctx.store, at, fn, qualifier, aliasNotFound);
    const config = await provisionedQueries.get(this.ctx.store, fn.id, qualifier);
    if (!config) {
      throw new ProvisionedConcurrencyConfigNotFoundException(
        'No Provisioned Concurrency Config found for this function',
      );
    }
    return ready(config);
  }

  async deleteProvisioned(at: Region, fn: FunctionRow, qualifier: string): Promise<void> {
    refuseLatest(qualifier, 'The function resource provided must be an alias or a published version.');
    const { version } = await resolveQualifier(this.ctx.store, at, fn, qualifier, aliasNotFound);
    const config = await provisionedQueries.get(this.ctx.store, fn.id, qualifier);
    if (!config) return;
    await provisionedQueries.delete(this.ctx.store, fn.id, qualifier);
    notify(this.ctx, {
      kind: 'provisionedConcurrency',
      at,
      functionName: fn.name,
      version: version.version,
      requested: 0,
    });
  }

  async listProvisioned(
    at: Region,
    fn: FunctionRow,
    input: Lambda.ListProvisionedConcurrencyConfigsRequest,
  ): Promise<Lambda.ListProvisionedConcurrencyConfigsResponse> {
    const { page, nextMarker } = pageOf(
      await provisionedQueries.all(this.ctx.store, fn.id),
      (c) => c.qualifier,
      input.Marker,
      input.MaxItems ?? defaultPageSize,
    );
    return {
      ProvisionedConcurrencyConfigs: page.map((c) => ({
        FunctionArn: functionArn(at, fn.name, c.qualifier),
        ...ready(c),
      })),
      ...(nextMarker ? { NextMarker: nextMarker } : {}),
    };
  }
}

/**
 * A version is provisioned either directly or through one alias, never both (Lambda's rule), so
 * that one set of environments serves it.
 */
async function checkOverlap(
  db: Queryable,
  fn: FunctionRow,
  qualifier: string,
  version: string,
): Promise<void> {
  const configured = new Set((await provisionedQueries.all(db, fn.id)).map((c) => c.qualifier));
  if (qualifierKind(qualifier) === 'alias') {
    if (configured.has(version)) {
      throw new ResourceConflictException(
        "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
      );
    }
    return;
  }
  const aliases = await aliasQueries.all(db, fn.id);
  if (aliases.some((alias) => alias.function_version === version && configured.has(alias.name))) {
    throw new ResourceConflictException('Version is pointed by a Provisioned Concurrency alias');
  }
}

/** Stratus reports a provisioned config as allocated once stored: the engine starts its environments. */
function ready(config: ProvisionedRow) {
  return {
    RequestedProvisionedConcurrentExecutions: config.requested,
    AvailableProvisionedConcurrentExecutions: config.requested,
    AllocatedProvisionedConcurrentExecutions: config.requested,
    Status: 'READY' as const,
    LastModified: lambdaTimestamp(config.last_modified),
  };
}

function sum(configs: readonly ProvisionedRow[]): number {
  return configs.reduce((total, c) => total + c.requested, 0);
}

/** Concurrency the account's functions (but `exceptFunction`) take out of the pool. */
async function claimed(db: Queryable, at: Region, exceptFunction?: number): Promise<number> {
  const claims = await accountQueries.concurrencyClaims(db, at);
  return claims
    .filter((c) => c.id !== exceptFunction)
    .reduce((total, c) => total + (c.reserved ?? Number(c.provisioned)), 0);
}
