import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  attributesSize,
  checkAttributes,
  checkBody,
  md5OfAttributes,
  selectAttributes,
} from './message-attributes.js';

describe('message attributes', () => {
  it('digests attributes as SQS does: sorted names, length-prefixed fields, a transport byte', () => {
    // Worked by hand: name "a" (00000001 61), type "String" (00000006 537472696e67), 01, value "b" (00000001 62).
    const bytes = Buffer.from('0000000161' + '00000006537472696e67' + '01' + '0000000162', 'hex');
    expect(md5OfAttributes({ a: { DataType: 'String', StringValue: 'b' } })).toBe(
      createHash('md5').update(bytes).digest('hex'),
    );
    const binary = Buffer.from('0000000162' + '0000000642696e617279' + '02' + '00000002ff00', 'hex');
    expect(
      md5OfAttributes({ b: { DataType: 'Binary', BinaryValue: Buffer.from([255, 0]).toString('base64') } }),
    ).toBe(createHash('md5').update(binary).digest('hex'));
    expect(md5OfAttributes({})).toBeUndefined();
  });

  it('the digest does not depend on the order attributes were given in', () => {
    const one = { x: { DataType: 'Number', StringValue: '1' }, a: { DataType: 'String', StringValue: 'z' } };
    const two = { a: one.a, x: one.x };
    expect(md5OfAttributes(one)).toBe(md5OfAttributes(two));
  });

  it.each([
    ['name with space', { DataType: 'String', StringValue: 'v' }, /is invalid/],
    ['.leading', { DataType: 'String', StringValue: 'v' }, /is invalid/],
    ['trailing.', { DataType: 'String', StringValue: 'v' }, /is invalid/],
    ['amazon.thing', { DataType: 'String', StringValue: 'v' }, /is invalid/],
    ['ok', { DataType: 'Strin', StringValue: 'v' }, /type of message \(user\) attribute 'ok' is invalid/],
    ['ok', { DataType: 'Number', StringValue: '1e200' }, /to a number/],
    ['ok', { DataType: 'Number', StringValue: '1'.repeat(39) }, /to a number/],
    ['ok', { DataType: 'Binary' }, /non-empty value of type 'Binary'/],
    ['ok', { DataType: 'String', StringListValues: ['a'] }, /list values .* are not supported/],
  ])('refuses %s %j', (name, value, message) => {
    expect(() => checkAttributes({ [name]: value }, 'user')).toThrow(message);
  });

  it.each([
    ['Number', '-12.5e3'],
    ['Number.int', '0042'],
    ['String.custom', 'x'],
  ])('accepts %s %s', (DataType, StringValue) => {
    expect(checkAttributes({ ok: { DataType, StringValue } }, 'user')).toEqual({
      ok: { DataType, StringValue },
    });
  });

  it('system attributes are AWSTraceHeader strings only', () => {
    expect(() => checkAttributes({ Other: { DataType: 'String', StringValue: 'v' } }, 'system')).toThrow(
      /is invalid/,
    );
    expect(() =>
      checkAttributes({ AWSTraceHeader: { DataType: 'Number', StringValue: '1' } }, 'system'),
    ).toThrow(/type of message \(system\)/);
  });

  it.each([
    ['tab\tnew\nline\rok', true],
    ['emoji 🙂 ok', true],
    ['nul \u0000', false],
    ['lone surrogate \ud800', false],
    ['\ufffe', false],
  ])('body %j valid: %s', (body, valid) => {
    if (valid) expect(() => checkBody(body)).not.toThrow();
    else expect(() => checkBody(body)).toThrow(/Invalid characters found/);
  });

  it('counts names, types and values towards the message size', () => {
    expect(attributesSize({ ab: { DataType: 'String', StringValue: 'ü' } })).toBe(2 + 6 + 2);
  });

  it.each([
    [['All'], ['a.b', 'a.c', 'z']],
    [['.*'], ['a.b', 'a.c', 'z']],
    [['a.*'], ['a.b', 'a.c']],
    [['z'], ['z']],
    [['none'], undefined],
    [[], undefined],
  ])('selects %j', (requested, names) => {
    const stored = {
      'a.b': { DataType: 'String', StringValue: '1' },
      'a.c': { DataType: 'String', StringValue: '2' },
      z: { DataType: 'String', StringValue: '3' },
    };
    const selected = selectAttributes(stored, requested);
    expect(selected ? Object.keys(selected) : undefined).toEqual(names);
  });
});
