import { describe, expect, it } from 'vitest';
import { checkEntry, entrySize } from './entries.js';

const now = Date.UTC(2026, 10, 1, 12, 0, 0);
const good = { Source: 'shop', DetailType: 'Order Placed', Detail: '{"id":1}' };

describe('PutEvents entries', () => {
  it('counts size as EventBridge does', () => {
    expect(entrySize(good)).toBe(4 + 12 + 8);
    expect(entrySize({ ...good, Time: new Date(now), Resources: ['ab', 'é'] })).toBe(24 + 14 + 2 + 2);
  });

  it('takes a valid entry, with its Time or the time it arrived', () => {
    expect(checkEntry(good, now, false)).toEqual({
      fields: { source: 'shop', detailType: 'Order Placed', detail: { id: 1 }, resources: [], time: now },
      bus: undefined,
      traceHeader: undefined,
    });
    const at = new Date(now - 60_000);
    const accepted = checkEntry({ ...good, Time: at, EventBusName: 'orders', Resources: ['r'] }, now, false);
    expect(accepted).toMatchObject({ fields: { time: at.getTime(), resources: ['r'] }, bus: 'orders' });
  });

  it.each([
    [
      { ...good, Source: undefined },
      'InvalidArgument',
      'Parameter Source is not valid. Reason: Source is a required argument.',
    ],
    [
      { ...good, DetailType: '' },
      'InvalidArgument',
      'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    ],
    [
      { ...good, Detail: undefined },
      'InvalidArgument',
      'Parameter Detail is not valid. Reason: Detail is a required argument.',
    ],
    [{ ...good, Detail: '{not json' }, 'MalformedDetail', 'Detail is malformed.'],
    [{ ...good, Detail: '[1, 2]' }, 'MalformedDetail', 'Detail is malformed.'],
    [{ ...good, Detail: '"text"' }, 'MalformedDetail', 'Detail is malformed.'],
    [{ ...good, Source: 'aws.s3' }, 'NotAuthorizedForSourceException', 'Not authorized for the source.'],
  ])('refuses %j', (entry, ErrorCode, ErrorMessage) => {
    expect(checkEntry(entry, now, false)).toEqual({ ErrorCode, ErrorMessage });
  });

  it("lets Stratus's own services send aws.* sources", () => {
    expect(checkEntry({ ...good, Source: 'aws.s3' }, now, true)).toHaveProperty('fields.source', 'aws.s3');
  });
});
