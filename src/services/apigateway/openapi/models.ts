/**
 * Models: the schemas of `components.schemas` (OpenAPI 3.0) or `definitions` (Swagger 2.0), kept
 * as API Gateway `Model`s (`application/json`, the schema as JSON text) so an export writes them
 * back in either version. Their references to each other are kept version-neutral.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
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

/** A copy of a schema with every `$ref` rewritten by `rename` (which may keep it). */
function withRefs(schema: unknown, rename: (ref: string) => string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => withRefs(item, rename));
  if (!isObject(schema)) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? rename(value) : withRefs(value, rename),
    ]),
  );
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

/** A stored model's schema as a document of this version writes it. */
export function modelSchemaFor(model: APIGW.Model, version: OpenApiVersion): unknown {
  let schema: unknown;
  try {
    schema = JSON.parse(model.schema ?? '{}');
  } catch {
    return {};
  }
  return withRefs(schema, (ref) =>
    ref.startsWith(MODEL_REF_PREFIX) ? `${REF_PREFIX[version]}${ref.slice(MODEL_REF_PREFIX.length)}` : ref,
  );
}

export const modelRef = (name: string, version: OpenApiVersion) => `${REF_PREFIX[version]}${name}`;
