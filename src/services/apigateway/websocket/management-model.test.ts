import { describe, expect, it } from 'vitest';
import { matchRestOperation } from '../../../protocol/rest.js';
import { connectionsModel } from './management-model.js';

const model = connectionsModel();
const match = (method: string, path: string) =>
  matchRestOperation(model, { method, path, query: {}, headers: {}, body: Buffer.alloc(0) });

describe('the @connections model', () => {
  it.each([
    ['POST', '/@connections/K_7Ouc8XIAMCJmQ%3D', 'PostToConnection'],
    ['GET', '/prod/@connections/K_7Ouc8XIAMCJmQ%3D', 'GetConnection'],
    ['DELETE', '/_aws/execute-api/abcdef1234/prod/@connections/K_7Ouc8XIAMCJmQ%3D', 'DeleteConnection'],
  ])('serves %s %s as %s', (method, path, operation) => {
    const found = match(method, path);
    expect(found?.operation.name).toBe(operation);
    expect(found?.labels?.connectionId).toBe('K_7Ouc8XIAMCJmQ=');
  });

  it('matches nothing else', () => {
    expect(match('POST', '/prod/extra/@connections/x')).toBeUndefined();
    expect(match('PUT', '/@connections/x')).toBeUndefined();
  });
});
