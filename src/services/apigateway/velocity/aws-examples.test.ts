/**
 * The AWS documentation's mapping templates, and behaviour recorded against API Gateway itself.
 */
import { describe, expect, it } from 'vitest';
import { evaluateTemplate, parseTemplate, renderTemplate, type TemplateVariables } from './index.js';

const pets = JSON.stringify([
  { id: 1, type: 'dog', price: 249.99 },
  { id: 2, type: 'cat', price: 124.99 },
  { id: 3, type: 'fish', price: 0.99 },
]);

function variables(overrides: Partial<TemplateVariables> & { body?: string } = {}): TemplateVariables {
  return {
    input: overrides.input ?? {
      body: overrides.body ?? '',
      params: {
        path: { id: 'abc' },
        querystring: { name: 'Ana', limit: '10' },
        header: { Accept: 'application/json', 'User-Agent': "curl/8.0 'x'" },
      },
    },
    context: overrides.context ?? {
      httpMethod: 'POST',
      stage: 'prod',
      requestId: 'req-1',
      identity: { sourceIp: '192.0.2.1', userAgent: 'curl/8.0', apiKey: null },
      authorizer: { principalId: 'user-1', claims: { sub: 'sub-1', 'cognito:username': 'ana' } },
    },
    stageVariables: overrides.stageVariables ?? { table: 'pets-prod' },
  };
}

function render(text: string, vars: TemplateVariables = variables()): string {
  return renderTemplate(parseTemplate(text), vars);
}

