/**
 * The checksums S3 computes over an object's bytes (`x-amz-checksum-<algorithm>`, base64 of the
 * big-endian digest): CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512 and MD5, each fed as the
 * bytes stream past. CRC32 is zlib's; CRC32C and CRC64NVME are table-driven here (the 64-bit
 * register kept as two 32-bit halves, which JavaScript shifts fast, instead of a BigInt).
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const checksumAlgorithms = [
  'CRC32',
  'CRC32C',
  'CRC64NVME',
  'SHA1',
  'SHA256',
  'SHA512',
  'MD5',
] as const;
export type ChecksumAlgorithm = (typeof checksumAlgorithms)[number];

export interface Checksummer {
  update(data: Buffer): void;
  /** Base64 of the digest. */
  digest(): string;
}

/** `CRC32` for `crc32`, `x-amz-checksum-crc32` or `CRC32`; undefined for one S3 does not know. */
export function checksumAlgorithmOf(name: string): ChecksumAlgorithm | undefined {
  const upper = name.replace(/^x-amz-checksum-/i, '').toUpperCase();
  return (checksumAlgorithms as readonly string[]).includes(upper) ? (upper as ChecksumAlgorithm) : undefined;
}

export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

/** The output member carrying an algorithm's value: `ChecksumCRC32` … */
export function checksumMember(algorithm: ChecksumAlgorithm): `Checksum${ChecksumAlgorithm}` {
  return `Checksum${algorithm}`;
}

const crc32cTable = new Uint32Array(256);
// CRC-64/NVME: reflected polynomial 0x9a6c9329ac4bc9b5, as high and low 32-bit halves.
const crc64High = new Uint32Array(256);
const crc64Low = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  crc32cTable[n] = c >>> 0;
  let high = 0;
  let low = n;
  for (let k = 0; k < 8; k++) {
    const carry = low & 1;
    low = ((low >>> 1) | ((high & 1) << 31)) >>> 0;
    high >>>= 1;
    if (carry) {
      high = (high ^ 0x9a6c9329) >>> 0;
      low = (low ^ 0xac4bc9b5) >>> 0;
    }
  }
  crc64High[n] = high;
  crc64Low[n] = low;
}

function bigEndian(...words: number[]): string {
  const out = Buffer.alloc(words.length * 4);
  words.forEach((word, i) => out.writeUInt32BE(word >>> 0, i * 4));
  return out.toString('base64');
}

class Crc32 implements Checksummer {
  private value = 0;
  update(data: Buffer): void {
    this.value = crc32(data, this.value);
  }
  digest(): string {
    return bigEndian(this.value);
  }
}

class Crc32c implements Checksummer {
  private value = 0xffffffff;
  update(data: Buffer): void {
    let c = this.value;
    for (let i = 0; i < data.length; i++) c = crc32cTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
    this.value = c;
  }
  digest(): string {
    return bigEndian(~this.value);
  }
}

class Crc64Nvme implements Checksummer {
  private high = 0xffffffff;
  private low = 0xffffffff;
  update(data: Buffer): void {
    let high = this.high;
    let low = this.low;
    for (let i = 0; i < data.length; i++) {
      const index = (low ^ data[i]!) & 0xff;
      low = ((low >>> 8) | (high << 24)) ^ crc64Low[index]!;
      high = (high >>> 8) ^ crc64High[index]!;
    }
    this.high = high;
    this.low = low;
  }
  digest(): string {
    return bigEndian(~this.high, ~this.low);
  }
}

export function checksummer(algorithm: ChecksumAlgorithm): Checksummer {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32();
    case 'CRC32C':
      return new Crc32c();
    case 'CRC64NVME':
      return new Crc64Nvme();
    default: {
      const hash = createHash(algorithm.toLowerCase());
      return { update: (data) => hash.update(data), digest: () => hash.digest('base64') };
    }
  }
}

export function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): string {
  const sum = checksummer(algorithm);
  sum.update(data);
  return sum.digest();
}
