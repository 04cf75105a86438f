/**
 * API Gateway v1's remaining management operations, added to the provider chain:
 * TestInvokeMethod (invoke/test-invoke-method.ts), ImportApiKeys (api-key-imports.ts) and
 * UpdateUsage (usage-grants.ts), and VPC links (vpc-links/vpc-links.ts; v2's are in
 * provider-v2-extras.ts).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../service.js';
import type { ApiKeyImports } from './api-key-imports.js';
import { ApiGatewayDomainsProvider, type CustomDomains } from './domains/provider.js';
import type { MethodTests } from './invoke/test-invoke-method.js';
import type { ApiDefinitionModules } from './provider-definitions.js';
import type { ApiGatewayModules } from './provider.js';
import type { UsageGrants } from './usage-grants.js';
import type { VpcLinks } from './vpc-links/vpc-links.js';

export interface ApiGatewayExtraModules {
  methodTests: MethodTests;
  apiKeyImports: ApiKeyImports;
  usageGrants: UsageGrants;
  vpcLinks: VpcLinks;
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

  // VPC links

  CreateVpcLink(input: APIGW.CreateVpcLinkRequest, at: RequestContext): Promise<APIGW.VpcLink> {
    return this.x.vpcLinks.createV1(input, at);
  }

  GetVpcLink(input: APIGW.GetVpcLinkRequest, at: RequestContext): Promise<APIGW.VpcLink> {
    return this.x.vpcLinks.getV1(at, input.vpcLinkId!);
  }

  GetVpcLinks(input: APIGW.GetVpcLinksRequest, at: RequestContext): Promise<APIGW.VpcLinks> {
    return this.x.vpcLinks.listV1(input, at);
  }

  UpdateVpcLink(input: APIGW.UpdateVpcLinkRequest, at: RequestContext): Promise<APIGW.VpcLink> {
    return this.x.vpcLinks.updateV1(input, at);
  }

  async DeleteVpcLink(input: APIGW.DeleteVpcLinkRequest, at: RequestContext): Promise<object> {
    await this.x.vpcLinks.deleteV1(at, input.vpcLinkId!);
    return {};
  }
}
