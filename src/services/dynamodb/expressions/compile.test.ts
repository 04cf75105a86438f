import { describe, expect, it } from 'vitest';
import { compileExpressions, type ExpressionRequest } from './compile.js';
import { javaHashSetOrder } from './java-order.js';
import type { ExpressionOperation } from './parameters.js';
import { refusal, valuesUsedBy } from './testing/expressions.js';

function compileRefusal(operation: ExpressionOperation, request: ExpressionRequest): string {
  return refusal(() => compileExpressions(operation, request));
}

it('refuses with a ValidationException', () => {
  expect(() => compileExpressions('PutItem', { ConditionExpression: '' })).toThrow(
    expect.objectContaining({ code: 'ValidationException', status: 400, senderFault: true }),
  );
});

describe('expression and legacy parameters', () => {
  it.each<[ExpressionOperation, ExpressionRequest, string]>([
    [
      'PutItem',
      { Expected: { a: { Exists: false } }, ConditionExpression: 'attribute_not_exists(a)' },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
    ],
    [
      'UpdateItem',
      { AttributeUpdates: {}, Expected: {}, ConditionExpression: '', UpdateExpression: '' },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}',
    ],
    [
      'Scan',
      {
        AttributesToGet: ['a'],
        ScanFilter: {},
        ConditionalOperator: 'OR',
        FilterExpression: '',
        ProjectionExpression: '',
      },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, ScanFilter, ConditionalOperator} Expression parameters: {ProjectionExpression, FilterExpression}',
    ],
    [
      'Query',
      {
        AttributesToGet: ['a'],
        QueryFilter: {},
        ConditionalOperator: 'OR',
        KeyConditions: {},
        ProjectionExpression: '',
        FilterExpression: '',
        KeyConditionExpression: '',
      },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions} Expression parameters: {ProjectionExpression, FilterExpression, KeyConditionExpression}',
    ],
    [
      // KeyConditions go with expressions as long as there is no KeyConditionExpression.
      'Query',
      { AttributesToGet: ['a'], KeyConditions: {}, FilterExpression: '', ProjectionExpression: '' },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression, FilterExpression}',
    ],
    [
      'GetItem',
      { AttributesToGet: ['a'], ProjectionExpression: 'b' },
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    ],
    [
      'PutItem',
      { Expected: {}, ExpressionAttributeNames: {} },
      'ExpressionAttributeNames can only be specified when using expressions',
    ],
    [
      'PutItem',
      { ExpressionAttributeValues: {} },
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    ],
    [
      'UpdateItem',
      { ExpressionAttributeValues: {} },
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
    ],
    [
      'Query',
      { KeyConditions: {}, ProjectionExpression: 'a', ExpressionAttributeValues: {} },
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null',
    ],
    [
      'Query',
      { FilterExpression: 'a = :v', ExpressionAttributeValues: { ':v': { S: 'v' } } },
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    ],
  ])('%s %j', (operation, request, message) => {
    expect(compileRefusal(operation, request)).toBe(message);
  });
});

