/**
 * API Gateway's management APIs through Python's boto3 (every botocore version on the machine,
 * skipped where none is installed): a REST API built and deployed with a mock integration, an
 * HTTP API quick-created, both read back, and the `@connections` API's answer for a connection
 * that is gone. The REST API is then called over plain HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonsWithBoto3, runPythonJson } from './support/boto3.js';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const script = `
import json, sys, boto3, botocore.exceptions
endpoint, name = sys.argv[1], sys.argv[2]
settings = dict(endpoint_url=endpoint, region_name='us-east-1',
                aws_access_key_id='test', aws_secret_access_key='test')
apigw = boto3.client('apigateway', **settings)
api = apigw.create_rest_api(name=name)
# Older botocore models have no rootResourceId: the root is found the way clients then did.
root = next(r['id'] for r in apigw.get_resources(restApiId=api['id'])['items'] if r['path'] == '/')
pets = apigw.create_resource(restApiId=api['id'], parentId=root, pathPart='pets')
apigw.put_method(restApiId=api['id'], resourceId=pets['id'], httpMethod='GET', authorizationType='NONE')
apigw.put_integration(restApiId=api['id'], resourceId=pets['id'], httpMethod='GET', type='MOCK',
                      requestTemplates={'application/json': '{"statusCode": 200}'})
apigw.put_method_response(restApiId=api['id'], resourceId=pets['id'], httpMethod='GET', statusCode='200')
apigw.put_integration_response(restApiId=api['id'], resourceId=pets['id'], httpMethod='GET',
                               statusCode='200',
                               responseTemplates={'application/json': '{"pets": ["$context.stage"]}'})
apigw.create_deployment(restApiId=api['id'], stageName='dev', variables={'v': '1'})
stages = apigw.get_stages(restApiId=api['id'])['item']
resources = sorted(r['path'] for r in apigw.get_resources(restApiId=api['id'])['items'])
try:
    apigw.get_rest_api(restApiId='nosuchapi')
    missing = None
except botocore.exceptions.ClientError as e:
    missing = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]

v2 = boto3.client('apigatewayv2', **settings)
http_api = v2.create_api(Name=name + '-http', ProtocolType='HTTP', Target='https://example.invalid')
http_stages = [s['StageName'] for s in v2.get_stages(ApiId=http_api['ApiId'])['Items']]
routes = [r['RouteKey'] for r in v2.get_routes(ApiId=http_api['ApiId'])['Items']]

connections = boto3.client('apigatewaymanagementapi',
                           endpoint_url=endpoint + '/_aws/execute-api/' + http_api['ApiId'] + '/prod',
                           region_name='us-east-1', aws_access_key_id='test',
                           aws_secret_access_key='test')
try:
    connections.post_to_connection(ConnectionId='gone-connection=', Data=b'hello')
    gone = None
except botocore.exceptions.ClientError as e:
    gone = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]

print(json.dumps({'restApiId': api['id'], 'stages': [[s['stageName'], s.get('variables')] for s in stages],
                  'resources': resources, 'missing': missing, 'httpStages': http_stages,
                  'routes': routes, 'gone': gone}))
`;

interface Result {
  restApiId: string;
  stages: [string, Record<string, string>][];
  resources: string[];
  missing: [string, number];
  httpStages: string[];
  routes: string[];
  gone: [string, number];
}

const pythons = pythonsWithBoto3();

describe.skipIf(pythons.length === 0)('API Gateway through boto3', () => {
  let stratus: TestStratus;
  beforeAll(async () => {
    stratus = await startTestStratus();
  });
  afterAll(async () => {
    await stratus?.close();
  });

  for (const [index, python] of pythons.entries()) {
    it(`builds, deploys and reads APIs with ${python}`, { timeout: 60_000 }, async () => {
      const result = await runPythonJson<Result>(python, script, [stratus.url, `boto3-${index}`]);
      expect(result.stages).toEqual([['dev', { v: '1' }]]);
      expect(result.resources).toEqual(['/', '/pets']);
      expect(result.missing).toEqual(['NotFoundException', 404]);
      expect(result.httpStages).toEqual(['$default']);
      expect(result.routes).toEqual(['$default']);
      expect(result.gone).toEqual(['GoneException', 410]);
      const answer = await httpCall(`${stratus.url}/_aws/execute-api/${result.restApiId}/dev/pets`);
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ pets: ['dev'] });
    });
  }
});
