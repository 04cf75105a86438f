/**
 * API Gateway v1's remaining management operations, added to the provider chain:
 * TestInvokeMethod (invoke/test-invoke-method.ts), ImportApiKeys (api-key-imports.ts) and
 * UpdateUsage (usage-grants.ts).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../service.js';
import type { ApiKeyImports } from './api-key-imports.js';
import { ApiGatewayDomainsProvider, type CustomDomains } from './domains/provider.js';
import type { MethodTests } from './invoke/test-invoke-method.js';
import type { ApiDefinitionModules } from './provider-definitions.js';
import type { ApiGatewayModules } from './provider.js';
import type { UsageGrants } from './usage-grants.js';

export interface ApiGatewayExtraModules {
  methodTests: MethodTests;
  apiKeyImports: ApiKeyImports;
  usageGrants: UsageGrants;
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

  ImportApiKeys(input: APIGW.ImportApiKeysRequest, at: RequestContext): Promise<APIGW.ApiKeyIds> {
    return this.x.apiKeyImports.import(input, at);
  }

  UpdateUsage(input: APIGW.UpdateUsageRequest, at: RequestContext): Promise<APIGW.Usage> {
    return this.x.usageGrants.update(input, at);
  }
}
