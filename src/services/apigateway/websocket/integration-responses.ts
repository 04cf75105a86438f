/**
 * Integration responses of WebSocket APIs' integrations: for a two-way route with a non-proxy
 * integration (AWS, MOCK), the one whose key matches the integration's answer maps it with its
 * response template before the client gets it (reply-mapping.ts). A key is `$default` or a
 * `/regular expression/`, matched against a Lambda function's error message or a status code.
 *
 * Difference from AWS: as route responses, they are read when a message comes, not from the
 * stage's deployment, so a change takes effect without redeploying.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Queryable, Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { BadRequestException, ConflictException, NotFoundException } from '../errors.js';
import { requireHttpApi } from '../http-api-lookup.js';
import { definedOnly } from '../http-api-parts.js';
import { childId } from '../ids.js';
import { integrationQueries } from '../tables.js';
import { integrationResponseQueries, type IntegrationResponseRow } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

type Identity = { ApiId?: string; IntegrationId?: string; IntegrationResponseId?: string };

const invalidIntegrationResponse = (id: string) =>
  new NotFoundException(`Invalid IntegrationResponse identifier specified ${id}`);

const taken = (key: string) => new ConflictException(`Integration response with key ${key} already exists`);

export function integrationResponseOf(row: IntegrationResponseRow): V2.IntegrationResponse {
  return JSON.parse(row.document) as V2.IntegrationResponse;
}

/** `$default`, a `/pattern/` JavaScript can read, or a literal matched as it is. */
function checkKey(key: string): void {
  const pattern = /^\/(.*)\/$/s.exec(key);
  if (!pattern) return;
  try {
    new RegExp(pattern[1]!);
  } catch {
    throw new BadRequestException(
      `Invalid integration response key: ${key} is not a valid regular expression`,
    );
  }
}

export class IntegrationResponses {
  constructor(private readonly store: Store) {}

  async create(input: V2.CreateIntegrationResponseRequest, at: Place): Promise<V2.IntegrationResponse> {
    return this.store.transaction(async (tx) => {
      await this.requireIntegration(tx, at, input.ApiId!, input.IntegrationId!);
      const key = input.IntegrationResponseKey!;
      checkKey(key);
      if (await integrationResponseQueries.findByKey(tx, input.ApiId!, input.IntegrationId!, key))
        throw taken(key);
      const { ApiId: _api, IntegrationId: _integration, ...settings } = input;
      const response: V2.IntegrationResponse = {
        IntegrationResponseId: childId(),
        ...definedOnly(settings),
        IntegrationResponseKey: key,
      };
      await integrationResponseQueries.insert(tx, {
        api_id: input.ApiId!,
        integration_id: input.IntegrationId!,
        id: response.IntegrationResponseId!,
        integration_response_key: key,
        document: JSON.stringify(response),
      });
      return response;
    });
  }

  async get(input: V2.GetIntegrationResponseRequest, at: Place): Promise<V2.IntegrationResponse> {
    await this.requireIntegration(this.store, at, input.ApiId!, input.IntegrationId!);
    return integrationResponseOf(await this.requireResponse(this.store, input));
  }

  async list(
    input: V2.GetIntegrationResponsesRequest,
    at: Place,
  ): Promise<V2.GetIntegrationResponsesResponse> {
    await this.requireIntegration(this.store, at, input.ApiId!, input.IntegrationId!);
    const rows = await integrationResponseQueries.forIntegration(
      this.store,
      input.ApiId!,
      input.IntegrationId!,
    );
    return { Items: rows.map(integrationResponseOf) };
  }

  async update(input: V2.UpdateIntegrationResponseRequest, at: Place): Promise<V2.IntegrationResponse> {
    return this.store.transaction(async (tx) => {
      await this.requireIntegration(tx, at, input.ApiId!, input.IntegrationId!);
      const existing = integrationResponseOf(await this.requireResponse(tx, input));
      const { ApiId: _api, IntegrationId: _integration, IntegrationResponseId: _id, ...changes } = input;
      const changed: V2.IntegrationResponse = { ...existing, ...definedOnly(changes) };
      const key = changed.IntegrationResponseKey!;
      if (key !== existing.IntegrationResponseKey) {
        checkKey(key);
        if (await integrationResponseQueries.findByKey(tx, input.ApiId!, input.IntegrationId!, key))
          throw taken(key);
      }
      await integrationResponseQueries.update(
        tx,
        input.ApiId!,
        existing.IntegrationResponseId!,
        key,
        JSON.stringify(changed),
      );
      return changed;
    });
  }

  async delete(input: V2.DeleteIntegrationResponseRequest, at: Place): Promise<void> {
    await this.requireIntegration(this.store, at, input.ApiId!, input.IntegrationId!);
    const row = await this.requireResponse(this.store, input);
    await integrationResponseQueries.delete(this.store, row.api_id, row.id);
  }

  private async requireIntegration(db: Queryable, at: Place, apiId: string, integrationId: string) {
    const api = await requireHttpApi(db, at, apiId);
    if (api.ProtocolType !== 'WEBSOCKET') {
      throw new BadRequestException('Integration responses are only supported for WebSocket APIs');
    }
    if (!(await integrationQueries.find(db, apiId, integrationId))) {
      throw new NotFoundException(`Invalid Integration identifier specified ${integrationId}`);
    }
  }

  private async requireResponse(db: Queryable, input: Identity): Promise<IntegrationResponseRow> {
    const row = await integrationResponseQueries.find(
      db,
      input.ApiId!,
      input.IntegrationId!,
      input.IntegrationResponseId!,
    );
    if (!row) throw invalidIntegrationResponse(input.IntegrationResponseId!);
    return row;
  }
}
