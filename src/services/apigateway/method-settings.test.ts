import type { PatchOperation } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { BadRequestException } from './errors.js';
import { applyMethodSettings, isMethodSettingsPath } from './method-settings.js';

describe('stage method settings patches', () => {
  it.each([
    ['/*/*/throttling/rateLimit', true],
    ['/~1pets~1{id}/GET/throttling/burstLimit', true],
    ['/*/*/metrics/enabled', false],
    ['/description', false],
  ])('%s is a throttling path: %s', (path, expected) => {
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

  it('refuses a value that is not a number', () => {
    expect(() =>
      applyMethodSettings({}, [{ op: 'replace', path: '/*/*/throttling/rateLimit', value: 'fast' }]),
    ).toThrow(BadRequestException);
  });
});
