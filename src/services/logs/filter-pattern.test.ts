import { describe, it, expect } from 'vitest';
import { compileFilterPattern, FilterPatternSyntaxError } from './filter-pattern.js';

/** One pattern and the events it must and must not match. */
interface Example {
  pattern: string;
  matches: string[];
  rejects: string[];
}

function checkExamples(examples: Example[]): void {
  it.each(examples)('$pattern', ({ pattern, matches, rejects }) => {
    const compiled = compileFilterPattern(pattern);
    for (const message of matches) expect(compiled.matches(message), `should match: ${message}`).toBe(true);
    for (const message of rejects)
      expect(compiled.matches(message), `should not match: ${message}`).toBe(false);
  });
}

describe('empty pattern', () => {
  const anyEvents = ['', 'anything at all', '{"level":"ERROR"}', '127.0.0.1 - - [x] "GET /" 200 1'];

  it.each([undefined, '', '   '])('%j matches every event', (pattern) => {
    const compiled = compileFilterPattern(pattern);
    for (const message of anyEvents) expect(compiled.matches(message)).toBe(true);
  });

  // Docs: `""` (older "Match everything" example) and `" "` (current one) both return all log events.
  checkExamples([
    { pattern: '""', matches: anyEvents, rejects: [] },
    { pattern: '" "', matches: anyEvents, rejects: [] },
  ]);
});

