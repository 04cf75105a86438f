import { describe, it, expect } from 'vitest';
import type { ServiceModel } from './model.js';
import { validateInput, validationMessage, type Violation, type ViolationKind } from './validate.js';

const model: ServiceModel = {
  metadata: {
    apiVersion: '2020-01-01',
    endpointPrefix: 'demo',
    protocol: 'json',
    serviceId: 'Demo',
    serviceFullName: 'Demo Service',
  },
  operations: {},
  shapes: {
    Input: {
      type: 'structure',
      required: ['Name'],
      members: {
        Name: { shape: 'Name' },
        Size: { shape: 'Size' },
        Ratio: { shape: 'Ratio' },
        Color: { shape: 'Color' },
        Items: { shape: 'Items' },
        Labels: { shape: 'Labels' },
        Data: { shape: 'Data' },
        Nested: { shape: 'Nested' },
        Loose: { shape: 'JavaOnlyPattern' },
        Renamed: { shape: 'String', locationName: 'renamedOnWire' },
        Flag: { shape: 'Boolean' },
      },
    },
    Name: { type: 'string', min: 1, max: 5, pattern: '[a-z]+' },
    Size: { type: 'integer', min: 1, max: 10 },
    Ratio: { type: 'double', min: 0, max: 1 },
    Color: { type: 'string', enum: ['red', 'green'] },
    Items: { type: 'list', member: { shape: 'Item' }, min: 1, max: 2 },
    Item: {
      type: 'structure',
      required: ['Id', 'TagValue'],
      members: { Id: { shape: 'Id' }, TagValue: { shape: 'String', locationName: 'tagValue' } },
    },
    Id: { type: 'string', min: 3 },
    Labels: { type: 'map', key: { shape: 'LabelKey' }, value: { shape: 'LabelValue' }, max: 2 },
    LabelKey: { type: 'string', pattern: '[a-z]+' },
    LabelValue: { type: 'string', max: 3 },
    Data: { type: 'blob', max: 3 },
    Nested: { type: 'structure', required: ['Inner'], members: { Inner: { shape: 'Inner' } } },
    Inner: { type: 'structure', members: { Count: { shape: 'Size' }, Names: { shape: 'NameList' } } },
    NameList: { type: 'list', member: { shape: 'Name' } },
    // Possessive quantifiers are Java-only: JavaScript cannot compile this, so it is not enforced.
    JavaOnlyPattern: { type: 'string', pattern: '[a-z]*+' },
    String: { type: 'string' },
    Boolean: { type: 'boolean' },
  },
};

function validate(input: unknown): Violation[] {
  return validateInput(model, { shape: 'Input' }, input);
}

interface Case {
  name: string;
  input: Record<string, unknown>;
  /** Expected violations as [kind, path, constraint]; empty for valid input. */
  violations: [ViolationKind, string, string][];
}

