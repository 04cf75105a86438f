import { describe, expect, it } from 'vitest';
import { partitionHash } from './item-store.js';

describe('partitionHash', () => {
  it('is an unsigned 32-bit number, the same for the same key', () => {
    const hash = partitionHash(Buffer.from('customer#1'));
    expect(hash).toBe(partitionHash(Buffer.from('customer#1')));
    expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32).toBe(true);
  });

  it('spreads keys that differ in their last byte evenly over Scan segments', () => {
    const segments = new Array<number>(8).fill(0);
    for (let i = 0; i < 8000; i++)
      segments[Math.floor((partitionHash(Buffer.from(`p${i}`)) * 8) / 2 ** 32)]!++;
    for (const count of segments) {
      expect(count).toBeGreaterThan(850);
      expect(count).toBeLessThan(1150);
    }
  });
});
