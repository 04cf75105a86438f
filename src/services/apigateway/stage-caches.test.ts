import type { Stage } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import { BadRequestException } from './errors.js';
import {
  cacheCapacityBytes,
  newCacheCluster,
  redeployCacheCluster,
  settleCacheCluster,
} from './stage-caches.js';

type Cluster = Pick<Stage, 'cacheClusterEnabled' | 'cacheClusterSize' | 'cacheClusterStatus'>;

describe('stage cache clusters', () => {
  it('are AVAILABLE at once when a stage is made with one, 0.5 GB unless sized', () => {
    expect(newCacheCluster(true, undefined)).toEqual({
      cacheClusterEnabled: true,
      cacheClusterSize: '0.5',
      cacheClusterStatus: 'AVAILABLE',
    });
    expect(newCacheCluster(true, '13.5')).toMatchObject({ cacheClusterSize: '13.5' });
    expect(newCacheCluster(undefined, undefined)).toEqual({
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
    });
  });

  it.each<{ name: string; before: Cluster; after: Cluster; expected: Cluster; flush: boolean }>([
    {
      name: 'turned on: AVAILABLE, sized 0.5 GB, nothing to drop',
      before: { cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE' },
      after: { cacheClusterEnabled: true, cacheClusterStatus: 'NOT_AVAILABLE' },
      expected: { cacheClusterEnabled: true, cacheClusterSize: '0.5', cacheClusterStatus: 'AVAILABLE' },
      flush: false,
    },
    {
      name: 'turned off: NOT_AVAILABLE, its data gone',
      before: { cacheClusterEnabled: true, cacheClusterSize: '0.5', cacheClusterStatus: 'AVAILABLE' },
      after: { cacheClusterEnabled: false, cacheClusterSize: '0.5', cacheClusterStatus: 'AVAILABLE' },
      expected: { cacheClusterEnabled: false, cacheClusterSize: '0.5', cacheClusterStatus: 'NOT_AVAILABLE' },
      flush: true,
    },
    {
      name: 'resized: its data gone, as AWS makes a new cluster',
      before: { cacheClusterEnabled: true, cacheClusterSize: '0.5', cacheClusterStatus: 'AVAILABLE' },
      after: { cacheClusterEnabled: true, cacheClusterSize: '1.6', cacheClusterStatus: 'AVAILABLE' },
      expected: { cacheClusterEnabled: true, cacheClusterSize: '1.6', cacheClusterStatus: 'AVAILABLE' },
      flush: true,
    },
    {
      name: 'untouched: kept',
      before: { cacheClusterEnabled: true, cacheClusterSize: '0.5', cacheClusterStatus: 'AVAILABLE' },
      after: { cacheClusterEnabled: true, cacheClusterSize: '0.5', cacheClusterStatus: 'AVAILABLE' },
      expected: { cacheClusterEnabled: true, cacheClusterSize: '0.5', cacheClusterStatus: 'AVAILABLE' },
      flush: false,
    },
  ])('$name', ({ before, after, expected, flush }) => {
    expect(settleCacheCluster(before, after)).toBe(flush);
    expect(after).toEqual(expected);
  });

  it("follow a redeployment's settings on a stage it moves, and keep theirs without", () => {
    const stage: Cluster = {
      cacheClusterEnabled: true,
      cacheClusterSize: '0.5',
      cacheClusterStatus: 'AVAILABLE',
    };
    expect(redeployCacheCluster(stage, undefined, undefined)).toBe(false);
    expect(stage).toEqual({
      cacheClusterEnabled: true,
      cacheClusterSize: '0.5',
      cacheClusterStatus: 'AVAILABLE',
    });
    expect(redeployCacheCluster(stage, false, undefined)).toBe(true);
    expect(stage).toMatchObject({ cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE' });
  });

  it('take only the sizes AWS offers', () => {
    expect(() =>
      settleCacheCluster(
        {},
        { cacheClusterEnabled: true, cacheClusterSize: '2' as Stage['cacheClusterSize'] },
      ),
    ).toThrow(BadRequestException);
  });

  it('hold their size in GiB', () => {
    expect(cacheCapacityBytes('0.5')).toBe(512 * 1024 * 1024);
    expect(cacheCapacityBytes(undefined)).toBe(512 * 1024 * 1024);
    expect(cacheCapacityBytes('237')).toBe(237 * 1024 ** 3);
  });
});
