/**
 * Connections: how API destinations authenticate — an API key header, HTTP basic credentials, or
 * an OAuth client-credentials token that EventBridge fetches itself. API_KEY and BASIC
 * connections are AUTHORIZED at once; an OAuth one is AUTHORIZING until a work item has fetched
 * its token (AUTHORIZED) or failed to (DEAUTHORIZED, with the reason). Secrets are kept in the
 * connection's row (AWS keeps them in Secrets Manager) and never shown by Describe.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import { buildArn } from '../arn.js';
import { connectionArn, type Region } from './arns.js';
import { connectionQueries, type ConnectionRow } from './connection-tables.js';
import { ResourceAlreadyExistsException, ResourceNotFoundException, ValidationException } from './errors.js';
import { AuthorizationFailure, fetchToken } from './oauth.js';
import type { Outbox } from './outbox.js';
import { afterToken, defaultPageSize, page } from './paging.js';

type AuthParameters = EventBridge.CreateConnectionAuthRequestParameters;

const notFound = (name: string) =>
  new ResourceNotFoundException(`Failed to describe the connection(s). Connection '${name}' does not exist.`);

/** Which member of AuthParameters each authorization type needs. */
const neededParameters = {
  API_KEY: 'ApiKeyAuthParameters',
  BASIC: 'BasicAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
} as const;

/** What an invocation through a connection adds to its request. */
export interface Credentials {
  headers: Record<string, string>;
  query: [string, string][];
  body: [string, string][];
}

