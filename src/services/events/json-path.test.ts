import { describe, expect, it } from 'vitest';
import { evaluate, parseJsonPath } from './json-path.js';

const event = {
  'detail-type': 'Order Placed',
  detail: { order: { id: 'o-1', lines: [{ sku: 'a' }, { sku: 'b' }] }, 'a/b': 1, total: 0, gift: null },
};

const at = (text: string) => evaluate(parseJsonPath(text)!, event);

describe('EventBridge JSONPath', () => {
  it('reads the whole event, keys with dashes and slashes, and indices', () => {
    expect(at('$')).toEqual({ found: true, value: event });
    expect(at('$.detail-type')).toEqual({ found: true, value: 'Order Placed' });
    expect(at('$.detail.a/b')).toEqual({ found: true, value: 1 });
    expect(at('$.detail.order.lines[1].sku')).toEqual({ found: true, value: 'b' });
    expect(at('$.detail.total')).toEqual({ found: true, value: 0 });
    expect(at('$.detail.gift')).toEqual({ found: true, value: null });
  });

  it('lists what a wildcard reaches', () => {
    expect(at('$.detail.order.lines[*].sku')).toEqual({ found: true, value: ['a', 'b'] });
    expect(at('$.detail.order.*')).toEqual({ found: true, value: ['o-1', [{ sku: 'a' }, { sku: 'b' }]] });
  });

  it('says when nothing is there', () => {
    expect(at('$.detail.missing')).toEqual({ found: false });
    expect(at('$.detail.order.lines[5]')).toEqual({ found: false });
    expect(at('$.detail.order.id.deeper')).toEqual({ found: false });
  });

  it.each(['detail', '$detail', '$.', '$.detail..x', "$['detail']", '$.detail[a]', '$.de tail'])(
    'refuses %s',
    (text) => expect(parseJsonPath(text)).toBeUndefined(),
  );
});
