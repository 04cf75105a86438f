/**
 * Models of REST APIs: JSON Schema draft 4 documents that methods name as their request (and
 * response) bodies' shape, by content type. Request validators check bodies against them
 * (invoke/request-validation.ts); GetModelTemplate writes a mapping template for one. Every API
 * CreateRestApi makes starts with AWS's two, `Empty` and `Error`.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../service.js';
import { definitionsOf, type ApiDefinitions, type Definitions } from './api-definitions.js';
import { BadRequestException, ConflictException, NotFoundException } from './errors.js';
import { childId } from './ids.js';
import { checkModelSchema, flattenModel } from './model-schemas.js';
import { modelTemplate } from './model-template.js';
import { page } from './paging.js';
import { resourceOf } from './resources.js';
import type { StoredRestApi } from './rest-apis.js';
import { resourceQueries } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const MODEL_NAME = /^[a-zA-Z0-9]+$/;

/** AWS's default models, with AWS's own schema text. */
export function defaultModels(): APIGW.Model[] {
  return [
    {
      id: childId(),
      name: 'Empty',
      description: 'This is a default empty schema model',
      schema:
        '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}',
      contentType: 'application/json',
    },
    {
      id: childId(),
      name: 'Error',
      description: 'This is a default error schema model',
      schema:
        '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}',
      contentType: 'application/json',
    },
  ];
}

export const invalidModelName = (name: string) =>
  new NotFoundException(`Invalid model name specified: ${name}`);

/** CreateModel's checks on a name, before the schema's. */
export function checkModelName(name: string | undefined): string {
  if (!name) throw new BadRequestException('Model name must be non-empty');
  if (!MODEL_NAME.test(name)) throw new BadRequestException(`Model name must be alphanumeric: ${name}`);
  return name;
}

function modelOf(definitions: Definitions, name: string): APIGW.Model {
  const model = definitions.models?.find((m) => m.name === name);
  if (!model) throw invalidModelName(name);
  return model;
}

const modelNames = (definitions: Definitions) => new Set((definitions.models ?? []).map((m) => m.name!));

export class Models {
  constructor(private readonly definitions: ApiDefinitions) {}

  create(input: APIGW.CreateModelRequest, at: Place): Promise<APIGW.Model> {
    const name = checkModelName(input.name);
    return this.definitions.modify(at, input.restApiId!, (definitions) => {
      if (definitions.models?.some((m) => m.name === name))
        throw new ConflictException('Model name already exists for this REST API');
      checkModelSchema(input.schema, input.restApiId!, modelNames(definitions));
      const model: APIGW.Model = {
        id: childId(),
        name,
        ...(input.description !== undefined ? { description: input.description } : {}),
        schema: input.schema,
        contentType: input.contentType,
      };
      definitions.models = [...(definitions.models ?? []), model];
      return model;
    });
  }

  async get(input: APIGW.GetModelRequest, at: Place): Promise<APIGW.Model> {
    const definitions = await this.definitions.read(at, input.restApiId!);
    const model = modelOf(definitions, input.modelName!);
    if (!input.flatten) return model;
    return { ...model, schema: flattenModel(model, definitions.models ?? [], input.restApiId!) };
  }

  async list(input: APIGW.GetModelsRequest, at: Place): Promise<APIGW.Models> {
    const definitions = await this.definitions.read(at, input.restApiId!);
    const all = [...(definitions.models ?? [])].sort((a, b) => (a.id! < b.id! ? -1 : 1)) as (APIGW.Model & {
      id: string;
    })[];
    const { items, position } = await page(input, async (after, limit) =>
      all.filter((m) => m.id > after).slice(0, limit),
    );
    return { items, ...(position ? { position } : {}) };
  }

  update(input: APIGW.UpdateModelRequest, at: Place): Promise<APIGW.Model> {
    return this.definitions.modify(at, input.restApiId!, (definitions) => {
      const model = { ...modelOf(definitions, input.modelName!) };
      for (const { op, path, value } of input.patchOperations ?? []) {
        if (op !== 'replace') {
          throw new BadRequestException(
            `Invalid patch path  '${path ?? ''}' specified for op '${op ?? ''}'. Please choose supported operations`,
          );
        }
        if (path === '/schema') {
          checkModelSchema(value, input.restApiId!, modelNames(definitions));
          model.schema = value;
        } else if (path === '/description') {
          if (value) model.description = value;
          else delete model.description;
        } else {
          throw new BadRequestException(
            `Invalid patch path  '${path ?? ''}' specified for op 'replace'. Must be one of: [/description, /schema]`,
          );
        }
      }
      definitions.models = definitions.models!.map((m) => (m.name === model.name ? model : m));
      return model;
    });
  }

  async delete(input: APIGW.DeleteModelRequest, at: Place): Promise<void> {
    const name = input.modelName!;
    await this.definitions.modify(at, input.restApiId!, async (definitions, tx) => {
      modelOf(definitions, name);
      for (const resource of (await resourceQueries.all(tx, input.restApiId!)).map(resourceOf)) {
        for (const [httpMethod, method] of Object.entries(resource.resourceMethods ?? {})) {
          if (Object.values(method.requestModels ?? {}).includes(name)) {
            throw new ConflictException(
              `Cannot delete model '${name}', is referenced in method request: ${resource.path}/${httpMethod}`,
            );
          }
        }
      }
      definitions.models = definitions.models!.filter((m) => m.name !== name);
    });
  }

  async template(input: APIGW.GetModelTemplateRequest, at: Place): Promise<APIGW.Template> {
    const definitions = await this.definitions.read(at, input.restApiId!);
    const model = modelOf(definitions, input.modelName!);
    return { value: modelTemplate(flattenModel(model, definitions.models ?? [], input.restApiId!)) };
  }
}

/** A method's models must be the API's (PutMethod, UpdateMethod). */
export function checkRequestModels(
  api: StoredRestApi,
  requestModels: Record<string, string> | undefined,
): void {
  const names = modelNames(definitionsOf(api));
  for (const name of Object.values(requestModels ?? {})) {
    if (!names.has(name)) throw new BadRequestException(`Invalid model identifier specified: ${name}`);
  }
}
