/**
 * API Gateway v1's remaining management operations, added to the provider chain:
 * TestInvokeMethod (invoke/test-invoke-method.ts).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../service.js';
import { ApiGatewayDomainsProvider, type CustomDomains } from './domains/provider.js';
import type { MethodTests } from './invoke/test-invoke-method.js';
import type { ApiDefinitionModules } from './provider-definitions.js';
import type { ApiGatewayModules } from './provider.js';

export interface ApiGatewayExtraModules {
  methodTests: MethodTests;
}

export class ApiGatewayExtrasProvider extends ApiGatewayDomainsProvider {
  constructor(
    private readonly x: ApiGatewayExtraModules,
    domains: CustomDomains,
    modules: ApiGatewayModules,
    definitions: ApiDefinitionModules,
  ) {
    super(domains, modules, definitions);
  }

  TestInvokeMethod(
    input: APIGW.TestInvokeMethodRequest,
    at: RequestContext,
  ): Promise<APIGW.TestInvokeMethodResponse> {
    return this.x.methodTests.run(input, at);
  }
}