describe('AWS documentation templates', () => {
  it('the pet store #foreach mapping gives the documented JSON, line for line', () => {
    const template = [
      "#set($inputRoot = $input.path('$'))",
      '[',
      '#foreach($elem in $inputRoot)',
      '  {',
      '    "description" : "Item $elem.id is a $elem.type.",',
      '    "askingPrice" : $elem.price',
      '  }#if($foreach.hasNext),#end',
      '',
      '#end',
      ']',
    ].join('\n');
    expect(render(template, variables({ body: pets }))).toBe(
      [
        '[',
        '  {',
        '    "description" : "Item 1 is a dog.",',
        '    "askingPrice" : 249.99',
        '  },',
        '  {',
        '    "description" : "Item 2 is a cat.",',
        '    "askingPrice" : 124.99',
        '  },',
        '  {',
        '    "description" : "Item 3 is a fish.",',
        '    "askingPrice" : 0.99',
        '  }',
        ']',
      ].join('\n'),
    );
  });

  it('passes every parameter through with $input.params() and gives valid JSON', () => {
    const template = [
      '#set($allParams = $input.params())',
      '{',
      '  "params" : {',
      '    #foreach($type in $allParams.keySet())',
      '    #set($params = $allParams.get($type))',
      '    "$type" : {',
      '      #foreach($paramName in $params.keySet())',
      '      "$paramName" : "$util.escapeJavaScript($params.get($paramName))"',
      '      #if($foreach.hasNext),#end',
      '      #end',
      '    }',
      '    #if($foreach.hasNext),#end',
      '    #end',
      '  }',
      '}',
    ].join('\n');
    const output = render(template);
    // The docs' own caveat: escapeJavaScript escapes ' as \', which JSON refuses.
    expect(output).toContain(`"User-Agent" : "curl\\/8.0 \\'x\\'"`);
    expect(JSON.parse(output.replaceAll("\\'", "'"))).toEqual({
      params: {
        path: { id: 'abc' },
        querystring: { name: 'Ana', limit: '10' },
        header: { Accept: 'application/json', 'User-Agent': "curl/8.0 'x'" },
      },
    });
  });

  it('iterates the headers with keySet() and $foreach.hasNext', () => {
    const template =
      '{"headers": {#foreach($header in $input.params().header.keySet())' +
      '"$header": "$util.escapeJavaScript($input.params().header.get($header)).replaceAll("\\\\\'","\'")"' +
      '#if($foreach.hasNext),#end#end}}';
    expect(JSON.parse(render(template))).toEqual({
      headers: { Accept: 'application/json', 'User-Agent': "curl/8.0 'x'" },
    });
  });

  it.each([
    ['an object', '{"a":{"b":[1,2.5,"x",null,true]}}', '{"a":{"b":[1,2.5,"x",null,true]}}'],
    ['a list', '[1,2,3]', '[1,2,3]'],
    ['a string', '"text"', '"text"'],
    ['an empty body', '', '{}'],
    ['spaced JSON, compacted', '{ "a" : [ 1 , 2 ] }', '{"a":[1,2]}'],
    ['an integer beyond 2^53, exactly', '{"id":12345678901234567890}', '{"id":12345678901234567890}'],
  ])("$input.json('$') passes %s through", (_, body, expected) => {
    expect(render(`{"name": "$input.params('name')", "body": $input.json('$')}`, variables({ body }))).toBe(
      `{"name": "Ana", "body": ${expected}}`,
    );
  });

  it('escapes a whole body into a JSON string with $util.escapeJavaScript($input.body)', () => {
    const body = '{"message":"say \\"hi\\"\\nnow"}';
    const output = render('{"raw": "$util.escapeJavaScript($input.body)"}', variables({ body }));
    expect(JSON.parse(output)).toEqual({ raw: body });
  });

  it('counts and re-emits a selection ($input.path(...).size(), $input.json(...))', () => {
    const template = [
      '{',
      '    "id" : "$input.params(\'id\')",',
      '    "count" : "$input.path(\'$.things\').size()",',
      '    "things" : $input.json(\'$.things\')',
      '}',
    ].join('\n');
    const output = render(template, variables({ body: '{"things":{"1":{},"2":{},"3":{}}}' }));
    expect(JSON.parse(output)).toEqual({ id: 'abc', count: '3', things: { '1': {}, '2': {}, '3': {} } });
  });

  it('reads $util.parseJson results natively, as the $util docs show', () => {
    const template = [
      "#set ($errorMessageObj = $util.parseJson($input.path('$.errorMessage')))",
      '{',
      '   "errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0]',
      '}',
    ].join('\n');
    const body = JSON.stringify({ errorMessage: JSON.stringify({ key1: 'var1', key2: { arr: [1, 2, 3] } }) });
    expect(render(template, variables({ body }))).toBe('{\n   "errorMessageObjKey2ArrVal" : 1\n}');
  });

  it('maps $context variables, empty where the request has none', () => {
    const template = [
      '{',
      '    "stage" : "$context.stage",',
      '    "request_id" : "$context.requestId",',
      '    "source_ip" : "$context.identity.sourceIp",',
      '    "api_key" : "$context.identity.apiKey",',
      '    "caller" : "$context.identity.caller",',
      '    "sub" : "$context.authorizer.claims.sub",',
      '    "user" : "$context.authorizer.claims[\'cognito:username\']",',
      '    "table" : "$stageVariables.table",',
      '    "table2" : "$stageVariables[\'table\']",',
      '    "table3" : "${stageVariables[\'table\']}"',
      '}',
    ].join('\n');
    expect(JSON.parse(render(template))).toEqual({
      stage: 'prod',
      request_id: 'req-1',
      source_ip: '192.0.2.1',
      api_key: '',
      caller: '',
      sub: 'sub-1',
      user: 'ana',
      table: 'pets-prod',
      table2: 'pets-prod',
      table3: 'pets-prod',
    });
  });

  it('collects request overrides set on $context (the EventBridge PutEvents pattern)', () => {
    const template = [
      '#set($context.requestOverride.header.X-Amz-Target = "AWSEvents.PutEvents")',
      '#set($context.requestOverride.header.Content-Type = "application/x-amz-json-1.1")',
      '#set($context.responseOverride.status = 202)',
      "#set($inputRoot = $input.path('$'))",
      '{"Entries": [#foreach($elem in $inputRoot.items){"Detail": "$util.escapeJavaScript($elem.Detail).replaceAll("\\\\\'","\'")", "Source": "$elem.Source"}#if($foreach.hasNext),#end#end]}',
    ].join('\n');
    const body = JSON.stringify({ items: [{ Detail: '{"data":"it\'s created"}', Source: 'order' }] });
    const result = evaluateTemplate(parseTemplate(template), {
      ...variables({ body }),
      context: {
        requestOverride: { header: {}, path: {}, querystring: {} },
        responseOverride: { header: {} },
      },
    });
    expect(JSON.parse(result.output)).toEqual({
      Entries: [{ Detail: '{"data":"it\'s created"}', Source: 'order' }],
    });
    expect(result.context).toEqual({
      requestOverride: {
        header: { 'X-Amz-Target': 'AWSEvents.PutEvents', 'Content-Type': 'application/x-amz-json-1.1' },
        path: {},
        querystring: {},
      },
      responseOverride: { header: {}, status: 202 },
    });
  });
  it("the console's Method Request passthrough template gives valid JSON, empty where values are missing", () => {
    const template = [
      '##  See https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html',
      '##  This template will pass through all parameters including path, querystring, header, stage variables, and context',
      '#set($allParams = $input.params())',
      '{',
      '"body-json" : $input.json(\'$\'),',
      '"params" : {',
      '#foreach($type in $allParams.keySet())',
      '    #set($params = $allParams.get($type))',
      '"$type" : {',
      '    #foreach($paramName in $params.keySet())',
      '    "$paramName" : "$util.escapeJavaScript($params.get($paramName))"',
      '        #if($foreach.hasNext),#end',
      '    #end',
      '}',
      '    #if($foreach.hasNext),#end',
      '#end',
      '},',
      '"stage-variables" : {',
      '#foreach($key in $stageVariables.keySet())',
      '"$key" : "$util.escapeJavaScript($stageVariables.get($key))"',
      '    #if($foreach.hasNext),#end',
      '#end',
      '},',
      '"context" : {',
      '    "account-id" : "$context.identity.accountId",',
      '    "api-key" : "$context.identity.apiKey",',
      '    "authorizer-principal-id" : "$context.authorizer.principalId",',
      '    "http-method" : "$context.httpMethod",',
      '    "source-ip" : "$context.identity.sourceIp",',
      '    "request-id" : "$context.requestId"',
      '    }',
      '}',
    ].join('\n');
    const vars = variables({ body: '{"pet":{"name":"Rex"}}' });
    vars.input.params.header = { Accept: 'application/json' };
    expect(JSON.parse(render(template, vars))).toEqual({
      'body-json': { pet: { name: 'Rex' } },
      params: {
        path: { id: 'abc' },
        querystring: { name: 'Ana', limit: '10' },
        header: { Accept: 'application/json' },
      },
      'stage-variables': { table: 'pets-prod' },
      context: {
        'account-id': '',
        'api-key': '',
        'authorizer-principal-id': 'user-1',
        'http-method': 'POST',
        'source-ip': '192.0.2.1',
        'request-id': 'req-1',
      },
    });
  });
});