describe('the placeholder maps', () => {
  it.each<[ExpressionRequest, string]>([
    [
      { ExpressionAttributeNames: {}, ExpressionAttributeValues: {} },
      'ExpressionAttributeNames must not be empty',
    ],
    [
      { ExpressionAttributeNames: { a: 'a' }, ExpressionAttributeValues: {} },
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    ],
    [
      { ExpressionAttributeNames: { '#a-b': 'a' } },
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"',
    ],
    [
      { ExpressionAttributeNames: { '#a': '' } },
      'ExpressionAttributeNames contains invalid value: Empty attribute name for key #a',
    ],
    [
      { ExpressionAttributeNames: { [`#${'a'.repeat(255)}`]: 'a' } },
      'ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 256',
    ],
    [{ ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty'],
    [
      { ExpressionAttributeValues: { ':b': { S: 'a' }, b: { S: 'a' } } },
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"',
    ],
    [
      { ExpressionAttributeValues: { ':b': { SS: [] } } },
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b',
    ],
    [
      { ExpressionAttributeValues: { ':b': { N: 'x' } } },
      'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: x for key :b',
    ],
  ])('%j', (maps, message) => {
    expect(compileRefusal('PutItem', { ConditionExpression: '', ...maps })).toBe(message);
  });
});

describe('each expression', () => {
  it.each<[ExpressionOperation, ExpressionRequest, string]>([
    [
      'UpdateItem',
      { ConditionExpression: '', UpdateExpression: '' },
      'Invalid UpdateExpression: The expression can not be empty;',
    ],
    ['PutItem', { ConditionExpression: '' }, 'Invalid ConditionExpression: The expression can not be empty;'],
    [
      'Query',
      {
        KeyConditionExpression: '',
        FilterExpression: '',
        ProjectionExpression: '',
        ExpressionAttributeValues: { ':0': { S: 'b' } },
      },
      'Invalid KeyConditionExpression: The expression can not be empty;',
    ],
    [
      'Query',
      {
        KeyConditionExpression: 'a = :a',
        FilterExpression: '',
        ProjectionExpression: '',
        ExpressionAttributeValues: { ':a': { S: 'N' } },
      },
      'Invalid FilterExpression: The expression can not be empty;',
    ],
    [
      'Scan',
      { FilterExpression: 'a > b', ProjectionExpression: '' },
      'Invalid ProjectionExpression: The expression can not be empty;',
    ],
    [
      'GetItem',
      { ProjectionExpression: '!!' },
      'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
    ],
    [
      'GetItem',
      { ProjectionExpression: 'a, Comment' },
      'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Comment',
    ],
    [
      'GetItem',
      { ProjectionExpression: 'a, #b' },
      'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #b',
    ],
    [
      'GetItem',
      { ProjectionExpression: 'a.b, c, a' },
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]',
    ],
    [
      'GetItem',
      { ProjectionExpression: 'a.b, a[0]' },
      'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]',
    ],
  ])('%s %j', (operation, request, message) => {
    expect(compileRefusal(operation, request)).toBe(message);
  });

  it('refuses more than 4096 bytes, counted as written', () => {
    const names = Array.from({ length: 86 }, (_, i) => `${'a'.repeat(45)}${String(i).padStart(3, '0')}`);
    const expression = names.join(',');
    expect(compileRefusal('GetItem', { ProjectionExpression: expression })).toBe(
      `Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: ${expression.length}`,
    );
    const atLimit = `a = :v AND b = :${'v'.repeat(4096 - 'a = :v AND b = :'.length)}`;
    expect(Buffer.byteLength(atLimit)).toBe(4096);
    expect(compileRefusal('PutItem', { ConditionExpression: atLimit })).toMatch(
      /attribute value used in expression is not defined/,
    );
    expect(compileRefusal('PutItem', { ConditionExpression: `${atLimit}é` })).toBe(
      'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4098',
    );
  });

  it('checks the update before the condition that goes with it', () => {
    expect(
      compileRefusal('UpdateItem', { UpdateExpression: 'SET a = :v', ConditionExpression: 'b = :w' }),
    ).toBe(
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    );
  });
});

describe('placeholders no expression uses', () => {
  it('are counted over all the expressions of the request', () => {
    const request: ExpressionRequest = {
      UpdateExpression: 'SET #a = :a',
      ConditionExpression: '#b = :b',
      ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
      ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { S: 'b' } },
    };
    expect(() => compileExpressions('UpdateItem', request)).not.toThrow();
  });

  it.each<[ExpressionRequest, string]>([
    [
      {
        UpdateExpression: 'remove a set b = list_append(b, if_not_exists(a, :a))',
        ConditionExpression: 'a = :b',
        ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { S: 'a' } },
        ExpressionAttributeNames: { '#a': 'a', '#b': 'b' },
      },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}',
    ],
    [
      {
        UpdateExpression: 'remove a',
        ConditionExpression: 'a = :b',
        ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { S: 'a' }, ':c': { S: 'a' } },
      },
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}',
    ],
    [
      {
        UpdateExpression: 'SET a = :v',
        ExpressionAttributeValues: { ':v': { S: 'v' }, ':unused': { S: 'extra' } },
        ExpressionAttributeNames: { '#unused': 'x' },
      },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}',
    ],
  ])('%j', (request, message) => {
    expect(compileRefusal('UpdateItem', request)).toBe(message);
  });

  it('are listed in the order of a Java HashSet', () => {
    expect(javaHashSetOrder(['#b', '#a'], 2)).toEqual(['#a', '#b']);
    expect(javaHashSetOrder([':zeta', ':alpha', ':a'], 3)).toEqual(
      [':zeta', ':alpha', ':a'].sort(byJavaBucket(16)),
    );
    // A bigger map means a bigger table: 13 keys need 32 buckets.
    const keys = Array.from({ length: 13 }, (_, i) => `:k${i}`);
    expect(javaHashSetOrder(keys, 13)).toEqual([...keys].sort(byJavaBucket(32)));
  });
});

