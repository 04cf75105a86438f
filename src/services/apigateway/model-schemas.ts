/**
 * Models' schemas: JSON Schema draft 4, as API Gateway takes them. A model names another by its
 * canonical URI, `https://apigateway.amazonaws.com/restapis/{restApiId}/models/{name}`; references
 * inside one schema (`#/definitions/x`) stay local. Pure: the checks CreateModel and UpdateModel
 * make, the flattened schema GetModel answers with `flatten`, and the validator factory the invoke
 * path compiles a deployment's models with.
 */
import type { Model } from '@aws-sdk/client-api-gateway';
import ajvDraft04 from 'ajv-draft-04';
import { BadRequestException } from './errors.js';
import { isObject, type JsonObject } from './openapi/json-values.js';

const MODEL_URI = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/([^/]+)\/models\/([^/#]+)$/;

export const modelUri = (restApiId: string, name: string) =>
  `https://apigateway.amazonaws.com/restapis/${restApiId}/models/${name}`;

export type SchemaValidator = InstanceType<typeof ajvDraft04.default>;

/**
 * A validator for draft 4 schemas. Keywords draft 4 does not know (OpenAPI's `example`,
 * `nullable`) are ignored, as are formats: API Gateway checks neither. `trusted` skips checking
 * the schemas it is given against the meta-schema (compiling which costs some 300 ms): models
 * were checked when they were made.
 */
export function schemaValidator(trusted = false): SchemaValidator {
  // The package is CommonJS: its class is the module's `default` member.
  return new ajvDraft04.default({
    strict: false,
    validateFormats: false,
    logger: false,
    validateSchema: !trusted,
  });
}

/** Checks schemas against draft 4's meta-schema; made once, as making one compiles the meta-schema. */
let metaChecker: SchemaValidator | undefined;

const invalidModel = (...errors: string[]) =>
  new BadRequestException(
    `Invalid model specified: Validation Result: warnings : [], errors : [${errors.join(', ')}]`,
  );

/** Every `$ref` in a schema, in document order. */
function refsOf(schema: unknown, found: string[] = []): string[] {
  if (Array.isArray(schema)) for (const item of schema) refsOf(item, found);
  else if (isObject(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsOf(value, found);
    }
  }
  return found;
}

/** The model a canonical reference names, if it is one of this API's. */
export function modelNameOfUri(ref: string, restApiId: string): string | undefined {
  const match = MODEL_URI.exec(ref);
  return match && match[1] === restApiId ? decodeURIComponent(match[2]!) : undefined;
}

/** The schema text parsed, or AWS's refusal of a schema that is not a draft 4 JSON object schema. */
export function parseModelSchema(text: string | undefined): JsonObject {
  if (text === undefined || text.trim() === '') {
    throw new BadRequestException('Model schema must have at least 1 property or array items defined');
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    throw invalidModel('Invalid model schema specified');
  }
  if (!isObject(schema)) throw invalidModel('Invalid model schema specified');
  let valid: boolean;
  try {
    valid = (metaChecker ??= schemaValidator()).validateSchema(schema) as boolean;
  } catch {
    // A `$schema` other than draft 4's.
    valid = false;
  }
  if (!valid) throw invalidModel('Invalid model schema specified');
  return schema;
}

/**
 * Refuses a schema that is not draft 4 JSON, or that names another model otherwise than by its
 * canonical URI or names one the API lacks.
 */
export function checkModelSchema(
  text: string | undefined,
  restApiId: string,
  models: ReadonlySet<string>,
): void {
  const schema = parseModelSchema(text);
  for (const ref of refsOf(schema)) {
    if (ref.startsWith('#')) continue;
    const name = modelNameOfUri(ref, restApiId);
    if (name === undefined) {
      throw invalidModel('Invalid model schema specified', 'Model reference must be in canonical form');
    }
    if (!models.has(name)) throw invalidModel(`Invalid model specified: ${name}`);
  }
}

/** The models a schema names, directly. */
export function referencedModels(schemaText: string | undefined, restApiId: string): string[] {
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText ?? '{}');
  } catch {
    return [];
  }
  return refsOf(schema).flatMap((ref) => modelNameOfUri(ref, restApiId) ?? []);
}

/** A copy of a schema with each `$ref` rewritten by `rename`. */
export function withRefs(schema: unknown, rename: (ref: string) => string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => withRefs(item, rename));
  if (!isObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? rename(value) : withRefs(value, rename),
    ]),
  );
}

/**
 * GetModel's `flatten`: the schema with every model it names (and they name) brought in under
 * `definitions`, references made local (`#/definitions/{name}`). A model's own `definitions` join
 * the top level, so its local references still resolve.
 */
export function flattenModel(model: Model, all: readonly Model[], restApiId: string): string {
  const byName = new Map(all.map((m) => [m.name!, m]));
  const local = (ref: string) => {
    const name = modelNameOfUri(ref, restApiId);
    return name === undefined ? ref : `#/definitions/${name}`;
  };
  const parse = (m: Model): JsonObject => {
    try {
      const parsed: unknown = JSON.parse(m.schema ?? '{}');
      return isObject(parsed) ? parsed : {};
    } catch {
      return {};
    }
  };
  const root = parse(model);
  const definitions: JsonObject = isObject(root.definitions) ? { ...root.definitions } : {};
  const pending = referencedModels(model.schema, restApiId);
  const seen = new Set<string>([model.name!]);
  while (pending.length > 0) {
    const name = pending.shift()!;
    const referenced = byName.get(name);
    if (seen.has(name) || !referenced) continue;
    seen.add(name);
    const { $schema: _dropped, definitions: own, ...schema } = parse(referenced);
    definitions[name] = withRefs(schema, local);
    if (isObject(own))
      for (const [key, value] of Object.entries(own)) definitions[key] ??= withRefs(value, local);
    pending.push(...referencedModels(referenced.schema, restApiId));
  }
  const flat = withRefs(root, local) as JsonObject;
  if (Object.keys(definitions).length > 0) flat.definitions = definitions;
  return JSON.stringify(flat);
}
