import { describe, expect, it } from 'vitest';
import { JsonPathError, selectJsonPath } from './jsonpath.js';

const store = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword', price: 12.99, isbn: '0-553' },
    ],
    bicycle: { color: 'red', price: 19.95 },
    'odd key': { 'a.b': 1 },
  },
};

describe('selectJsonPath', () => {
  it.each<[string, string, unknown]>([
    ['the root', '$', store],
    ['a property', '$.store.bicycle.color', 'red'],
    ['a path without $ (Jayway reads it as $.path)', 'store.bicycle.color', 'red'],
    ['a bracketed name', "$['store']['bicycle']['price']", 19.95],
    ['a double-quoted bracketed name', '$["store"]["odd key"]["a.b"]', 1],
    ['an index', '$.store.book[1].author', 'Evelyn Waugh'],
    ['a negative index', '$.store.book[-1].title', 'Sword'],
    ['a missing property', '$.store.car', undefined],
    ['a property of a missing one', '$.store.car.color', undefined],
    ['an index out of range', '$.store.book[5]', undefined],
    ['an index on an object', '$.store.bicycle[0]', undefined],
    ['a property of a list', '$.store.book.author', undefined],
    ['a wildcard on a list', '$.store.book[*].author', ['Nigel Rees', 'Evelyn Waugh']],
    ['a wildcard on an object', '$.store.bicycle.*', ['red', 19.95]],
    ['a wildcard with no matches is an empty list', '$.store.bicycle[*].nothing', []],
    ['several indexes', '$.store.book[0,1].price', [8.95, 12.99]],
    ['several names', "$.store.bicycle['color','price']", ['red', 19.95]],
    ['a slice', '$.store.book[0:1].title', ['Sayings']],
    ['an open slice', '$.store.book[1:].title', ['Sword']],
    ['a deep scan', '$..price', [8.95, 12.99, 19.95]],
    ['a deep scan skips objects without the key', '$..isbn', ['0-553']],
    ['a deep scan with an index', '$..book[0].title', ['Sayings']],
    ['a deep wildcard', '$.store.bicycle..*', ['red', 19.95]],
  ])('%s: %s', (_, path, expected) => {
    expect(selectJsonPath(store, path)).toEqual(expected);
  });

  it('reads maps as well as plain objects', () => {
    const document = new Map<string, unknown>([['a', [new Map([['b', 1]])]]]);
    expect(selectJsonPath(document, '$.a[0].b')).toBe(1);
    expect(selectJsonPath(document, '$..b')).toEqual([1]);
  });

  it('does not read inherited properties', () => {
    expect(selectJsonPath({}, '$.constructor')).toBeUndefined();
    expect(selectJsonPath({}, '$.__proto__')).toBeUndefined();
  });

  it('selects null when the value is null', () => {
    expect(selectJsonPath({ a: null }, '$.a')).toBeNull();
  });

  it.each([[''], ['$.'], ['$[abc]'], ['$[?(@.price < 10)]'], ['$[0'], ['$x'], ["$['a"]])(
    'refuses %j',
    (path) => {
      expect(() => selectJsonPath(store, path)).toThrow(JsonPathError);
    },
  );
});
