import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checksumOf } from './checksums.js';
import { compositeChecksum, multipartEtag } from './multipart.js';

describe('multipart ETags and checksums', () => {
  it('is the MD5 of the parts’ binary MD5s, then the part count', () => {
    const parts = ['part one', 'part two'].map((p) => createHash('md5').update(p).digest());
    const expected = createHash('md5').update(Buffer.concat(parts)).digest('hex');
    expect(multipartEtag(parts.map((p) => p.toString('hex')))).toBe(`${expected}-2`);
  });

  it('composes a checksum over the parts’ binary checksums', () => {
    const sums = ['a', 'b', 'c'].map((p) => checksumOf('CRC32', Buffer.from(p)));
    const joined = Buffer.concat(sums.map((s) => Buffer.from(s, 'base64')));
    expect(compositeChecksum('CRC32', sums)).toBe(`${checksumOf('CRC32', joined)}-3`);
  });
});