describe('key conditions', () => {
  const values = { ':a': { S: 'a' }, ':b': { S: 'b' }, ':n': { N: '1' } };

  it.each([
    ['a > b and size(b) > c or a > c', 'Invalid operator used in KeyConditionExpression: OR'],
    ['a in (b, size(c), d)', 'Invalid operator used in KeyConditionExpression: IN'],
    ['attribute_exists(a)', 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['attribute_not_exists(a)', 'Invalid operator used in KeyConditionExpression: attribute_not_exists'],
    ['contains(a.d, b)', 'Invalid operator used in KeyConditionExpression: contains'],
    ['not a > b', 'Invalid operator used in KeyConditionExpression: NOT'],
    ['a <> b', 'Invalid operator used in KeyConditionExpression: <>'],
    ['size(b) > a AND a.b > b AND b > c', 'KeyConditionExpressions cannot contain nested operations'],
    ['a > size(b.d)', 'KeyConditionExpressions cannot contain nested operations'],
    ['a between size(b) and size(a)', 'KeyConditionExpressions cannot contain nested operations'],
    [
      'b > a.b',
      'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
    ],
    [
      'b between c[1] and d',
      'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
    ],
    [
      'a between b and size(a)',
      'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
    ],
    [
      'begins_with(a, b)',
      'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
    ],
    ['b.d > a AND c.d > e.f', 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['b[0] > a', 'KeyConditionExpressions cannot have conditions on nested attributes'],
  ])('%s', (expression, message) => {
    expect(compileRefusal('Query', { KeyConditionExpression: expression })).toBe(message);
  });

  it.each([
    ['attribute_type(a, :a)', 'Invalid operator used in KeyConditionExpression: attribute_type'],
    [
      ':a between size(b) and size(a) and b > :b',
      'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand',
    ],
    [
      'begins_with(:a, b) and a > :b',
      'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand',
    ],
    [':b > :a AND a < :b', 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    [':a > b AND :a < :b', 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    [
      'b > :a AND b < :a and c = :a and d = :a',
      'KeyConditionExpressions must only contain one condition per key',
    ],
    [
      '(a > :a and b > :a) and (b > :a and c > :a)',
      'KeyConditionExpressions must only contain one condition per key',
    ],
    [':a = a and b = :a and :a = c', 'Conditions can be of length 1 or 2 only'],
  ])('%s', (expression, message) => {
    const values = valuesUsedBy(expression, { ':a': { S: 'S' }, ':b': { S: '1' } });
    expect(
      compileRefusal('Query', { KeyConditionExpression: expression, ExpressionAttributeValues: values }),
    ).toBe(message);
  });

  it("reports the expression's own errors with its name first", () => {
    expect(compileRefusal('Query', { KeyConditionExpression: 'attribute_type(a, b)' })).toMatch(
      /^Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type:/,
    );
    expect(
      compileRefusal('Query', {
        KeyConditionExpression: 'a between :b and :a',
        ExpressionAttributeValues: { ':a': { S: 'a' }, ':b': { N: '1' } },
      }),
    ).toBe(
      'Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}',
    );
  });

  it('reads each condition as the attribute compared with values, the attribute on either side', () => {
    expect(
      compileExpressions('Query', {
        KeyConditionExpression: '(:n <= #pk) AND begins_with(sk, :a)',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':n': values[':n'], ':a': values[':a'] },
      }).keyConditionParts,
    ).toEqual([
      { name: 'pk', operator: 'GE', values: [{ N: '1' }] },
      { name: 'sk', operator: 'BEGINS_WITH', values: [{ S: 'a' }] },
    ]);
    expect(
      compileExpressions('Query', {
        KeyConditionExpression: 'pk = :a AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':a': values[':a'], ':b': values[':b'] },
      }).keyConditionParts,
    ).toEqual([
      { name: 'pk', operator: 'EQ', values: [{ S: 'a' }] },
      { name: 'sk', operator: 'BETWEEN', values: [{ S: 'a' }, { S: 'b' }] },
    ]);
  });
});

/** Orders keys the way a Java HashSet with `capacity` buckets iterates them. */
function byJavaBucket(capacity: number) {
  const bucket = (key: string) => {
    let hash = 0;
    for (const c of key) hash = (Math.imul(31, hash) + c.charCodeAt(0)) | 0;
    return (hash ^ (hash >>> 16)) & (capacity - 1);
  };
  return (a: string, b: string) => bucket(a) - bucket(b);
}