const cases: Case[] = [
  { name: 'a minimal valid input', input: { Name: 'abc' }, violations: [] },
  {
    name: 'a fully populated valid input',
    input: {
      Name: 'abcde',
      Size: 10,
      Ratio: 0.5,
      Color: 'green',
      Items: [{ Id: 'abc', TagValue: 'x' }],
      Labels: { a: 'xyz' },
      Data: Buffer.from('abc'),
      Nested: { Inner: { Count: 1, Names: ['a'] } },
      Flag: false,
    },
    violations: [],
  },
  {
    name: 'a missing required member',
    input: {},
    violations: [['required', 'name', 'Member must not be null']],
  },
  {
    name: 'a required member that is null',
    input: { Name: null },
    violations: [['required', 'name', 'Member must not be null']],
  },
  {
    name: 'a string shorter than min',
    input: { Name: '' },
    violations: [
      ['length', 'name', 'Member must have length greater than or equal to 1'],
      ['pattern', 'name', 'Member must satisfy regular expression pattern: [a-z]+'],
    ],
  },
  {
    name: 'a string longer than max',
    input: { Name: 'abcdef' },
    violations: [['length', 'name', 'Member must have length less than or equal to 5']],
  },
  {
    name: 'a string length counted in code points, not UTF-16 units',
    input: { Name: 'abc', Items: [{ Id: '😀😀😀', TagValue: 'x' }] },
    violations: [],
  },
  {
    name: 'a string not matching the whole pattern',
    input: { Name: 'abC' },
    violations: [['pattern', 'name', 'Member must satisfy regular expression pattern: [a-z]+']],
  },
  {
    name: 'an integer under min',
    input: { Name: 'a', Size: 0 },
    violations: [['range', 'size', 'Member must have value greater than or equal to 1']],
  },
  {
    name: 'an integer over max',
    input: { Name: 'a', Size: 11 },
    violations: [['range', 'size', 'Member must have value less than or equal to 10']],
  },
  {
    name: 'a double over max',
    input: { Name: 'a', Ratio: 1.5 },
    violations: [['range', 'ratio', 'Member must have value less than or equal to 1']],
  },
  {
    name: 'a value outside the enum',
    input: { Name: 'a', Color: 'blue' },
    violations: [['enum', 'color', 'Member must satisfy enum value set: [red, green]']],
  },
  {
    name: 'a list shorter than min',
    input: { Name: 'a', Items: [] },
    violations: [['length', 'items', 'Member must have length greater than or equal to 1']],
  },
  {
    name: 'a list longer than max',
    input: {
      Name: 'a',
      Items: [
        { Id: 'abc', TagValue: 'x' },
        { Id: 'abd', TagValue: 'x' },
        { Id: 'abe', TagValue: 'x' },
      ],
    },
    violations: [['length', 'items', 'Member must have length less than or equal to 2']],
  },
  {
    name: 'constraints inside list items, with 1-based `N.member` paths',
    input: { Name: 'a', Items: [{ Id: 'abc', TagValue: 'x' }, { Id: 'ab' }] },
    violations: [
      ['required', 'items.2.member.tagValue', 'Member must not be null'],
      ['length', 'items.2.member.id', 'Member must have length greater than or equal to 3'],
    ],
  },
  {
    name: 'a map with too many entries',
    input: { Name: 'a', Labels: { a: '1', b: '2', c: '3' } },
    violations: [['length', 'labels', 'Member must have length less than or equal to 2']],
  },
  {
    name: 'a blob over max bytes',
    input: { Name: 'a', Data: Buffer.from('abcd') },
    violations: [['length', 'data', 'Member must have length less than or equal to 3']],
  },
  {
    name: 'a missing member of a nested structure',
    input: { Name: 'a', Nested: {} },
    violations: [['required', 'nested.inner', 'Member must not be null']],
  },
  {
    name: 'constraints deep in nested structures and lists',
    input: { Name: 'a', Nested: { Inner: { Count: 20, Names: ['ok', 'NO'] } } },
    violations: [
      ['range', 'nested.inner.count', 'Member must have value less than or equal to 10'],
      ['pattern', 'nested.inner.names.2.member', 'Member must satisfy regular expression pattern: [a-z]+'],
    ],
  },
  {
    name: 'a pattern JavaScript cannot compile, which is skipped rather than enforced',
    input: { Name: 'a', Loose: 'ANYTHING' },
    violations: [],
  },
  {
    name: 'several violations at once, each reported',
    input: { Size: 0, Color: 'blue' },
    violations: [
      ['required', 'name', 'Member must not be null'],
      ['range', 'size', 'Member must have value greater than or equal to 1'],
      ['enum', 'color', 'Member must satisfy enum value set: [red, green]'],
    ],
  },
];

describe('validateInput', () => {
  it.each(cases)('$name', ({ input, violations }) => {
    expect(validate(input).map((v) => [v.kind, v.path, v.constraint])).toEqual(violations);
  });

  it('reports map key and value violations with the key in the path', () => {
    const found = validate({ Name: 'a', Labels: { UPPER: 'toolong' } });
    expect(found.map((v) => v.kind)).toEqual(['pattern', 'length']);
    expect(found[0]!.path).toMatch(/^labels\.UPPER/);
    expect(found[0]!.value).toBe('UPPER');
    expect(found[1]!.path).toMatch(/^labels\.UPPER/);
    expect(found[1]!.constraint).toBe('Member must have length less than or equal to 3');
  });

  it("names a missing member by its wire name (for 'The parameter X is required.' messages)", () => {
    const [violation] = validateInput(model, { shape: 'Item' }, { Id: 'abc' });
    expect(violation).toMatchObject({ kind: 'required', path: 'tagValue', member: 'tagValue', value: null });
  });

  it('keeps the offending value', () => {
    expect(validate({ Name: 'a', Size: 0 })[0]!.value).toBe(0);
  });

  it('checks nothing for an operation without input', () => {
    expect(validateInput(model, undefined, { anything: 1 })).toEqual([]);
  });
});

describe('validationMessage', () => {
  const messages: [string, Record<string, unknown>, string][] = [
    [
      'a missing member',
      {},
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    ],
    [
      'a string too long',
      { Name: 'abcdef' },
      "1 validation error detected: Value 'abcdef' at 'name' failed to satisfy constraint: Member must have length less than or equal to 5",
    ],
    [
      'a number out of range',
      { Name: 'a', Size: 42 },
      "1 validation error detected: Value '42' at 'size' failed to satisfy constraint: Member must have value less than or equal to 10",
    ],
    [
      'an enum',
      { Name: 'a', Color: 'blue' },
      "1 validation error detected: Value 'blue' at 'color' failed to satisfy constraint: Member must satisfy enum value set: [red, green]",
    ],
    [
      'two violations, joined by "; "',
      { Size: 0 },
      "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; " +
        "Value '0' at 'size' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
  ];

  it.each(messages)('renders AWS text for %s', (_name, input, message) => {
    expect(validationMessage(validate(input))).toBe(message);
  });

  it('renders a list value in brackets', () => {
    expect(validationMessage(validate({ Name: 'a', Items: [] }))).toBe(
      "1 validation error detected: Value '[]' at 'items' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });
});
