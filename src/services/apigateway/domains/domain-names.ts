/**
 * Custom domain names through either API: create, get, list, update, delete. v1 sees every
 * domain of the account and region; v2 only the REGIONAL ones, and refuses an EDGE one by name,
 * as AWS does. A name is unique across every account and region (see tables.ts).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Clock } from '../../../engine/clock.js';
import { isUniqueViolation, type Queryable, type Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { BadRequestException, ConflictException, NotFoundException } from '../errors.js';
import { apiId } from '../ids.js';
import { page } from '../paging.js';
import { applyPatch, type PatchRules } from '../patch.js';
import type { DomainDirectory } from './directory.js';
import {
  aliasOf,
  checkDomainName,
  checkRoutingMode,
  checkSecurityPolicy,
  domainKey,
  EDGE_IN_V2,
  fromV1Create,
  fromV2Configuration,
  fromV2MutualTls,
  v1DomainName,
  v2DomainName,
  type StoredDomainName,
} from './domain-shapes.js';
import { checkMappingsFit } from './mapping-keys.js';
import { withTags } from './tag-limits.js';
import { apiMappingQueries, domainNameQueries, type DomainNameRow } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

export const invalidDomainName = () => new NotFoundException('Invalid domain name identifier specified');
const ALREADY_EXISTS = 'The domain name you provided already exists.';
const MAX_RESULTS = 500;

/** What v1's UpdateDomainName patches besides `/endpointConfiguration/types/{type}`. */
const patchRules: PatchRules = {
  '/certificateName': 'string',
  '/certificateArn': 'string',
  '/regionalCertificateName': 'string',
  '/regionalCertificateArn': 'string',
  '/securityPolicy': 'string',
  '/ownershipVerificationCertificateArn': 'string',
  '/mutualTlsAuthentication/truststoreUri': 'string',
  '/mutualTlsAuthentication/truststoreVersion': 'string',
};
const ENDPOINT_TYPE_PATH = /^\/endpointConfiguration\/types\/(.*)$/;

export interface FoundDomain {
  row: DomainNameRow;
  stored: StoredDomainName;
}