describe('terms in unstructured events', () => {
  describe('examples of the archived user guide (awsdocs/amazon-cloudwatch-logs-user-guide)', () => {
    const fatal = '[ERROR] A fatal exception has occurred';
    const exiting = 'Exiting with ERRORCODE: -1';
    const orEvents = { both: 'ERROR WARN message', error: 'ERROR message', warn: 'WARN message' };
    checkExamples([
      { pattern: 'ERROR', matches: [fatal, exiting], rejects: ['[error] lower case', 'Error: mixed case'] },
      { pattern: '"ERROR" - "Exiting"', matches: [fatal], rejects: [exiting] },
      { pattern: 'ERROR -Exiting', matches: [fatal], rejects: [exiting] },
      {
        pattern: 'ERROR Exception',
        matches: ['[ERROR] Caught IllegalArgumentException', '[ERROR] Unhandled Exception'],
        rejects: ['[WARN] Unhandled Exception', '[ERROR] Unhandled failure'],
      },
      {
        pattern: 'Failed to process the request',
        matches: [
          '[WARN] Failed to process the request',
          '[ERROR] Unable to continue: Failed to process the request',
        ],
        rejects: ['[WARN] Failed to process'],
      },
      { pattern: 'ERROR', matches: [orEvents.both, orEvents.error], rejects: [orEvents.warn] },
      { pattern: '?ERROR ?WARN', matches: Object.values(orEvents), rejects: ['INFO message'] },
      { pattern: 'ERROR WARN', matches: [orEvents.both], rejects: [orEvents.error, orEvents.warn] },
      { pattern: 'ERROR -WARN', matches: [orEvents.error], rejects: [orEvents.both, orEvents.warn] },
    ]);
  });

  describe('examples of the current user guide', () => {
    const badRequest = '[ERROR 400] BAD REQUEST';
    const unauthorized = '[ERROR 401] UNAUTHORIZED REQUEST';
    const missing = '[ERROR 419] MISSING ARGUMENTS';
    const invalid = '[ERROR 420] INVALID ARGUMENTS';
    const internal = '[ERROR 500] INTERNAL SERVER ERROR';
    const authorized = '[SUCCESS 200] AUTHORIZED REQUEST';
    const all = [badRequest, unauthorized, missing, invalid, internal, authorized];
    checkExamples([
      {
        pattern: 'ERROR',
        matches: [badRequest, unauthorized, missing, invalid, internal],
        rejects: [authorized],
      },
      {
        pattern: 'ERROR ARGUMENTS',
        matches: [missing, invalid],
        rejects: [badRequest, unauthorized, internal, authorized],
      },
      {
        pattern: '?ERROR ?ARGUMENTS',
        matches: [badRequest, unauthorized, missing, invalid, internal],
        rejects: [authorized],
      },
      {
        pattern: '"INTERNAL SERVER ERROR"',
        matches: [internal],
        rejects: [badRequest, unauthorized, missing, invalid, authorized],
      },
      {
        pattern: 'ERROR -ARGUMENTS',
        matches: [badRequest, unauthorized, internal],
        rejects: [missing, invalid, authorized],
      },
      { pattern: '" "', matches: all, rejects: [] },
      // Lightsail's GetContainerLog documents the same filter pattern language.
      { pattern: '-ERROR', matches: [authorized], rejects: [badRequest, internal] },
      {
        pattern: '?ERROR ?Exception',
        matches: [badRequest, 'java.lang.Exception: boom'],
        rejects: [authorized],
      },
    ]);
  });

  // Behaviour observed against CloudWatch Logs and published with its inputs (radek-pysny.github.io,
  // "AWS CloudWatch vol. 1", 2025): terms are case-sensitive and match part of a word.
  describe('observed AWS behaviour', () => {
    checkExamples([
      {
        pattern: 'ERROR',
        matches: ['[ERROR 400] BAD REQUEST', 'ERRORNEOUS PROGRAM'],
        rejects: [
          'error=cannot process ticket',
          'rpc error',
          'Error: entity not found!',
          'NotFoundError',
          'ErRoR',
        ],
      },
      {
        pattern: 'ARGUMENT ERROR',
        matches: ['[ERROR 419] MISSING ARGUMENTS', '[ERROR 420] INVALID ARGUMENTS'],
        rejects: ['[ERROR 400] BAD REQUEST', '[ERROR 401] UNAUTHORIZED REQUEST'],
      },
      { pattern: '"ERROR][grpc"', matches: ['2025-03-28 [ERROR][grpc] failed'], rejects: ['[ERROR] [grpc]'] },
      {
        pattern: '?BAD ?INVALID',
        matches: ['[ERROR 400] BAD REQUEST', '[ERROR 420] INVALID ARGUMENTS'],
        rejects: ['[ERROR 401] UNAUTHORIZED REQUEST', '[ERROR 419] MISSING ARGUMENTS'],
      },
      {
        pattern: '?"clean up" ?xyz',
        matches: ['map clean up', 'xyz', 'xyz will do clean up'],
        rejects: ['abc xy yz xz', 'map is cleaned up', '[ERROR 419] MISSING ARGUMENTS'],
      },
      {
        pattern: 'ERROR -ARGUMENTS',
        matches: ['[ERROR 400] BAD REQUEST', '[ERROR 401] UNAUTHORIZED REQUEST'],
        rejects: ['[ERROR 420] INVALID ARGUMENTS', '[ERROR 419] MISSING ARGUMENTS'],
      },
    ]);
  });

  // What the AWS CDK's FilterPattern helpers render (aws-cdk-lib/aws-logs/lib/pattern.ts).
  describe('patterns rendered by the AWS CDK', () => {
    checkExamples([
      {
        pattern: '"ERROR" "MainThread"', // allTerms('ERROR', 'MainThread')
        matches: ['ERROR in MainThread'],
        rejects: ['ERROR in worker-1', 'MainThread idle'],
      },
      {
        pattern: '?"ERROR" ?"MainThread"', // anyTerm('ERROR', 'MainThread')
        matches: ['ERROR in worker-1', 'MainThread idle'],
        rejects: ['WARN in worker-1'],
      },
      {
        pattern: '?"ERROR" "MainThread" ?"WARN" "Deadlock"', // anyTermGroup(['ERROR', 'MainThread'], ['WARN', 'Deadlock'])
        matches: ['ERROR in MainThread', 'WARN Deadlock detected'],
        rejects: ['ERROR in worker-1', 'WARN in MainThread', 'Deadlock ERROR'],
      },
      {
        pattern: '"say \\"hi\\" to C:\\\\"', // quoteTerm escapes " and \ with a backslash
        matches: ['please say "hi" to C:\\ now'],
        rejects: ['say hi to C:'],
      },
    ]);
  });
});

