import type { PatchOperation } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { BadRequestException } from './errors.js';
import { applyMethodSettings, isMethodSettingsPath } from './method-settings.js';

describe('stage method settings patches', () => {
  it.each([
    ['/*/*/throttling/rateLimit', true],
    ['/~1pets~1{id}/GET/throttling/burstLimit', true],
    ['/*/*/caching/enabled', true],
    ['/~1pets/POST/caching/unauthorizedCacheControlHeaderStrategy', true],
    ['/*/*/caching/other', false],
    ['/*/*/metrics/enabled', false],
    ['/description', false],
  ])('%s is a method settings path: %s', (path, expected) => {
    expect(isMethodSettingsPath(path)).toBe(expected);
  });

  it.each<{ name: string; ops: PatchOperation[]; expected: object }>([
    {
      name: 'stage-wide limits under */*',
      ops: [
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '10.5' },
        { op: 'replace', path: '/*/*/throttling/burstLimit', value: '20' },
      ],
      expected: { '*/*': { throttlingRateLimit: 10.5, throttlingBurstLimit: 20 } },
    },
    {
      name: 'one method under its escaped resource path',
      ops: [{ op: 'replace', path: '/~1pets~1{id}/GET/throttling/burstLimit', value: '3' }],
      expected: { '~1pets~1{id}/GET': { throttlingBurstLimit: 3 } },
    },
    {
      name: 'caching settings, stage-wide and for one method',
      ops: [
        { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
        { op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '3600' },
        { op: 'replace', path: '/*/*/caching/dataEncrypted', value: 'false' },
        { op: 'replace', path: '/~1pets/POST/caching/enabled', value: 'true' },
        { op: 'replace', path: '/~1pets/POST/caching/requireAuthorizationForCacheControl', value: 'false' },
        {
          op: 'replace',
          path: '/~1pets/POST/caching/unauthorizedCacheControlHeaderStrategy',
          value: 'FAIL_WITH_403',
        },
      ],
      expected: {
        '*/*': { cachingEnabled: true, cacheTtlInSeconds: 3600, cacheDataEncrypted: false },
        '~1pets/POST': {
          cachingEnabled: true,
          requireAuthorizationForCacheControl: false,
          unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
        },
      },
    },
    {
      name: 'remove drops the limit',
      ops: [
        { op: 'replace', path: '/*/*/throttling/rateLimit', value: '1' },
        { op: 'remove', path: '/*/*/throttling/rateLimit' },
      ],
      expected: { '*/*': {} },
    },
  ])('$name', ({ ops, expected }) => {
    expect(applyMethodSettings({}, ops)).toEqual(expected);
  });

  it.each([
    ['/*/*/throttling/rateLimit', 'fast'],
    ['/*/*/caching/ttlInSeconds', '3601'],
    ['/*/*/caching/ttlInSeconds', '1.5'],
    ['/*/*/caching/ttlInSeconds', '-1'],
    ['/*/*/caching/enabled', 'yes'],
    ['/*/*/caching/unauthorizedCacheControlHeaderStrategy', 'IGNORE'],
    ['/*/*/caching/enabled', undefined],
  ])('refuses %s = %s', (path, value) => {
    expect(() => applyMethodSettings({}, [{ op: 'replace', path, value }])).toThrow(BadRequestException);
  });

  it('keeps what other operations set on the same method', () => {
    const settings = applyMethodSettings({ '*/*': { throttlingRateLimit: 5 } }, [
      { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
    ]);
    expect(settings).toEqual({ '*/*': { throttlingRateLimit: 5, cachingEnabled: true } });
  });
});
