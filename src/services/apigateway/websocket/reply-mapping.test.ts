import { describe, expect, it } from 'vitest';
import type { IntegrationResponse } from '@aws-sdk/client-apigatewayv2';
import { chooseIntegrationResponse, mapReply } from './reply-mapping.js';

const responses: IntegrationResponse[] = [
  { IntegrationResponseId: 'a', IntegrationResponseKey: '/4\\d\\d/' },
  { IntegrationResponseId: 'b', IntegrationResponseKey: '$default' },
  { IntegrationResponseId: 'c', IntegrationResponseKey: '/.*not found.*/' },
  { IntegrationResponseId: 'd', IntegrationResponseKey: '503' },
];

const mapped = (fields: {
  statusCode?: number;
  selector?: string;
  body?: string;
  headers?: [string, string][];
}) => ({
  kind: 'mapped' as const,
  statusCode: fields.statusCode ?? 200,
  selector: fields.selector,
  headers: fields.headers ?? [],
  body: Buffer.from(fields.body ?? ''),
});

const scope = (message: string | undefined) => ({
  message,
  params: { path: {}, querystring: {}, header: {} },
  context: { connectionId: 'c0nn=', routeKey: 'greet' },
  stageVariables: { greeting: 'hello' },
});

describe('chooseIntegrationResponse', () => {
  it.each([
    ['a status a /pattern/ matches whole', '404', 'a'],
    ['a status no pattern matches: $default', '200', 'b'],
    ['a pattern that must match the whole selector', '4040', 'b'],
    ["a Lambda function's error message", 'user not found here', 'c'],
    ['a literal key, matched as it is', '503', 'd'],
    ['a function that succeeded: $default', undefined, 'b'],
  ])('%s', (_name, selector, id) => {
    expect(chooseIntegrationResponse(responses, selector)?.IntegrationResponseId).toBe(id);
  });

  it('chooses nothing without a match or $default', () => {
    expect(chooseIntegrationResponse([responses[0]!], '200')).toBeUndefined();
  });
});

describe('mapReply', () => {
  it('renders the template the selection expression picks, with $input, $context and $stageVariables', () => {
    const reply = mapReply(
      [
        {
          IntegrationResponseId: 'r',
          IntegrationResponseKey: '$default',
          TemplateSelectionExpression: '${request.body.format}',
          ResponseTemplates: {
            short: "$stageVariables.greeting $input.path('$.name')",
            $default: '{"to":"$input.path(\'$.name\')","on":"$context.connectionId"}',
          },
        },
      ],
      mapped({ body: '{"name":"ann"}' }),
      scope('{"format":"short"}'),
    );
    expect(reply).toEqual({ kind: 'reply', data: Buffer.from('hello ann'), binary: false });
    const fallback = mapReply(
      [
        {
          IntegrationResponseId: 'r',
          IntegrationResponseKey: '$default',
          TemplateSelectionExpression: '${request.body.format}',
          ResponseTemplates: { $default: '$context.routeKey' },
        },
      ],
      mapped({ body: '{}' }),
      scope('{"format":"long"}'),
    );
    expect(fallback).toEqual({ kind: 'reply', data: Buffer.from('greet'), binary: false });
  });

  it('selects templates by the status code and headers of the answer', () => {
    const response: IntegrationResponse = {
      IntegrationResponseId: 'r',
      IntegrationResponseKey: '$default',
      TemplateSelectionExpression: '${integration.response.statuscode}-${integration.response.header.X-Kind}',
      ResponseTemplates: { '201-new': 'created' },
    };
    const reply = mapReply(
      [response],
      mapped({ statusCode: 201, headers: [['x-kind', 'new']] }),
      scope(undefined),
    );
    expect(reply).toEqual({ kind: 'reply', data: Buffer.from('created'), binary: false });
  });

  it('passes the answer as it is without a template', () => {
    const reply = mapReply(
      [{ IntegrationResponseId: 'r', IntegrationResponseKey: '$default' }],
      mapped({ body: '{"ok":true}' }),
      scope('{}'),
    );
    expect(reply).toEqual({ kind: 'reply', data: Buffer.from('{"ok":true}'), binary: false });
  });

  it('converts with the content handling strategy', () => {
    const text = mapReply(
      [
        {
          IntegrationResponseId: 'r',
          IntegrationResponseKey: '$default',
          ContentHandlingStrategy: 'CONVERT_TO_TEXT',
        },
      ],
      mapped({ body: 'hi' }),
      scope(undefined),
    );
    expect(text).toEqual({ kind: 'reply', data: Buffer.from('aGk='), binary: false });
    const binary = mapReply(
      [
        {
          IntegrationResponseId: 'r',
          IntegrationResponseKey: '$default',
          ContentHandlingStrategy: 'CONVERT_TO_BINARY',
        },
      ],
      mapped({ body: '/wAB' }),
      scope(undefined),
    );
    expect(binary).toEqual({ kind: 'reply', data: Buffer.from([0xff, 0, 1]), binary: true });
  });

  it('answers no-match when no integration response is chosen', () => {
    expect(mapReply([], mapped({}), scope(undefined))).toEqual({ kind: 'no-match' });
  });
});
