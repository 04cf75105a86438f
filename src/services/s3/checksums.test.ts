import { describe, expect, it } from 'vitest';
import { checksumAlgorithmOf, checksummer, checksumOf, type ChecksumAlgorithm } from './checksums.js';

const hex = (base64: string) => Buffer.from(base64, 'base64').toString('hex');

describe('object checksums', () => {
  // The standard check values: each algorithm over the ASCII bytes "123456789".
  it.each<[ChecksumAlgorithm, string]>([
    ['CRC32', 'cbf43926'],
    ['CRC32C', 'e3069283'],
    ['CRC64NVME', 'ae8b14860a799888'],
    ['SHA1', 'f7c3bc1d808e04732adf679965ccc34ca7ae3441'],
  ])('%s of "123456789" is the check value %s', (algorithm, expected) => {
    expect(hex(checksumOf(algorithm, Buffer.from('123456789')))).toBe(expected);
  });

  it('gives the same value however the bytes are split', () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog'.repeat(100));
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA256'] as const) {
      const sum = checksummer(algorithm);
      for (let at = 0; at < data.length; at += 37) sum.update(data.subarray(at, at + 37));
      expect(sum.digest()).toBe(checksumOf(algorithm, data));
    }
  });

  it('is the base64 of the big-endian digest, as S3 writes it', () => {
    expect(checksumOf('CRC32', Buffer.from('hello'))).toBe('NhCmhg==');
    expect(checksumOf('CRC32', Buffer.alloc(0))).toBe('AAAAAA==');
  });

  it('knows algorithms by name or by header', () => {
    expect(checksumAlgorithmOf('crc32c')).toBe('CRC32C');
    expect(checksumAlgorithmOf('x-amz-checksum-crc64nvme')).toBe('CRC64NVME');
    expect(checksumAlgorithmOf('XXHASH3')).toBeUndefined();
  });
});
