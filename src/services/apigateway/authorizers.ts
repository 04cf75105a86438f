/**
 * Authorizers of REST APIs (v1: Lambda `TOKEN` and `REQUEST`, `COGNITO_USER_POOLS`) and of HTTP
 * APIs (v2: `JWT` and Lambda `REQUEST`; WebSocket APIs: Lambda `REQUEST`): kept in one table,
 * each row in its API version's shape. A deployment snapshots them with the API, so a change
 * reaches callers once deployed.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { BadRequestException, NotFoundException } from './errors.js';
import { requireHttpApi } from './http-api-lookup.js';
import type { StoredHttpApi } from './http-apis.js';
import type { HttpStages } from './http-stages.js';
import { childId } from './ids.js';
import { applyPatch, type PatchRules } from './patch.js';
import type { RestApis } from './rest-apis.js';
import { authorizerQueries } from './tables.js';
import { checkWebSocketAuthorizer } from './websocket/authorizer-settings.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const DEFAULT_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 3600;
const REST_TYPES = ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'];

const restPatchRules: PatchRules = {
  '/name': 'string',
  '/authorizerUri': 'string',
  '/identitySource': 'string',
  '/identityValidationExpression': 'string',
  '/authorizerResultTtlInSeconds': 'number',
  '/authorizerCredentials': 'string',
  '/type': 'string',
  '/providerARNs/*': 'list',
};

function checkTtl(ttl: number): void {
  if (ttl < 0 || ttl > MAX_TTL_SECONDS) {
    throw new BadRequestException(`Invalid authorizer TTL: must be between 0 and ${MAX_TTL_SECONDS} seconds`);
  }
}

function checkRestAuthorizer(authorizer: APIGW.Authorizer): void {
  if (!REST_TYPES.includes(authorizer.type!)) {
    throw new BadRequestException(
      `Invalid authorizer type specified. Valid options are ${REST_TYPES.join(',')}`,
    );
  }
  if (authorizer.type === 'COGNITO_USER_POOLS') {
    if (!authorizer.providerARNs?.length)
      throw new BadRequestException('ProviderARNs need to be specified for COGNITO_USER_POOLS authorizers');
  } else if (!authorizer.authorizerUri) {
    throw new BadRequestException('Authorizer URI is required for TOKEN and REQUEST authorizers');
  }
  if (
    authorizer.type === 'TOKEN' &&
    !/^method\.request\.header\.[^.]+$/.test(authorizer.identitySource ?? '')
  ) {
    throw new BadRequestException(
      'Identity source for TOKEN authorizers must be a header: method.request.header.<name>',
    );
  }
  checkTtl(authorizer.authorizerResultTtlInSeconds ?? DEFAULT_TTL_SECONDS);
}

const invalidAuthorizer = (id: string) =>
  new NotFoundException(`Invalid Authorizer identifier specified ${id}`);

export class RestAuthorizers {
  constructor(
    private readonly store: Store,
    private readonly apis: RestApis,
  ) {}

  async create(input: APIGW.CreateAuthorizerRequest, at: Place): Promise<APIGW.Authorizer> {
    const api = await this.apis.require(at, input.restApiId!);
    const { restApiId: _api, ...settings } = input;
    const authorizer: APIGW.Authorizer = {
      id: childId(),
      ...settings,
      ...(settings.type === 'COGNITO_USER_POOLS'
        ? { authType: 'cognito_user_pools' }
        : { authType: 'custom' }),
      identitySource:
        settings.identitySource ??
        (settings.type === 'REQUEST' ? undefined : 'method.request.header.Authorization'),
      authorizerResultTtlInSeconds: settings.authorizerResultTtlInSeconds ?? DEFAULT_TTL_SECONDS,
    };
    checkRestAuthorizer(authorizer);
    await authorizerQueries.insert(this.store, {
      api_id: api.id,
      id: authorizer.id!,
      document: JSON.stringify(authorizer),
    });
    return authorizer;
  }

  async get(input: APIGW.GetAuthorizerRequest, at: Place): Promise<APIGW.Authorizer> {
    const api = await this.apis.require(at, input.restApiId!);
    const row = await authorizerQueries.find(this.store, api.id, input.authorizerId!);
    if (!row) throw invalidAuthorizer(input.authorizerId!);
    return JSON.parse(row.document) as APIGW.Authorizer;
  }

  async list(input: APIGW.GetAuthorizersRequest, at: Place): Promise<APIGW.Authorizers> {
    const api = await this.apis.require(at, input.restApiId!);
    const rows = await authorizerQueries.all(this.store, api.id);
    return { items: rows.map((row) => JSON.parse(row.document) as APIGW.Authorizer) };
  }

  async update(input: APIGW.UpdateAuthorizerRequest, at: Place): Promise<APIGW.Authorizer> {
    const existing = await this.get(input, at);
    const changed = applyPatch(existing, input.patchOperations ?? [], restPatchRules);
    checkRestAuthorizer(changed);
    await authorizerQueries.update(this.store, input.restApiId!, existing.id!, JSON.stringify(changed));
    return changed;
  }

  async delete(input: APIGW.DeleteAuthorizerRequest, at: Place): Promise<void> {
    const api = await this.apis.require(at, input.restApiId!);
    const { changes } = await authorizerQueries.delete(this.store, api.id, input.authorizerId!);
    if (changes === 0) throw invalidAuthorizer(input.authorizerId!);
  }
}

function checkHttpAuthorizer(authorizer: V2.Authorizer, api: StoredHttpApi): void {
  if (api.ProtocolType === 'WEBSOCKET') return checkWebSocketAuthorizer(authorizer);
  if (authorizer.AuthorizerType === 'JWT') {
    if (!authorizer.JwtConfiguration?.Issuer)
      throw new BadRequestException('JwtConfiguration.Issuer is required for JWT authorizers');
    if (!authorizer.JwtConfiguration.Audience?.length) {
      throw new BadRequestException('JwtConfiguration.Audience is required for JWT authorizers');
    }
    return;
  }
  if (authorizer.AuthorizerType !== 'REQUEST') {
    throw new BadRequestException(`Unsupported authorizer type ${authorizer.AuthorizerType}`);
  }
  if (!authorizer.AuthorizerUri)
    throw new BadRequestException('AuthorizerUri is required for REQUEST authorizers');
  const version = authorizer.AuthorizerPayloadFormatVersion;
  if (version !== '1.0' && version !== '2.0') {
    throw new BadRequestException(
      'AuthorizerPayloadFormatVersion must be 1.0 or 2.0 for REQUEST authorizers',
    );
  }
  if (authorizer.EnableSimpleResponses && version !== '2.0') {
    throw new BadRequestException('Simple responses are only supported with payload format version 2.0');
  }
  checkTtl(authorizer.AuthorizerResultTtlInSeconds ?? 0);
}

export class HttpAuthorizers {
  constructor(
    private readonly store: Store,
    private readonly stages: HttpStages,
  ) {}

  async create(input: V2.CreateAuthorizerRequest, at: Place): Promise<V2.Authorizer> {
    return this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const { ApiId: _api, ...settings } = input;
      const authorizer: V2.Authorizer = {
        AuthorizerId: childId(),
        ...settings,
        ...(settings.AuthorizerType === 'REQUEST'
          ? { AuthorizerResultTtlInSeconds: settings.AuthorizerResultTtlInSeconds ?? 0 }
          : {}),
      };
      checkHttpAuthorizer(authorizer, api);
      await authorizerQueries.insert(tx, {
        api_id: api.ApiId,
        id: authorizer.AuthorizerId!,
        document: JSON.stringify(authorizer),
      });
      await this.stages.autoDeploy(tx, api);
      return authorizer;
    });
  }

  async get(input: V2.GetAuthorizerRequest, at: Place): Promise<V2.Authorizer> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    const row = await authorizerQueries.find(this.store, api.ApiId, input.AuthorizerId!);
    if (!row) throw invalidAuthorizer(input.AuthorizerId!);
    return JSON.parse(row.document) as V2.Authorizer;
  }

  async list(input: V2.GetAuthorizersRequest, at: Place): Promise<V2.GetAuthorizersResponse> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    const rows = await authorizerQueries.all(this.store, api.ApiId);
    return { Items: rows.map((row) => JSON.parse(row.document) as V2.Authorizer) };
  }

  async update(input: V2.UpdateAuthorizerRequest, at: Place): Promise<V2.Authorizer> {
    return this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const row = await authorizerQueries.find(tx, api.ApiId, input.AuthorizerId!);
      if (!row) throw invalidAuthorizer(input.AuthorizerId!);
      const { ApiId: _api, AuthorizerId: _id, ...changes } = input;
      const changed: V2.Authorizer = { ...(JSON.parse(row.document) as V2.Authorizer) };
      for (const [key, value] of Object.entries(changes)) {
        if (value !== undefined) (changed as unknown as Record<string, unknown>)[key] = value;
      }
      checkHttpAuthorizer(changed, api);
      await authorizerQueries.update(tx, api.ApiId, changed.AuthorizerId!, JSON.stringify(changed));
      await this.stages.autoDeploy(tx, api);
      return changed;
    });
  }

  async delete(input: V2.DeleteAuthorizerRequest, at: Place): Promise<void> {
    await this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const { changes } = await authorizerQueries.delete(tx, api.ApiId, input.AuthorizerId!);
      if (changes === 0) throw invalidAuthorizer(input.AuthorizerId!);
      await this.stages.autoDeploy(tx, api);
    });
  }
}