describe('behaviour recorded against API Gateway', () => {
  // From LocalStack's AWS-validated snapshots (test_input_path_template_formatting, test_input_body_formatting).
  it.each([
    ['a map prints the Java way', '{"foo":"bar"}', "$input.path('$')", '{foo=bar}'],
    ['a list prints as JSON', '[{"foo":"bar"}]', "$input.path('$')", '[{"foo":"bar"}]'],
    ['a map taken from a list prints the Java way', '[{"foo":"bar"}]', "$input.path('$')[0]", '{foo=bar}'],
    ['a list inside a list prints as JSON', '[[{"foo":"bar"}]]', "$input.path('$')[0]", '[{"foo":"bar"}]'],
    [
      'a list inside a map prints as JSON',
      '{"foo":[{"nested":"bar"}]}',
      "$input.path('$')",
      '{foo=[{"nested":"bar"}]}',
    ],
    ['entries are separated by ", "', '{"a":"x","b":"y","c":"z"}', "$input.path('$')", '{a=x, b=y, c=z}'],
    [
      'toString() prints the same',
      '{"list":[{"foo":"bar"}]}',
      "$input.path('$').toString()",
      '{list=[{"foo":"bar"}]}',
    ],
    ['an empty body is {}', '', '$input.body', '{}'],
    ['a property of the body string is nothing', '{"a":1}', '$input.body.testAccess', ''],
    [
      'urlEncode of the body',
      '{"some": "value"}',
      '$util.urlEncode($input.body)',
      '%7B%22some%22%3A+%22value%22%7D',
    ],
    ['urlEncode of an empty body', '', '$util.urlEncode($input.body)', '%7B%7D'],
    ['urlEncode of null is nothing', '', '$util.urlEncode($input.body.testAccess)', ''],
  ])('%s', (_, body, template, expected) => {
    expect(render(template, variables({ body }))).toBe(expected);
  });

  it('a missing selection prints nothing and equals both null and ""', () => {
    const template =
      '#set($result = $input.path("$.nonExisting")){"body": $result, "nested": $result.nested, ' +
      '"isNull": #if( $result == $null )"true"#else"false"#end, "isEmptyString": #if( $result == "" )"true"#else"false"#end}';
    expect(render(template, variables({ body: '{"json":{}}' }))).toBe(
      '{"body": , "nested": , "isNull": "true", "isEmptyString": "true"}',
    );
    expect(
      render(template.replace('nonExisting', 'listValue'), variables({ body: '{"listValue":[]}' })),
    ).toBe('{"body": [], "nested": , "isNull": "false", "isEmptyString": "false"}');
  });

  it.each([
    ['a missing key', '{"action":"x"}', '""'],
    ['a body that is a JSON string', '"#foobar123"', '""'],
    ['a body that is not JSON', 'not json', '""'],
    ['a present key', '{"message":"foobar"}', '"foobar"'],
  ])('$input.json of %s', (_, body, expected) => {
    expect(render("$input.json('$.message')", variables({ body }))).toBe(expected);
  });

  it('escapes the JSON of a selection for embedding in a string', () => {
    expect(
      render("$util.escapeJavaScript($input.json('$.message'))", variables({ body: '{"message":"foobar"}' })),
    ).toBe('\\"foobar\\"');
  });
});
