import { describe, expect, it } from 'vitest';
import { csvFields, parseApiKeyCsv } from './api-key-csv.js';

describe('csvFields', () => {
  it('splits on commas outside double or single quotes', () => {
    expect(csvFields('a, b ,"c,d",\'e,f\',')).toEqual(['a', 'b', 'c,d', 'e,f', '']);
    expect(csvFields('"say ""hi""",x')).toEqual(['say "hi"', 'x']);
  });
});

describe('parseApiKeyCsv', () => {
  it('reads columns in any order and case, with AWS defaults', () => {
    const rows = parseApiKeyCsv(
      'Enabled,Name,key,UsageplanIds,extra\r\ntrue,First,apikey1234abcdefghij0123456789,"p1,p2",x\n,Second,k2\n\n',
    );
    expect(rows).toEqual([
      {
        line: 2,
        name: 'First',
        key: 'apikey1234abcdefghij0123456789',
        description: '',
        enabled: true,
        usagePlanIds: ['p1', 'p2'],
      },
      { line: 3, name: 'Second', key: 'k2', description: '', enabled: true, usagePlanIds: [] },
    ]);
    expect(parseApiKeyCsv('name,key,enabled\na,b,FALSE')[0]!.enabled).toBe(false);
  });

  it('requires the Name and Key columns', () => {
    expect(() => parseApiKeyCsv('key,description\nk,d')).toThrow('the Name and Key columns are required');
  });
});
