import { describe, expect, it } from 'vitest';
import {
  basePathMode,
  basePathOf,
  parseOpenApiText,
  placePath,
  readDocument,
  resolveRef,
  type OpenApiDocument,
} from './read-document.js';

const oas = (extra: Record<string, unknown> = {}): OpenApiDocument => ({
  version: 'oas30',
  root: { openapi: '3.0.1', paths: {}, ...extra },
});

describe('reading an OpenAPI document', () => {
  it.each([
    ['JSON', '{"openapi": "3.0.1", "info": {"title": "t"}, "paths": {}}', 'oas30'],
    ['YAML', 'openapi: 3.0.1\ninfo:\n  title: t\npaths: {}\n', 'oas30'],
    ['Swagger 2.0 in YAML', 'swagger: 2.0\npaths: {}\n', 'swagger'],
    ['Swagger 2.0 in JSON', '{"swagger": "2.0", "paths": {}}', 'swagger'],
  ])('reads %s', (_, body, version) => {
    expect(readDocument(Buffer.from(body)).version).toBe(version);
  });

  it.each([
    ['malformed JSON', "{'key:value}"],
    [
      'malformed YAML',
      'test:\n    value:\n        - "value ... \\"escaped\\": $var, \\"dt\\": $(var +"%a")}\\"\n',
    ],
    ['an empty body', '   '],
    ['a scalar', 'just text'],
    ['a document of no OpenAPI version', 'title: x\npaths: {}\n'],
    ['OpenAPI 3.1', 'openapi: 3.1.0\npaths: {}\n'],
    ['Swagger 1.2', '{"swagger": "1.2", "paths": {}}'],
    ['a document without paths', 'openapi: 3.0.1\ninfo: { title: t }\n'],
  ])("refuses %s as AWS's Invalid OpenAPI input.", (_, body) => {
    expect(() => readDocument(Buffer.from(body))).toThrow('Invalid OpenAPI input.');
  });

  it('keeps a number written as 1.0 as the text 1.0, as AWS reads versions', () => {
    expect(parseOpenApiText('version: 1.0\nformat: 2.0\ntimeout: 1000\nflag: true\n')).toEqual({
      version: '1.0',
      format: '2.0',
      timeout: 1000,
      flag: true,
    });
    expect(parseOpenApiText('{"payloadFormatVersion": 1.0, "max": 3600}')).toEqual({
      payloadFormatVersion: '1.0',
      max: 3600,
    });
  });

  it('follows local references, through references to references', () => {
    const root = {
      components: {
        parameters: { id: { $ref: '#/components/parameters/real' }, real: { name: 'id', in: 'path' } },
        'x-amazon-apigateway-integrations': { 'a/b': { type: 'mock' } },
      },
    };
    expect(resolveRef(root, { $ref: '#/components/parameters/id' })).toEqual({ name: 'id', in: 'path' });
    expect(resolveRef(root, { $ref: '#/components/x-amazon-apigateway-integrations/a~1b' })).toEqual({
      type: 'mock',
    });
    expect(resolveRef(root, { $ref: '#/components/missing' })).toBeUndefined();
    expect(resolveRef(root, { $ref: 'other.yaml#/x' })).toBeUndefined();
    expect(resolveRef(root, { name: 'inline' })).toEqual({ name: 'inline' });
  });

  it.each([
    [
      'Swagger basePath',
      { version: 'swagger', root: { swagger: '2.0', basePath: '/a/b/', paths: {} } },
      'a/b',
    ],
    [
      'a basePath server variable',
      oas({ servers: [{ url: 'https://x.com/{basePath}', variables: { basePath: { default: '/v1' } } }] }),
      'v1',
    ],
    [
      'the path of the first server URL',
      oas({ servers: [{ url: 'https://x.com/base-url/part/' }] }),
      'base-url/part',
    ],
    ['a relative server URL', oas({ servers: [{ url: '/stage' }] }), 'stage'],
    ['no servers', oas(), ''],
    ['a server at the root', oas({ servers: [{ url: 'https://x.com' }] }), ''],
  ] as [string, OpenApiDocument, string][])('finds the base path in %s', (_, document, basePath) => {
    expect(basePathOf(document)).toBe(basePath);
  });

  it.each([
    ['ignore', '/e', '/e'],
    ['prepend', '/e', '/a/b/c/e'],
    ['split', '/e', '/b/c/e'],
    ['prepend', '/', '/a/b/c'],
    ['ignore', '/', '/'],
  ] as const)('places a path under basepath=%s: %s → %s', (mode, path, placed) => {
    expect(placePath(path, 'a/b/c', mode)).toBe(placed);
  });

  it('takes ignore, prepend and split as basepath, ignore by default', () => {
    expect(basePathMode(undefined)).toBe('ignore');
    expect(basePathMode('split')).toBe('split');
    expect(() => basePathMode('append')).toThrow('Invalid value for parameter basepath');
  });
});
