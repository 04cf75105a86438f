import type { PassthroughBehavior } from '@aws-sdk/client-apigatewayv2';
import { describe, expect, it } from 'vitest';
import { requestTemplateFor } from './mapped-integration.js';

const templates = { join: 'JOIN', $default: 'ANY' };

describe('requestTemplateFor', () => {
  it.each([
    ['the template the expression names', '$request.body.action', '{"action":"join"}', 'JOIN'],
    ['$default when it names another', '$request.body.action', '{"action":"leave"}', 'ANY'],
    ['$default when the message is not JSON', '$request.body.action', 'hello', 'ANY'],
    ['$default for a binary message', '$request.body.action', undefined, 'ANY'],
    ['a static expression', '\\$default', '{"action":"join"}', 'ANY'],
  ])('%s', (_name, expression, message, text) => {
    expect(
      requestTemplateFor({ RequestTemplates: templates, TemplateSelectionExpression: expression }, message),
    ).toEqual({ kind: 'template', text });
  });

  it('uses $default without a selection expression', () => {
    expect(requestTemplateFor({ RequestTemplates: templates }, '{}')).toEqual({
      kind: 'template',
      text: 'ANY',
    });
  });

  it.each<[string, Record<string, string>, PassthroughBehavior | undefined, string]>([
    ['WHEN_NO_MATCH passes an unmatched message', { join: 'J' }, 'WHEN_NO_MATCH', 'passthrough'],
    ['the default behavior is WHEN_NO_MATCH', { join: 'J' }, undefined, 'passthrough'],
    ['WHEN_NO_TEMPLATES passes when there are none', {}, 'WHEN_NO_TEMPLATES', 'passthrough'],
    ['WHEN_NO_TEMPLATES refuses when some exist', { join: 'J' }, 'WHEN_NO_TEMPLATES', 'refused'],
    ['NEVER refuses', {}, 'NEVER', 'refused'],
  ])('%s', (_name, RequestTemplates, PassthroughBehavior, kind) => {
    expect(
      requestTemplateFor(
        { RequestTemplates, TemplateSelectionExpression: '$request.body.action', PassthroughBehavior },
        '{"action":"leave"}',
      ),
    ).toEqual({ kind });
  });
});