export class Connections {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly httpTimeoutMs: number,
  ) {}

  async get(at: Region, name: string): Promise<ConnectionRow> {
    const row = await connectionQueries.get(this.store, at, name);
    if (!row) throw notFound(name);
    return row;
  }

  async create(at: Region, input: EventBridge.CreateConnectionRequest) {
    const type = input.AuthorizationType!;
    checkParameters(type, input.AuthParameters!);
    const name = input.Name!;
    const now = this.clock.now();
    const id = randomUUID();
    const oauth = type === 'OAUTH_CLIENT_CREDENTIALS';
    const row: ConnectionRow = {
      arn: connectionArn(at, name, id),
      account_id: at.accountId,
      region: at.region,
      name,
      description: input.Description ?? null,
      authorization_type: type,
      auth_parameters: JSON.stringify(input.AuthParameters),
      kms_key_identifier: input.KmsKeyIdentifier ?? null,
      state: oauth ? 'AUTHORIZING' : 'AUTHORIZED',
      state_reason: null,
      secret_arn: buildArn({
        service: 'secretsmanager',
        ...at,
        resource: `secret:events!connection/${name}/${id}-${randomBytes(3).toString('hex')}`,
      }),
      access_token: null,
      token_expires_at: null,
      created_at: now,
      modified_at: now,
      authorized_at: oauth ? null : now,
    };
    await this.store.transaction(async (tx) => {
      if (await connectionQueries.get(tx, at, name)) {
        throw new ResourceAlreadyExistsException(`Connection ${name} already exists.`);
      }
      await connectionQueries.insert(tx, row);
      if (oauth) await this.outbox.add(tx, { kind: 'authorize', connectionArn: row.arn });
    });
    if (oauth) this.outbox.committed();
    return summary(row);
  }

  async describe(at: Region, name: string): Promise<EventBridge.DescribeConnectionResponse> {
    const row = await this.get(at, name);
    return {
      ConnectionArn: row.arn,
      Name: row.name,
      ...(row.description !== null ? { Description: row.description } : {}),
      ConnectionState: row.state as EventBridge.ConnectionState,
      ...(row.state_reason !== null ? { StateReason: row.state_reason } : {}),
      AuthorizationType: row.authorization_type as EventBridge.ConnectionAuthorizationType,
      SecretArn: row.secret_arn,
      ...(row.kms_key_identifier !== null ? { KmsKeyIdentifier: row.kms_key_identifier } : {}),
      AuthParameters: withoutSecrets(JSON.parse(row.auth_parameters) as AuthParameters),
      CreationTime: new Date(row.created_at),
      LastModifiedTime: new Date(row.modified_at),
      ...(row.authorized_at !== null ? { LastAuthorizedTime: new Date(row.authorized_at) } : {}),
    };
  }

  async list(
    at: Region,
    input: EventBridge.ListConnectionsRequest,
  ): Promise<EventBridge.ListConnectionsResponse> {
    const limit = input.Limit ?? defaultPageSize;
    const rows = await connectionQueries.list(
      this.store,
      at,
      input.NamePrefix ?? '',
      input.ConnectionState,
      afterToken(input.NextToken),
      limit + 1,
    );
    const { items, NextToken } = page(rows, limit, (row) => row.name);
    return {
      Connections: items.map((row) => ({
        ConnectionArn: row.arn,
        Name: row.name,
        ConnectionState: row.state as EventBridge.ConnectionState,
        ...(row.state_reason !== null ? { StateReason: row.state_reason } : {}),
        AuthorizationType: row.authorization_type as EventBridge.ConnectionAuthorizationType,
        CreationTime: new Date(row.created_at),
        LastModifiedTime: new Date(row.modified_at),
        ...(row.authorized_at !== null ? { LastAuthorizedTime: new Date(row.authorized_at) } : {}),
      })),
      ...(NextToken ? { NextToken } : {}),
    };
  }

  /** Merges the given parameters into the connection's; an OAuth connection authorizes again. */
  async update(at: Region, input: EventBridge.UpdateConnectionRequest) {
    const current = await this.get(at, input.Name!);
    const type = input.AuthorizationType ?? current.authorization_type;
    const params = merge(JSON.parse(current.auth_parameters) as AuthParameters, input.AuthParameters ?? {});
    checkParameters(type, params);
    const oauth = type === 'OAUTH_CLIENT_CREDENTIALS';
    const now = this.clock.now();
    const row: ConnectionRow = {
      ...current,
      description: input.Description ?? current.description,
      authorization_type: type,
      auth_parameters: JSON.stringify(params),
      kms_key_identifier: input.KmsKeyIdentifier ?? current.kms_key_identifier,
      state: oauth ? 'AUTHORIZING' : 'AUTHORIZED',
      state_reason: null,
      access_token: null,
      token_expires_at: null,
      modified_at: now,
      authorized_at: oauth ? current.authorized_at : now,
    };
    await this.store.transaction(async (tx) => {
      await connectionQueries.update(tx, row);
      if (oauth) await this.outbox.add(tx, { kind: 'authorize', connectionArn: row.arn });
    });
    if (oauth) this.outbox.committed();
    return summary(row);
  }

  async delete(at: Region, name: string) {
    const row = await this.get(at, name);
    await connectionQueries.delete(this.store, row.arn);
    return summary({ ...row, state: 'DELETING' });
  }

  /** Forgets the connection's authorization: its API destinations fail until it is updated. */
  async deauthorize(at: Region, name: string) {
    const row = await this.get(at, name);
    const next = { ...row, state: 'DEAUTHORIZED', access_token: null, token_expires_at: null };
    await connectionQueries.update(this.store, { ...next, modified_at: this.clock.now() });
    return summary({ ...next, state: 'DEAUTHORIZING' });
  }

  /** The work item of an OAuth connection: fetches its token and records the outcome. */
  async authorize(arn: string): Promise<void> {
    const row = await connectionQueries.byArn(this.store, arn);
    if (!row || row.state !== 'AUTHORIZING') return;
    try {
      await this.refresh(row);
    } catch (err) {
      if (!(err instanceof AuthorizationFailure)) throw err;
      await connectionQueries.update(this.store, {
        ...row,
        state: 'DEAUTHORIZED',
        state_reason: err.message,
      });
    }
  }

  /** What an invocation adds to its request; fetches an OAuth token when it has none that is good. */
  async credentials(arn: string): Promise<Credentials> {
    const row = await connectionQueries.byArn(this.store, arn);
    if (!row) throw new AuthorizationFailure(`The connection ${arn} does not exist.`);
    if (row.state !== 'AUTHORIZED' && row.state !== 'AUTHORIZING') {
      throw new AuthorizationFailure(`The connection ${row.name} is ${row.state}.`);
    }
    const params = JSON.parse(row.auth_parameters) as AuthParameters;
    const invocation = params.InvocationHttpParameters ?? {};
    const credentials: Credentials = {
      headers: Object.fromEntries((invocation.HeaderParameters ?? []).map((p) => [p.Key!, p.Value ?? ''])),
      query: (invocation.QueryStringParameters ?? []).map((p) => [p.Key!, p.Value ?? '']),
      body: (invocation.BodyParameters ?? []).map((p) => [p.Key!, p.Value ?? '']),
    };
    if (params.ApiKeyAuthParameters) {
      credentials.headers[params.ApiKeyAuthParameters.ApiKeyName!] = params.ApiKeyAuthParameters.ApiKeyValue!;
    } else if (params.BasicAuthParameters) {
      const { Username, Password } = params.BasicAuthParameters;
      credentials.headers['Authorization'] =
        `Basic ${Buffer.from(`${Username}:${Password}`).toString('base64')}`;
    } else if (params.OAuthParameters) {
      const good = row.access_token !== null && (row.token_expires_at ?? Infinity) > this.clock.now();
      const token = good ? row.access_token! : await this.refresh(row);
      credentials.headers['Authorization'] = `Bearer ${token}`;
    }
    return credentials;
  }

  /** Drops an OAuth token the destination refused (401), so the next attempt fetches a new one. */
  async forgetToken(arn: string): Promise<void> {
    const row = await connectionQueries.byArn(this.store, arn);
    if (row?.access_token) await connectionQueries.update(this.store, { ...row, access_token: null });
  }

  private async refresh(row: ConnectionRow): Promise<string> {
    const params = JSON.parse(row.auth_parameters) as AuthParameters;
    const now = this.clock.now();
    const token = await fetchToken(params.OAuthParameters!, now, this.httpTimeoutMs);
    await connectionQueries.update(this.store, {
      ...row,
      state: 'AUTHORIZED',
      state_reason: null,
      access_token: token.accessToken,
      token_expires_at: token.expiresAt ?? null,
      authorized_at: now,
    });
    return token.accessToken;
  }
}

