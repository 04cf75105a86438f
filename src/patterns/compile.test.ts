import { describe, expect, it } from 'vitest';
import { compilePattern, InvalidPatternError } from './index.js';

/** EventBridge's location suffix for `source` (single line). */
const at = (source: string, column: number) =>
  `\n at [Source: (String)"${source}"; line: 1, column: ${column}]`;

/** A reason with its location, as EventBridge gives it for `source`. */
const located = (reason: string, source: string, column: number) => reason + at(source, column);

/** A reason whose location EventBridge appends twice (problems inside anything-but lists). */
const twice = (reason: string, source: string, column: number) =>
  reason + at(source, column) + at(source, column);

type Case = [name: string, pattern: string, reason: (source: string) => string];

function refuses(cases: Case[]): void {
  it.each(cases)('%s', (_name, pattern, reason) => {
    const attempt = () => compilePattern(pattern);
    expect(attempt).toThrow(InvalidPatternError);
    expect(attempt).toThrow(new InvalidPatternError(reason(pattern)));
  });
}

describe('reasons EventBridge gives for a pattern (recorded from PutRule / TestEventPattern)', () => {
  refuses([
    [
      'a scalar where a list belongs',
      '{"int": 42}',
      (s) => located('"int" must be an object or an array', s, 11),
    ],
    [
      'a string where a list belongs',
      '{"string": "my-value"}',
      (s) => located('"string" must be an object or an array', s, 13),
    ],
    ['an empty list', '{"resources": []}', (s) => located('Empty arrays are not allowed', s, 17)],
    [
      'an operator in capitals',
      '{"my_key": [{"EXISTS": true}]}',
      (s) => located('Unrecognized match type EXISTS', s, 28),
    ],
    [
      'numeric in capitals',
      '{"detail": {"equal": [{"NUMERIC": ["=", 5]}]}}',
      (s) => located('Unrecognized match type NUMERIC', s, 36),
    ],
    [
      'two lower bounds',
      '{"detail": {"c-count": [{"numeric": [">", 0, ">", 0]}]}}',
      (s) => located('Bad numeric range operator: >', s, 49),
    ],
    [
      'a bound without value',
      '{"detail": {"c-count": [{"numeric": [">", 0, "<"]}]}}',
      (s) => located('Value of < must be numeric', s, 50),
    ],
    [
      'numeric not a list',
      '{"detail": {"c-count": [{"numeric": 10}]}}',
      (s) => located('Value of numeric must be an array.', s, 39),
    ],
    [
      'consecutive wildcards',
      '{"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:**:event-bus/*"}]}',
      (s) => located('Consecutive wildcard characters at pos 26', s, 72),
    ],
    [
      'a wildcard number',
      '{"EventBusArn": [{"wildcard": 123}]}',
      (s) => located('wildcard match pattern must be a string', s, 34),
    ],
    [
      'a wildcard list',
      '{"EventBusArn": [{"wildcard": ["a*"]}]}',
      (s) => located('wildcard match pattern must be a string', s, 32),
    ],
    [
      'equals-ignore-case of a list',
      '{"detail-type": [{"equals-ignore-case": ["ec2"]}]}',
      (s) => located('equals-ignore-case match pattern must be a string', s, 42),
    ],
    [
      'equals-ignore-case of an object',
      '{"detail-type": [{"equals-ignore-case": {"prefix": "ec2"}}]}',
      (s) => located('equals-ignore-case match pattern must be a string', s, 42),
    ],
    [
      'a prefix list',
      '{"time": [{"prefix": ["2022-07-13"]}]}',
      (s) => located('prefix match pattern must be a string', s, 23),
    ],
    [
      'a prefix number',
      '{"time": [{"prefix": 123}]}',
      (s) => located('prefix match pattern must be a string', s, 25),
    ],
    [
      'a suffix number',
      '{"FileName": [{"suffix": 123}]}',
      (s) => located('suffix match pattern must be a string', s, 29),
    ],
    [
      'a suffix list',
      '{"FileName": [{"suffix": [".png"]}]}',
      (s) => located('suffix match pattern must be a string', s, 27),
    ],
    [
      'a cidr list (EventBridge names prefix)',
      '{"detail": {"ip": [{"cidr": ["bad-type"]}]}}',
      (s) => located('prefix match pattern must be a string', s, 30),
    ],
    [
      'anything-but null',
      '{"detail": {"state": [{"anything-but": null}]}}',
      (s) => located('Value of anything-but must be an array or single string/number value.', s, 44),
    ],
    [
      'anything-but prefix ignoring case',
      '{"detail": {"FileName": [{"anything-but": {"prefix": {"equals-ignore-case": "file"}}}]}}',
      (s) => located('Value of anything-but must be an array or single string/number value.', s, 55),
    ],
    [
      'anything-but ignore-case number',
      '{"detail": {"state": [{"anything-but": {"equals-ignore-case": 123}}]}}',
      (s) =>
        located(
          'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
          s,
          66,
        ),
    ],
    [
      'anything-but ignore-case numbers',
      '{"detail": {"state": [{"anything-but": {"equals-ignore-case": [123, 456]}}]}}',
      (s) =>
        twice(
          'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
          s,
          67,
        ),
    ],
    [
      'anything-but list with null',
      '{"detail": {"state": [{"anything-but": ["stopped", null]}]}}',
      (s) => twice('Inside anything but list, start|null|boolean is not supported.', s, 56),
    ],
    [
      'anything-but suffix number',
      '{"detail": {"FileName": [{"anything-but": {"suffix": 123}}]}}',
      (s) => located('prefix/suffix match pattern must be a string', s, 57),
    ],
    [
      'anything-but suffix list with a number',
      '{"detail": {"FileName": [{"anything-but": {"suffix": [123, ".txt"]}}]}}',
      (s) => twice('prefix/suffix match pattern must be a string', s, 58),
    ],
    [
      'anything-but prefix list with null',
      '{"detail": {"FileName": [{"anything-but": {"prefix": [null, "a"]}}]}}',
      (s) => twice('prefix/suffix match pattern must be a string', s, 59),
    ],
    [
      'anything-but empty prefix',
      '{"detail": {"FileName": [{"anything-but": {"prefix": ""}}]}}',
      (s) => located('Null prefix/suffix not allowed', s, 56),
    ],
    [
      'anything-but wildcard number',
      '{"detail": {"FilePath": [{"anything-but": {"wildcard": 123}}]}}',
      (s) => located('wildcard match pattern must be a string', s, 59),
    ],
    [
      'anything-but wildcard list with a number',
      '{"detail": {"state": [{"anything-but": {"wildcard": [123, "*/dir/*"]}}]}}',
      (s) => twice('wildcard match pattern must be a string', s, 57),
    ],
    [
      'not an object',
      '["not", "a", "dict", "but valid json"]',
      (s) => located('Filter is not an object', s, 2),
    ],
    [
      'a bare word',
      'this is valid json but not a dict',
      (s) =>
        located(
          "Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
          s,
          5,
        ),
    ],
    [
      'single quotes',
      "{'bad': 'quotation'}",
      (s) =>
        located("Unexpected character (''' (code 39)): was expecting double-quote to start field name", s, 2),
    ],
    [
      'a bare word as value',
      '{"not": closed mark"',
      (s) =>
        located(
          "Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
          s,
          15,
        ),
    ],
    [
      'a string value of a key',
      '{"source":["test.event-pattern"],"detail":{"lenderId":"LenderA"}}',
      (s) => located('"lenderId" must be an object or an array', s, 56),
    ],
    [
      'an empty object',
      '{"source": ["aws.health"], "detail": {}}',
      (s) => located('Empty objects are not allowed', s, 40),
    ],
  ]);
});

