import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '../attribute-value.js';
import { compileExpressions, type ExpressionRequest } from './compile.js';
import type { ExpectedAttributeValue, LegacyCondition } from './legacy.js';
import type { ExpressionOperation } from './parameters.js';
import { refusal } from './testing/expressions.js';

const S = (S: string) => ({ S });
const N = (N: string) => ({ N });

function compileRefusal(operation: ExpressionOperation, request: ExpressionRequest): string {
  return refusal(() => compileExpressions(operation, request));
}

const INVALID = 'One or more parameter values were invalid: ';

describe('ScanFilter, QueryFilter and KeyConditions', () => {
  const wrongCount: LegacyCondition[] = [
    { ComparisonOperator: 'EQ' },
    { ComparisonOperator: 'EQ', AttributeValueList: [] },
    { ComparisonOperator: 'NE' },
    { ComparisonOperator: 'CONTAINS' },
    { ComparisonOperator: 'IN' },
    { ComparisonOperator: 'BETWEEN' },
    { ComparisonOperator: 'NULL', AttributeValueList: [S('a')] },
    { ComparisonOperator: 'NOT_NULL', AttributeValueList: [S('a')] },
    { ComparisonOperator: 'LT', AttributeValueList: [S('a'), S('a')] },
    { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('a'), S('a')] },
    { ComparisonOperator: 'BETWEEN', AttributeValueList: [S('a'), S('a'), S('a')] },
  ];

  it.each(wrongCount)('%j has the wrong number of values', (condition) => {
    const message = `${INVALID}Invalid number of argument(s) for the ${condition.ComparisonOperator} ComparisonOperator`;
    expect(compileRefusal('Scan', { ScanFilter: { a: condition } })).toBe(message);
    expect(compileRefusal('Query', { KeyConditions: { a: condition } })).toBe(message);
    expect(
      compileRefusal('Query', {
        KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [S('x')] } },
        QueryFilter: { a: condition },
      }),
    ).toBe(message);
  });

  it.each<[LegacyCondition['ComparisonOperator'], AttributeValue[]]>([
    ['LT', [{ BOOL: true }]],
    ['GE', [{ NULL: true }]],
    ['GT', [{ SS: ['a'] }]],
    ['IN', [{ M: {} }]],
    ['CONTAINS', [{ NS: ['1'] }]],
    ['NOT_CONTAINS', [{ L: [] }]],
    ['BETWEEN', [{ BOOL: true }, { BOOL: true }]],
    ['BEGINS_WITH', [N('1')]],
    ['BEGINS_WITH', [{ BS: [new Uint8Array([1])] }]],
  ])('%s refuses %j', (operator, values) => {
    expect(
      compileRefusal('Scan', {
        ScanFilter: { a: { ComparisonOperator: operator, AttributeValueList: values } },
      }),
    ).toBe(
      `${INVALID}ComparisonOperator ${operator} is not valid for ${Object.keys(values[0] as object)[0]} AttributeValue type`,
    );
  });

  it.each<[ExpressionRequest, string]>([
    [
      { KeyConditions: { a: { ComparisonOperator: 'IN', AttributeValueList: [S('b'), N('1')] } } },
      `${INVALID}AttributeValues inside AttributeValueList must be of same type`,
    ],
    [
      { KeyConditions: { a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [S('b'), S('a')] } } },
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    ],
    [{ KeyConditions: {} }, 'Conditions can be of length 1 or 2 only'],
    [
      {
        KeyConditions: {
          a: { ComparisonOperator: 'NULL' },
          b: { ComparisonOperator: 'NULL' },
          c: { ComparisonOperator: 'NULL' },
        },
      },
      'Conditions can be of length 1 or 2 only',
    ],
    [
      { KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [{ SS: [] }] } } },
      `${INVALID}An string set  may not be empty`,
    ],
    [
      { KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [N('1e126')] } } },
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    ],
  ])('%j', (request, message) => {
    expect(compileRefusal('Query', request)).toBe(message);
  });

  it('turns each operator into the condition it amounts to, ANDed by default', () => {
    const filter = (ScanFilter: Record<string, LegacyCondition>, ConditionalOperator?: 'AND' | 'OR') =>
      compileExpressions('Scan', { ScanFilter, ...(ConditionalOperator && { ConditionalOperator }) }).filter;
    const a = { kind: 'path', path: ['a'] };
    const value = (v: AttributeValue) => ({ kind: 'value', value: v });
    expect(filter({ a: { ComparisonOperator: 'NE', AttributeValueList: [N('1.0')] } })).toEqual({
      kind: 'comparison',
      comparator: '<>',
      left: a,
      right: value(N('1')),
    });
    expect(filter({ a: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [S('x')] } })).toEqual({
      kind: 'not',
      condition: { kind: 'contains', operand: a, element: value(S('x')) },
    });
    expect(filter({ a: { ComparisonOperator: 'NOT_NULL' } })).toEqual({
      kind: 'attribute_exists',
      path: ['a'],
    });
    expect(filter({ a: { ComparisonOperator: 'IN', AttributeValueList: [S('x'), S('y')] } })).toEqual({
      kind: 'in',
      operand: a,
      list: [value(S('x')), value(S('y'))],
    });
    expect(
      filter(
        {
          'a.b': { ComparisonOperator: 'NULL' },
          c: { ComparisonOperator: 'GT', AttributeValueList: [N('1')] },
        },
        'OR',
      ),
    ).toEqual({
      kind: 'or',
      left: { kind: 'attribute_not_exists', path: ['a.b'] },
      right: {
        kind: 'comparison',
        comparator: '>',
        left: { kind: 'path', path: ['c'] },
        right: value(N('1')),
      },
    });
    expect(filter({})).toBeUndefined();
  });

  it('reads KeyConditions as key condition parts', () => {
    expect(
      compileExpressions('Query', {
        KeyConditions: {
          a: { ComparisonOperator: 'EQ', AttributeValueList: [S('x')] },
          b: { ComparisonOperator: 'GE', AttributeValueList: [N('5')] },
        },
      }).keyConditionParts,
    ).toEqual([
      { name: 'a', operator: 'EQ', values: [S('x')] },
      { name: 'b', operator: 'GE', values: [N('5')] },
    ]);
  });
});

