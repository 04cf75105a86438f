/**
 * Reading an OpenAPI document as API Gateway takes it: JSON or YAML, OpenAPI 3.0 or Swagger 2.0,
 * with local `$ref`s followed and the base path found where each version keeps it. Anything that
 * is not such a document is AWS's `Invalid OpenAPI input.`
 */
import { isScalar, parseDocument, visit } from 'yaml';
import { BadRequestException } from '../errors.js';
import { isObject, text, type JsonObject } from './json-values.js';

export type OpenApiVersion = 'oas30' | 'swagger';

export interface OpenApiDocument {
  version: OpenApiVersion;
  root: JsonObject;
}

export const invalidOpenApiInput = () => new BadRequestException('Invalid OpenAPI input.');

/**
 * The document as plain values. YAML is parsed with a number's source text kept where it would
 * otherwise be lost (`version: 1.0` stays `"1.0"`, as AWS's parser reads it); JSON goes through
 * the same parser, YAML being a superset of it, so `"payloadFormatVersion": 1.0` stays `"1.0"` too.
 */
export function parseOpenApiText(source: string): unknown {
  const document = parseDocument(source, { uniqueKeys: false, prettyErrors: false });
  if (document.errors.length > 0) throw invalidOpenApiInput();
  visit(document, {
    Scalar(_, node) {
      if (isScalar(node) && typeof node.value === 'number' && node.source !== undefined) {
        if (String(node.value) !== node.source) node.value = node.source;
      }
    },
  });
  return document.toJS({ maxAliasCount: 100 });
}

/** Reads an import's body: a document of a version API Gateway imports, with `paths`. */
export function readDocument(body: Uint8Array | string | undefined): OpenApiDocument {
  const source = typeof body === 'string' ? body : Buffer.from(body ?? new Uint8Array()).toString('utf8');
  if (source.trim() === '') throw invalidOpenApiInput();
  const root = parseOpenApiText(source);
  if (!isObject(root)) throw invalidOpenApiInput();
  const version = versionOf(root);
  if (!version || !isObject(root.paths)) throw invalidOpenApiInput();
  return { version, root };
}

function versionOf(root: JsonObject): OpenApiVersion | undefined {
  const openapi = text(root.openapi);
  if (openapi !== undefined) return /^3\.0(\.\d+)?$/.test(openapi) ? 'oas30' : undefined;
  return text(root.swagger) === '2.0' ? 'swagger' : undefined;
}

/**
 * Follows a local reference (`#/components/schemas/Pet`, `#/components/x-amazon-apigateway-
 * integrations/one`); a value that is not a reference is itself. An unresolvable one is undefined.
 */
export function resolveRef(root: JsonObject, value: unknown, depth = 0): unknown {
  if (!isObject(value) || typeof value.$ref !== 'string') return value;
  const ref = value.$ref;
  if (!ref.startsWith('#/') || depth > 20) return undefined;
  let target: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(target)) return undefined;
    target = target[key];
  }
  return target === undefined ? undefined : resolveRef(root, target, depth + 1);
}

/**
 * The base path the document declares: Swagger's `basePath`; in OpenAPI 3.0, the first server's
 * `basePath` variable, else the path of the first server's URL (AWS's documented convention).
 * Without one, `''`.
 */
export function basePathOf(document: OpenApiDocument): string {
  const { root } = document;
  if (document.version === 'swagger') return trimSlashes(text(root.basePath) ?? '');
  const servers = Array.isArray(root.servers) ? root.servers.filter(isObject) : [];
  for (const server of servers) {
    const variables = isObject(server.variables) ? server.variables : {};
    const basePath = isObject(variables.basePath) ? text(variables.basePath.default) : undefined;
    if (basePath !== undefined) return trimSlashes(basePath);
  }
  const url = servers.length > 0 ? text(servers[0]!.url) : undefined;
  if (!url) return '';
  return trimSlashes(url.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/, ''));
}

export type BasePathMode = 'ignore' | 'prepend' | 'split';

/**
 * Where a document's path lands in the API under the `basepath` import parameter: `ignore` drops
 * the base path, `prepend` puts it before every path, `split` puts all of it but its first part.
 */
export function placePath(path: string, basePath: string, mode: BasePathMode): string {
  const kept = mode === 'prepend' ? basePath : mode === 'split' ? basePath.split('/').slice(1).join('/') : '';
  const joined = `/${[kept, trimSlashes(path)].filter((part) => part !== '').join('/')}`;
  return joined;
}

export function basePathMode(value: string | undefined): BasePathMode {
  if (value === undefined || value === '') return 'ignore';
  if (value === 'ignore' || value === 'prepend' || value === 'split') return value;
  throw new BadRequestException(
    `Invalid value for parameter basepath: ${value}. Valid values are ignore, prepend, split`,
  );
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
