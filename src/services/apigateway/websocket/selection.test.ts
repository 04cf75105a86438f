import { describe, expect, it } from 'vitest';
import { evaluateRouteSelection, routeKeysFor } from './selection.js';

const join = JSON.stringify({
  service: 'chat',
  action: 'join',
  data: { room: 'r1', n: 2, tags: ['a', 'b'] },
});

describe('evaluateRouteSelection', () => {
  it.each([
    ['an unwrapped variable', '$request.body.action', join, 'join'],
    ['a wrapped variable', '${request.body.action}', join, 'join'],
    ['variables with static text', '${request.body.service}/${request.body.action}', join, 'chat/join'],
    [
      'an unwrapped variable ended by static text',
      '$request.body.service/$request.body.action',
      join,
      'chat/join',
    ],
    ['a nested path', '$request.body.data.room', join, 'r1'],
    ['a number, stringified', '$request.body.data.n', join, '2'],
    ['a list, stringified', '$request.body.data.tags', join, '["a","b"]'],
    ['an index', '$request.body.data.tags[1]', join, 'b'],
    ['a quoted member', "$request.body['action']", join, 'join'],
    ['a static expression', 'always', join, 'always'],
    ['an escaped dollar', '\\$default', join, '$default'],
    ['a member that is not there', '$request.body.missing', join, undefined],
    ['a path through a string', '$request.body.action.deeper', join, undefined],
    ['a message that is not JSON', '$request.body.action', 'hello', undefined],
    ['a variable other than the body', '$request.header.x', join, undefined],
  ])('%s', (_name, expression, message, expected) => {
    expect(evaluateRouteSelection(expression, message)).toBe(expected);
  });
});

describe('routeKeysFor', () => {
  it.each([
    ['the evaluated key, then $default', '{"action":"send"}', ['send', '$default']],
    ['only $default when it cannot be evaluated', 'hello', ['$default']],
    ['only $default for a binary message', undefined, ['$default']],
    ['only $default for a reserved key', '{"action":"$connect"}', ['$default']],
  ])('%s', (_name, message, expected) => {
    expect(routeKeysFor('$request.body.action', message)).toEqual(expected);
  });
});