describe('Expected', () => {
  it.each<[ExpectedAttributeValue, string]>([
    [{}, 'Value must be provided when Exists is null'],
    [{ Exists: true }, 'Value must be provided when Exists is true'],
    [{ Exists: false, Value: S('a') }, 'Value cannot be used when Exists is false'],
    [{ ComparisonOperator: 'LT' }, 'Value or AttributeValueList must be used with ComparisonOperator: LT'],
    [{ ComparisonOperator: 'LT', Exists: true }, 'Exists and ComparisonOperator cannot be used together'],
    [
      { ComparisonOperator: 'LT', AttributeValueList: [S('a')], Value: S('a') },
      'Value and AttributeValueList cannot be used together',
    ],
    [{ AttributeValueList: [S('a')] }, 'AttributeValueList can only be used with a ComparisonOperator'],
    [
      { AttributeValueList: [S('a')], Exists: true },
      'AttributeValueList can only be used with a ComparisonOperator',
    ],
  ])('%j', (condition, reason) => {
    expect(compileRefusal('PutItem', { Expected: { a: condition } })).toBe(
      `${INVALID}${reason} for Attribute: a`,
    );
  });

  it.each<[ExpectedAttributeValue, string]>([
    [{ ComparisonOperator: 'EQ', AttributeValueList: [S('a'), S('a')] }, 'EQ'],
    [{ ComparisonOperator: 'NULL', AttributeValueList: [S('a')] }, 'NULL'],
    [{ ComparisonOperator: 'NULL', Value: S('a') }, 'NULL'],
    [{ ComparisonOperator: 'BETWEEN', Value: S('a') }, 'BETWEEN'],
    [{ ComparisonOperator: 'IN', AttributeValueList: [] }, 'IN'],
  ])('%j has the wrong number of values', (condition, operator) => {
    expect(compileRefusal('PutItem', { Expected: { a: condition } })).toBe(
      `${INVALID}Invalid number of argument(s) for the ${operator} ComparisonOperator`,
    );
  });

  it('turns Exists and Value into existence and equality', () => {
    expect(
      compileExpressions('UpdateItem', {
        Expected: {
          a: { Exists: false },
          b: { Value: S('x') },
          c: { Value: S('y'), Exists: true },
          d: { ComparisonOperator: 'BEGINS_WITH', Value: S('z') },
        },
        ConditionalOperator: 'OR',
      }).condition,
    ).toEqual({
      kind: 'or',
      left: {
        kind: 'or',
        left: {
          kind: 'or',
          left: { kind: 'attribute_not_exists', path: ['a'] },
          right: {
            kind: 'comparison',
            comparator: '=',
            left: { kind: 'path', path: ['b'] },
            right: { kind: 'value', value: S('x') },
          },
        },
        right: {
          kind: 'comparison',
          comparator: '=',
          left: { kind: 'path', path: ['c'] },
          right: { kind: 'value', value: S('y') },
        },
      },
      right: {
        kind: 'begins_with',
        operand: { kind: 'path', path: ['d'] },
        prefix: { kind: 'value', value: S('z') },
      },
    });
  });
});