export class DomainNames {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly directory: DomainDirectory,
  ) {}

  /** The domain of that name in the caller's account and region, or AWS's NotFoundException. */
  async require(db: Queryable, at: Place, name: string): Promise<FoundDomain> {
    const row = await domainNameQueries.find(db, at, domainKey(name));
    if (!row) throw invalidDomainName();
    return { row, stored: JSON.parse(row.document) as StoredDomainName };
  }

  /** As `require`, for the v2 API: an EDGE domain is refused. */
  async requireRegional(db: Queryable, at: Place, name: string): Promise<FoundDomain> {
    const found = await this.require(db, at, name);
    if (found.stored.endpointType !== 'REGIONAL') throw new BadRequestException(EDGE_IN_V2);
    return found;
  }

  // v1

  async createV1(input: APIGW.CreateDomainNameRequest, at: Place): Promise<APIGW.DomainName> {
    const stored = await this.insert(
      { ...fromV1Create(input, this.clock.now()), aliasId: apiId(), tags: withTags({}, input.tags ?? {}) },
      at,
      () => new BadRequestException(ALREADY_EXISTS),
    );
    return v1DomainName(stored, at.region);
  }

  async getV1(at: Place, name: string): Promise<APIGW.DomainName> {
    return v1DomainName((await this.require(this.store, at, name)).stored, at.region);
  }

  async listV1(input: APIGW.GetDomainNamesRequest, at: Place): Promise<APIGW.DomainNames> {
    const { items, position } = await page(input, async (after, limit) =>
      (await domainNameQueries.list(this.store, at, after, limit)).map((row) => ({
        id: row.domain_name,
        row,
      })),
    );
    return {
      items: items.map(({ row }) => v1DomainName(JSON.parse(row.document) as StoredDomainName, at.region)),
      ...(position ? { position } : {}),
    };
  }

  async updateV1(input: APIGW.UpdateDomainNameRequest, at: Place): Promise<APIGW.DomainName> {
    const stored = await this.update(
      (tx) => this.require(tx, at, input.domainName!),
      (found) => {
        const operations = input.patchOperations ?? [];
        const changed = applyPatch(
          found.stored,
          operations.filter((o) => !ENDPOINT_TYPE_PATH.test(o.path ?? '')),
          patchRules,
        );
        for (const operation of operations) {
          const type = ENDPOINT_TYPE_PATH.exec(operation.path ?? '')?.[1];
          if (type === undefined) continue;
          if (operation.op !== 'replace' || type !== found.stored.endpointType) {
            throw new BadRequestException(
              `Invalid patch path ${operation.path}: it must name the domain's endpoint type, ${found.stored.endpointType}`,
            );
          }
          if (operation.value !== 'EDGE' && operation.value !== 'REGIONAL') {
            throw new BadRequestException(`Invalid endpoint type: ${operation.value ?? ''}`);
          }
          changed.endpointType = operation.value;
        }
        checkSecurityPolicy(changed.securityPolicy);
        return changed;
      },
    );
    return v1DomainName(stored, at.region);
  }

  /** Deletes the domain and its mappings; the v2 API cannot delete an EDGE domain. */
  async delete(at: Place, name: string, version: 'v1' | 'v2'): Promise<void> {
    const { row } =
      version === 'v1'
        ? await this.require(this.store, at, name)
        : await this.requireRegional(this.store, at, name);
    await domainNameQueries.delete(this.store, row.domain_name);
    this.directory.removed(row.domain_name, row.alias);
  }

  // v2

  async createV2(input: V2.CreateDomainNameRequest, at: Place): Promise<V2.DomainName> {
    checkRoutingMode(input.RoutingMode, 'API_MAPPING_ONLY');
    const mutualTls = fromV2MutualTls(input.MutualTlsAuthentication);
    const stored = await this.insert(
      {
        domainName: input.DomainName!,
        ...fromV2Configuration(input.DomainNameConfigurations, this.clock.now()),
        ...(mutualTls ? { mutualTlsAuthentication: mutualTls } : {}),
        aliasId: apiId(),
        tags: withTags({}, input.Tags ?? {}),
      },
      at,
      () => new ConflictException(ALREADY_EXISTS),
    );
    return v2DomainName(stored, at.region);
  }

  async getV2(at: Place, name: string): Promise<V2.DomainName> {
    return v2DomainName((await this.requireRegional(this.store, at, name)).stored, at.region);
  }

  async listV2(input: V2.GetDomainNamesRequest, at: Place): Promise<V2.GetDomainNamesResponse> {
    const limit = Math.min(Number(input.MaxResults ?? MAX_RESULTS) || MAX_RESULTS, MAX_RESULTS);
    let after = input.NextToken ? Buffer.from(input.NextToken, 'base64url').toString('utf8') : '';
    const found: StoredDomainName[] = [];
    let more = false;
    // EDGE domains are v1's alone: read on past them until the page is full.
    for (;;) {
      const rows = await domainNameQueries.list(this.store, at, after, limit + 1);
      for (const row of rows) {
        const stored = JSON.parse(row.document) as StoredDomainName;
        if (stored.endpointType !== 'REGIONAL') continue;
        if (found.length === limit) more = true;
        else found.push(stored);
      }
      if (more || rows.length <= limit) break;
      after = rows[rows.length - 1]!.domain_name;
    }
    return {
      Items: found.map((stored) => v2DomainName(stored, at.region)),
      ...(more
        ? { NextToken: Buffer.from(domainKey(found[found.length - 1]!.domainName)).toString('base64url') }
        : {}),
    };
  }

  async updateV2(input: V2.UpdateDomainNameRequest, at: Place): Promise<V2.DomainName> {
    checkRoutingMode(input.RoutingMode, 'API_MAPPING_ONLY');
    const stored = await this.update(
      (tx) => this.requireRegional(tx, at, input.DomainName!),
      ({ stored }) => {
        const mutualTls = fromV2MutualTls(input.MutualTlsAuthentication) ?? stored.mutualTlsAuthentication;
        if (!input.DomainNameConfigurations) {
          return { ...stored, ...(mutualTls ? { mutualTlsAuthentication: mutualTls } : {}) };
        }
        // A configuration given replaces the one the domain had, whole.
        return {
          domainName: stored.domainName,
          aliasId: stored.aliasId,
          tags: stored.tags,
          ...fromV2Configuration(input.DomainNameConfigurations, this.clock.now()),
          ...(mutualTls ? { mutualTlsAuthentication: mutualTls } : {}),
        };
      },
    );
    return v2DomainName(stored, at.region);
  }

  // Both

  private async insert(
    stored: StoredDomainName,
    at: Place,
    alreadyExists: () => Error,
  ): Promise<StoredDomainName> {
    checkDomainName(stored.domainName);
    const key = domainKey(stored.domainName);
    const row: DomainNameRow = {
      domain_name: key,
      account_id: at.accountId,
      region: at.region,
      alias: aliasOf(stored),
      document: JSON.stringify(stored),
    };
    try {
      await this.store.transaction(async (tx) => {
        if (await domainNameQueries.findAnywhere(tx, key)) throw alreadyExists();
        await domainNameQueries.insert(tx, row);
      });
    } catch (err) {
      // Another node's create of the same name got there first (PostgreSQL).
      if (isUniqueViolation(err)) throw alreadyExists();
      throw err;
    }
    this.directory.added(key, row.alias);
    return stored;
  }

  /**
   * Writes a changed domain, once its mappings are known to still fit it; the directory learns
   * a new alias when the transaction has committed.
   */
  private async update(
    require: (tx: Queryable) => Promise<FoundDomain>,
    change: (found: FoundDomain) => StoredDomainName,
  ): Promise<StoredDomainName> {
    const { found, changed, alias } = await this.store.transaction(async (tx) => {
      const found = await require(tx);
      const changed = change(found);
      checkMappingsFit(changed, await apiMappingQueries.all(tx, found.row.domain_name));
      const alias = aliasOf(changed);
      await domainNameQueries.update(tx, found.row.domain_name, alias, JSON.stringify(changed));
      return { found, changed, alias };
    });
    if (alias !== found.row.alias) this.directory.added(found.row.domain_name, alias, found.row.alias);
    return changed;
  }
}
