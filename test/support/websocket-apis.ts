/**
 * Building WebSocket APIs for end-to-end tests through the SDK: an API that routes by
 * `$request.body.action`, integrations, two-way routes (with a `$default` route response), and
 * the stage's URL on the path form.
 */
import {
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateRouteResponseCommand,
  type ApiGatewayV2Client,
  type CreateIntegrationCommandInput,
  type CreateRouteCommandInput,
} from '@aws-sdk/client-apigatewayv2';

/** The integration URI of a Lambda function. */
export const lambdaUri = (arn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;

export function webSocketApis(apigateway: ApiGatewayV2Client, port: number) {
  return {
    stageUrl: (apiId: string, stage = 'prod') => `ws://127.0.0.1:${port}/_aws/execute-api/${apiId}/${stage}`,

    async create(Name: string): Promise<string> {
      const { ApiId } = await apigateway.send(
        new CreateApiCommand({
          Name,
          ProtocolType: 'WEBSOCKET',
          RouteSelectionExpression: '$request.body.action',
        }),
      );
      return ApiId!;
    },

    async integration(
      ApiId: string,
      settings: Omit<CreateIntegrationCommandInput, 'ApiId'>,
    ): Promise<string> {
      return (await apigateway.send(new CreateIntegrationCommand({ ApiId, ...settings }))).IntegrationId!;
    },

    async twoWayRoute(
      ApiId: string,
      RouteKey: string,
      IntegrationId: string,
      settings: Omit<CreateRouteCommandInput, 'ApiId' | 'RouteKey' | 'Target'> = {},
    ): Promise<string> {
      const { RouteId } = await apigateway.send(
        new CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${IntegrationId}`, ...settings }),
      );
      await apigateway.send(new CreateRouteResponseCommand({ ApiId, RouteId, RouteResponseKey: '$default' }));
      return RouteId!;
    },
  };
}
