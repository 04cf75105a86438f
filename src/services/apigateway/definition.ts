/**
 * API Gateway: the REST API management API (v1) and the invoke edge that serves deployed APIs at
 * `{apiId}.execute-api.localhost` and `/_aws/execute-api/{apiId}/…`.
 */
import { loadServiceModel } from '../../protocol/model.js';
import type { ServiceDefinition } from '../service.js';
import { Deployments } from './deployments.js';
import { ExecuteApiRoute } from './invoke/execute-api-route.js';
import { RestInvoker } from './invoke/rest-invoker.js';
import { Methods } from './methods.js';
import { ApiGatewayProvider } from './provider.js';
import { Resources } from './resources.js';
import { RestApis } from './rest-apis.js';
import { apigatewayMigrations, apigatewayTables } from './tables.js';

export const apigateway: ServiceDefinition = {
  name: 'apigateway',
  model: loadServiceModel('apigateway'),
  migrations: apigatewayMigrations,
  tables: apigatewayTables,
  create({ store, clock, services, logger }) {
    const apis = new RestApis(store, clock);
    const resources = new Resources(store, apis);
    const invoker = new RestInvoker(store, services, logger);
    return {
      provider: new ApiGatewayProvider({
        apis,
        resources,
        methods: new Methods(resources),
        deployments: new Deployments(store, clock, apis),
      }),
      edgeRoutes: [new ExecuteApiRoute(store, clock, invoker)],
      reset: () => {
        invoker.forget();
        return Promise.resolve();
      },
    };
  },
};
