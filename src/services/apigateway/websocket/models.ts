/**
 * Models of WebSocket APIs (API Gateway v2 has them for WebSocket APIs only): JSON Schema draft 4
 * documents that a route's `RequestModels` name, by model name, for validating messages
 * (model-validation.ts); GetModelTemplate suggests a mapping template for one.
 *
 * Difference from AWS: models are read when a message comes, as route responses are, so a
 * changed schema applies without redeploying.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Queryable, Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { BadRequestException, ConflictException, NotFoundException } from '../errors.js';
import { requireHttpApi } from '../http-api-lookup.js';
import { definedOnly } from '../http-api-parts.js';
import { childId } from '../ids.js';
import { modelTemplate } from '../model-template.js';
import { schemaProblem } from './model-validation.js';
import { modelQueries, type ModelRow } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const MODEL_NAME = /^[a-zA-Z0-9]+$/;

const invalidModel = (id: string) => new NotFoundException(`Invalid Model identifier specified ${id}`);

function modelOf(row: ModelRow): V2.Model {
  return JSON.parse(row.document) as V2.Model;
}

function check(model: V2.Model): void {
  if (!MODEL_NAME.test(model.Name!)) {
    throw new BadRequestException(
      `Invalid model name specified: ${model.Name}. Model names must be alphanumeric.`,
    );
  }
  const problem = schemaProblem(model.Schema ?? '');
  if (problem !== undefined) {
    throw new BadRequestException(
      `Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified: ${problem}]`,
    );
  }
}

export class Models {
  constructor(private readonly store: Store) {}

  async create(input: V2.CreateModelRequest, at: Place): Promise<V2.Model> {
    return this.store.transaction(async (tx) => {
      await requireWebSocketApi(tx, at, input.ApiId!);
      const { ApiId: _api, ...settings } = input;
      const model: V2.Model = { ModelId: childId(), ...definedOnly(settings), Name: input.Name! };
      check(model);
      if (await modelQueries.findByName(tx, input.ApiId!, model.Name!)) throw nameTaken(model.Name!);
      await modelQueries.insert(tx, {
        api_id: input.ApiId!,
        id: model.ModelId!,
        name: model.Name!,
        document: JSON.stringify(model),
      });
      return model;
    });
  }

  async get(input: V2.GetModelRequest, at: Place): Promise<V2.Model> {
    await requireWebSocketApi(this.store, at, input.ApiId!);
    return modelOf(await this.requireModel(this.store, input.ApiId!, input.ModelId!));
  }

  async list(input: V2.GetModelsRequest, at: Place): Promise<V2.GetModelsResponse> {
    await requireWebSocketApi(this.store, at, input.ApiId!);
    return { Items: (await modelQueries.all(this.store, input.ApiId!)).map(modelOf) };
  }

  async update(input: V2.UpdateModelRequest, at: Place): Promise<V2.Model> {
    return this.store.transaction(async (tx) => {
      await requireWebSocketApi(tx, at, input.ApiId!);
      const existing = modelOf(await this.requireModel(tx, input.ApiId!, input.ModelId!));
      const { ApiId: _api, ModelId: _id, ...changes } = input;
      const changed: V2.Model = { ...existing, ...definedOnly(changes) };
      check(changed);
      if (
        changed.Name !== existing.Name &&
        (await modelQueries.findByName(tx, input.ApiId!, changed.Name!))
      ) {
        throw nameTaken(changed.Name!);
      }
      await modelQueries.update(tx, input.ApiId!, existing.ModelId!, changed.Name!, JSON.stringify(changed));
      return changed;
    });
  }

  async delete(input: V2.DeleteModelRequest, at: Place): Promise<void> {
    await requireWebSocketApi(this.store, at, input.ApiId!);
    const { changes } = await modelQueries.delete(this.store, input.ApiId!, input.ModelId!);
    if (changes === 0) throw invalidModel(input.ModelId!);
  }

  async template(input: V2.GetModelTemplateRequest, at: Place): Promise<V2.GetModelTemplateResponse> {
    const model = await this.get(input, at);
    return { Value: modelTemplate(model.Schema!) };
  }

  private async requireModel(db: Queryable, apiId: string, id: string): Promise<ModelRow> {
    const row = await modelQueries.find(db, apiId, id);
    if (!row) throw invalidModel(id);
    return row;
  }
}

const nameTaken = (name: string) => new ConflictException(`Model name already exists for this API: ${name}`);

async function requireWebSocketApi(db: Queryable, at: Place, apiId: string): Promise<void> {
  const api = await requireHttpApi(db, at, apiId);
  if (api.ProtocolType !== 'WEBSOCKET') {
    throw new BadRequestException('Models are only supported for WebSocket APIs');
  }
}