describe('regular expressions', () => {
  checkExamples([
    // Examples of "Supported regular expressions (regex) syntax".
    {
      pattern: '%AUTHORIZED%',
      matches: ['[ERROR 401] UNAUTHORIZED REQUEST', '[SUCCESS 200] AUTHORIZED REQUEST'],
      rejects: ['[ERROR 400] BAD REQUEST', 'authorized'],
    },
    {
      pattern: '%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%',
      matches: ['client 10.0.12.255 connected', '127.0.0.1'],
      rejects: ['version 1.2.3', 'client a.b.c.d'],
    },
    {
      pattern: '%[Ee]rror|[Ff]ail%',
      matches: ['Error: x', 'an error', 'Failed', 'will fail'],
      rejects: ['ERROR', 'FAIL', 'all good'],
    },
    { pattern: '%^[hc]at%', matches: ['hat trick', 'cat'], rejects: ['the cat', 'bat'] },
    { pattern: '%[hc]at$%', matches: ['a hat', 'cat'], rejects: ['cats', 'hat trick'] },
    { pattern: '%colou?r%', matches: ['color', 'colour'], rejects: ['colouur', 'colr'] },
    { pattern: '%[abc]%', matches: ['a', 'xbx', 'c'], rejects: ['xyz', 'ABC'] },
    { pattern: '%[a-z]%', matches: ['a', 'ABCz'], rejects: ['ABC', '123'] },
    { pattern: '%[abcx-z]%', matches: ['a', 'y', 'z'], rejects: ['d', 'w'] },
    { pattern: '%a{3,5}%', matches: ['aaa', 'aaaa', 'aaaaa'], rejects: ['aa', 'a'] },
    { pattern: '%^a{,2}b%', matches: ['b', 'ab', 'aab'], rejects: ['aaab'] }, // either bound of {m,n} may be omitted
    { pattern: '%^a{2,}$%', matches: ['aa', 'aaaaaa'], rejects: ['a'] },
    { pattern: '%gray|grey%', matches: ['gray', 'grey'], rejects: ['gravy'] },
    { pattern: '%10\\.10\\.0\\.1%', matches: ['from 10.10.0.1'], rejects: ['from 10a10b0c1'] },
    { pattern: '%^12*0$%', matches: ['10', '120', '1220'], rejects: ['130'] },
    { pattern: '%^12+0$%', matches: ['120', '1220'], rejects: ['10'] },
    { pattern: '%^.ingle$%', matches: ['single', 'jingle'], rejects: ['ingle', 'shingle'] },
    { pattern: '%^\\d\\D\\s\\S\\w\\W$%', matches: ['1a bc-'], rejects: ['1a bc_'] },
    { pattern: '%\\x41%', matches: ['A'], rejects: ['a'] },
    { pattern: '%[^0-9]%', matches: ['12a'], rejects: ['123'] },
    {
      pattern: '%user=@admin;role:root,id#1/x-y%',
      matches: ['user=@admin;role:root,id#1/x-y'],
      rejects: ['user'],
    },
  ]);
});

