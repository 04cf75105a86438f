import { describe, expect, it } from 'vitest';
import { decodeNextToken, encodeNextToken, statementFingerprint } from './next-token.js';
import { refusal } from './testing.js';

describe('NextToken', () => {
  const fingerprint = statementFingerprint(`SELECT * FROM T WHERE pk = ?`, [{ S: 'a' }]);

  it('carries the partition and the last key read, binaries included', () => {
    const key = { pk: { S: 'a' }, sk: { B: Buffer.from([0, 255]) } };
    const token = encodeNextToken(fingerprint, { partition: 2, key });
    expect(decodeNextToken(token, fingerprint)).toEqual({ partition: 2, key });
    expect(decodeNextToken(encodeNextToken(fingerprint, { partition: 1 }), fingerprint)).toEqual({
      partition: 1,
    });
  });

  it('is bound to the statement and its parameters', () => {
    const token = encodeNextToken(fingerprint, { partition: 0 });
    expect(statementFingerprint(`SELECT * FROM T WHERE pk = ?`, [{ S: 'b' }])).not.toBe(fingerprint);
    expect(
      refusal(() =>
        decodeNextToken(token, statementFingerprint(`SELECT pk FROM T WHERE pk = ?`, [{ S: 'a' }])),
      ),
    ).toBe('NextToken does not match request');
  });

  it.each([
    'not a token',
    Buffer.from('{"f":"x","p":-1}').toString('base64'),
    Buffer.from('[]').toString('base64'),
  ])('refuses %s', (token) => {
    expect(refusal(() => decodeNextToken(token, fingerprint))).toBe('Invalid NextToken');
  });
});
