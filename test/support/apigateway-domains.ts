/**
 * What the custom domain tests share: a function that answers with its event, deployed REST and
 * HTTP APIs in front of it, regional domain names, and calls by Host to a started Stratus.
 */
import * as V1 from '@aws-sdk/client-api-gateway';
import * as V2 from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction } from './lambda.js';
import { httpCall, type HttpAnswer } from './http.js';
import type { TestStratus } from './stratus.js';

/** Answers with the event it got; as a WebSocket route, with its `requestContext`. */
const echo = `
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(event.requestContext.eventType ? event.requestContext : event),
});`;

export const certificate =
  'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555';
export const edgeInV2 =
  'Only REGIONAL domain names can be managed through the API Gateway V2 API. For EDGE domain names, please use the API Gateway V1 API. Also note that only REST APIs can be attached to EDGE domain names.';

export type RestEvent = { path: string; resource: string; pathParameters: Record<string, string> | null } & {
  requestContext: { stage: string; path: string; domainName: string; domainPrefix: string; apiId: string };
};
export type HttpEvent = {
  rawPath: string;
  routeKey: string;
  requestContext: {
    stage: string;
    domainName: string;
    domainPrefix: string;
    apiId: string;
    http: { path: string };
  };
};

export interface DomainFixtures {
  v1: V1.APIGatewayClient;
  v2: V2.ApiGatewayV2Client;
  functionArn: string;
  /** A REST API whose `/` and `/{proxy+}` answer with the event, deployed to `prod`. */
  restApi(name: string): Promise<string>;
  /** A quick-created HTTP API on the function, served by its `$default` stage. */
  httpApi(name: string): Promise<string>;
  regionalDomain(
    domainName: string,
    securityPolicy?: V2.SecurityPolicy,
  ): Promise<V2.CreateDomainNameResponse>;
  /** A plain HTTP call to 127.0.0.1 naming `host` (and the edge's port) in the Host header. */
  call(host: string, path: string): Promise<HttpAnswer>;
  destroy(): void;
}

export async function domainFixtures(stratus: TestStratus): Promise<DomainFixtures> {
  const v1 = new V1.APIGatewayClient(stratus.clientConfig);
  const v2 = new V2.ApiGatewayV2Client(stratus.clientConfig);
  const lambda = new LambdaClient(stratus.clientConfig);
  const functionArn = (await createFunction(lambda, 'domain-echo', { 'index.mjs': echo })).FunctionArn!;
  return {
    v1,
    v2,
    functionArn,
    async restApi(name) {
      const { id, rootResourceId } = await v1.send(new V1.CreateRestApiCommand({ name }));
      const proxy = await v1.send(
        new V1.CreateResourceCommand({ restApiId: id, parentId: rootResourceId, pathPart: '{proxy+}' }),
      );
      for (const resourceId of [rootResourceId!, proxy.id!]) {
        await v1.send(
          new V1.PutMethodCommand({
            restApiId: id,
            resourceId,
            httpMethod: 'ANY',
            authorizationType: 'NONE',
          }),
        );
        await v1.send(
          new V1.PutIntegrationCommand({
            restApiId: id,
            resourceId,
            httpMethod: 'ANY',
            type: 'AWS_PROXY',
            integrationHttpMethod: 'POST',
            uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
          }),
        );
      }
      await v1.send(new V1.CreateDeploymentCommand({ restApiId: id, stageName: 'prod' }));
      return id!;
    },
    async httpApi(name) {
      return (
        await v2.send(new V2.CreateApiCommand({ Name: name, ProtocolType: 'HTTP', Target: functionArn }))
      ).ApiId!;
    },
    regionalDomain: (domainName, securityPolicy = 'TLS_1_2') =>
      v2.send(
        new V2.CreateDomainNameCommand({
          DomainName: domainName,
          DomainNameConfigurations: [
            { CertificateArn: certificate, EndpointType: 'REGIONAL', SecurityPolicy: securityPolicy },
          ],
        }),
      ),
    call: (host, path) =>
      httpCall(`http://127.0.0.1:${stratus.port}${path}`, { headers: { host: `${host}:${stratus.port}` } }),
    destroy() {
      v1.destroy();
      v2.destroy();
      lambda.destroy();
    },
  };
}