describe('AttributeUpdates and AttributesToGet', () => {
  it.each<[ExpressionRequest['AttributeUpdates'], string]>([
    [
      { a: { Action: 'PUT' } },
      `${INVALID}Only DELETE action is allowed when no attribute value is specified`,
    ],
    [{ a: {} }, `${INVALID}Only DELETE action is allowed when no attribute value is specified`],
    [
      { a: { Action: 'ADD' } },
      `${INVALID}Only DELETE action is allowed when no attribute value is specified`,
    ],
    [
      { a: { Action: 'DELETE', Value: S('a') } },
      `${INVALID}DELETE action with value is not supported for the type S`,
    ],
    [
      { a: { Action: 'DELETE', Value: { L: [] } } },
      `${INVALID}DELETE action with value is not supported for the type L`,
    ],
    [
      { a: { Action: 'ADD', Value: { B: new Uint8Array([1]) } } },
      `${INVALID}ADD action is not supported for the type B`,
    ],
    [{ a: { Action: 'ADD', Value: { M: {} } } }, `${INVALID}ADD action is not supported for the type M`],
    [{ a: { Action: 'PUT', Value: { NS: ['1', '1.0'] } } }, 'Input collection contains duplicates'],
  ])('%j', (AttributeUpdates, message) => {
    expect(compileRefusal('UpdateItem', { AttributeUpdates })).toBe(message);
  });

  it('turns each action into an update action', () => {
    expect(
      compileExpressions('UpdateItem', {
        AttributeUpdates: {
          a: { Value: S('x') },
          b: { Action: 'DELETE' },
          c: { Action: 'DELETE', Value: { SS: ['y'] } },
          d: { Action: 'ADD', Value: N('5') },
          e: { Action: 'ADD', Value: { L: [S('z')] } },
        },
      }).update,
    ).toEqual({
      source: 'AttributeUpdates',
      actions: [
        { action: 'SET', path: ['a'], value: { kind: 'value', value: S('x') } },
        { action: 'REMOVE', path: ['b'] },
        { action: 'DELETE', path: ['c'], value: { SS: ['y'] } },
        { action: 'ADD', path: ['d'], value: N('5') },
        { action: 'ADD', path: ['e'], value: { L: [S('z')] } },
      ],
    });
  });

  it('projects AttributesToGet at the top level, each once', () => {
    expect(compileExpressions('GetItem', { AttributesToGet: ['a', 'b.c'] }).projection).toEqual([
      ['a'],
      ['b.c'],
    ]);
    expect(compileRefusal('Scan', { AttributesToGet: ['a', 'a'] })).toBe(
      `${INVALID}Duplicate value in attribute name: a`,
    );
  });
});