describe('reasons without a location', () => {
  refuses([
    ['a CIDR without mask', '{"ip": [{"cidr": "10.0.0.0"}]}', () => "Malformed CIDR, one '/' required"],
    [
      'a CIDR with two slashes',
      '{"ip": [{"cidr": "10.0.0.0/8/8"}]}',
      () => "Malformed CIDR, one '/' required",
    ],
    [
      'a CIDR with a word for mask',
      '{"ip": [{"cidr": "10.0.0.0/x"}]}',
      () => 'Malformed CIDR, mask bits must be an integer',
    ],
    [
      'a negative mask',
      '{"ip": [{"cidr": "10.0.0.0/-1"}]}',
      () => 'Malformed CIDR, mask bits must not be negative',
    ],
    ['a CIDR of a name', '{"ip": [{"cidr": "xx.11.xx/24"}]}', () => 'Nonstandard IP address: xx.11.xx'],
    [
      'an IPv6 CIDR of a name',
      '{"ip": [{"cidr": "xxxx:db8:1234:1a00::/64"}]}',
      () => 'Nonstandard IP address: xxxx:db8:1234:1a00::',
    ],
    ['an IPv4 octet over 255', '{"ip": [{"cidr": "10.0.0.256/24"}]}', () => 'Invalid IP address: 10.0.0.256'],
    ['an IPv4 /32', '{"ip": [{"cidr": "10.0.0.1/32"}]}', () => 'IPv4 mask bits must be < 32'],
    ['an IPv6 /128', '{"ip": [{"cidr": "2001:db8::/128"}]}', () => 'IPv6 mask bits must be < 128'],
    [
      'anything-but of a number a double cannot hold',
      '{"a": [{"anything-but": 1e400}]}',
      () => 'Cannot compare number : 1e400',
    ],
    [
      'too many wildcards',
      '{"EventBusArn": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}',
      () =>
        'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
    ],
  ]);
});

