import { describe, expect, it } from 'vitest';
import type { StoredRestApi } from '../rest-apis.js';
import type { RestImportPlan } from './import-rest.js';
import { importedApiDocument, mergeDefinitions, policyFor, renameIds } from './rest-api-document.js';

const at = { accountId: '000000000000', region: 'us-east-1' };

const stored: StoredRestApi = {
  id: 'abcdefghij',
  name: 'old',
  description: 'old description',
  version: '1',
  createdDate: 1,
  binaryMediaTypes: ['image/png'],
  apiKeySource: 'AUTHORIZER',
  endpointConfiguration: { types: ['REGIONAL'] },
  policy: '{"old":true}',
  rootResourceId: 'root01',
  disableExecuteApiEndpoint: false,
};

describe("an import's effect on the API's document", () => {
  it('writes execute-api:/ in a policy as the API ARN', () => {
    expect(policyFor('{"Resource":["execute-api:/*","execute-api:/GET/pets"]}', at, 'abcdefghij')).toBe(
      '{"Resource":["arn:aws:execute-api:us-east-1:000000000000:abcdefghij/*","arn:aws:execute-api:us-east-1:000000000000:abcdefghij/GET/pets"]}',
    );
  });

  it('overwrite replaces the settings the document may declare, and keeps identity and endpoint', () => {
    const next = importedApiDocument(
      stored,
      { name: 'new', binaryMediaTypes: ['image/gif'] },
      {},
      'overwrite',
      at,
    );
    expect(next).toEqual({
      id: 'abcdefghij',
      name: 'new',
      createdDate: 1,
      binaryMediaTypes: ['image/gif'],
      apiKeySource: 'HEADER',
      endpointConfiguration: { types: ['REGIONAL'] },
      rootResourceId: 'root01',
      disableExecuteApiEndpoint: false,
    });
  });

  it('merge keeps what the document leaves out and adds to the binary media types', () => {
    const next = importedApiDocument(
      stored,
      {
        name: 'new',
        version: '2',
        binaryMediaTypes: ['image/gif', 'image/png'],
        policy: '{"Resource":"execute-api:/*"}',
      },
      {},
      'merge',
      at,
    );
    expect(next).toMatchObject({
      name: 'new',
      description: 'old description',
      version: '2',
      binaryMediaTypes: ['image/png', 'image/gif'],
      apiKeySource: 'AUTHORIZER',
      policy: '{"Resource":"arn:aws:execute-api:us-east-1:000000000000:abcdefghij/*"}',
    });
  });

  it('merge lets imported definitions win by name and keeps the ids methods already name', () => {
    const { definitions, renamed } = mergeDefinitions(
      {
        requestValidators: [
          { id: 'old1', name: 'all', validateRequestBody: true },
          { id: 'old2', name: 'other', validateRequestBody: false },
        ],
        gatewayResponses: [{ responseType: 'DEFAULT_4XX', statusCode: '400' }],
      },
      {
        requestValidators: [{ id: 'new1', name: 'all', validateRequestBody: false }],
        gatewayResponses: [{ responseType: 'DEFAULT_4XX', statusCode: '418' }],
      },
    );
    expect(definitions.requestValidators).toEqual([
      { id: 'old2', name: 'other', validateRequestBody: false },
      { id: 'old1', name: 'all', validateRequestBody: false },
    ]);
    expect(definitions.gatewayResponses).toEqual([{ responseType: 'DEFAULT_4XX', statusCode: '418' }]);
    const plan = {
      resources: [{ path: '/', methods: [{ httpMethod: 'GET', method: { requestValidatorId: 'new1' } }] }],
    } as unknown as RestImportPlan;
    renameIds(plan, renamed);
    expect(plan.resources[0]!.methods[0]!.method.requestValidatorId).toBe('old1');
  });
});