describe('JSON events', () => {
  // The event of the docs' "JSON Metric Filter Examples".
  const trailEvent = JSON.stringify({
    eventType: 'UpdateTrail',
    sourceIPAddress: '111.111.111.111',
    arrayKey: ['value', 'another value'],
    objectList: [
      { name: 'a', id: 1 },
      { name: 'b', id: 2 },
    ],
    SomeObject: null,
    ThisFlag: true,
  });
  // The event of the docs' "JSON Compound Conditions".
  const usersEvent = JSON.stringify({
    user: { id: 1, email: 'John.Stiles@example.com' },
    users: [
      { id: 2, email: 'John.Doe@example.com' },
      { id: 3, email: 'Jane.Doe@example.com' },
    ],
    actions: ['GET', 'PUT', 'DELETE'],
    coordinates: [
      [0, 1, 2],
      [4, 5, 6],
      [7, 8, 9],
    ],
  });
  const notJson = 'UpdateTrail 111.111.111.111 value';

  describe("the docs' filters on the example event", () => {
    checkExamples([
      {
        pattern: '{ $.eventType = "UpdateTrail" }',
        matches: [trailEvent],
        rejects: [notJson, '{"eventType":"Other"}'],
      },
      {
        pattern: '{ $.sourceIPAddress != 123.123.* }',
        matches: [trailEvent],
        rejects: ['{"sourceIPAddress":"123.123.4.5"}'],
      },
      { pattern: '{ $.arrayKey[0] = "value" }', matches: [trailEvent], rejects: ['{"arrayKey":"value"}'] },
      {
        pattern: '{ $.objectList[1].id = 2 }',
        matches: [trailEvent],
        rejects: ['{"objectList":{"1":{"id":2}}}', '{"objectList":[1,2]}', '{"objectList":[{"id":2}]}'],
      },
      { pattern: '{ $.SomeObject IS NULL }', matches: [trailEvent], rejects: ['{"SomeObject":0}', '{}'] },
      {
        pattern: '{ $.SomeOtherObject NOT EXISTS }',
        matches: [trailEvent, '{}'],
        rejects: ['{"SomeOtherObject":null}'],
      },
      {
        pattern: '{ $.ThisFlag IS TRUE }',
        matches: [trailEvent],
        rejects: ['{"ThisFlag":"true"}', '{"ThisFlag":1}'],
      },
      { pattern: '{ $.ThisFlag IS FALSE }', matches: ['{"ThisFlag":false}'], rejects: [trailEvent] },
    ]);
  });

  describe('compound conditions', () => {
    checkExamples([
      {
        pattern: '{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }',
        matches: [usersEvent],
        rejects: [],
      },
      {
        pattern: '{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }',
        matches: [],
        rejects: [usersEvent],
      },
      {
        pattern:
          '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }',
        matches: [usersEvent],
        rejects: [],
      },
      {
        pattern:
          '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }',
        matches: [],
        rejects: [usersEvent],
      },
      { pattern: '{ $.coordinates[2][0] = 7 }', matches: [usersEvent], rejects: [] },
      // OR pattern matching in JSON filters.
      { pattern: '{$.foo = bar}', matches: ['{"foo": "bar"}'], rejects: ['{"foo": "baz"}'] },
      { pattern: '{$.foo = baz }', matches: ['{"foo": "baz"}'], rejects: ['{"foo": "bar"}'] },
      {
        pattern: '{$.foo = bar || $.foo = baz }',
        matches: ['{"foo": "bar"}', '{"foo": "baz"}'],
        rejects: ['{"foo": "qux"}'],
      },
    ]);
  });

  describe('special considerations', () => {
    // "The SELECTOR must point to a value node": both = and != fail on an array or object.
    checkExamples([
      { pattern: '{$.users = 1}', matches: [], rejects: ['{"users": [1, 2, 3]}', '{"users": {"a": 1}}'] },
      {
        pattern: '{$.users != 1}',
        matches: ['{"users": 2}'],
        rejects: ['{"users": [1, 2, 3]}', '{"users": null}', '{}'],
      },
    ]);
  });

  describe('numeric comparisons', () => {
    const metrics = JSON.stringify({
      latency: 1500,
      numbers: [0.001],
      processes: [{}, {}, {}, {}, { averageRuntime: 55.5 }],
      errorCode: 400,
    });
    const fast = JSON.stringify({ latency: 20, numbers: [20000], processes: [], errorCode: 500 });
    checkExamples([
      {
        pattern: '{ $.latency >= 500 }',
        matches: [metrics, '{"latency":500}'],
        rejects: [fast, '{"latency":"slow"}'],
      },
      { pattern: '{ $.numbers[0] < 10e3 }', matches: [metrics], rejects: [fast] },
      { pattern: '{ $.numbers[0] < 10e-3 }', matches: [metrics], rejects: [fast, '{"numbers":[0.01]}'] },
      { pattern: '{ $.processes[4].averageRuntime <= 55.5 }', matches: [metrics], rejects: [fast] },
      {
        pattern: '{ $.errorCode = 400 }',
        matches: [metrics, '{"errorCode":400.0}', '{"errorCode":"400"}'],
        rejects: [fast],
      },
      {
        pattern: '{ $.errorCode != 500 }',
        matches: [metrics, '{"errorCode":"AccessDenied"}'],
        rejects: [fast, '{}'],
      },
      { pattern: '{ $.latency > +1000 }', matches: [metrics], rejects: [fast, '{"latency":1000}'] },
      {
        pattern: '{ $.delta < -1.5 }',
        matches: ['{"delta":-2}'],
        rejects: ['{"delta":-1}', '{"delta":true}'],
      },
    ]);
  });

  describe('string values and wildcards', () => {
    checkExamples([
      {
        pattern: '{ $.eventName = *Event }',
        matches: ['{"eventName":"PutEvent"}', '{"eventName":"GetEvent"}'],
        rejects: ['{"eventName":"EventId"}'],
      },
      {
        pattern: '{ $.eventName = Event* }',
        matches: ['{"eventName":"EventId"}', '{"eventName":"EventName"}'],
        rejects: ['{"eventName":"PutEvent"}'],
      },
      {
        pattern: '{ $.eventName = Ev*ent }',
        matches: ['{"eventName":"Ev*ent"}'],
        rejects: ['{"eventName":"Event"}', '{"eventName":"EvXent"}'],
      },
      {
        pattern: '{ $.path = "*/admin/*" }',
        matches: ['{"path":"/v1/admin/users"}'],
        rejects: ['{"path":"/v1/users"}'],
      },
      // Publishing a metric from $.latency uses `{ $.latency = * }` to select events that have it.
      {
        pattern: '{ $.latency = * }',
        matches: ['{"latency":12}', '{"latency":"12ms"}'],
        rejects: ['{}', '{"latency":null}', '{"latency":[1]}'],
      },
      {
        pattern: '{ $.level = "ERROR" }',
        matches: ['{"level":"ERROR"}'],
        rejects: ['{"level":"error"}', '{"level":"ERRORS"}'],
      },
      {
        pattern: '{ $.user-name = a_b }',
        matches: ['{"user-name":"a_b"}'],
        rejects: ['{"user_name":"a_b"}'],
      },
      {
        pattern: '{ $.version = "1" }',
        matches: ['{"version":1}', '{"version":"1"}'],
        rejects: ['{"version":"1.0"}'],
      },
      { pattern: '{ $.constructor NOT EXISTS }', matches: ['{}'], rejects: ['{"constructor":1}'] },
    ]);
  });

  describe('wildcard selectors', () => {
    checkExamples([
      {
        pattern: '{ $.arrayKey[*] = "another value" }',
        matches: [trailEvent],
        rejects: ['{"arrayKey":["value"]}'],
      },
      {
        pattern: '{ $.objectList[*].name = "b" }',
        matches: [trailEvent],
        rejects: ['{"objectList":[{"name":"a"}]}'],
      },
      {
        pattern: '{ $.* = "UpdateTrail" }',
        matches: [trailEvent],
        rejects: ['{"nested":{"x":"UpdateTrail"}}'],
      },
      {
        pattern: '{ $.objectList[*].missing NOT EXISTS }',
        matches: [trailEvent],
        rejects: ['{"objectList":[{"missing":0}]}'],
      },
    ]);
  });

  describe('regular expressions in JSON patterns', () => {
    checkExamples([
      {
        pattern: '{ $.eventType = %^Update% }',
        matches: [trailEvent],
        rejects: ['{"eventType":"PutUpdate"}'],
      },
      {
        pattern: '{ $.eventType != %Trail$% }',
        matches: ['{"eventType":"UpdateTable"}'],
        rejects: [trailEvent, '{}'],
      },
      {
        pattern: '{ $.status = %^5\\d\\d$% || $.path = %^/admin% }',
        matches: ['{"status":503}', '{"path":"/admin/x"}'],
        rejects: ['{"status":404,"path":"/x"}'],
      },
    ]);
  });

  // What the AWS CDK's FilterPattern.all/any/stringValue/booleanValue/numberValue/exists render.
  describe('patterns rendered by the AWS CDK', () => {
    checkExamples([
      {
        pattern: '{ ($.component = "HttpServer") && (($.error IS TRUE) || ($.latency > 1000)) }',
        matches: ['{"component":"HttpServer","error":true}', '{"component":"HttpServer","latency":1500}'],
        rejects: ['{"component":"HttpServer","error":false,"latency":10}', '{"component":"Db","error":true}'],
      },
      { pattern: '{ $.myField = "*" }', matches: ['{"myField":"x"}', '{"myField":0}'], rejects: ['{}'] },
    ]);
  });

  it('never matches an event that is not a JSON object', () => {
    const compiled = compileFilterPattern('{ $.a NOT EXISTS }');
    for (const message of ['plain text', '[1, 2]', '"a string"', '42', '{not json}', 'INFO {"a": 1}', '']) {
      expect(compiled.matches(message)).toBe(false);
    }
    expect(compiled.matches('  {"b": 1}\n')).toBe(true);
  });
});