describe('reasons of the pattern structure and operators', () => {
  refuses([
    [
      '$or not a list',
      '{"$or": {"a": ["b"]}}',
      (s) => located('It must be an Array followed with $or.', s, 10),
    ],
    [
      '$or of one',
      '{"$or": [{"a": ["b"]}]}',
      (s) => located('There must have at least 2 Objects in $or relationship.', s, 23),
    ],
    [
      '$or of strings',
      '{"$or": ["a", "b"]}',
      (s) => located('Only JSON object is allowed in array of $or relationship.', s, 11),
    ],
    [
      'an operator as a key inside $or',
      '{"$or": [{"numeric": [1]}, {"b": ["c"]}]}',
      (s) => located('numeric is Ruler reserved fieldName which cannot be used inside $or.', s, 23),
    ],
    [
      'a list inside a list',
      '{"a": [["b"]]}',
      (s) => located('Match value must be String, number, true, false, or null', s, 9),
    ],
    ['an empty match expression', '{"a": [{}]}', (s) => located('Match expression name not found', s, 10)],
    [
      'two operators in one expression',
      '{"a": [{"prefix": "x", "suffix": "y"}]}',
      (s) => located('Only one key allowed in match expression', s, 35),
    ],
    [
      'exactly of a number',
      '{"a": [{"exactly": 1}]}',
      (s) => located('exact match pattern must be a string', s, 21),
    ],
    [
      'exists of a string',
      '{"a": [{"exists": "yes"}]}',
      (s) => located('exists match pattern must be either true or false.', s, 20),
    ],
    [
      'prefix of an unknown form',
      '{"a": [{"prefix": {"wildcard": "x"}}]}',
      (s) => located('Unsupported prefix pattern: wildcard', s, 33),
    ],
    [
      'suffix of an empty object',
      '{"a": [{"suffix": {}}]}',
      (s) => located('Suffix expression name not found', s, 21),
    ],
    [
      'anything-but of an unknown form',
      '{"a": [{"anything-but": {"exists": true}}]}',
      (s) => located('Unsupported anything-but pattern: exists', s, 40),
    ],
    [
      'anything-but of mixed values',
      '{"a": [{"anything-but": ["x", 1]}]}',
      (s) =>
        located(
          'Inside anything but list, either all values are number or string, mixed type is not supported',
          s,
          33,
        ),
    ],
    [
      'anything-but of an empty list',
      '{"a": [{"anything-but": []}]}',
      (s) =>
        located(
          'Inside anything but list, either all values are number or string, mixed type is not supported',
          s,
          27,
        ),
    ],
    [
      'something after anything-but',
      '{"a": [{"anything-but": "x", "b": 1}]}',
      (s) => located('Too many elements in numeric expression', s, 36),
    ],
    [
      'an empty numeric list',
      '{"a": [{"numeric": []}]}',
      (s) => located('Invalid member in numeric match: ]', s, 22),
    ],
    [
      'an unknown numeric operator',
      '{"a": [{"numeric": ["!=", 1]}]}',
      (s) => located('Unrecognized numeric range operator: !=', s, 28),
    ],
    [
      'equals without a number',
      '{"a": [{"numeric": ["=", "1"]}]}',
      (s) => located('Value of equals must be numeric', s, 27),
    ],
    [
      'an upper bound first',
      '{"a": [{"numeric": ["<", 1, ">", 0]}]}',
      (s) => located('Too many elements in numeric expression', s, 30),
    ],
    [
      'a number where the upper operator belongs',
      '{"a": [{"numeric": [">", 0, 5]}]}',
      (s) => located('Bad value in numeric range: 5', s, 30),
    ],
    [
      'five terms',
      '{"a": [{"numeric": [">", 0, "<", 5, 6]}]}',
      (s) => located('Too many terms in numeric range expression', s, 38),
    ],
    [
      'an inverted range',
      '{"a": [{"numeric": [">", 10, "<", 5]}]}',
      (s) => located('Bottom must be less than top', s, 37),
    ],
    [
      'an empty range',
      '{"a": [{"numeric": [">=", 5, "<=", 5]}]}',
      (s) => located('Bottom must be less than top', s, 38),
    ],
    [
      'a bound a double cannot hold',
      '{"a": [{"numeric": [">", 1e400]}]}',
      (s) => located('Cannot compare number : 1e400', s, 32),
    ],
    [
      'an invalid wildcard escape',
      '{"a": [{"wildcard": "a\\\\b"}]}',
      (s) => located('Invalid escape character at pos 2', s, 27),
    ],
  ]);
});

