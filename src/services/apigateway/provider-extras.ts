/**
 * API Gateway v1's remaining management operations, added to the provider chain:
 * TestInvokeMethod (invoke/test-invoke-method.ts), ImportApiKeys (api-key-imports.ts) and
 * UpdateUsage (usage-grants.ts), VPC links (vpc-links/vpc-links.ts; v2's are in
 * provider-v2-extras.ts), and documentation parts and versions (documentation/).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../service.js';
import type { ApiKeyImports } from './api-key-imports.js';
import type { DocumentationParts } from './documentation/parts.js';
import type { DocumentationVersions } from './documentation/versions.js';
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
  documentationParts: DocumentationParts;
  documentationVersions: DocumentationVersions;
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

  // Documentation parts and versions

  CreateDocumentationPart(
    input: APIGW.CreateDocumentationPartRequest,
    at: RequestContext,
  ): Promise<APIGW.DocumentationPart> {
    return this.x.documentationParts.create(input, at);
  }

  GetDocumentationPart(
    input: APIGW.GetDocumentationPartRequest,
    at: RequestContext,
  ): Promise<APIGW.DocumentationPart> {
    return this.x.documentationParts.get(input, at);
  }

  GetDocumentationParts(
    input: APIGW.GetDocumentationPartsRequest,
    at: RequestContext,
  ): Promise<APIGW.DocumentationParts> {
    return this.x.documentationParts.list(input, at);
  }

  UpdateDocumentationPart(
    input: APIGW.UpdateDocumentationPartRequest,
    at: RequestContext,
  ): Promise<APIGW.DocumentationPart> {
    return this.x.documentationParts.update(input, at);
  }

  async DeleteDocumentationPart(
    input: APIGW.DeleteDocumentationPartRequest,
    at: RequestContext,
  ): Promise<object> {
    await this.x.documentationParts.delete(input, at);
    return {};
  }

  ImportDocumentationParts(
    input: APIGW.ImportDocumentationPartsRequest,
    at: RequestContext,
  ): Promise<APIGW.DocumentationPartIds> {
    return this.x.documentationParts.import(input, at);
  }

  CreateDocumentationVersion(
    input: APIGW.CreateDocumentationVersionRequest,
    at: RequestContext,
  ): Promise<APIGW.DocumentationVersion> {
    return this.x.documentationVersions.create(input, at);
  }

  GetDocumentationVersion(
    input: APIGW.GetDocumentationVersionRequest,
    at: RequestContext,
  ): Promise<APIGW.DocumentationVersion> {
    return this.x.documentationVersions.get(input, at);
  }

  GetDocumentationVersions(
    input: APIGW.GetDocumentationVersionsRequest,
    at: RequestContext,
  ): Promise<APIGW.DocumentationVersions> {
    return this.x.documentationVersions.list(input, at);
  }

  UpdateDocumentationVersion(
    input: APIGW.UpdateDocumentationVersionRequest,
    at: RequestContext,
  ): Promise<APIGW.DocumentationVersion> {
    return this.x.documentationVersions.update(input, at);
  }

  async DeleteDocumentationVersion(
    input: APIGW.DeleteDocumentationVersionRequest,
    at: RequestContext,
  ): Promise<object> {
    await this.x.documentationVersions.delete(input, at);
    return {};
  }
}
