/**
 * What a WebSocket message reads of its API as it is now rather than from the stage's
 * deployment — route responses, integration responses, models — as API Gateway would read them
 * from the deployment (see the differences in route-responses.ts, integration-responses.ts and
 * models.ts).
 */
import type { IntegrationResponse } from '@aws-sdk/client-apigatewayv2';
import type { Store } from '../../../storage/store.js';
import { integrationResponseOf } from './integration-responses.js';
import { integrationResponseQueries, modelQueries, routeResponseQueries } from './tables.js';

export interface LiveParts {
  /** Whether the route sends its integration's result back (it has a route response). */
  twoWay(apiId: string, routeId: string): Promise<boolean>;
  integrationResponses(apiId: string, integrationId: string): Promise<IntegrationResponse[]>;
  /** The schema of the API's model of that name; undefined when there is none. */
  modelSchema(apiId: string, name: string): Promise<string | undefined>;
}

export function storedLiveParts(store: Store): LiveParts {
  return {
    twoWay: async (apiId, routeId) => (await routeResponseQueries.forRoute(store, apiId, routeId)).length > 0,
    integrationResponses: async (apiId, integrationId) =>
      (await integrationResponseQueries.forIntegration(store, apiId, integrationId)).map(
        integrationResponseOf,
      ),
    modelSchema: async (apiId, name) => {
      const row = await modelQueries.findByName(store, apiId, name);
      return row ? (JSON.parse(row.document) as { Schema?: string }).Schema : undefined;
    },
  };
}
