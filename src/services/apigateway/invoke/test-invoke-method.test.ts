import { describe, expect, it } from 'vitest';
import { answerHeaders, testMethodCall } from './test-invoke-method.js';

const at = { accountId: '000000000000', region: 'us-east-1' };

describe('testMethodCall', () => {
  it('splits the path from its query string and defaults to the resource path', () => {
    const call = testMethodCall(
      { restApiId: 'a', resourceId: 'r', httpMethod: 'POST', pathWithQueryString: 'pets/1?x=2' },
      '/pets/{id}',
      at,
      0,
    );
    expect(call).toMatchObject({ rawPath: '/pets/1', rawQueryString: 'x=2', method: 'POST' });
    expect(call.stage).toBe('test-invoke-stage');
    const plain = testMethodCall({ restApiId: 'a', resourceId: 'r', httpMethod: 'ANY' }, '/pets', at, 0);
    expect(plain).toMatchObject({ rawPath: '/pets', rawQueryString: '', method: 'GET' });
  });

  it('sends every value of multiValueHeaders, then headers', () => {
    const call = testMethodCall(
      {
        restApiId: 'a',
        resourceId: 'r',
        httpMethod: 'GET',
        headers: { b: '3' },
        multiValueHeaders: { a: ['1', '2'] },
      },
      '/',
      at,
      0,
    );
    expect(call.headers).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['b', '3'],
    ]);
  });
});

describe('answerHeaders', () => {
  it('answers the last value of each header and all of them', () => {
    expect(answerHeaders({ a: ['1', '2'], b: '3', c: [] })).toEqual({
      headers: { a: '2', b: '3' },
      multiValueHeaders: { a: ['1', '2'], b: ['3'] },
    });
  });
});