describe('what EventBridge accepts', () => {
  it.each([
    ['text after the pattern (never read)', '{"a": ["b"]} trailing'],
    ['a key written twice (the last counts)', '{"a": [1], "a": ["x"]}'],
    [
      'exactly, ignore-case affixes, cidr, wildcard',
      '{"a": [{"exactly": "x"}, {"prefix": {"equals-ignore-case": "A"}}, {"suffix": {"equals-ignore-case": "Z"}}, {"cidr": "10.0.0.0/8"}, {"wildcard": "a\\\\*b*"}]}',
    ],
    ['an empty anything-but prefix list', '{"a": [{"anything-but": {"prefix": []}}]}'],
    ['$or nested in objects and $or', '{"d": {"$or": [{"a": [1]}, {"$or": [{"b": [2]}, {"c": [3]}]}]}}'],
    [
      'a wildcard rule of complexity 9',
      '{"id": [{"wildcard": "*:stack/A/*"}, {"wildcard": "*:stack/B/*"}, {"wildcard": "*:stack/C/*"}]}',
    ],
  ])('%s', (_name, pattern) => {
    expect(compilePattern(pattern).branches.length).toBeGreaterThan(0);
  });

  it('takes a pattern given as an object, reporting against its JSON text', () => {
    expect(compilePattern({ a: ['b'] }).source).toBe('{"a":["b"]}');
    expect(() => compilePattern({ a: 'b' })).toThrow(
      located('"a" must be an object or an array', '{"a":"b"}', 7),
    );
  });

  it('expands $or into branches that carry the fields around them', () => {
    const { branches } = compilePattern('{"s": ["x"], "$or": [{"a": [1]}, {"b": [2], "c": [3]}]}');
    expect(branches.map((b) => b.fields.map((f) => f.path.join('.')).sort())).toEqual([
      ['a', 's'],
      ['b', 'c', 's'],
    ]);
  });
});