function checkParameters(type: string, params: AuthParameters): void {
  const needed = neededParameters[type as keyof typeof neededParameters];
  if (!params[needed]) {
    throw new ValidationException(
      `Parameter AuthParameters is not valid. Reason: ${needed} must be specified for authorization type ${type}.`,
    );
  }
  if (needed === 'OAuthParameters') {
    const oauth = params.OAuthParameters!;
    if (!oauth.AuthorizationEndpoint || !oauth.HttpMethod || !oauth.ClientParameters?.ClientID) {
      throw new ValidationException(
        'Parameter AuthParameters.OAuthParameters is not valid. Reason: ClientParameters, AuthorizationEndpoint and HttpMethod must be specified.',
      );
    }
  }
}

/** UpdateConnection's parameters over the stored ones, member by member. */
function merge(
  current: AuthParameters,
  update: EventBridge.UpdateConnectionAuthRequestParameters,
): AuthParameters {
  const out: AuthParameters = { ...current };
  for (const key of Object.keys(update) as (keyof AuthParameters)[]) {
    const value = update[key];
    if (value === undefined) continue;
    if (key === 'OAuthParameters') {
      const oauth = update.OAuthParameters!;
      out.OAuthParameters = {
        ...current.OAuthParameters,
        ...oauth,
        ClientParameters: { ...current.OAuthParameters?.ClientParameters, ...oauth.ClientParameters },
      } as EventBridge.CreateConnectionOAuthRequestParameters;
    } else {
      Object.assign(out, { [key]: { ...(current[key] as object), ...(value as object) } });
    }
  }
  // One authorization at a time: the type's own parameters replace the others'.
  const kinds = ['ApiKeyAuthParameters', 'BasicAuthParameters', 'OAuthParameters'] as const;
  const given = kinds.filter((k) => update[k] !== undefined);
  if (given.length > 0) for (const k of kinds) if (!given.includes(k)) delete out[k];
  return out;
}

function withoutSecrets(params: AuthParameters): EventBridge.ConnectionAuthResponseParameters {
  const http = (p: EventBridge.ConnectionHttpParameters | undefined) =>
    p && {
      ...(p.HeaderParameters ? { HeaderParameters: p.HeaderParameters.map(hidden) } : {}),
      ...(p.QueryStringParameters ? { QueryStringParameters: p.QueryStringParameters.map(hidden) } : {}),
      ...(p.BodyParameters ? { BodyParameters: p.BodyParameters.map(hidden) } : {}),
    };
  const oauth = params.OAuthParameters;
  return {
    ...(params.BasicAuthParameters
      ? { BasicAuthParameters: { Username: params.BasicAuthParameters.Username } }
      : {}),
    ...(params.ApiKeyAuthParameters
      ? { ApiKeyAuthParameters: { ApiKeyName: params.ApiKeyAuthParameters.ApiKeyName } }
      : {}),
    ...(oauth
      ? {
          OAuthParameters: {
            ClientParameters: { ClientID: oauth.ClientParameters?.ClientID },
            AuthorizationEndpoint: oauth.AuthorizationEndpoint,
            HttpMethod: oauth.HttpMethod,
            ...(oauth.OAuthHttpParameters ? { OAuthHttpParameters: http(oauth.OAuthHttpParameters) } : {}),
          },
        }
      : {}),
    ...(params.InvocationHttpParameters
      ? { InvocationHttpParameters: http(params.InvocationHttpParameters) }
      : {}),
  };
}

function hidden<P extends { Key?: string; Value?: string; IsValueSecret?: boolean }>(p: P): P {
  return p.IsValueSecret ? { ...p, Value: undefined } : p;
}

function summary(row: ConnectionRow) {
  return {
    ConnectionArn: row.arn,
    ConnectionState: row.state as EventBridge.ConnectionState,
    CreationTime: new Date(row.created_at),
    LastModifiedTime: new Date(row.modified_at),
    ...(row.authorized_at !== null ? { LastAuthorizedTime: new Date(row.authorized_at) } : {}),
  };
}
