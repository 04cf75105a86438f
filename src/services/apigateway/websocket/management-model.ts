/**
 * The `@connections` API's model, plus the URLs its clients really send to. Its base URL is a
 * stage's: `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`, so an SDK configured
 * with that endpoint puts `/{stage}` in front of the model's `/@connections/{connectionId}`; so
 * does one pointed at `{edge}/_aws/execute-api/{apiId}/{stage}`. Both reach the same operations,
 * as does the bare `/@connections/{connectionId}` (an SDK given the edge itself, as
 * `AWS_ENDPOINT_URL` inside functions).
 */
import { loadServiceModel, type ServiceModel } from '../../../protocol/model.js';

const prefixes = ['/{Stage}', '/_aws/execute-api/{ApiId}/{Stage}'];

export function connectionsModel(): ServiceModel {
  const model = loadServiceModel('apigatewaymanagementapi');
  for (const [key, operation] of Object.entries(model.operations)) {
    for (const prefix of prefixes) {
      // Keyed apart from the model's route; dispatch goes by the name, so all reach one method.
      model.operations[`${key} (${prefix})`] = {
        ...operation,
        name: operation.name ?? key,
        http: { ...operation.http, requestUri: `${prefix}${operation.http.requestUri}` },
      };
    }
  }
  return model;
}
