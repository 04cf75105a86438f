/**
 * Models: the schemas of `components.schemas` (OpenAPI 3.0) or `definitions` (Swagger 2.0), made
 * API Gateway `Model`s (`application/json`, the schema as JSON text) so an export writes them back
 * in either version. A plan names other models version-neutrally (`#/models/{name}`); once the
 * API's id is known they are named by their canonical URI, as CreateModel takes them.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import { isServiceError } from '../../../protocol/errors.js';
import { checkModelName } from '../models.js';
import { checkModelSchema, modelNameOfUri, modelUri, withRefs } from '../model-schemas.js';
import { MODEL_REF_PREFIX } from './definitions.js';
import { isObject } from './json-values.js';
import type { OpenApiDocument, OpenApiVersion } from './read-document.js';

const REF_PREFIX: Record<OpenApiVersion, string> = {
  oas30: '#/components/schemas/',
  swagger: '#/definitions/',
};

/** The model a `$ref` names in a document of this version, or undefined for another reference. */
export function modelNameOf(ref: unknown, version: OpenApiVersion): string | undefined {
  if (typeof ref !== 'string' || !ref.startsWith(REF_PREFIX[version])) return undefined;
  return ref.slice(REF_PREFIX[version].length);
}

export function schemasOf(document: OpenApiDocument): Record<string, unknown> {
  const { root } = document;
  const schemas =
    document.version === 'oas30'
      ? isObject(root.components)
        ? root.components.schemas
        : undefined
      : root.definitions;
  return isObject(schemas) ? schemas : {};
}

export function readModels(document: OpenApiDocument, newId: () => string): APIGW.Model[] {
  return Object.entries(schemasOf(document)).map(([name, schema]) => {
    const neutral = withRefs(schema, (ref) => {
      const target = modelNameOf(ref, document.version);
      return target === undefined ? ref : `${MODEL_REF_PREFIX}${target}`;
    });
    return { id: newId(), name, contentType: 'application/json', schema: JSON.stringify(neutral) };
  });
}

/**
 * The plan's models, named by canonical URIs, each held to CreateModel's rules: what one breaks
 * is an import error (`Unable to create model for 'x': …`), and that model is left out.
 */
export function importedModels(
  models: readonly APIGW.Model[],
  restApiId: string,
  errors: string[],
): APIGW.Model[] {
  const canonical = models.map((model) => ({
    ...model,
    schema: JSON.stringify(
      withRefs(JSON.parse(model.schema ?? '{}'), (ref) =>
        ref.startsWith(MODEL_REF_PREFIX) ? modelUri(restApiId, ref.slice(MODEL_REF_PREFIX.length)) : ref,
      ),
    ),
  }));
  const names = new Set(canonical.map((model) => model.name!));
  return canonical.filter((model) => {
    try {
      checkModelName(model.name);
      checkModelSchema(model.schema, restApiId, names);
      return true;
    } catch (error) {
      if (!isServiceError(error)) throw error;
      errors.push(`Unable to create model for '${model.name ?? ''}': ${error.message}`);
      return false;
    }
  });
}

/**
 * A stored model's schema as a document of this version writes it (without draft 4's `$schema`).
 * APIs imported before models were served still name theirs `#/models/{name}`.
 */
export function modelSchemaFor(model: APIGW.Model, version: OpenApiVersion, restApiId: string): unknown {
  let schema: unknown;
  try {
    schema = JSON.parse(model.schema ?? '{}');
  } catch {
    return {};
  }
  if (isObject(schema)) delete schema.$schema;
  return withRefs(schema, (ref) => {
    const name = ref.startsWith(MODEL_REF_PREFIX)
      ? ref.slice(MODEL_REF_PREFIX.length)
      : modelNameOfUri(ref, restApiId);
    return name === undefined ? ref : `${REF_PREFIX[version]}${name}`;
  });
}

export const modelRef = (name: string, version: OpenApiVersion) => `${REF_PREFIX[version]}${name}`;