describe('space-delimited events', () => {
  // The docs' Apache access log events.
  const apache200 = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534';
  const apache500 = '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324';
  const apache200b = '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355';
  const apache404 = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';
  const apache = [apache200, apache500, apache200b];

  describe("the docs' access log filters", () => {
    checkExamples([
      {
        pattern: '[ip, user, username, timestamp, request, status_code, bytes]',
        matches: [...apache, apache404],
        rejects: ['a b c'],
      },
      { pattern: '[..., status_code, bytes]', matches: apache, rejects: ['single'] },
      { pattern: '[ip, user, ..., status_code, bytes]', matches: apache, rejects: ['a b c'] },
      { pattern: '[ip, user, ...]', matches: [...apache, 'a b'], rejects: ['a'] },
      {
        pattern: '[ip, user, username, timestamp, request, status_code, bytes > 1000]',
        matches: apache,
        rejects: [],
      },
      {
        pattern: '[ip, user, username, timestamp, request, status_code = 200, bytes]',
        matches: [apache200, apache200b],
        rejects: [apache500],
      },
      {
        pattern: '[ip, user, username, timestamp, request, status_code = 4*, bytes]',
        matches: [apache404],
        rejects: apache,
      },
      {
        pattern: '[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]',
        matches: [apache404],
        rejects: [...apache, apache404.replace('index.html', 'index.php')],
      },
      {
        pattern: '[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]',
        matches: [apache404],
        rejects: [...apache, apache404.replace(' 404 ', ' 403 ')],
      },
      {
        pattern: '[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]',
        matches: [apache404, apache404.replace(' 404 ', ' 403 ')],
        rejects: apache,
      },
      // The trailing comma is a seventh, unnamed field (the docs extract it as "$7": "1534").
      { pattern: '[..., request=*.html*, status_code=4*,]', matches: [apache404], rejects: apache },
    ]);
  });

  describe('OR pattern matching in space-delimited filters', () => {
    const events = { both: 'ERROR WARN message', error: 'ERROR message', warn: 'WARN message' };
    checkExamples([
      { pattern: '[w1=ERROR, w2]', matches: [events.error], rejects: [events.both, events.warn] },
      { pattern: '[w1=ERROR || w1=WARN, w2]', matches: [events.error, events.warn], rejects: [events.both] },
      // The docs say this matches "ERROR WARN message", but that event has three fields and the
      // pattern two, which `[w1=ERROR, w2]` above shows never match; it does exclude the other two.
      { pattern: '[w1!=ERROR&&w1!=WARN, w2]', matches: ['INFO message'], rejects: Object.values(events) },
    ]);
  });

  describe('fields, quoting and conditions', () => {
    checkExamples([
      {
        pattern:
          '[ip, user, username, timestamp = "10/Oct/2000:13:25:15 -0700", request = "GET /apache_pb.gif HTTP/1.0", status_code, bytes]',
        matches: [apache200],
        rejects: [apache500, apache404],
      },
      { pattern: '[a, , c = 3]', matches: ['1 2 3', '1  [two words] 3'], rejects: ['1 2 4', '1 3'] },
      { pattern: '[a, b]', matches: ['x "y z"', 'x []', '  x\ty  \n'], rejects: ['x y z'] },
      { pattern: '[a, b]', matches: ['"unterminated y'], rejects: ['"unterminated quote z'] },
      { pattern: '[level = %^ERR|^WARN%, msg]', matches: ['ERROR boom', 'WARNING x'], rejects: ['INFO x'] },
      { pattern: '[a = 1 || b = 2, b]', matches: ['1 9', '9 2'], rejects: ['9 9'] },
      { pattern: '[a = x* && (b = 1 || b = 2), b]', matches: ['xa 2'], rejects: ['xa 3', 'ya 1'] },
      { pattern: '[bytes != 0, other]', matches: ['- x', '12 x'], rejects: ['0 x'] },
      // awslogs' example for Lambda REPORT lines: `[r=REPORT,...]`.
      {
        pattern: '[r=REPORT,...]',
        matches: ['REPORT RequestId: 1 Duration: 2 ms'],
        rejects: ['START RequestId: 1'],
      },
    ]);
  });
});

describe('invalid patterns', () => {
  it.each([
    ['{ $.a = 1', "must end with '}'"],
    ['[a, b', "must end with ']'"],
    ['%abc', "must end with '%'"],
    ['%', "must end with '%'"],
    ['%%', 'empty regular expression'],
    ['%something!%', "character '!' is not supported"], // the docs' own rejected example
    ['%(a|b)%', "character '(' is not supported"],
    ['%caf\u00e9%', 'is not supported'],
    ['%two words%', "character ' ' is not supported"],
    ['%[a-%', 'invalid regular expression'],
    ['%*a%', 'invalid regular expression'],
    ['%abc\\%', 'lone backslash'],
    ['ERROR %regex%', 'must be the whole pattern'],
    ['"unterminated', 'unterminated quoted string'],
    ['"a"b', 'must be followed by a space'],
    ['ab"c', 'quote inside an unquoted term'],
    ['ERROR -', "'-' must be followed by a term"],
    ['?', "'?' must be followed by a term"],
    ['{}', 'empty JSON pattern'],
    ['{ eventType = x }', "starting with '$.'"],
    ['{ $ = x }', "starting with '$.'"],
    ['{ $.a..b = x }', 'invalid property selector'],
    ['{ $.a[x] = 1 }', 'invalid property selector'],
    ['{ $.a = }', 'expected a value'],
    ['{ $.a == 1 }', "'==' is not an operator"],
    ['{ $.a > abc }', "'>' compares numbers only"],
    ['{ $.a <= "1" }', "'<=' compares numbers only"],
    ['{ $.a IS MAYBE }', 'expected =, !=, <, <=, >, >=, IS NULL'],
    ['{ $.a EXISTS }', 'expected =, !=, <, <=, >, >=, IS NULL'],
    ['{ $.a = 1 & $.b = 2 }', "'&' must be doubled"],
    ['{ $.a = 1 | $.b = 2 }', "'|' must be doubled"],
    ['{ $.a = 1 $.b = 2 }', "expected '&&', '||' or the end"],
    ['{ ($.a = 1 }', "expected ')' but the pattern ended"],
    ['{ $.a = 1, $.b = 2 }', "expected '&&', '||' or the end"],
    ['{ $.a = %x% || $.b = %y% || $.c = %z% }', 'more than 2 regular expressions'],
    ['{ $.a = %x }', "missing its closing '%'"],
    ['[]', 'needs at least one field'],
    ['[..., a, ...]', "'...' may appear only once"],
    ['[... = 1, a]', "'...' cannot have conditions"],
    ['[a = ]', 'expected a value'],
    ['[a b]', "expected an operator after 'a'"],
    ['[a = 1 b]', "expected '&&', '||', ',' or ']'"],
    ['[a, b > x]', "'>' compares numbers only"],
    ['[a.b]', 'expected a field name'],
    // The docs list this example, but `bytes` is not one of its fields (and it has six fields for
    // seven-field events), so it can never match anything.
    ['[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]', "'bytes' is not a field"],
  ])('%s', (pattern, message) => {
    expect(() => compileFilterPattern(pattern)).toThrow(FilterPatternSyntaxError);
    expect(() => compileFilterPattern(pattern)).toThrow(message);
  });

  it('reports where in the pattern the problem is', () => {
    expect(() => compileFilterPattern('  { $.a > abc }')).toThrow('at position 11');
  });
});

describe('compiled patterns', () => {
  it('can be reused across many events', () => {
    const compiled = compileFilterPattern('[ip, user, ..., status_code = 5*, bytes]');
    const events = Array.from(
      { length: 1000 },
      (_, i) => `10.0.0.${i % 256} - "GET /${i}" ${i % 2 ? 500 : 200} ${i}`,
    );
    expect(events.filter((event) => compiled.matches(event))).toHaveLength(500);
  });
});
